"""Each process re-checks, every few seconds, the login sessions its sockets were opened with.

A logout or a suspension closes that user's sockets at once through the message queue; when
the queue (Redis) was down at that moment, the kick never arrived. So every process also
keeps its own list of signed-in sockets and closes, within LIVE_SESSION_RECHECK_SECONDS, those
whose login session has ended or whose user is no longer active.
"""

import logging
import threading

from flask import Flask

from jobfair.extensions import db, socketio
from jobfair.models.user import LoginSession, User, UserStatus

log = logging.getLogger(__name__)
_lock = threading.Lock()
# (namespace, sid) → login session id
_sockets: dict[tuple[str, str], int] = {}
_started: set[int] = set()
CHUNK = 500


def track(app: Flask, namespace: str, sid: str, login_session_id: int) -> None:
    with _lock:
        _sockets[(namespace, sid)] = login_session_id
        start = id(app) not in _started and not app.testing
        if start:
            _started.add(id(app))
    if start and float(app.config.get("LIVE_SESSION_RECHECK_SECONDS", 5)) > 0:
        socketio.start_background_task(_loop, app)


def forget(namespace: str, sid: str) -> None:
    with _lock:
        _sockets.pop((namespace, sid), None)


def tracked() -> int:
    return len(_sockets)


def sweep() -> int:
    """Close the sockets whose login session ended; returns how many were closed."""
    with _lock:
        held = dict(_sockets)
    ids = sorted(set(held.values()))
    valid: set[int] = set()
    for i in range(0, len(ids), CHUNK):
        valid.update(
            db.session.scalars(
                db.select(LoginSession.id)
                .join(User, User.id == LoginSession.user_id)
                .filter(LoginSession.id.in_(ids[i : i + CHUNK]), User.status == UserStatus.ACTIVE)
            )
        )
    db.session.rollback()
    closed = 0
    for (namespace, sid), login_id in held.items():
        if login_id in valid:
            continue
        forget(namespace, sid)
        try:
            socketio.server.disconnect(sid, namespace=namespace, ignore_queue=True)
            closed += 1
        except Exception:  # gone already
            log.debug("closing %s failed", sid, exc_info=True)
    return closed


def _loop(app: Flask) -> None:
    interval = float(app.config.get("LIVE_SESSION_RECHECK_SECONDS", 5))
    while True:
        socketio.sleep(interval)
        if not _sockets:
            continue
        try:
            with app.app_context():
                closed = sweep()
                db.session.remove()
            if closed:
                log.info("closed %d sockets whose login session ended", closed)
        except Exception as exc:  # the database may be down for a moment: try next round
            log.warning("login session re-check skipped: %s", exc)
