"""Socket.IO namespaces of the live layer: one class per channel.

Every handler checks who is asking — the socket's identity, read from the database when the
socket first speaks and again at least every LIVE_SESSION_RECHECK_SECONDS, dropped at once
when this process hears of a logout, suspension or revoked access (jobfair/live/identity.py)
—, checks the right to that room and action, calls a service, and answers with an
acknowledgement: {"ok": true, ...} or {"ok": false, "error": {"code", "message"}}; errors
are also sent as a "live_error" event with the Chinese message.
"""

from functools import wraps

from flask import current_app, g, request, session
from flask_login import current_user
from flask_socketio import Namespace, emit, join_room, leave_room, rooms

from jobfair.database import begin_write, set_write_intent
from jobfair.errors import DB_ERRORS, DB_UNAVAILABLE, DomainError
from jobfair.extensions import db
from jobfair.formatting import iso
from jobfair.live import (
    access,
    announcements,
    calls,
    chat,
    desk,
    identity,
    lobby,
    missed,
    moderation,
    presence,
    queries,
    queues,
    serializers,
    sessions,
    watch,
)
from jobfair.live.broadcasts import (
    counts_changed,
    desk_room,
    queue_changed,
    queue_room,
    session_counters,
)
from jobfair.live.realtime import (
    allowed_origins,
    call_room,
    chat_room,
    console_room,
    fair_room,
    login_room,
    session_room,
    user_room,
)
from jobfair.models.fair import Booth
from jobfair.models.live import RoomKind
from jobfair.models.user import LoginSession, Role
from jobfair.notifications.services import unread_count
from jobfair.security import signed_in, token_digest

SERVER_ERROR = "服务器开小差了，请稍后再试。"


def _same_origin() -> bool:
    """Cookie-authenticated sockets must come from our own pages (the CSRF rule for sockets)."""
    origin = request.headers.get("Origin")
    if not origin:
        return True  # not a browser: no ambient cookies to abuse
    # JOBFAIR_PUBLIC_URL's origin, else the Host header; never a client-sent X-Forwarded-Host.
    return allowed_origins(current_app)(origin, request.environ)


def _login_session_id() -> int | None:
    token = session.get("sid")
    if not token:
        return None
    return db.session.scalar(db.select(LoginSession.id).filter_by(token_hash=token_digest(token)))


def _user(attached: bool = True):
    """Who sends this event: the socket's identity read at most LIVE_SESSION_RECHECK_SECONDS
    ago (dropped at once on logout, suspension or revoked access), else read again.

    attached=False hands a cached identity over as it is: a detached copy of the user's
    columns, for handlers that read only those (the chat send)."""
    sid, namespace = getattr(request, "sid", None), getattr(request, "namespace", None)
    max_age = float(current_app.config.get("LIVE_SESSION_RECHECK_SECONDS", 5))
    cached = sid is not None and max_age > 0
    if cached:
        ident = identity.lookup(namespace, sid, max_age)
        if ident is not None:
            if not attached:
                return ident.user
            user = db.session.merge(ident.user, load=False)  # no read; relations load if used
            g._login_user = user  # flask-login's current_user, for any code that asks
            return user
    if not signed_in():  # no credentials at all (an anonymous lobby viewer), or not valid
        if cached:
            identity.forget(namespace, sid)
        return None
    user = current_user._get_current_object()
    if cached and request.event["message"] != "connect":
        row = g.get("login_session")
        login_id = row.id if row is not None else _login_session_id()
        identity.remember(namespace, sid, user, login_id)
    return user


def _error(err: DomainError, event: str) -> dict:
    body = {"code": err.code, "message": err.message, "event": event}
    if err.fields:
        body["fields"] = err.fields
    emit("live_error", body)
    return {"ok": False, "error": body}


def _forget_session() -> None:
    try:
        db.session.rollback()
    except Exception:
        db.session.remove()


