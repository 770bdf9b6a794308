"""Who is online now: seekers per fair, reps per booth, viewers per session.

Presence is not history, so it is not in the database: a per-process table, or Redis hashes
(user id → open sockets) shared by every process when a message queue URL is configured.
Counts are of distinct users, not of tabs. While Redis is down, presence degrades instead of
blocking: counts read 0 and changes are skipped (logged once), joins and pages go on.
"""

import hashlib
import logging
import threading
from collections import Counter, defaultdict

_lock = threading.Lock()
_local: dict[str, Counter] = defaultdict(Counter)
# (namespace, sid) → {(key, user_id)}: what to undo when the socket goes away.
_memberships: dict[tuple[str, str], set[tuple[str, int]]] = defaultdict(set)
_redis = None
_prefix = "jobfair:live:presence:"
log = logging.getLogger(__name__)
_down = [False]


def _call(fn, *args, default=None):
    """A Redis command that never raises: presence is a hint, not a record."""
    try:
        out = fn(*args)
    except Exception as exc:
        if not _down[0]:
            log.warning("presence: Redis unavailable (%s); online counts degrade", exc)
        _down[0] = True
        return default
    _down[0] = False
    return out


def fair_key(fair_id: int) -> str:
    return f"fair:{fair_id}"


def booth_key(booth_id: int) -> str:
    return f"booth:{booth_id}:reps"


def session_key(session_id: int) -> str:
    return f"session:{session_id}"


def configure(redis_url: str, database_uri: str) -> None:
    """Use Redis when the live layer has a message queue; keys are per database."""
    global _redis, _prefix
    _prefix = (
        "jobfair:live:presence:" + hashlib.sha256(database_uri.encode()).hexdigest()[:10] + ":"
    )
    if redis_url:
        import redis

        _redis = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=0.5)
    else:
        _redis = None


def add(namespace: str, sid: str, key: str, user_id: int) -> bool:
    """Count this socket for key; False if it was already counted."""
    with _lock:
        members = _memberships[(namespace, sid)]
        if (key, user_id) in members:
            return False
        members.add((key, user_id))
        if _redis is None:
            _local[key][user_id] += 1
            return True
    _call(_redis.hincrby, _prefix + key, str(user_id), 1)
    return True


def _drop(key: str, user_id: int) -> None:
    if _redis is None:
        counter = _local[key]
        counter[user_id] -= 1
        if counter[user_id] <= 0:
            del counter[user_id]
        if not counter:
            _local.pop(key, None)
        return
    left = _call(_redis.hincrby, _prefix + key, str(user_id), -1, default=0)
    if left <= 0:
        _call(_redis.hdel, _prefix + key, str(user_id))


def remove(namespace: str, sid: str, key: str, user_id: int) -> None:
    with _lock:
        members = _memberships.get((namespace, sid))
        if not members or (key, user_id) not in members:
            return
        members.discard((key, user_id))
        if _redis is None:
            _drop(key, user_id)
            return
    _drop(key, user_id)


def remove_socket(namespace: str, sid: str) -> list[str]:
    """Forget a closed socket; returns the keys whose counts changed."""
    with _lock:
        members = _memberships.pop((namespace, sid), set())
        if _redis is None:
            for key, user_id in members:
                _drop(key, user_id)
            return [k for k, _ in members]
    for key, user_id in members:
        _drop(key, user_id)
    return [k for k, _ in members]


def count(key: str) -> int:
    if _redis is None:
        with _lock:
            return len(_local.get(key, ()))
    return int(_call(_redis.hlen, _prefix + key, default=0))


def keys_of(namespace: str, sid: str) -> list[str]:
    with _lock:
        return [k for k, _ in _memberships.get((namespace, sid), ())]
