import pytest

from core.auth import ExistingUserOIDCBackend
from core.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend(settings, monkeypatch):
    settings.OIDC_RP_CLIENT_ID = "kantselei"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://sso.example.ee/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://sso.example.ee/userinfo"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_CREATE_USER = False
    backend = ExistingUserOIDCBackend()
    claims = {}
    monkeypatch.setattr(backend, "get_userinfo", lambda *args: claims)
    return backend, claims


def test_sso_signs_in_the_existing_user_with_that_email(backend, clerk):
    oidc, claims = backend
    claims.update(email=clerk.email.upper(), email_verified=True)
    assert oidc.get_or_create_user("token", "id-token", {}) == clerk


def test_sso_never_creates_a_user(backend):
    oidc, claims = backend
    claims.update(email="stranger@example.ee", email_verified=True)
    assert oidc.get_or_create_user("token", "id-token", {}) is None
    assert not User.objects.filter(email="stranger@example.ee").exists()


def test_sso_ignores_an_unverified_email_and_inactive_users(backend, clerk, head):
    oidc, claims = backend
    claims.update(email=clerk.email, email_verified=False)
    assert oidc.get_or_create_user("token", "id-token", {}) is None
    head.is_active = False
    head.save()
    claims.update(email=head.email, email_verified=True)
    assert oidc.get_or_create_user("token", "id-token", {}) is None


def test_login_page_offers_sso_only_when_configured(client, settings):
    assert "oidc" not in client.get("/accounts/login/").text


def test_a_user_signed_in_by_sso_is_read_with_the_permissions_of_its_roles(backend, clerk):
    oidc, _claims = backend
    read = oidc.get_user(clerk.pk)
    assert read == clerk
    assert "registry.view_document" in read.get_all_permissions()
    assert read.get_all_permissions() == User.objects.get(pk=clerk.pk).get_all_permissions()
    assert oidc.get_user(987654) is None
