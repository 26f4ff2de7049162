# TEMPORARY while the view modules are being written: replaced by explicit imports.
from importlib import import_module

app_name = "correspondence"

urlpatterns = []
for _name in ("letters", "templates", "post"):
    try:
        urlpatterns += import_module(f"correspondence.views.{_name}").urlpatterns
    except ModuleNotFoundError as error:
        if error.name not in (f"correspondence.views.{_name}", "correspondence.views"):
            raise
