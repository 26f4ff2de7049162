from dashboard.views import overview, reports, workload

app_name = "dashboard"

urlpatterns = [
    *overview.urlpatterns,
    *workload.urlpatterns,
    *reports.urlpatterns,
]
