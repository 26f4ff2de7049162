"""Views of the document register, one module per area; each module lists its urlpatterns."""
