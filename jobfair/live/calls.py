"""1:1 video calls over WebRTC: who may take part, which ICE servers to use, and the checks on
what the two browsers send each other through the server.

Rules worth knowing:
- The server only relays signalling (offers, answers, ICE candidates, mute state, hang-up).
  Sound and picture go from browser to browser, or through the TURN relay; nothing of a call
  is stored or recorded, here or in the browser.
- A call belongs to something with exactly two parties: a booth chat ("chat"), and whatever
  another feature registers with ``register_kind`` (a scheduled interview: "interview"). Its
  resolver returns the two user ids, raises NotFound for anyone else (a stranger learns
  nothing, not even that it exists) and Conflict once the call may no longer happen.
- Every signal re-checks the sender, so an ended chat or a revoked account stops relaying at
  once; the room only carries what the two parties send.
- ICE servers come from configuration: JOBFAIR_ICE_SERVERS (a JSON list as RTCPeerConnection
  takes it) and, for a self-hosted coturn with ``use-auth-secret``, JOBFAIR_TURN_URLS plus
  JOBFAIR_TURN_SECRET: each user gets a TURN login valid for JOBFAIR_TURN_TTL seconds (the
  TURN REST API scheme), so no long-lived TURN password reaches a page.
"""

import base64
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

from jobfair.errors import Conflict, DomainError, NotFound
from jobfair.ids import require_id
from jobfair.live import access
from jobfair.live.realtime import call_room
from jobfair.models.common import utcnow
from jobfair.models.user import User

log = logging.getLogger(__name__)

MAX_SDP = 16_000  # an offer with audio + video and a dozen codecs is 4-8 KB
MAX_CANDIDATE = 1_000
SIGNALS_PER_MINUTE = 240  # a call's set-up sends a few dozen; more is a client gone wrong
# What one party may tell the other. "ring" asks for a call, "accept"/"decline" answer it,
# "offer"/"answer"/"candidate" are WebRTC's own, "media" says what is muted, "hangup" ends it,
# "failed" says this side could not connect or has no camera (the pages fall back to text).
SIGNAL_TYPES = frozenset(
    {"ring", "accept", "decline", "offer", "answer", "candidate", "media", "hangup", "failed"}
)
# Why a call did not happen or ended; each page says it in its own words.
REASONS = frozenset(
    {"", "busy", "declined", "permission", "no_device", "device_busy", "unsupported", "connect"}
)


@dataclass(frozen=True)
class CallRoom:
    kind: str
    id: int
    parties: tuple[int, int]

    @property
    def name(self) -> str:
        return call_room(self.kind, self.id)

    def other(self, user_id: int) -> int:
        return self.parties[1] if self.parties[0] == user_id else self.parties[0]


Resolver = Callable[[User, int], CallRoom]
_KINDS: dict[str, Resolver] = {}


def register_kind(kind: str, resolver: Resolver) -> None:
    """Let the parties of another feature's object call each other (e.g. "interview")."""
    _KINDS[kind] = resolver


def resolve(user: User, kind, ident) -> CallRoom:
    """The call room of kind/id if the user is one of its two parties and it may go on."""
    resolver = _KINDS.get(kind) if isinstance(kind, str) else None
    if resolver is None:
        raise NotFound("视频通话不存在。")
    room = resolver(user, require_id(ident, "视频通话不存在。"))
    if user.id not in room.parties:
        raise NotFound("视频通话不存在。")
    return room


def _chat_call(user: User, chat_id: int) -> CallRoom:
    chat = access.chat_for(user, chat_id)
    if chat.rep_user_id is None:
        raise NotFound("视频通话不存在。")
    if chat.ended_at is not None:
        raise Conflict("面谈已结束，不能再视频通话。", code="chat_ended")
    if utcnow() > chat.ends_at:
        raise Conflict("面谈时间已到，视频通话已结束。", code="chat_timeout")
    access.check_can_write(user, chat.booth.fair_id)
    return CallRoom("chat", chat.id, (chat.seeker_user_id, chat.rep_user_id))


register_kind("chat", _chat_call)


# --- what the browsers send ------------------------------------------------------------------


def _bad(text: str = "视频通话数据不正确，请刷新页面后重试。") -> DomainError:
    return DomainError(text, code="bad_request", status=400)


def _opt_str(value, limit: int):
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise _bad()
    return value


def _candidate(value) -> dict:
    if not isinstance(value, dict):
        raise _bad()
    line = value.get("candidate")
    if not isinstance(line, str) or len(line) > MAX_CANDIDATE:
        raise _bad()
    if line and not line.startswith(("candidate:", "a=candidate:")):
        raise _bad()
    index = value.get("sdpMLineIndex")
    if index is not None and (isinstance(index, bool) or not isinstance(index, int)):
        raise _bad()
    if index is not None and not 0 <= index <= 16:
        raise _bad()
    return {
        "candidate": line,
        "sdpMid": _opt_str(value.get("sdpMid"), 64),
        "sdpMLineIndex": index,
        "usernameFragment": _opt_str(value.get("usernameFragment"), 256),
    }


