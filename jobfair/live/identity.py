"""Who is behind each socket: read from the database once, then trusted for a few seconds.

A socket's cookie session is fixed when it connects, so who it speaks for changes only when
that login session ends or the user loses access. Every event still checks who is asking,
against this per-process record instead of a database read: the record is dropped at once
when this process hears of a logout, suspension or revoked access (the login_sessions_ended
and user_access_revoked signals), dropped with the socket, and never trusted for longer
than LIVE_SESSION_RECHECK_SECONDS — the same bound within which each process closes the
sockets of login sessions that ended elsewhere (jobfair/live/watch.py).
"""

import threading
import time
from dataclasses import dataclass

from sqlalchemy import inspect
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from jobfair.models.user import User

_lock = threading.Lock()


@dataclass(frozen=True)
class Identity:
    user: User  # a detached copy of the columns: merge(load=False) into each event's session
    user_id: int
    login_session_id: int | None
    read_at: float


# (namespace, sid) → Identity
_sockets: dict[tuple[str, str], Identity] = {}


def snapshot(user: User) -> User:
    """A detached User holding the loaded column values, safe to share between sessions."""
    mapper = inspect(User)
    copy = mapper.class_manager.new_instance()
    for attr in mapper.column_attrs:
        set_committed_value(copy, attr.key, getattr(user, attr.key))
    make_transient_to_detached(copy)
    return copy


def remember(namespace: str, sid: str, user: User, login_session_id: int | None) -> None:
    ident = Identity(snapshot(user), user.id, login_session_id, time.monotonic())
    with _lock:
        _sockets[(namespace, sid)] = ident


def lookup(namespace: str, sid: str, max_age: float) -> Identity | None:
    """The socket's identity if read within max_age seconds, else None (read it again)."""
    ident = _sockets.get((namespace, sid))
    if ident is None or time.monotonic() - ident.read_at >= max_age:
        return None
    return ident


def forget(namespace: str, sid: str) -> None:
    with _lock:
        _sockets.pop((namespace, sid), None)


def forget_login_sessions(login_session_ids) -> None:
    ended = set(login_session_ids)
    with _lock:
        for key in [k for k, v in _sockets.items() if v.login_session_id in ended]:
            del _sockets[key]


def forget_user(user_id: int) -> None:
    with _lock:
        for key in [k for k, v in _sockets.items() if v.user_id == user_id]:
            del _sockets[key]
