from registry.views import detail, documents, inbox, public, scheme, work

app_name = "registry"

urlpatterns = [
    *documents.urlpatterns,
    *detail.urlpatterns,
    *work.urlpatterns,
    *scheme.urlpatterns,
    *public.urlpatterns,
    *inbox.urlpatterns,
]
