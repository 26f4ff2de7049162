from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MtrConfig(AppConfig):
    name = "mtr"
    verbose_name = _("Register of Economic Activities")

    def ready(self) -> None:
        from core import dashboard
        from mtr.dashboard import PANEL

        dashboard.register(PANEL)
        from core import demo

        demo.register_seeder(20, "mtr", _seed)
        from core import events, navigation
        from mtr.verbs import Verb

        events.register_verbs(Verb)
        navigation.register(
            navigation.NavItem(
                _("MTR applications"), "mtr:application-list", "mtr.view_application", order=30
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Economic activities register"), "mtr:entry-list", "mtr.view_entry", order=31
            )
        )


def _seed() -> str:
    from mtr import demo

    return demo.seed()
