"""Fixtures of the assets tests: the asset manager, the head, and assets made by the service."""

import pytest

from assets import services
from assets.models import Category
from core import roles


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def manager(make_user):
    return make_user(roles.ASSET_MANAGER, username="andres", first_name="Andres", last_name="Mägi")


@pytest.fixture
def room(db):
    return services.location_get("Suur-Ameerika 1, 101")


@pytest.fixture
def make_asset(manager, room):
    """Add an asset through the service; keyword arguments override the defaults."""

    def make(**kwargs):
        values = {
            "name": "Sülearvuti Lenovo ThinkPad T14",
            "category": Category.COMPUTER,
            "location": room,
            "responsible": manager,
        }
        values.update(kwargs)
        return services.asset_create(actor=manager, **values)

    return make
