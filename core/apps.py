from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from core import checks, events, navigation, textinput, uploads  # noqa: F401 (checks)
        from core.intake.verbs import Verb as IntakeVerb
        from core.models import Event

        events.register_verbs(Event.Verb)
        events.register_verbs(IntakeVerb)
        # Signed containers get their ETSI types wherever a type is guessed from a file name
        # (e-mail attachments, downloads), not application/octet-stream.
        uploads.register_mimetypes()
        # Every form text field refuses control characters (core/textinput.py).
        textinput.install()

        # The role groups follow core.roles after every migrate, and after every flush too (the
        # end of a transactional test), so a permission an app adds to its roles needs no
        # migration of its own.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="core.sync_roles")

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


def _sync_roles(sender, apps=None, **kwargs) -> None:
    """migrate passes the migrated state's apps; flush passes none (the live registry then)."""
    from core.roles import sync_roles

    sync_roles(apps, strict=True)
