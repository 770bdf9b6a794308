"""Broadcast helpers of the live layer: how services, views and other processes reach sockets.

Every authenticated socket joins the room ``user:<id>`` in each namespace it connects to, so
``emit_to_user`` reaches all of a user's tabs and ``disconnect_user`` closes them all. With a
Redis message queue (JOBFAIR_SOCKETIO_MESSAGE_QUEUE, else JOBFAIR_REDIS_URL) both work from any
process, including one that only emits (a CLI command or a worker).
"""

import logging
import sys
import time
from urllib.parse import urlsplit

import socketio as pysocketio
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from jobfair.extensions import socketio
from jobfair.live import presence

log = logging.getLogger(__name__)

CHANNEL = "jobfair-socketio"
NOTIFY_NAMESPACE = "/"
NAMESPACES = ("/", "/lobby", "/session", "/booth", "/console")
# Not a client event: the client managers below turn it into a server-side disconnect of
# every socket in the room, in whichever process holds them.
KICK_EVENT = "__jobfair_kick__"
# Sent to every socket of the live namespaces of a process that may have missed deliveries
# (its Redis subscription broke, or another process could not publish): the pages rejoin with
# the last numbers they have and get the gap as backfill.
RESYNC_EVENT = "resync"
LIVE_NAMESPACES = ("/lobby", "/session", "/booth")
MAX_PAYLOAD = 64 * 1024


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def login_room(login_session_id: int) -> str:
    return f"login:{login_session_id}"


def fair_room(fair_id: int) -> str:
    return f"fair:{fair_id}"


def session_room(session_id: int) -> str:
    return f"session:{session_id}"


def booth_room(booth_id: int) -> str:
    return f"booth:{booth_id}"


def chat_room(chat_id: int) -> str:
    return f"chat:{chat_id}"


def call_room(kind: str, ident: int) -> str:
    """A 1:1 video call's signalling room on /call ("chat", "interview", ...)."""
    return f"call:{kind}:{ident}"


def console_room(fair_id: int) -> str:
    return f"console:{fair_id}"


# Per fair room, how many events this process has passed to its sockets: what every joiner of
# a lobby needs is cached against it (jobfair/live/lobby.py), so any change seen here — an
# announcement, pins, counts, from this process or another — makes the next joiner re-read.
_generations: dict[str, int] = {}


def room_generation(room: str) -> int:
    return _generations.get(room, 0)


def _seen(room) -> None:
    if isinstance(room, str) and room.startswith("fair:"):
        _generations[room] = _generations.get(room, 0) + 1


class _Kicks:
    """Disconnect, server-side, every local socket in a ``user:<id>`` or ``login:<id>`` room."""

    def _kick_local(self, room: str) -> None:
        for namespace in list(self.rooms):
            sids = [sid for sid, _eio in self.get_participants(namespace, room)]
            for sid in sids:
                try:
                    self.server.disconnect(sid, namespace=namespace, ignore_queue=True)
                except Exception:  # the socket may be gone already
                    log.debug("kick of %s in %s failed", sid, namespace, exc_info=True)


class LocalManager(_Kicks, pysocketio.Manager):
    """One process, no message queue."""

    def emit(self, event, data, namespace=None, room=None, skip_sid=None, callback=None, **kw):
        if event == KICK_EVENT:
            return self._kick_local(kw.get("to") or room)
        _seen(kw.get("to") or room)
        return super().emit(
            event, data, namespace=namespace, room=room, skip_sid=skip_sid, callback=callback, **kw
        )


class RedisQueueManager(_Kicks, pysocketio.RedisManager):
    """Several processes: emits and kicks travel through Redis pub/sub to every process.

    Redis pub/sub keeps nothing for a subscriber that is away, so a dropped publish is never
    silent here: a process whose subscription broke tells its own sockets to resync once it is
    subscribed again, and a process whose publish failed (its own sockets already had the
    event) asks every process to resync as soon as Redis takes publishes again.
    """

    RETRY_SECONDS = 1.0  # back within seconds of Redis returning (python-socketio: up to 60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.undelivered = False

    def _handle_emit(self, message):
        if message.get("event") == KICK_EVENT:
            return self._kick_local(message.get("room"))
        if message.get("event") == RESYNC_EVENT:
            return self.resync_local()
        _seen(message.get("room"))
        return super()._handle_emit(message)

    def resync_local(self) -> None:
        for namespace in LIVE_NAMESPACES:
            if namespace in self.rooms:
                try:
                    pysocketio.Manager.emit(self, RESYNC_EVENT, {}, namespace=namespace)
                except Exception:
                    log.exception("resync of %s failed", namespace)
        for room in list(_generations):
            _seen(room)  # cached lobby snapshots may miss what was lost

    def _try_publish(self, data) -> bool:
        for _attempt in range(2):
            try:
                if not self.connected:
                    self._redis_connect()
                self.redis.publish(self.channel, self.json.dumps(data))
                return True
            except Exception:
                self.connected = False
        return False

    def _publish(self, data):
        if not self._try_publish(data):
            log.error("Redis publish of %s failed; rooms will resync", data.get("method"))
            self.undelivered = True
            return
        if self.undelivered:
            self.undelivered = False
            self._ask_all_to_resync()

    def _ask_all_to_resync(self) -> None:
        message = {"method": "emit", "event": RESYNC_EVENT, "data": [{}], "namespace": "/"}
        message.update(room=None, skip_sid=None, callback=None, host_id="resync")
        if not self._try_publish(message):
            self.undelivered = True

    def _redis_listen_with_retries(self):
        broken = False
        while True:
            try:
                self._redis_connect()
                self.pubsub.subscribe(self.channel)
                if broken:
                    log.warning("Redis subscription restored; resyncing this process's rooms")
                    broken = False
                    self.resync_local()
                    if self.undelivered:
                        self.undelivered = False
                        self._ask_all_to_resync()
                yield from self.pubsub.listen()
            except Exception as exc:
                if not broken:
                    log.error("Redis subscription lost (%s); retrying every second", exc)
                broken = True
                time.sleep(self.RETRY_SECONDS)


