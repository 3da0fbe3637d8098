"""Django's Redis cache, failing soft: when Redis does not answer, a read is a miss and a write is dropped.

Redis is the Celery broker and the cache. A cache only saves work, so a Redis that is down or restarting
must not turn pages into error pages (Django's own RedisCache raises redis' ConnectionError): each call
is answered as if the key were absent, and a warning is logged at most once a minute per process. The
settings give the connection short timeouts, so that a Redis that does not answer at all costs a page
about a second rather than the operating system's TCP timeout.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY = 60.0  # seconds


def _missing(_client, key, *_args) -> Any:
    # What incr() and decr() say of a key that is not there.
    raise ValueError(f"Key '{key}' not found.")


def _soft(answer: Callable[..., Any]):
    """Call the client's method; when Redis does not answer, return `answer(client, *args)` instead."""

    def decorate(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                self.warn(error)
                return answer(self, *args)

        return call

    return decorate


def _nothing(_client, *_args) -> None:
    return None


def _false(_client, *_args) -> bool:
    return False


class FailSoftRedisCacheClient(RedisCacheClient):
    _warned_at = float("-inf")

    def warn(self, error: Exception) -> None:
        now = time.monotonic()
        if now - FailSoftRedisCacheClient._warned_at >= WARN_EVERY:
            FailSoftRedisCacheClient._warned_at = now
            logger.warning("The cache (Redis) does not answer; pages are served without it: %s", error)

    get = _soft(lambda _client, _key, default: default)(RedisCacheClient.get)
    get_many = _soft(lambda _client, _keys: {})(RedisCacheClient.get_many)
    has_key = _soft(_false)(RedisCacheClient.has_key)
    add = _soft(_false)(RedisCacheClient.add)
    set = _soft(_nothing)(RedisCacheClient.set)
    set_many = _soft(_nothing)(RedisCacheClient.set_many)
    touch = _soft(_false)(RedisCacheClient.touch)
    delete = _soft(_false)(RedisCacheClient.delete)
    delete_many = _soft(_nothing)(RedisCacheClient.delete_many)
    incr = _soft(_missing)(RedisCacheClient.incr)
    clear = _soft(_false)(RedisCacheClient.clear)


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = FailSoftRedisCacheClient


def cache_settings(redis_url: str | None) -> dict:
    """Django's CACHES: on Redis when there is one (the broker's), else in the process's memory."""
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            "BACKEND": "pmo.cache.FailSoftRedisCache",
            "LOCATION": redis_url,
            # Found out within a second when Redis does not answer at all.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
