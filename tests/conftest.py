import os
import time

import pytest

from core import roles
from tests.factories import UserFactory

BROKER = os.environ.get("CELERY_BROKER_URL", "")


@pytest.fixture(autouse=True)
def _submission_keys():
    """Test clients post forms with a valid submission key, as a rendered form has
    (tests/submissions.py); a test that sends its own ``submission_key`` keeps it. Its own
    MonkeyPatch, so that a test's ``monkeypatch.undo()`` keeps it."""
    from django.test import Client

    from tests.submissions import post_with_key

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "post", post_with_key)
        yield


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


@pytest.fixture
def real_worker():
    """A Celery worker thread on the project's app, consuming a queue of this test's own."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    queue = f"kantselei-test-{os.getpid()}-{time.monotonic_ns()}"
    app.conf.update(task_always_eager=False, broker_url=BROKER, task_default_queue=queue)
    try:
        with start_worker(app, pool="solo", queues=[queue], perform_ping_check=False):
            yield app
    finally:
        app.conf.update(task_always_eager=True, task_default_queue="celery")