def handler(*, write: bool = False, login: bool = True, columns_only: bool = False):
    """Wrap an on_<event> method: payload check, auth, write transaction, error answer.

    Write events take the write intent before anything is read, so on SQLite their whole
    transaction is BEGIN IMMEDIATE (a read transaction cannot be upgraded under load).
    columns_only: the handler reads only the user's own columns (see _user).
    """

    def decorator(fn):
        @wraps(fn)
        def wrapped(self, data=None, *args):
            event = fn.__name__[3:]
            set_write_intent(write)
            try:
                if data is None:
                    data = {}
                if not isinstance(data, dict):
                    raise DomainError("数据格式不正确。", code="bad_request", status=400)
                user = _user(attached=not columns_only)
                if login and user is None:
                    raise DomainError("请先登录。", code="unauthorized", status=401)
                result = fn(self, user, data)
                out = {"ok": True}
                if result:
                    out.update(result)
                return out
            except DomainError as err:
                db.session.rollback()
                return _error(err, event)
            except DB_ERRORS:
                # Refused whole: nothing half-done, and the page says why.
                _forget_session()
                current_app.logger.warning("live event %s: database unavailable", event)
                err = DomainError(DB_UNAVAILABLE, code="unavailable", status=503)
                return _error(err, event)
            except Exception:
                db.session.rollback()
                current_app.logger.exception("live event %s failed", event)
                return _error(DomainError(SERVER_ERROR, code="server_error", status=500), event)
            finally:
                set_write_intent(False)

        return wrapped

    return decorator


class LiveNamespace(Namespace):
    allow_anonymous = False

    def on_connect(self, auth=None):
        if not _same_origin():
            raise ConnectionRefusedError("来源不明，已拒绝连接。")
        user = _user()
        if user is None:
            if not self.allow_anonymous:
                raise ConnectionRefusedError("请先登录。")
            return True
        join_room(user_room(user.id))
        login_id = _login_session_id()
        if login_id is not None:
            join_room(login_room(login_id))
            watch.track(current_app._get_current_object(), self.namespace, request.sid, login_id)
        return True

    def on_disconnect(self, reason=None):
        watch.forget(self.namespace, request.sid)
        identity.forget(self.namespace, request.sid)
        keys = presence.remove_socket(self.namespace, request.sid)
        self._presence_changed(keys)

    def _presence_changed(self, keys) -> None:
        for key in keys:
            kind, ident = key.split(":")[0], int(key.split(":")[1])
            if kind == "fair":
                counts_changed(ident)
            elif kind == "booth":
                booth = db.session.get(Booth, ident)
                if booth is not None:
                    # The queue's seekers see who serves: no rep online means no wait promised.
                    queue_changed(booth)
            elif kind == "session":
                session_counters(ident)

    def _track(self, key: str, user) -> None:
        if user is not None and presence.add(self.namespace, request.sid, key, user.id):
            self._presence_changed([key])


class UserNamespace(LiveNamespace):
    """The root namespace: opened by every signed-in page; notifications and forced logout."""

    @handler()
    def on_unread(self, user, data):
        """The unread count, asked on every (re)connect: notifications pushed while the
        socket was down are counted in the badge all the same."""
        return {"unread": unread_count(user.id)}


class LobbyNamespace(LiveNamespace):
    """/lobby: a fair's live counts, announcements and pinned positions (counts are public)."""

    allow_anonymous = True

    @handler(login=False)
    def on_join(self, user, data):
        fair_id = lobby.public_fair_id(data.get("fair_id"))
        access.check_not_banned(user, fair_id)
        join_room(fair_room(fair_id))
        if user is not None:
            begin_write(db.session)
            queues.record_visit(user, fair_id)
            if user.role == Role.SEEKER:
                self._track(presence.fair_key(fair_id), user)
        return lobby.snapshot(fair_id, data.get("announcement_seq"))

    @handler(login=False)
    def on_announcements(self, user, data):
        """The next page of a fair's announcements after a number (a long gap)."""
        fair_id = lobby.public_fair_id(data.get("fair_id"))
        return _announcement_page(f"fair:{fair_id}", data.get("after_seq"))

    @handler(login=False)
    def on_leave(self, user, data):
        fair = access.public_fair(data.get("fair_id"))
        leave_room(fair_room(fair.id))
        if user is not None:
            presence.remove(self.namespace, request.sid, presence.fair_key(fair.id), user.id)
            counts_changed(fair.id)
        return None

    @handler(login=False)
    def on_counts(self, user, data):
        fair = access.public_fair(data.get("fair_id"))
        return {"counts": queries.lobby_counts(fair.id)}

    @handler(write=True)
    def on_apply(self, user, data):
        return announcements.apply_from_pin(user, data.get("pin_id"))


