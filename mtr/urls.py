from mtr.views import entries, intake, public, staff

app_name = "mtr"

urlpatterns = [
    *public.urlpatterns,
    *entries.urlpatterns,
    *staff.urlpatterns,
    *intake.urlpatterns,
]
