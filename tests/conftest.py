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


@pytest.fixture
def second_factor(client):
    """Sign ``user`` in with a confirmed authenticator, as the admin site requires."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def verify(user):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return device

    return verify
