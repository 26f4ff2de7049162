"""The main navigation. Each app adds its items in its AppConfig.ready(); a user sees an item
only when they hold its permission, so each role sees only what it may use."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.signals import setting_changed
from django.urls import get_script_prefix, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None  # "app_label.codename"; None: every signed-in user
    staff_only: bool = False  # the admin site needs is_staff as well
    order: int = 100

    def visible_to(self, user) -> bool:
        if self.staff_only and not user.is_staff:
            return False
        return self.permission is None or user.has_perm(self.permission)


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _items):
        _items.append(item)
        _items.sort(key=lambda i: i.order)


_urls: dict[tuple[str, str], str] = {}


def _url(name: str) -> str:
    """``reverse(name)``, remembered per script prefix: the menu's 15–20 links were reversed on
    every page (their URLs take no arguments and the URLconf does not change while it runs)."""
    key = (name, get_script_prefix())
    if key not in _urls:
        _urls[key] = reverse(name)
    return _urls[key]


def _urlconf_changed(setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":  # a test's override_settings: reverse() answers differently
        _urls.clear()


setting_changed.connect(_urlconf_changed, dispatch_uid="core.navigation.urls")


def items_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    return [
        {"label": item.label, "url": _url(item.url_name), "url_name": item.url_name}
        for item in _items
        if item.visible_to(user)
    ]
