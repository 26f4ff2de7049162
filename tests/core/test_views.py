import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import roles
from core.middleware import SESSION_STARTED_KEY
from core.models import Event, UserSession
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, user, password=PASSWORD):
    return client.post(reverse("login"), {"username": user.username, "password": password})


# --- Sign-in, sign-out, lockout ----------------------------------------------------------------


def test_home_requires_sign_in(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_with_the_right_password_reaches_the_home_page(client, clerk):
    response = sign_in(client, clerk)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    page = client.get(reverse("core:home"))
    assert clerk.first_name in page.text


def test_wrong_password_shows_an_error_in_estonian(client, clerk):
    response = sign_in(client, clerk, "wrong-password-123")
    assert response.status_code == 200
    assert "Palun sisestage õige kasutajatunnus ja parool" in response.text


def test_account_locks_after_the_failure_limit_even_with_the_right_password(
    client, clerk, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, clerk, "wrong-password-123")
    response = sign_in(client, clerk)
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session


def test_sign_out_is_post_only_and_ends_the_session(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("core:home")).status_code == 302


def test_session_ends_after_the_absolute_lifetime(client, clerk, settings):
    client.force_login(clerk)
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("core:home")).status_code == 302


def test_session_has_an_idle_timeout_of_thirty_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST  # renewed by core.middleware instead
    assert settings.SESSION_REFRESH_SECONDS == 60


def test_a_request_renews_the_idle_timeout_at_most_once_a_minute(client, clerk, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client.force_login(clerk)
    client.get(reverse("core:home"))
    key = client.session.session_key
    expires = UserSession.objects.get(session_key=key).expire_date

    time_machine.shift(30)  # within the minute: no write, the expiry stays
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:home")).status_code == 200
    assert not [q for q in queries if q["sql"].startswith("UPDATE") and "session" in q["sql"]]
    assert UserSession.objects.get(session_key=key).expire_date == expires

    time_machine.shift(61)  # past it: saved with an expiry 30 minutes from now
    assert client.get(reverse("core:home")).status_code == 200
    renewed = UserSession.objects.get(session_key=key).expire_date
    assert renewed - expires >= timedelta(seconds=90)
    assert renewed - timezone.now() > timedelta(minutes=29, seconds=59)


def test_an_idle_session_ends_after_thirty_minutes(client, clerk, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client.force_login(clerk)
    assert client.get(reverse("core:home")).status_code == 200
    time_machine.shift(30 * 60 + 1)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_permissions_are_read_with_the_user_and_a_removed_role_holds_at_once(client, clerk):
    """core.auth: the signed-in user's row comes with its permissions in one query (a page
    used to read the user, then the permissions); nothing is kept past the request."""
    client.force_login(clerk)
    client.get(reverse("registry:document-list"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("registry:document-list")).status_code == 200
    reads = [q["sql"] for q in queries if "auth_permission" in q["sql"]]
    assert len(reads) == 1
    assert 'FROM "core_user" WHERE "core_user"."id" =' in reads[0]
    clerk.groups.clear()
    assert client.get(reverse("registry:document-list")).status_code == 403
    clerk.user_permissions.add(
        Permission.objects.get(codename="view_document", content_type__app_label="registry")
    )
    assert client.get(reverse("registry:document-list")).status_code == 200  # held directly


def test_the_user_read_with_its_permissions_holds_what_django_would_give(
    clerk, administrator, make_user
):
    from django.contrib.auth.backends import ModelBackend

    from core.auth import PermissionBackend

    superuser = make_user(username="tehnik")
    superuser.is_superuser = True
    superuser.save()
    inactive = make_user(roles.CLERK, username="lahkunud")
    inactive.is_active = False
    inactive.save()
    for user in (clerk, administrator, superuser):
        read = PermissionBackend().get_user(user.pk)
        assert read == user
        assert read.get_all_permissions() == ModelBackend().get_all_permissions(
            type(user).objects.get(pk=user.pk)
        )
    assert len(PermissionBackend().get_user(superuser.pk).get_all_permissions()) == (
        Permission.objects.count()
    )
    assert PermissionBackend().get_user(inactive.pk) is None  # as ModelBackend: cannot sign in
    assert PermissionBackend().get_user(987654) is None


def test_admin_login_redirects_to_the_portal_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Navigation by role ------------------------------------------------------------------------


def test_clerk_sees_home_but_not_the_administration_links(client, clerk):
    client.force_login(clerk)
    page = client.get(reverse("core:home")).text
    assert reverse("core:home") in page
    assert reverse("admin:core_event_changelist") not in page
    assert reverse("admin:core_user_changelist") not in page


def test_administrator_sees_the_audit_log_and_users(client, administrator):
    client.force_login(administrator)
    page = client.get(reverse("core:home")).text
    assert reverse("admin:core_event_changelist") in page
    assert reverse("admin:core_user_changelist") in page


def test_home_page_lists_what_the_users_roles_can_do(client, make_user, settings):
    user = make_user(roles.HEAD, roles.CLERK)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("core:home")).text
    assert str(roles.HEAD.label) in page
    assert str(roles.CLERK.label) in page
    assert str(roles.ASSET_MANAGER.label) not in page


@pytest.mark.parametrize("url_name", ["admin:core_event_changelist", "admin:core_user_changelist"])
def test_administration_pages_refuse_other_roles(client, clerk, url_name, second_factor):
    client.force_login(clerk)
    response = client.get(reverse(url_name))
    assert response.status_code == 302  # the admin site sends non-staff to the sign-in page
    clerk.is_staff = True
    clerk.save()
    second_factor(clerk)
    assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", ["admin:core_event_changelist", "admin:core_user_changelist"])
def test_administration_pages_open_for_the_administrator(
    client, administrator, url_name, second_factor
):
    second_factor(administrator)
    assert client.get(reverse(url_name)).status_code == 200


def test_audit_log_runs_a_fixed_number_of_queries(
    client, administrator, clerk, django_assert_max_num_queries, second_factor
):
    from core import events

    second_factor(administrator)
    events.record(actor=clerk, obj=clerk, verb=Event.Verb.CHANGED)
    url = reverse("admin:core_event_changelist")
    with django_assert_max_num_queries(13) as first:  # 1 of them: the OTP device
        client.get(url)
    for _ in range(60):
        events.record(actor=clerk, obj=administrator, verb=Event.Verb.CHANGED)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


# --- Account: password change, other sessions --------------------------------------------------


def test_account_page_requires_sign_in(client):
    assert client.get(reverse("core:account")).status_code == 302


def test_password_change_tells_the_user_by_email(client, clerk, django_capture_on_commit_callbacks):
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "Uus-salasõna-2026",
                "new_password2": "Uus-salasõna-2026",
            },
        )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password("Uus-salasõna-2026")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [clerk.email]
    assert Event.objects.filter(verb=Event.Verb.PASSWORD_CHANGED, object_id=str(clerk.pk)).exists()
    # the session that changed the password stays signed in
    assert client.get(reverse("core:home")).status_code == 200


