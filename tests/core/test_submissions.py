"""Submit once (core.submissions): a signed key per rendered form; the first POST with it does
the work, a repeat is shown the first one's result, a bad key does nothing and keeps the input."""

import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from core import submissions
from core.models import Submission
from registry.models import Document, Party
from tests.registry.conftest import last_working_day
from tests.registry.test_register_views import letter, new_sender

pytestmark = pytest.mark.django_db

REGISTER = "registry:document-register"


@pytest.fixture(autouse=True)
def _english(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def signed_in(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def series():
    from tests.factories import SeriesFactory

    return SeriesFactory(code="1-2", title="Kirjavahetus")


def key_on(response) -> str:
    match = re.search(r'name="submission_key" value="([^"]+)"', response.text)
    assert match, "the form has no submission key"
    return match.group(1)


def registration(series, key, **overrides):
    return {**letter(series, **new_sender()), "submission_key": key, **overrides}


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- The key ------------------------------------------------------------------------------------


def test_a_key_is_bound_to_the_user_it_was_made_for(clerk, head):
    key = submissions.new_key(clerk)

    assert submissions.read_key(key, clerk) is not None
    assert submissions.read_key(key, head) is None
    assert submissions.read_key(key, None) is None


def test_a_made_up_or_tampered_key_is_not_read(clerk):
    key = submissions.new_key(clerk)

    assert submissions.read_key(str(uuid.uuid4()), clerk) is None
    assert submissions.read_key(key[:-2] + "xx", clerk) is None
    assert submissions.read_key("", clerk) is None
    assert submissions.read_key(None, clerk) is None


def test_the_form_page_carries_a_fresh_key_on_every_render(signed_in, series):
    first = key_on(signed_in.get(reverse(REGISTER)))
    second = key_on(signed_in.get(reverse(REGISTER)))

    assert first != second


# --- Once ---------------------------------------------------------------------------------------


def test_a_repeated_key_shows_the_first_result_and_makes_nothing(signed_in, series):
    key = key_on(signed_in.get(reverse(REGISTER)))
    first = signed_in.post(reverse(REGISTER), registration(series, key))
    document = Document.objects.get()

    again = signed_in.post(reverse(REGISTER), registration(series, key))

    assert first.status_code == again.status_code == 302
    assert (
        again["Location"]
        == first["Location"]
        == reverse("registry:document-detail", args=[document.pk])
    )
    assert Document.objects.count() == 1
    assert Party.objects.filter(name="Jüri Õunapuu").count() == 1
    assert "This form was already sent; here is the result." in messages_of(again)
    assert Submission.objects.get().result_url == first["Location"]


def test_an_invalid_first_post_keeps_the_key_usable(signed_in, series):
    key = key_on(signed_in.get(reverse(REGISTER)))

    wrong = signed_in.post(reverse(REGISTER), registration(series, key, title=""))
    assert wrong.status_code == 200
    assert Document.objects.count() == 0
    assert not Submission.objects.exists()
    assert 'name="submission_key"' in wrong.text  # the page sent back can be sent again

    right = signed_in.post(reverse(REGISTER), registration(series, key))
    assert right.status_code == 302
    assert Document.objects.count() == 1


def test_a_tampered_key_does_nothing_and_keeps_what_was_typed(signed_in, series):
    key = key_on(signed_in.get(reverse(REGISTER)))

    response = signed_in.post(reverse(REGISTER), registration(series, key[:-3] + "abc"))

    assert response.status_code == 400
    assert Document.objects.count() == 0
    assert Party.objects.filter(name="Jüri Õunapuu").count() == 0
    assert "The form was not sent" in response.text
    assert 'value="Taotlus parkimiskoha saamiseks"' in response.text  # kept, to send again
    assert 'value="Rüütli 12, Tartu"' in response.text
    fresh = key_on(response)
    assert fresh != key

    again = signed_in.post(reverse(REGISTER), registration(series, fresh))
    assert again.status_code == 302
    assert Document.objects.count() == 1


def test_a_missing_key_does_nothing(signed_in, series):
    response = signed_in.post(reverse(REGISTER), registration(series, ""))

    assert response.status_code == 400
    assert Document.objects.count() == 0
    assert "The form was not sent" in response.text


def test_an_expired_key_does_nothing(signed_in, series, clerk, monkeypatch):
    made = timezone.now() - timedelta(seconds=submissions.MAX_AGE + 60)
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", made.timestamp)
        key = submissions.new_key(clerk)

    response = signed_in.post(reverse(REGISTER), registration(series, key))

    assert response.status_code == 400
    assert Document.objects.count() == 0
    assert 'value="Taotlus parkimiskoha saamiseks"' in response.text


def test_a_key_of_another_user_does_nothing(signed_in, series, head):
    response = signed_in.post(reverse(REGISTER), registration(series, submissions.new_key(head)))

    assert response.status_code == 400
    assert Document.objects.count() == 0


def test_a_get_needs_no_key(signed_in, series):
    assert signed_in.get(reverse(REGISTER)).status_code == 200


def test_old_keys_are_purged_and_new_ones_kept(clerk):
    old = Submission.objects.create(key=uuid.uuid4(), user=clerk)
    Submission.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=8))
    new = Submission.objects.create(key=uuid.uuid4(), user=clerk)

    assert submissions.submissions_purge() == 1
    assert list(Submission.objects.values_list("pk", flat=True)) == [new.pk]


def test_keys_expire_before_their_rows_are_purged():
    assert timedelta(seconds=submissions.MAX_AGE) < submissions.PURGE_AFTER


def test_the_purge_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.tasks.purge_submissions" in tasks


def test_the_registration_date_is_kept(signed_in, series):
    """The page sent back after a refusal keeps the date the clerk typed."""
    day = last_working_day().isoformat()
    response = signed_in.post(reverse(REGISTER), registration(series, "", received_on=day))

    assert f'value="{day}"' in response.text


# --- Every form carries its key -----------------------------------------------------------------

# POST forms that create or send nothing, or check their own key (mtr, helpdesk public contact).
WITHOUT_TAG = {
    "templates/base.html",  # sign out
    "templates/includes/language_switch.html",
    "templates/core/account.html",  # sign out other sessions
    "mtr/templates/mtr/public/status_lookup.html",  # a look-up; the page must not vary
    "mtr/templates/mtr/public/includes/apply_form.html",  # {{ submission_key }} of the MTR form
    "mtr/templates/mtr/staff/intake.html",  # the same
    "helpdesk/templates/helpdesk/public/contact.html",  # the contact form's own key
}


def _post_forms():
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    for path in sorted(root.glob("*/templates/**/*.html")) + sorted(
        root.glob("templates/**/*.html")
    ):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(("templates/registration/", ".venv")) or relative in WITHOUT_TAG:
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r'<form\b[^>]*method="post"[^>]*>(.*?)</form>', text, re.S | re.I):
            yield relative, match.group(1)


def test_every_post_form_carries_a_submission_key():
    missing = [path for path, body in _post_forms() if "{% submission_key %}" not in body]
    assert not missing, missing
