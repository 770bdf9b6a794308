"""Who may see and do what in the live layer, and the checks on what people send."""

import re
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, func
from sqlalchemy.orm import lazyload

from jobfair.employers.acting import is_rep_of
from jobfair.errors import Conflict, DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.formatting import fmt_dt
from jobfair.ids import require_id
from jobfair.models.common import utcnow
from jobfair.models.fair import (
    PUBLIC_FAIR_STATUSES,
    Booth,
    BoothStatus,
    Fair,
    LiveSession,
    LiveSessionStatus,
)
from jobfair.models.live import (
    MAX_BODY,
    InterviewChat,
    LiveMessage,
    LiveRestriction,
    Question,
    QueueEntry,
    RestrictionKind,
    RoomKind,
)
from jobfair.models.user import Role, User

CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
RATE_LIMITED = "发言太频繁了：每 {window} 秒最多 {n} 条，请稍后再发。"


def clean_body(value, what: str = "消息") -> str:
    if not isinstance(value, str):
        raise DomainError(f"{what}内容应为文字。", code="bad_request", status=400)
    text = _CONTROL.sub("", value).strip()
    if not text:
        raise DomainError(f"请输入{what}内容。", fields={"body": f"请输入{what}内容"})
    if len(text) > MAX_BODY:
        raise DomainError(
            f"{what}不能超过 {MAX_BODY} 个字（现在 {len(text)} 个）。",
            fields={"body": f"不超过 {MAX_BODY} 个字"},
        )
    return text


def clean_client_id(value) -> str:
    if not isinstance(value, str) or not CLIENT_ID.match(value):
        raise DomainError("消息编号无效，请刷新页面后重试。", code="bad_request", status=400)
    return value


def is_organiser(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.ORGANISER)


def public_fair(fair_id) -> Fair:
    fair = db.session.get(Fair, require_id(fair_id, "招聘会不存在。"))
    if fair is None or not fair.is_public:
        raise NotFound("招聘会不存在。")
    return fair


def organiser_fair(user: User, fair_id) -> Fair:
    if not is_organiser(user):
        raise Forbidden()
    fair = db.session.get(Fair, require_id(fair_id, "招聘会不存在。"))
    if fair is None:
        raise NotFound("招聘会不存在。")
    return fair


# Statements of the chat path, built once: building one per call costs more than running it.
_SESSION_AND_FAIR_STATUS = (
    db.select(LiveSession, Fair.status)
    .outerjoin(Fair, Fair.id == LiveSession.fair_id)
    .filter(LiveSession.id == bindparam("session_id"))
    .options(lazyload("*"))
)
_RESTRICTION_IN_FAIR = (
    db.select(LiveRestriction)
    .filter(
        LiveRestriction.user_id == bindparam("user_id"),
        LiveRestriction.until > bindparam("now"),
        (LiveRestriction.fair_id == bindparam("fair_id")) | LiveRestriction.fair_id.is_(None),
    )
    .order_by(LiveRestriction.until.desc())
    .limit(1)
)
_SENT = (
    db.select(func.count())
    .select_from(LiveMessage)
    .filter(
        LiveMessage.user_id == bindparam("user_id"), LiveMessage.created_at > bindparam("since")
    )
    .scalar_subquery()
    + db.select(func.count())
    .select_from(Question)
    .filter(Question.user_id == bindparam("user_id"), Question.created_at > bindparam("since"))
    .scalar_subquery()
)
_SENT_SINCE = db.select(_SENT)
# A chat message's two checks in one round trip: was this client id stored already, and how
# many did the user send within the window.
_EXISTING_AND_SENT = db.select(
    db.select(LiveMessage.id)
    .filter(
        LiveMessage.user_id == bindparam("user_id"),
        LiveMessage.client_id == bindparam("client_id"),
    )
    .scalar_subquery(),
    _SENT,
)


def visible_session(user: User, session_id) -> LiveSession:
    """A session anyone signed in may watch: its fair is public (or it has no fair)."""
    # One read for the session and its fair's status; its other relations load if used.
    row = db.session.execute(
        _SESSION_AND_FAIR_STATUS, {"session_id": require_id(session_id, "直播不存在。")}
    ).first()
    if row is None:
        raise NotFound("直播不存在。")
    ls, fair_status = row
    hidden = ls.fair_id is not None and fair_status not in PUBLIC_FAIR_STATUSES
    if hidden and not is_organiser(user):
        raise NotFound("直播不存在。")
    return ls


def can_host(user: User, ls: LiveSession) -> bool:
    return is_organiser(user) or (ls.host_user_id is not None and ls.host_user_id == user.id)


def approved_booth(booth_id) -> Booth:
    booth = db.session.get(Booth, require_id(booth_id, "展位不存在。"))
    if booth is None or booth.status != BoothStatus.APPROVED:
        raise NotFound("展位不存在。")
    if not booth.fair.is_public:
        raise NotFound("展位不存在。")
    return booth


