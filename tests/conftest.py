import pytest

from core import roles
from tests.factories import UserFactory


@pytest.fixture
def make_user(db):
    def make(*role_list, **kwargs):
        return UserFactory(roles=list(role_list), **kwargs)

    return make


@pytest.fixture
def clerk(make_user):
    return make_user(roles.CLERK, username="clerk")


@pytest.fixture
def head(make_user):
    return make_user(roles.HEAD, username="head")


@pytest.fixture
def administrator(make_user):
    return make_user(roles.ADMINISTRATOR, username="administrator", is_staff=True)
