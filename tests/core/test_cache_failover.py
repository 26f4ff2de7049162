"""Redis away: the public pages keep answering and the rate limits keep working (per process),
on a Redis of the test's own that it stops and starts (core/cache.py)."""

import logging
import shutil
import time

import pytest
import redis
from django.core.cache import caches
from django.urls import reverse

from core.cache import FailoverRedisCache
from tests.faults.servers import RedisServer

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(
        shutil.which("redis-server") is None, reason="redis-server is not installed"
    ),
]

PUBLIC_PAGES = [
    "/mtr/apply/",
    "/mtr/status/",
    "/mtr/entries/",
    "/register/",
    "/help/",
    "/help/contact/",
    "/accounts/login/",
]
RETRY_SECONDS = 0.5


@pytest.fixture
def redis_server():
    """A Redis of this test's own (tests/faults/servers.py), stopped at the end."""
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(redis_server, settings):
    """The site's default cache as ``CACHE_URL=rediscache://…`` selects it, on the test's Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailoverRedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis_server.port}/2",
            "OPTIONS": {"FAILOVER_RETRY_SECONDS": RETRY_SECONDS},
        }
    }
    return redis_server


def wait_past_retry():
    time.sleep(RETRY_SECONDS + 0.1)


def lookup(client):
    return client.post(reverse("mtr:public-status"), {"code": "ABCDEFGHJKMN", "registry_code": "1"})


@pytest.mark.django_db
def test_public_pages_answer_while_redis_is_away(client, redis_cache, caplog):
    for url in PUBLIC_PAGES:
        assert client.get(url).status_code == 200, url
    assert redis_cache.keys(), "the rate limiter counts in Redis while it is there"

    redis_cache.stop()
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        answers = {url: client.get(url).status_code for url in PUBLIC_PAGES}
        wait_past_retry()  # Redis is tried again, and found still away: no second warning
        answers.update({f"{url} again": client.get(url).status_code for url in PUBLIC_PAGES})

    assert set(answers.values()) == {200}, answers
    warnings = [r for r in caplog.records if r.name == "core.cache"]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "Redis cache unreachable" in warnings[0].getMessage()


@pytest.mark.django_db
def test_the_rate_limit_holds_while_redis_is_away(client, redis_cache, settings):
    settings.MTR_PUBLIC_STATUS_RATE = "2/d"  # a long window: never crossed during the test
    redis_cache.stop()

    answers = [lookup(client).status_code for _ in range(4)]

    assert answers == [200, 200, 429, 429]


@pytest.mark.django_db
def test_the_cache_goes_back_to_redis_when_it_returns(client, redis_cache, caplog):
    redis_cache.stop()
    assert client.get("/register/").status_code == 200
    assert caches["default"].redis_down

    redis_cache.start()  # a fresh, empty Redis on the same port
    wait_past_retry()
    with caplog.at_level(logging.INFO, logger="core.cache"):
        assert client.get("/register/").status_code == 200

    assert not caches["default"].redis_down
    assert redis_cache.keys(), "the rate limiter counts in Redis again"
    assert any("reachable again" in r.getMessage() for r in caplog.records)


def test_other_redis_errors_are_not_hidden(redis_cache):
    backend = FailoverRedisCache(f"redis://127.0.0.1:{redis_cache.port}/2", {})
    backend.set("word", "text")

    with pytest.raises(redis.exceptions.ResponseError):
        backend.incr("word")  # not a number: a bug, not an outage
    assert not backend.redis_down