def message_queue_url(app: Flask) -> str:
    return app.config.get("SOCKETIO_MESSAGE_QUEUE") or app.config.get("REDIS_URL") or ""


def origin_of(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def allowed_origins(app: Flask):
    """Which page origins may open a socket (the CSRF guard of cookie-authenticated sockets).

    With JOBFAIR_PUBLIC_URL set, exactly that origin (plus SOCKETIO_CORS_ORIGINS). Without
    it, the Host the request was sent to, compared by host only; Engine.IO's own same-origin
    check would believe a client-sent X-Forwarded-Host, so it is not used.
    """
    raw = app.config.get("SOCKETIO_CORS_ORIGINS") or ""
    extra = {origin_of(o) or o.strip().lower() for o in raw.split(",") if o.strip()}
    public = origin_of(app.config.get("PUBLIC_URL") or "")

    def check(origin: str | None, environ: dict) -> bool:
        origin = (origin or "").strip().lower()
        if origin in extra:
            return True
        if public:
            return origin == public
        host = (environ.get("HTTP_HOST") or "").lower()
        return bool(host) and urlsplit(origin).netloc == host

    return check


def async_mode(app: Flask) -> str:
    """gevent when the process was monkey-patched (deploy/gunicorn.conf.py), else threading.

    Never python-engineio's own guess: with gevent merely installed it would pick gevent
    under `flask run` or a gthread worker, where nothing yields.
    """
    configured = app.config.get("SOCKETIO_ASYNC_MODE")
    if configured:
        return configured
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("socket"):
        return "gevent"
    return "threading"


class SocketEventSessions(SecureCookieSessionInterface):
    """Cookie sessions, except that a socket event reuses its socket's session.

    Flask-SocketIO gives each socket a copy of the cookie session taken at its first event
    (``saved_session`` in the socket's environ) and puts it in place of the one Flask opens
    for every event; opening it anyway (verifying and decoding the signed cookie) was the
    largest part of dispatching an event. Requests never carry ``saved_session``.
    """

    def open_session(self, app, request):
        saved = request.environ.get("saved_session")
        if saved is not None:
            return saved
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()  # no cookie: nothing to verify (an anonymous socket)
        return super().open_session(app, request)


_SCALARS = frozenset({str, int, float, bool, type(None)})


class Packet(pysocketio.packet.Packet):
    """python-socketio's packet, with its check for binary attachments done in one pass.

    Every packet sent is first searched for bytes; the stock search calls itself for each
    value and folds the results into lists, which for a lobby snapshot (every joiner's
    acknowledgement) cost more than encoding it. Same answer: plain JSON values are skipped
    without a call, and anything else goes to the stock search.
    """

    @classmethod
    def data_is_binary(cls, data):
        kind = type(data)
        if kind in _SCALARS:
            return False
        if kind is dict:
            items = data.values()
        elif kind is list:
            items = data
        else:
            return super().data_is_binary(data)
        return any(type(v) not in _SCALARS and cls.data_is_binary(v) for v in items)


def init_socketio(app: Flask) -> None:
    if type(app.session_interface) is SecureCookieSessionInterface:
        app.session_interface = SocketEventSessions()
    url = message_queue_url(app)
    channel = app.config.get("SOCKETIO_CHANNEL") or CHANNEL
    options = {"socket_connect_timeout": 1}
    manager = (
        RedisQueueManager(url, channel=channel, redis_options=options) if url else LocalManager()
    )
    socketio.init_app(
        app,
        client_manager=manager,
        async_mode=async_mode(app),
        cors_allowed_origins=allowed_origins(app),
        serializer=Packet,
        max_http_buffer_size=MAX_PAYLOAD,
        ping_interval=app.config.get("SOCKETIO_PING_INTERVAL", 25),
        logger=False,
        engineio_logger=False,
    )
    presence.configure(url, app.config["SQLALCHEMY_DATABASE_URI"])


def _emit(event: str, payload, *, room: str, namespace: str) -> None:
    if socketio.server is None:
        return
    try:
        socketio.emit(event, payload, to=room, namespace=namespace)
    except Exception:
        # The data is already committed; a broken queue must not fail the request that saved it.
        log.exception("socket emit %s to %s failed", event, room)


def emit_to_user(user_id: int, event: str, payload: dict) -> None:
    """Send an event to every open tab of a user (e.g. "notification" after a commit)."""
    _emit(event, payload, room=user_room(user_id), namespace=NOTIFY_NAMESPACE)


def broadcast(event: str, payload, *, room: str, namespace: str) -> None:
    """Send an event to a room of one namespace; call after the data is committed."""
    _emit(event, payload, room=room, namespace=namespace)


def disconnect_user(user_id: int) -> None:
    """Close every socket of a user in every process (logout, suspension, password change)."""
    _emit(KICK_EVENT, {}, room=user_room(user_id), namespace=NOTIFY_NAMESPACE)


def disconnect_login_sessions(login_session_ids: list[int]) -> None:
    """Close the sockets opened with these login sessions (logout of one browser)."""
    for ident in login_session_ids:
        _emit(KICK_EVENT, {}, room=login_room(ident), namespace=NOTIFY_NAMESPACE)
