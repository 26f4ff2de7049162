from helpdesk.views import articles, desk, public, ticket_actions, tickets

app_name = "helpdesk"

urlpatterns = [
    *tickets.urlpatterns,
    *ticket_actions.urlpatterns,
    *articles.urlpatterns,
    *desk.urlpatterns,
    *public.urlpatterns,
]
