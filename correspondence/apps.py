from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    name = "correspondence"
    verbose_name = _("Outgoing mail")

    def ready(self) -> None:
        from core import dashboard
        from correspondence.dashboard import PANEL

        dashboard.register(PANEL)
        from registry import related

        related.register("letters", _letters)
        from core import demo

        demo.register_seeder(30, "correspondence", _seed)
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


def _seed() -> str:
    from correspondence import demo

    return demo.seed()


def _letters(document, user) -> list:
    """The letters answering a document, on its page, for those who work with letters."""
    if not user.has_perm("correspondence.view_letter"):
        return []
    from correspondence.services import letters_of

    return list(letters_of(document))
