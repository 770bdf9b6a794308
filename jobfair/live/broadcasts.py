"""What the live operations announce after a commit, and to which rooms.

The operations (chat, sessions, announcements, queues, desk, moderation) call these once
their write is committed; the payloads are built from ``jobfair.live.queries``, never from
the operations, so this module sits between the two.

Frequent, cheap-to-recompute state (lobby counts, viewer counters, console counters) is
coalesced: a change marks the room dirty and one emit follows shortly after, so a thousand
seekers arriving do not cause a million count messages.
"""

import threading
import time

from flask import current_app, url_for

from jobfair.extensions import db, socketio
from jobfair.live import queries
from jobfair.live.realtime import (
    booth_room,
    broadcast,
    call_room,
    chat_room,
    console_room,
    disconnect_user,
    fair_room,
    session_room,
    user_room,
)
from jobfair.live.serializers import pin_dict
from jobfair.models.fair import Fair, LiveSession
from jobfair.notifications.services import notify

LOBBY, SESSION, BOOTH, CONSOLE = "/lobby", "/session", "/booth", "/console"
CALL = "/call"

_lock = threading.Lock()
_pending: set[tuple[int, str, int]] = set()
_running = [0]


def queue_room(booth_id: int) -> str:
    return f"queue:{booth_id}"


def desk_room(booth_id: int) -> str:
    return f"desk:{booth_id}"


def _coalesce(kind: str, ident: int, job) -> None:
    """Run job(ident) once within LIVE_COUNTS_DELAY seconds, however often it is asked."""
    if socketio.server is None:
        return
    app = current_app._get_current_object()
    key = (id(app), kind, ident)
    with _lock:
        if key in _pending:
            return
        _pending.add(key)
        _running[0] += 1
    delay = float(app.config.get("LIVE_COUNTS_DELAY", 1.0))

    def run():
        try:
            if delay:
                socketio.sleep(delay)
            with _lock:
                _pending.discard(key)
            with app.app_context():
                job(ident)
                db.session.remove()
        except Exception:
            app.logger.exception("live %s update failed", kind)
        finally:
            with _lock:
                _running[0] -= 1

    socketio.start_background_task(run)


