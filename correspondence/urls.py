from correspondence.views import letters, post, templates

app_name = "correspondence"

urlpatterns = [
    *letters.urlpatterns,
    *templates.urlpatterns,
    *post.urlpatterns,
]
