from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = _("User support and front desk")

    def ready(self) -> None:
        from core import dashboard
        from helpdesk.dashboard import PANEL

        dashboard.register(PANEL)
        from core import demo

        demo.register_seeder(40, "helpdesk", _seed)
        from core import events, navigation
        from core.intake import services as intake
        from helpdesk import mail
        from helpdesk.verbs import Verb

        events.register_verbs(Verb)
        # The support mailbox's messages (core.intake) become tickets, replies or notes here.
        intake.register_handler("helpdesk", mail.handle)
        for item in (
            navigation.NavItem(
                _("Support"), "helpdesk:ticket-list", "helpdesk.view_ticket", order=40
            ),
            navigation.NavItem(_("Calls"), "helpdesk:call-list", "helpdesk.view_call", order=41),
            navigation.NavItem(
                _("Visitors"), "helpdesk:visit-list", "helpdesk.view_visit", order=42
            ),
            navigation.NavItem(
                _("Knowledge base"), "helpdesk:article-list", "helpdesk.change_article", order=82
            ),
        ):
            navigation.register(item)


def _seed() -> str:
    from helpdesk import demo

    return demo.seed()
