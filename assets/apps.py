from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = _("Assets")

    def ready(self) -> None:
        from assets.dashboard import PANEL
        from core import dashboard

        dashboard.register(PANEL)
        from core import demo

        demo.register_seeder(50, "assets", _seed)
        from assets.verbs import Verb
        from core import events, navigation

        post_migrate.connect(_first_thresholds, sender=self, dispatch_uid="assets.thresholds")

        events.register_verbs(Verb)
        for item in (
            navigation.NavItem(_("Assets"), "assets:asset-list", "assets.view_asset", order=50),
            navigation.NavItem(
                _("Stocktaking"), "assets:stocktaking-list", "assets.view_stocktaking", order=51
            ),
            navigation.NavItem(
                _("Disposals"), "assets:disposal-list", "assets.view_disposal", order=52
            ),
            navigation.NavItem(_("IT rights"), "assets:system-list", None, order=53),
            navigation.NavItem(
                _("Quotes"), "assets:quote-list", "assets.view_quoterequest", order=54
            ),
        ):
            navigation.register(item)


def _first_thresholds(sender, **kwargs) -> None:
    """The thresholds in force since 2017 are always there (assets.0004 adds them; a test that
    empties the database gets them back after, as the roles come back)."""
    from assets.models import FIRST_THRESHOLDS, ProcurementThreshold

    ProcurementThreshold.objects.get_or_create(
        valid_from=FIRST_THRESHOLDS["valid_from"], defaults=FIRST_THRESHOLDS
    )


def _seed() -> str:
    from assets import demo

    return demo.seed()
