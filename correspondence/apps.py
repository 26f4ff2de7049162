from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    name = "correspondence"
    verbose_name = _("Outgoing mail")

    def ready(self) -> None:
        from core import events, navigation
        from correspondence.verbs import Verb

        events.register_verbs(Verb)
        for item in (
            navigation.NavItem(
                _("Letters"), "correspondence:letter-list", "correspondence.view_letter", order=20
            ),
            navigation.NavItem(
                _("Post"),
                "correspondence:dispatch-today",
                "correspondence.view_dispatchlist",
                order=21,
            ),
            navigation.NavItem(
                _("Letter templates"),
                "correspondence:template-list",
                "correspondence.change_lettertemplate",
                order=81,
            ),
        ):
            navigation.register(item)
