"""Where bulk jobs keep their shared state: a dict in this process, or Redis for every worker.

Both stores offer the same few operations (strings, hashes, lists, sets, key expiry) and
:meth:`~MemoryStore.atomic`, a read-modify-write of one key: the function given decides the
key's new value and any other writes that go with it, and they land together or not at all
(a lock here; ``WATCH``/``MULTI`` in Redis, tried again when another worker got there first).
The ledger and the rate limiter are written once, over :meth:`atomic`.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Sequence, Tuple

from ..errors import ConfigurationError, TwilioError

#: A write that lands with an atomic change: ``("hincrby", key, field, n)``, ``("rpush", key, value)``,
#: ``("hset", key, field, value)``, ``("sadd", key, member)``, ``("srem", key, member)``, ``("set", key, value)``.
Effect = Tuple[Any, ...]
#: How often :meth:`RedisStore.atomic` tries again when the key changed under it.
MAX_TRIES = 200


class Change(NamedTuple):
    """What an atomic function decided: the key's new ``value`` (``None``: unchanged), what to return, other writes."""

    value: Optional[str]
    result: Any
    effects: Sequence[Effect] = ()


Decide = Callable[[Optional[str], float], Change]


class MemoryStore:
    """The store of the threads backend: this process only. Expiry is kept but not needed (jobs end with it)."""

    def __init__(self) -> None:
        self._data: Dict[str, Any] = {}
        self._lock = threading.RLock()

    def now(self) -> float:
        """Seconds since the epoch, by this store's clock."""
        return time.time()

    def clear(self) -> None:
        """Forget every job and bucket (between tests)."""
        with self._lock:
            self._data.clear()

    def atomic(self, key: str, decide: Decide, ttl: Optional[int] = None) -> Any:
        """Run ``decide(current value, now)`` and apply its :class:`Change` as one step."""
        with self._lock:
            change = decide(self._data.get(key), self.now())
            if change.value is not None:
                self._data[key] = change.value
            for effect in change.effects:
                getattr(self, effect[0])(*effect[1:])
            return change.result

    def get(self, key: str) -> Optional[str]:
        """The string at ``key``."""
        return self._data.get(key)

    def set(self, key: str, value: str) -> None:
        """Store a string."""
        with self._lock:
            self._data[key] = value

    def hset(self, key: str, field: str, value: str) -> None:
        """Set one field of a hash."""
        with self._lock:
            self._data.setdefault(key, {})[field] = value

    def hgetall(self, key: str) -> Dict[str, str]:
        """A copy of a hash."""
        with self._lock:
            return dict(self._data.get(key) or {})

    def hincrby(self, key: str, field: str, amount: int) -> None:
        """Add ``amount`` to a hash's counter."""
        with self._lock:
            fields = self._data.setdefault(key, {})
            fields[field] = str(int(fields.get(field, 0)) + amount)

    def rpush(self, key: str, value: str) -> None:
        """Append to a list."""
        with self._lock:
            self._data.setdefault(key, []).append(value)

    def lrange(self, key: str, start: int, stop: int) -> List[str]:
        """Items ``start`` to ``stop`` (inclusive, ``-1`` the last) of a list."""
        with self._lock:
            items = self._data.get(key) or []
            return list(items[start:None if stop == -1 else stop + 1])

    def sadd(self, key: str, member: str) -> None:
        """Add to a set."""
        with self._lock:
            self._data.setdefault(key, set()).add(member)

    def srem(self, key: str, member: str) -> None:
        """Remove from a set."""
        with self._lock:
            self._data.get(key, set()).discard(member)

    def members(self, key: str) -> Iterator[str]:
        """The members of a set (a snapshot)."""
        with self._lock:
            return iter(sorted(self._data.get(key) or ()))

    def expire(self, key: str, seconds: int) -> None:
        """Nothing to do: a process's memory ends with it."""


class RedisStore:
    """The store of the Celery backend: Redis, shared by every worker on every machine."""

    def __init__(self, redis: Any) -> None:
        self.redis = redis

    def now(self) -> float:
        """Seconds since the epoch by Redis' clock: one clock for every machine."""
        seconds, micros = self.redis.time()
        return seconds + micros / 1e6

    def atomic(self, key: str, decide: Decide, ttl: Optional[int] = None) -> Any:
        """Run ``decide(current value, now)`` under ``WATCH``; apply its :class:`Change` in one ``MULTI``."""
        from redis.exceptions import WatchError

        with self.redis.pipeline() as pipe:
            for _ in range(MAX_TRIES):
                try:
                    pipe.watch(key)
                    current = pipe.get(key)
                    seconds, micros = pipe.time()
                    change = decide(current, seconds + micros / 1e6)
                    pipe.multi()
                    if change.value is not None:
                        pipe.set(key, change.value, ex=ttl)
                    for effect in change.effects:
                        getattr(pipe, effect[0])(*effect[1:])
                    pipe.execute()
                    return change.result
                except WatchError:
                    continue
        raise TwilioError(f"Redis key {key} kept changing under {MAX_TRIES} tries; too many workers on one key?")

    def get(self, key: str) -> Optional[str]:
        """The string at ``key``."""
        return self.redis.get(key)

    def hset(self, key: str, field: str, value: str) -> None:
        """Set one field of a hash."""
        self.redis.hset(key, field, value)

    def hgetall(self, key: str) -> Dict[str, str]:
        """A hash."""
        return self.redis.hgetall(key)

    def hincrby(self, key: str, field: str, amount: int) -> None:
        """Add ``amount`` to a hash's counter."""
        self.redis.hincrby(key, field, amount)

    def lrange(self, key: str, start: int, stop: int) -> List[str]:
        """Items ``start`` to ``stop`` (inclusive) of a list."""
        return self.redis.lrange(key, start, stop)

    def members(self, key: str) -> Iterator[str]:
        """The members of a set, read in batches (a big set is never loaded whole)."""
        return iter(self.redis.sscan_iter(key, count=500))

    def expire(self, key: str, seconds: int) -> None:
        """Let ``key`` expire after ``seconds``."""
        self.redis.expire(key, seconds)


Store = Any  # MemoryStore or RedisStore: the same operations

#: The store of the threads backend (one per process).
MEMORY = MemoryStore()
_redis_stores: Dict[str, RedisStore] = {}
_redis_lock = threading.Lock()


def redis_client(url: str) -> Any:
    """A Redis client for ``url`` that decodes answers to text (tests replace it with fakeredis)."""
    try:
        import redis
    except ImportError:
        raise ConfigurationError(
            "TWILIO_BULK_BACKEND = \"celery\" needs Celery and Redis: pip install flask-twilio-rb[celery]"
        ) from None
    return redis.Redis.from_url(url, decode_responses=True)


def open_store(settings: Any) -> Store:
    """The store for ``settings``: Redis at ``TWILIO_BULK_REDIS_URL`` with the Celery backend, else memory."""
    if settings.bulk_backend != "celery":
        return MEMORY
    url = settings.bulk_redis_url
    if not url:
        raise ConfigurationError(
            "TWILIO_BULK_BACKEND is \"celery\" but TWILIO_BULK_REDIS_URL is not set; set it to the Redis the"
            " workers share, e.g. redis://127.0.0.1:6379/0."
        )
    with _redis_lock:
        if url not in _redis_stores:
            _redis_stores[url] = RedisStore(redis_client(url))
        return _redis_stores[url]