def test_password_change_refuses_a_short_password(client, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "lühike1", "new_password2": "lühike1"},
    )
    assert response.status_code == 200
    assert "vähemalt 12" in response.text
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)


def test_sign_out_everywhere_else_ends_only_the_other_sessions(client, clerk):
    other = Client()
    sign_in(other, clerk)
    sign_in(client, clerk)
    assert UserSession.objects.filter(user=clerk).count() == 2
    response = client.post(reverse("core:sign-out-other-sessions"))
    assert response.status_code == 302
    assert UserSession.objects.filter(user=clerk).count() == 1
    assert client.get(reverse("core:home")).status_code == 200
    assert other.get(reverse("core:home")).status_code == 302


def test_sign_out_everywhere_else_is_post_only(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("core:sign-out-other-sessions")).status_code == 405


def test_sign_out_everywhere_else_needs_a_signed_in_user(client):
    assert client.post(reverse("core:sign-out-other-sessions")).status_code == 302


# --- Password reset ----------------------------------------------------------------------------


def test_password_reset_sends_a_link_that_sets_a_new_password(client, clerk):
    response = client.post(reverse("password_reset"), {"email": clerk.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1].strip()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Taastatud-parool-2026", "new_password2": "Taastatud-parool-2026"},
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password("Taastatud-parool-2026")


def test_password_reset_for_an_unknown_address_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.ee"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_is_rate_limited_per_address(client):
    for _ in range(5):
        client.post(reverse("password_reset"), {"email": "nobody@example.ee"})
    response = client.post(reverse("password_reset"), {"email": "nobody@example.ee"})
    assert response.status_code == 429


# --- Health, headers, languages ----------------------------------------------------------------


def test_healthz_reports_the_database_as_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["status"] == "ok"


def test_healthz_reports_a_broken_broker(client, settings):
    settings.BROKER_CONFIGURED = True
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_healthz_reports_the_background_jobs_without_naming_anything(client):
    from datetime import timedelta

    from django.utils import timezone

    from core import jobs
    from core.models import Job

    jobs.sweep()
    Job.objects.create(kind="core.email", key="core.email:secret-subject", args={"email_id": 1})
    data = client.get("/healthz").json()
    assert data["status"] == "ok"
    assert data["jobs"]["pending"] == 1
    assert data["jobs"]["failed_24h"] == 0
    assert data["jobs"]["uncertain_emails"] == 0
    assert data["jobs"]["last_sweep_seconds"] < 60
    assert "secret" not in str(data)
    Job.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=11))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["jobs"]["oldest_due_seconds"] >= 660


def test_pages_send_security_headers(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_pages_are_in_estonian_by_default(client):
    page = client.get(reverse("login")).text
    assert '<html lang="et">' in page


@pytest.mark.parametrize(("code", "text"), [("en", "Sign in"), ("ru", "Войти")])
def test_language_switch_changes_the_language(client, code, text):
    response = client.post(reverse("set_language"), {"language": code, "next": reverse("login")})
    assert response.status_code == 302
    page = client.get(reverse("login")).text
    assert f'<html lang="{code}">' in page
    assert text in page


def test_pages_have_no_inline_scripts_or_styles(client, administrator):
    client.force_login(administrator)
    for url in [reverse("login"), reverse("core:home"), reverse("core:account")]:
        page = client.get(url).text
        assert "<script>" not in page
        assert " style=" not in page
        assert "<style" not in page


@pytest.mark.django_db
def test_the_database_connection_compiles_nothing_and_memoizes_nothing():
    """config.settings: no JIT (30–40 ms of compiling a count on a million rows) and no Memoize
    (a list page's joins set up caches sized for the whole table: 2 ms for a 0.3 ms query)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW enable_memoize")
        assert cursor.fetchone()[0] == "off"
