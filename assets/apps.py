from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = _("Assets")

    def ready(self) -> None:
        from assets.verbs import Verb
        from core import events, navigation

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
