from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Document register")

    def ready(self) -> None:
        from core import dashboard
        from registry.dashboard import PANEL

        dashboard.register(PANEL)
        from core import demo

        demo.register_seeder(10, "registry", _seed)
        from core import events, navigation
        from registry.verbs import Verb

        events.register_verbs(Verb)
        navigation.register(
            navigation.NavItem(
                _("Documents"), "registry:document-list", "registry.view_document", order=10
            )
        )
        navigation.register(
            navigation.NavItem(
                _("My work"), "registry:my-documents", "registry.view_document", order=11
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Deadlines"), "registry:deadlines", "registry.change_document", order=12
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Classification scheme"), "registry:scheme", "registry.change_series", order=80
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Registration inbox"), "registry:inbox", "registry.add_document", order=9
            )
        )
        from core.intake import services as intake
        from registry import inbox

        intake.register_handler(inbox.PURPOSE, inbox.handle)


def _seed() -> str:
    from registry import demo

    return demo.seed()