def clean_signal(data: dict) -> dict:
    """Only the fields WebRTC needs, checked: nothing else is relayed to the other party."""
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in SIGNAL_TYPES:
        raise _bad()
    out: dict = {"type": kind}
    if kind in ("offer", "answer"):
        sdp = data.get("sdp")
        if not isinstance(sdp, str) or not sdp.startswith("v=0") or len(sdp) > MAX_SDP:
            raise _bad()
        out["sdp"] = sdp
    elif kind == "candidate":
        out["candidate"] = _candidate(data.get("candidate"))
    elif kind == "media":
        audio, video = data.get("audio"), data.get("video")
        if not isinstance(audio, bool) or not isinstance(video, bool):
            raise _bad()
        out.update(audio=audio, video=video)
    else:
        reason = data.get("reason") or ""
        if not isinstance(reason, str) or reason not in REASONS:
            raise _bad()
        out["reason"] = reason
    to = _opt_str(data.get("to"), 64)
    if to:
        out["to"] = to
    return out


class SignalBudget:
    """Signals per socket per minute, counted in this process (a socket lives in one)."""

    def __init__(self, per_minute: int = SIGNALS_PER_MINUTE):
        self.per_minute = per_minute
        self._windows: dict[str, tuple[int, int]] = {}

    def spend(self, sid: str) -> None:
        minute = int(time.monotonic() // 60)
        start, used = self._windows.get(sid, (minute, 0))
        if start != minute:
            start, used = minute, 0
        if used >= self.per_minute:
            raise DomainError(
                "视频通话信令发送过于频繁，请稍后再试。", code="rate_limited", status=429
            )
        self._windows[sid] = (start, used + 1)

    def forget(self, sid: str) -> None:
        self._windows.pop(sid, None)


# --- ICE servers -------------------------------------------------------------------------------

_SCHEMES = ("stun:", "stuns:", "turn:", "turns:")


def _urls(value) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise ValueError("urls")
    for u in items:
        if not isinstance(u, str) or not u.startswith(_SCHEMES) or len(u) > 300:
            raise ValueError(f"url {u!r}")
    return items


def _configured(raw) -> list[dict]:
    if isinstance(raw, str):
        raw = json.loads(raw) if raw.strip() else []
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise ValueError("not a list")
    servers = []
    for item in raw:
        if isinstance(item, str):
            item = {"urls": item}
        if not isinstance(item, dict):
            raise ValueError("entry")
        server = {"urls": _urls(item.get("urls"))}
        for key in ("username", "credential"):
            if isinstance(item.get(key), str):
                server[key] = item[key]
        servers.append(server)
    return servers


def turn_login(secret: str, user_id: int, ttl: int, now: float | None = None) -> tuple[str, str]:
    """coturn's use-auth-secret: username "<expiry>:<user id>", password
    base64(HMAC-SHA1(secret, username))."""
    expiry = int((now if now is not None else time.time()) + ttl)
    username = f"{expiry}:{user_id}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode()


def ice_servers(user_id: int) -> list[dict]:
    """The RTCPeerConnection iceServers for this user (with a fresh TURN login if configured).

    Without any configuration the list is empty: browsers on one network (or one machine)
    still connect directly; across the Internet most need a TURN relay.
    """
    cfg = current_app.config
    try:
        servers = _configured(cfg.get("ICE_SERVERS") or [])
    except (ValueError, TypeError) as err:
        log.error("JOBFAIR_ICE_SERVERS is not a valid list of ICE servers (%s); ignored", err)
        servers = []
    secret, turn_urls = cfg.get("TURN_SECRET") or "", cfg.get("TURN_URLS") or ""
    if secret and turn_urls:
        urls = turn_urls if isinstance(turn_urls, list) else turn_urls.split(",")
        try:
            urls = _urls([u.strip() for u in urls if u.strip()])
        except (ValueError, AttributeError) as err:
            log.error("JOBFAIR_TURN_URLS is not valid (%s); ignored", err)
        else:
            username, credential = turn_login(secret, user_id, int(cfg.get("TURN_TTL") or 3600))
            servers.append({"urls": urls, "username": username, "credential": credential})
    return servers


def call_config(user: User, room: CallRoom) -> dict:
    """What a page or an app needs to start the call: where to signal and which servers.

    "polite" settles who gives way when both sides ring at once (WebRTC's perfect
    negotiation): the party with the larger user id."""
    return {
        "kind": room.kind,
        "id": room.id,
        "namespace": "/call",
        "ice_servers": ice_servers(user.id),
        "polite": user.id > room.other(user.id),
    }
