"""The cache backend that ``CACHE_URL=rediscache://…`` selects: Redis, or this process's memory
while Redis is away.

Rule: a Redis outage never turns a page into a 500. The cache holds nothing that must survive:
rate-limit counters (django-ratelimit) and the trends' figures (dashboard); guards against a
double submit are rows in PostgreSQL (core.submissions), never cache entries. So when Redis
cannot be reached, every cache call is answered by a local-memory cache instead; rate limits
keep working, per process, and the figures are recomputed. The outage is logged once per
process with a WARNING (not per request), Redis is tried again every ``FAILOVER_RETRY_SECONDS``
(default 10), and its return is logged too. What the memory cache held during the outage is
dropped when Redis returns (counters start over).

Only connection errors and timeouts fail over; any other Redis error is a bug and is raised.
Sign-in lockouts (django-axes) are kept in PostgreSQL, not in the cache, so they hold throughout.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis import exceptions as redis_errors

logger = logging.getLogger(__name__)

# What "Redis is not there" looks like; redis-py wraps socket errors in ConnectionError.
UNREACHABLE = (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError)

# A page must not wait long for a cache: fail fast, then use memory.
DEFAULT_CONNECTION_OPTIONS = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}


class FailoverRedisCache(RedisCache):
    """Django's ``RedisCache`` that answers from a ``LocMemCache`` while Redis is unreachable.

    ``OPTIONS`` may carry ``FAILOVER_RETRY_SECONDS``; the rest goes to the Redis connection pool
    as usual (with one-second connect and read timeouts unless given).
    """

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("FAILOVER_RETRY_SECONDS", 10))
        params["OPTIONS"] = {**DEFAULT_CONNECTION_OPTIONS, **options}
        super().__init__(server, params)
        location = server if isinstance(server, str) else ",".join(server)
        self.fallback = LocMemCache(
            f"failover:{location}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "KEY_FUNCTION": params.get("KEY_FUNCTION"),
                "OPTIONS": {"MAX_ENTRIES": 10_000},
            },
        )
        self._state_lock = threading.Lock()
        self._down_since: float | None = None  # monotonic time of the outage's first error
        self._retry_at = 0.0  # monotonic time after which Redis is tried again

    # --- State --------------------------------------------------------------------------------

    @property
    def redis_down(self) -> bool:
        """True while this process answers from memory."""
        return self._down_since is not None

    def _use_redis(self) -> bool:
        return self._down_since is None or time.monotonic() >= self._retry_at

    def _failed(self, error: Exception) -> None:
        with self._state_lock:
            now = time.monotonic()
            self._retry_at = now + self.retry_seconds
            if self._down_since is None:
                self._down_since = now
                self.fallback.clear()
                logger.warning(
                    "Redis cache unreachable (%s: %s); answering from this process's memory and "
                    "retrying every %.0f s",
                    type(error).__name__,
                    error,
                    self.retry_seconds,
                )

    def _succeeded(self) -> None:
        if self._down_since is None:
            return
        with self._state_lock:
            if self._down_since is None:
                return
            seconds = time.monotonic() - self._down_since
            self._down_since = None
            self.fallback.clear()
            logger.info("Redis cache reachable again after %.0f s; memory cache dropped", seconds)

    def _call(self, name: str, *args, **kwargs):
        if self._use_redis():
            try:
                result = getattr(RedisCache, name)(self, *args, **kwargs)
            except UNREACHABLE as error:
                self._failed(error)
            else:
                self._succeeded()
                return result
        return getattr(self.fallback, name)(*args, **kwargs)

    # --- The cache API (RedisCache's own methods; the rest of BaseCache builds on these) -------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")
