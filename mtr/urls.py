from mtr.views import entries, public, staff

app_name = "mtr"

urlpatterns = [
    *public.urlpatterns,
    *entries.urlpatterns,
    *staff.urlpatterns,
]