class SessionNamespace(LiveNamespace):
    """/session: a 直播带岗 room — chat, Q&A, pinned cards, counters."""

    @handler()
    def on_join(self, user, data):
        ls = access.visible_session(user, data.get("session_id"))
        access.check_not_banned(user, ls.fair_id)
        join_room(session_room(ls.id))
        if ls.fair_id is not None:
            join_room(fair_room(ls.fair_id))
        begin_write(db.session)
        sessions.record_session_view(user, ls)
        self._track(presence.session_key(ls.id), user)
        if ls.fair_id is not None and user.role == Role.SEEKER:
            self._track(presence.fair_key(ls.fair_id), user)
        messages, more = queries.backfill(RoomKind.SESSION, ls.id, data.get("last_seq"))
        anns, more_anns = queries.announcements_for(
            _session_scopes(ls), data.get("announcement_seqs")
        )
        return {
            "session": {"id": ls.id, "status": ls.status, "fair_id": ls.fair_id},
            "host": access.can_host(user, ls),
            "messages": [serializers.message_dict(m) for m in messages],
            "more_messages": more,
            "questions": queries.session_questions(ls, user),
            "pins": [serializers.pin_dict(p) for p in queries.active_pins(session_id=ls.id)],
            "announcements": [serializers.announcement_dict(a) for a in anns],
            "more_announcements": more_anns,
            "counters": queries.session_counters(ls),
        }

    @handler()
    def on_backfill(self, user, data):
        """The next page of messages after a number: backfill pages through any gap."""
        ls = access.visible_session(user, data.get("session_id"))
        access.check_not_banned(user, ls.fair_id)
        rows, more = queries.messages_after(RoomKind.SESSION, ls.id, data.get("after_seq"))
        return {"messages": [serializers.message_dict(m) for m in rows], "more": more}

    @handler()
    def on_announcements(self, user, data):
        ls = access.visible_session(user, data.get("session_id"))
        scope = data.get("scope")
        if not isinstance(scope, str) or scope not in _session_scopes(ls):
            raise DomainError("公告范围不正确。", code="bad_request", status=400)
        return _announcement_page(scope, data.get("after_seq"))

    # The group commit takes the write transaction itself (chat_writer); the author's id,
    # role and name are all it reads of the user.
    @handler(columns_only=True)
    def on_send(self, user, data):
        msg = chat.send_session_message(
            user, data.get("session_id"), data.get("client_id"), data.get("body")
        )
        return {"message": msg}

    @handler(write=True)
    def on_ask(self, user, data):
        q = sessions.ask_question(
            user, data.get("session_id"), data.get("client_id"), data.get("body")
        )
        return {"question": q}

    @handler(write=True)
    def on_vote(self, user, data):
        return {"question": sessions.vote_question(user, data.get("question_id"))}

    @handler(write=True)
    def on_answer(self, user, data):
        return {"question": sessions.answer_question(user, data.get("question_id"))}

    @handler(write=True)
    def on_pin(self, user, data):
        return {
            "pin": announcements.pin_position(
                user, data.get("position_id"), session_id=data.get("session_id") or -1
            )
        }

    @handler(write=True)
    def on_unpin(self, user, data):
        announcements.unpin(user, data.get("pin_id"))
        return None

    @handler(write=True)
    def on_apply(self, user, data):
        return announcements.apply_from_pin(user, data.get("pin_id"))

    @handler(write=True)
    def on_report(self, user, data):
        return moderation.report_message(user, data.get("message_id"), data.get("reason"))

    @handler(write=True)
    def on_delete(self, user, data):
        return {"message": moderation.delete_message(user, data.get("message_id"))}


