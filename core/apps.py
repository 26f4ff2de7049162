from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from core import navigation

        navigation.register(navigation.NavItem(_("Home"), "core:home", order=0))
        navigation.register(
            navigation.NavItem(
                _("Audit log"), "admin:core_event_changelist", "core.view_event", True, order=900
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Users"), "admin:core_user_changelist", "core.view_user", True, order=910
            )
        )
