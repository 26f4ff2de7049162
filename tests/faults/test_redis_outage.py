"""Redis away (the cache, the rate limiter and the Celery broker at once): the public pages keep
answering, what is submitted meanwhile is committed and answered, and once Redis is back every
job is done and every e-mail delivered exactly once within two minutes (issue 13, items 2, 3, 4
and 9). Also: the worker outlives the broker's loss and takes new work when it returns."""

import re
import time

import pytest
from django.urls import reverse

from core import jobs
from core.models import Job
from tests.faults.conftest import RECOVERY_BUDGET, SWEEP_INTERVAL, wait_settled
from tests.faults.hooks import SLOW_JOB
from tests.faults.servers import wait_for
from tests.faults.test_worker_killed import make_letter

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/register/", "/mtr/apply/", "/mtr/status/", "/mtr/entries/", "/help/"]
PUBLIC_PAGES += ["/help/contact/"]
BROKER_OUTAGE = 15  # seconds


@pytest.fixture
def redis_cache(settings, redis_server):
    """The site's cache as ``CACHE_URL=rediscache://…`` selects it, on the test's Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailoverRedisCache",
            "LOCATION": f"{redis_server.url}/2",
            "OPTIONS": {"FAILOVER_RETRY_SECONDS": 0.5},
        }
    }
    return redis_server


def test_public_pages_and_submits_hold_while_redis_is_away_and_all_is_done_once_after(
    worker, redis_cache, smtp_server, client, make_user, letter_parts
):
    from correspondence.models import Letter
    from mtr.models import Application
    from mtr.services import RECEIPT_JOB
    from tests.mtr.test_public_apply import english, make_licence_area, submit_licence

    area = make_licence_area()
    clerk, series, party = letter_parts
    letter = make_letter(clerk, series, party)
    wait_settled(worker)  # its PDF is made: it can be sent
    for url in PUBLIC_PAGES:
        assert client.get(url).status_code == 200, url

    redis_cache.stop()
    answers, seconds = {}, {}

    def timed(name, request):
        started = time.monotonic()
        response = request()
        answers[name], seconds[name] = response.status_code, time.monotonic() - started
        return response

    for url in PUBLIC_PAGES:
        timed(url, lambda url=url: client.get(url))
    applied = timed("apply", lambda: submit_licence(english(client), area)[0])
    done = timed("apply done", lambda: client.get(reverse("mtr:public-apply-done")))
    staff = type(client)()
    staff.force_login(clerk)
    staff.cookies["django_language"] = "en"
    send = reverse("correspondence:letter-send", args=[letter.pk])
    sending = timed("letter send", lambda: staff.post(send))
    sent = timed("letter page", lambda: staff.get(sending.url))

    assert set(answers.values()) <= {200, 302}, answers
    assert applied.url == reverse("mtr:public-apply-done")
    slow = {name: f"{took:.1f} s" for name, took in seconds.items() if took > 5}
    assert not slow, f"requests that waited for Redis: {slow}"
    application = Application.objects.get()
    assert application.tracking_code_display in done.text
    receipt = Job.objects.get(key=f"{RECEIPT_JOB}:{application.pk}")
    assert (receipt.state, receipt.queued_at) == (Job.State.PENDING, None)
    assert "will go out shortly" in sent.text
    assert not re.search(r"Server Error|\b500\b", sent.text)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENDING

    redis_cache.start()  # empty: whatever Celery had queued is gone
    returned = time.monotonic()
    jobs.sweep()  # beat's next sweep
    wait_settled(worker, timeout=RECOVERY_BUDGET, sweep_every=SWEEP_INTERVAL)
    recovery = time.monotonic() - returned

    # Beat sweeps at most a minute after the return: the worst case adds that minute.
    assert recovery + SWEEP_INTERVAL < RECOVERY_BUDGET, f"recovery took {recovery:.0f} s"
    assert worker.alive, worker.log_tail()
    receipt.refresh_from_db()
    assert (receipt.state, receipt.attempts) == (Job.State.DONE, 1)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
    assert len(smtp_server.handler.to(application.email)) == 1
    assert len(smtp_server.handler.to(party.email)) == 1
    ids = smtp_server.handler.message_ids()
    assert len(ids) == len(set(ids)) == 2
    for url in PUBLIC_PAGES:
        assert client.get(url).status_code == 200, url
    print(f"without Redis: {', '.join(f'{n} {t:.2f} s' for n, t in seconds.items())}")
    print(f"recovery after Redis returned: {recovery:.1f} s")


def test_the_worker_survives_the_loss_of_its_broker(worker, redis_server, smtp_server):
    before = jobs.enqueue(SLOW_JOB, n=1, to="mari@example.ee")
    wait_settled(worker)

    redis_server.stop()
    time.sleep(BROKER_OUTAGE)
    assert worker.alive, f"the worker exited while Redis was away\n{worker.log_tail()}"
    redis_server.start()
    returned = time.monotonic()

    after = jobs.enqueue(SLOW_JOB, n=2, to="jaan@example.ee")  # queued, not swept
    wait_for(
        lambda: Job.objects.filter(pk=after.pk, state=Job.State.DONE).exists(),
        timeout=RECOVERY_BUDGET,
        what="the worker to take a job queued after Redis returned",
        detail=worker.log_tail,
    )
    wait_settled(worker)
    taken = time.monotonic() - returned

    assert worker.alive
    assert "Unrecoverable error" not in worker.log()
    assert taken < RECOVERY_BUDGET
    for job in (before, after):
        job.refresh_from_db()
        assert (job.state, job.attempts) == (Job.State.DONE, 1)
    assert len(smtp_server.handler.received) == 2
    print(f"broker away {BROKER_OUTAGE} s: new job done {taken:.1f} s after Redis returned")