class BoothNamespace(LiveNamespace):
    """/booth: booth queues (seekers), the rep's desk, and the private 1:1 chats."""

    @handler()
    def on_watch_queues(self, user, data):
        entries = queries.my_queues(user)
        for e in entries:
            join_room(queue_room(e["booth_id"]))
            join_room(fair_room(e["fair_id"]))
            self._track(presence.fair_key(e["fair_id"]), user)
        scopes = [missed.fair_scope(e["fair_id"]) for e in entries]
        anns, more = missed.since(scopes, data.get("announcement_seqs"))
        return {"entries": entries, "announcements": anns, "more_announcements": more}

    @handler()
    def on_announcements(self, user, data):
        """The next page of a fair's announcements after a number (a long gap)."""
        return missed.public_fair_page(data.get("scope"), data.get("after_seq"))

    @handler(write=True)
    def on_join_queue(self, user, data):
        entry, created = queues.join_queue(user, data.get("booth_id"))
        join_room(queue_room(entry.booth_id))
        join_room(fair_room(entry.booth.fair_id))
        return {"entry": queries.entry_dict(entry), "created": created}

    @handler(write=True)
    def on_leave_queue(self, user, data):
        entry = queues.leave_queue(user, data.get("entry_id"))
        leave_room(queue_room(entry.booth_id))
        return {"entry_id": entry.id}

    @handler()
    def on_desk(self, user, data):
        booth = access.rep_booth(user, data.get("booth_id"))
        join_room(desk_room(booth.id))
        join_room(fair_room(booth.fair_id))
        self._track(presence.booth_key(booth.id), user)
        anns, more = missed.since([missed.fair_scope(booth.fair_id)], data.get("announcement_seqs"))
        return {
            "desk": desk.desk(user, booth.id),
            "announcements": anns,
            "more_announcements": more,
        }

    @handler(write=True)
    def on_call_next(self, user, data):
        chat = desk.call_next(user, data.get("booth_id"), data.get("entry_id"))
        join_room(chat_room(chat.id))
        return {"chat": serializers.chat_dict(chat)}

    @handler(write=True)
    def on_open_chat(self, user, data):
        chat = desk.open_chat(user, data.get("chat_id"))
        join_room(chat_room(chat.id))
        join_room(fair_room(chat.booth.fair_id))
        messages, more = queries.backfill(RoomKind.CHAT, chat.id, data.get("last_seq"))
        anns, more_anns = missed.since(
            [missed.fair_scope(chat.booth.fair_id)], data.get("announcement_seqs")
        )
        return {
            "chat": serializers.chat_dict(chat),
            "messages": [serializers.message_dict(m) for m in messages],
            "more_messages": more,
            "announcements": anns,
            "more_announcements": more_anns,
        }

    @handler()
    def on_chat_backfill(self, user, data):
        chat = access.chat_for(user, data.get("chat_id"))
        rows, more = queries.messages_after(RoomKind.CHAT, chat.id, data.get("after_seq"))
        return {"messages": [serializers.message_dict(m) for m in rows], "more": more}

    @handler(write=True)
    def on_chat_send(self, user, data):
        msg = chat.send_chat_message(
            user, data.get("chat_id"), data.get("client_id"), data.get("body")
        )
        return {"message": msg}

    @handler(write=True)
    def on_end_chat(self, user, data):
        chat = desk.end_chat(user, data.get("chat_id"), data)
        return {"chat": serializers.chat_dict(chat)}

    @handler(write=True)
    def on_report(self, user, data):
        return moderation.report_message(user, data.get("message_id"), data.get("reason"))


class CallNamespace(LiveNamespace):
    """/call: signalling of 1:1 video calls (WebRTC) between the two parties of a booth chat
    or of another registered kind (jobfair/live/calls.py). Nothing here is stored: the server
    checks who sends what and passes it to the other party's sockets in the call's room."""

    budget = calls.SignalBudget()

    def on_disconnect(self, reason=None):
        for room in rooms():
            if room.startswith("call:"):
                _kind, kind, ident = room.split(":")
                left = {"kind": kind, "id": int(ident), "type": "left", "from": request.sid}
                emit("call_signal", left, to=room, skip_sid=request.sid)
        self.budget.forget(request.sid)
        super().on_disconnect(reason)

    @handler()
    def on_join(self, user, data):
        room = calls.resolve(user, data.get("kind"), data.get("id"))
        join_room(room.name)
        here = {"kind": room.kind, "id": room.id, "type": "present", "from": request.sid}
        emit("call_signal", here, to=room.name, skip_sid=request.sid)
        return {"call": calls.call_config(user, room), "sid": request.sid}

    @handler()
    def on_signal(self, user, data):
        self.budget.spend(request.sid)
        room = calls.resolve(user, data.get("kind"), data.get("id"))
        if room.name not in rooms():
            raise DomainError("请先加入视频通话。", code="not_joined", status=409)
        out = calls.clean_signal(data)
        out.update(kind=room.kind, id=room.id, **{"from": request.sid})
        emit("call_signal", out, to=room.name, skip_sid=request.sid)
        return None

    @handler()
    def on_leave(self, user, data):
        kind, ident = data.get("kind"), data.get("id")
        if not isinstance(kind, str) or isinstance(ident, bool) or not isinstance(ident, int):
            raise DomainError("视频通话不存在。", code="not_found", status=404)
        name = call_room(kind, ident)
        if name in rooms():
            leave_room(name)
            left = {"kind": kind, "id": ident, "type": "left", "from": request.sid}
            emit("call_signal", left, to=name)
        return None


