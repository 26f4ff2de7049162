from correspondence.views import compose, letter, letter_actions, letters, post, templates

app_name = "correspondence"

urlpatterns = [
    *letters.urlpatterns,
    *compose.urlpatterns,
    *letter.urlpatterns,
    *letter_actions.urlpatterns,
    *templates.urlpatterns,
    *post.urlpatterns,
]
