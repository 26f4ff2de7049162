from helpdesk.views import articles, desk, public, tickets

app_name = "helpdesk"

urlpatterns = [
    *tickets.urlpatterns,
    *articles.urlpatterns,
    *desk.urlpatterns,
    *public.urlpatterns,
]