class ConsoleNamespace(LiveNamespace):
    """/console: the organiser's live console of one fair."""

    def on_connect(self, auth=None):
        super().on_connect(auth)
        user = _user()
        if user.role != Role.ORGANISER:
            raise ConnectionRefusedError("没有权限执行此操作。")
        return True

    @handler()
    def on_join(self, user, data):
        fair = access.organiser_fair(user, data.get("fair_id"))
        join_room(console_room(fair.id))
        join_room(fair_room(fair.id))
        return self._state(fair)

    def _state(self, fair):
        return {
            "counters": queries.fair_counters(fair),
            "reports": [report_dict(r) for r in queries.open_reports(fair.id)],
        }

    @handler()
    def on_refresh(self, user, data):
        return self._state(access.organiser_fair(user, data.get("fair_id")))

    @handler(write=True)
    def on_announce(self, user, data):
        a = announcements.announce(
            user, data.get("fair_id"), data.get("client_id"), data.get("body")
        )
        return {"announcement": a}

    @handler(write=True)
    def on_pin(self, user, data):
        return {
            "pin": announcements.pin_position(
                user, data.get("position_id"), fair_id=data.get("fair_id")
            )
        }

    @handler(write=True)
    def on_unpin(self, user, data):
        announcements.unpin(user, data.get("pin_id"))
        return None

    @handler(write=True)
    def on_session_status(self, user, data):
        ls = sessions.set_session_status(user, data.get("session_id"), data.get("status"))
        return {"session": {"id": ls.id, "status": ls.status}}

    @handler(write=True)
    def on_delete_message(self, user, data):
        return {"message": moderation.delete_message(user, data.get("message_id"))}

    @handler(write=True)
    def on_restrict(self, user, data):
        r = moderation.restrict_user(
            user,
            data.get("fair_id"),
            data.get("user_id"),
            data.get("kind"),
            data.get("minutes"),
            data.get("reason"),
        )
        return {"restriction": {"id": r.id, "until": iso(r.until), "kind": r.kind}}

    @handler(write=True)
    def on_dismiss_report(self, user, data):
        moderation.dismiss_report(user, data.get("report_id"))
        return None


def _session_scopes(ls) -> dict:
    """The announcement scopes a session page shows: its fair's and its own."""
    scopes = {f"session:{ls.id}": ls.id}
    if ls.fair_id is not None:
        scopes[f"fair:{ls.fair_id}"] = ls.fair_id
    return scopes


def _announcement_page(scope: str, after_seq) -> dict:
    rows, more = queries.announcements_after(scope, after_seq)
    return {"announcements": [serializers.announcement_dict(a) for a in rows], "more": more}


def report_dict(r) -> dict:
    m = r.message
    return {
        "id": r.id,
        "reason": r.reason,
        "created_at": iso(r.created_at),
        "message": serializers.message_dict(m) | {"body": m.body},
    }


def register_namespaces(socketio) -> None:
    socketio.on_namespace(UserNamespace("/"))
    socketio.on_namespace(LobbyNamespace("/lobby"))
    socketio.on_namespace(SessionNamespace("/session"))
    socketio.on_namespace(BoothNamespace("/booth"))
    socketio.on_namespace(ConsoleNamespace("/console"))
    socketio.on_namespace(CallNamespace("/call"))