def rep_booth(user: User, booth_id) -> Booth:
    """A booth of the rep's own employer; another employer's booth is 404."""
    if user.role != Role.EMPLOYER:
        raise Forbidden("只有用人单位的招聘人员可以使用展位工作台。")
    booth = approved_booth(booth_id)
    if not is_rep_of(user, booth.employer_id):
        raise NotFound("展位不存在。")
    return booth


def chat_for(user: User, chat_id) -> InterviewChat:
    """A chat the user takes part in (its seeker or its rep); anything else is 404."""
    chat = db.session.get(InterviewChat, require_id(chat_id, "面谈不存在。"))
    if chat is None or user.id not in (chat.seeker_user_id, chat.rep_user_id):
        raise NotFound("面谈不存在。")
    return chat


def own_entry(user: User, entry_id) -> QueueEntry:
    entry = db.session.get(QueueEntry, require_id(entry_id, "排队记录不存在。"))
    if entry is None or entry.seeker_user_id != user.id:
        raise NotFound("排队记录不存在。")
    return entry


def visible_message(user: User, message_id) -> LiveMessage:
    """A message the user could see: in a session they may watch, or their own 1:1 chat."""
    msg = db.session.get(LiveMessage, require_id(message_id, "消息不存在。"))
    if msg is None:
        raise NotFound("消息不存在。")
    if msg.room_kind == RoomKind.SESSION:
        visible_session(user, msg.room_id)
    elif msg.room_kind == RoomKind.CHAT and not is_organiser(user):
        chat_for(user, msg.room_id)
    return msg


def active_restriction(user_id: int, fair_id: int | None, kinds=None) -> LiveRestriction | None:
    now = utcnow()
    if fair_id is not None and not kinds:
        params = {"user_id": user_id, "now": now, "fair_id": fair_id}
        return db.session.scalar(_RESTRICTION_IN_FAIR, params)
    q = db.select(LiveRestriction).filter(
        LiveRestriction.user_id == user_id, LiveRestriction.until > now
    )
    if fair_id is None:
        q = q.filter(LiveRestriction.fair_id.is_(None))
    else:
        q = q.filter((LiveRestriction.fair_id == fair_id) | LiveRestriction.fair_id.is_(None))
    if kinds:
        q = q.filter(LiveRestriction.kind.in_(list(kinds)))
    return db.session.scalar(q.order_by(LiveRestriction.until.desc()).limit(1))


def check_not_banned(user: User, fair_id: int | None) -> None:
    if user is None or not user.is_authenticated:
        return
    r = active_restriction(user.id, fair_id, [RestrictionKind.BAN])
    if r is not None:
        raise Forbidden(f"你已被主办方移出本场直播互动，{_until(r.until)}后可再进入。")


def check_can_write(user: User, fair_id: int | None) -> None:
    refuse_restricted(active_restriction(user.id, fair_id))


def refuse_restricted(r) -> None:
    """Refuse a message from a muted or removed user (r: their latest active restriction)."""
    if r is not None:
        what = "移出" if r.kind == RestrictionKind.BAN else "禁言"
        raise Forbidden(f"你已被主办方{what}，{_until(r.until)}后可再发言。")


def session_refusal(user_role: str, ls_status, fair_id, fair_status) -> DomainError | None:
    """Why a user may not post in a 直播 room, from the session's and its fair's status:
    the rules of visible_session and send_session_message, for rows read in bulk."""
    hidden = fair_id is not None and fair_status not in PUBLIC_FAIR_STATUSES
    if hidden and user_role != Role.ORGANISER:
        return NotFound("直播不存在。")
    if ls_status == LiveSessionStatus.ENDED:
        return Conflict("直播已结束，不能再发言。", code="session_ended")
    return None


def _until(value: datetime) -> str:
    return fmt_dt(value, "%m-%d %H:%M")


def rate_window() -> tuple[int, int, datetime]:
    cfg = current_app.config
    n, window = int(cfg["LIVE_MESSAGES_PER_WINDOW"]), int(cfg["LIVE_RATE_WINDOW_SECONDS"])
    return n, window, utcnow() - timedelta(seconds=window)


def existing_and_sent(user: User, client_id: str) -> tuple[int | None, int]:
    """(id of the message already stored under this client id, messages and questions the
    user sent within the rate window)."""
    _n, _window, since = rate_window()
    params = {"user_id": user.id, "client_id": client_id, "since": since}
    existing, sent = db.session.execute(_EXISTING_AND_SENT, params).one()
    return existing, sent


def check_rate(user: User, sent: int | None = None) -> None:
    """5 chat messages or questions per 10 seconds per user, counted in the database so the
    limit holds across processes and restarts."""
    n, window, since = rate_window()
    if sent is None:
        sent = db.session.scalar(_SENT_SINCE, {"user_id": user.id, "since": since})
    if sent >= n:
        raise rate_limited(n, window)


def rate_limited(n: int, window: int) -> DomainError:
    return DomainError(RATE_LIMITED.format(window=window, n=n), code="rate_limited", status=429)
