from mtr.views import application_actions, entries, intake, public, register, staff

app_name = "mtr"

urlpatterns = [
    *public.urlpatterns,
    *entries.urlpatterns,
    *staff.urlpatterns,
    *application_actions.urlpatterns,
    *register.urlpatterns,
    *intake.urlpatterns,
]
