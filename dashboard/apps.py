from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from core import navigation

        # The workload and the trends are reached from the overview.
        navigation.register(navigation.NavItem(_("Overview"), "dashboard:overview", None, order=1))