def drain(timeout: float = 10.0) -> bool:
    """Wait until the coalesced updates scheduled so far have run (tests, shutdown)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _lock:
            if _running[0] == 0:
                return True
        time.sleep(0.01)
    return False


# --- lobby -----------------------------------------------------------------------------------


def _emit_counts(fair_id: int) -> None:
    broadcast("counts", queries.lobby_counts(fair_id), room=fair_room(fair_id), namespace=LOBBY)


def counts_changed(fair_id: int) -> None:
    _coalesce("counts", fair_id, _emit_counts)
    console_changed(fair_id)


def announcement(a, data: dict) -> None:
    if a.fair_id is not None:
        for ns in (LOBBY, SESSION, BOOTH):
            broadcast("announcement", data, room=fair_room(a.fair_id), namespace=ns)
    if a.session_id is not None:
        broadcast("announcement", data, room=session_room(a.session_id), namespace=SESSION)


def pins(fair_id: int | None, session_id: int | None) -> None:
    if session_id is not None:
        data = {
            "session_id": session_id,
            "pins": [pin_dict(p) for p in queries.active_pins(session_id=session_id)],
        }
        broadcast("pins", data, room=session_room(session_id), namespace=SESSION)
    else:
        data = {
            "fair_id": fair_id,
            "pins": [pin_dict(p) for p in queries.active_pins(fair_id=fair_id)],
        }
        broadcast("pins", data, room=fair_room(fair_id), namespace=LOBBY)


# --- live sessions ---------------------------------------------------------------------------


def session_message(session_id: int, data: dict) -> None:
    broadcast("message", data, room=session_room(session_id), namespace=SESSION)


def question(session_id: int, data: dict) -> None:
    payload = dict(data)
    payload.pop("voted", None)
    broadcast("question", payload, room=session_room(session_id), namespace=SESSION)


def session_status(ls) -> None:
    data = {"session_id": ls.id, "status": ls.status, "fair_id": ls.fair_id}
    broadcast("session_status", data, room=session_room(ls.id), namespace=SESSION)
    if ls.fair_id is not None:
        broadcast("session_status", data, room=fair_room(ls.fair_id), namespace=LOBBY)
        console_changed(ls.fair_id)


def _emit_session_counters(session_id: int) -> None:
    ls = db.session.get(LiveSession, session_id)
    if ls is not None:
        broadcast(
            "counters", queries.session_counters(ls), room=session_room(ls.id), namespace=SESSION
        )


def session_counters(session_id: int) -> None:
    _coalesce("session", session_id, _emit_session_counters)


def message_deleted(msg, data: dict) -> None:
    if msg.room_kind == "session":
        broadcast("message_deleted", data, room=session_room(msg.room_id), namespace=SESSION)
    else:
        broadcast("message_deleted", data, room=chat_room(msg.room_id), namespace=BOOTH)


# --- booth queues and 1:1 chats --------------------------------------------------------------


def queue_changed(booth) -> None:
    broadcast("queue", queries.queue_state(booth), room=queue_room(booth.id), namespace=BOOTH)
    desk_changed(booth.id)
    counts_changed(booth.fair_id)


def desk_changed(booth_id: int) -> None:
    broadcast("desk_changed", {"booth_id": booth_id}, room=desk_room(booth_id), namespace=BOOTH)


def seeker_called(chat, data: dict, *, handover: bool = False) -> None:
    broadcast("called", data, room=user_room(chat.seeker_user_id), namespace=BOOTH)
    if chat.rep_user_id:
        broadcast("chat_assigned", data, room=user_room(chat.rep_user_id), namespace=BOOTH)
    desk_changed(chat.booth_id)
    _notify_called(chat, handover)


def _notify_called(chat, handover: bool) -> None:
    """Also leave a notification, so a seeker on another page (or offline) learns of it."""
    title = "招聘人员已换人，请继续面谈" if handover else "轮到你了：展位面谈已开始"
    try:
        notify(
            chat.seeker_user_id,
            "live",
            title,
            f"{chat.booth.employer.name} 邀请你进入 1 对 1 面谈（{chat.booth.chat_minutes} 分钟）。",
            url_for("live.chat_page", chat_id=chat.id),
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        current_app.logger.warning("live call notification failed", exc_info=True)


def chat_message(chat_id: int, data: dict) -> None:
    broadcast("chat_message", data, room=chat_room(chat_id), namespace=BOOTH)


def chat_ended(chat, data: dict) -> None:
    broadcast("chat_ended", data, room=chat_room(chat.id), namespace=BOOTH)
    call_ended("chat", chat.id, "ended")
    broadcast("chat_ended", data, room=user_room(chat.seeker_user_id), namespace=BOOTH)
    desk_changed(chat.booth_id)


def call_ended(kind: str, ident: int, reason: str = "ended") -> None:
    """Hang up a 1:1 video call from the server (its chat or interview is over)."""
    data = {"kind": kind, "id": ident, "type": "hangup", "reason": reason, "from": "server"}
    broadcast("call_signal", data, room=call_room(kind, ident), namespace=CALL)


# --- organiser console -----------------------------------------------------------------------


def _emit_console(fair_id: int) -> None:
    fair = db.session.get(Fair, fair_id)
    if fair is None:
        return
    data = queries.fair_counters(fair)
    data["open_reports"] = len(queries.open_reports(fair_id))
    broadcast("console", data, room=console_room(fair_id), namespace=CONSOLE)


def console_changed(fair_id: int) -> None:
    _coalesce("console", fair_id, _emit_console)


def kick(user_id: int) -> None:
    disconnect_user(user_id)


__all__ = ["booth_room", "desk_room", "queue_room"]
