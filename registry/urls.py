from registry.views import (
    detail,
    document_actions,
    document_files,
    documents,
    inbox,
    public,
    scheme,
    work,
)

app_name = "registry"

urlpatterns = [
    *documents.urlpatterns,
    *detail.urlpatterns,
    *document_actions.urlpatterns,
    *document_files.urlpatterns,
    *work.urlpatterns,
    *scheme.urlpatterns,
    *public.urlpatterns,
    *inbox.urlpatterns,
]
