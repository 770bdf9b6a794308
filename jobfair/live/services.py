"""Live layer services: rooms, chat, Q&A, announcements, pins, booth queues, 1:1 chats, moderation.

Every function takes the acting user and plain values, checks the right to act, writes and
commits, then broadcasts (jobfair.live.broadcasts) — never the other way round. Socket
handlers, HTML forms and the JSON API all call these.
"""

import re
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from jobfair.errors import Conflict, DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.formatting import hhmm, iso
from jobfair.models.application import Application
from jobfair.models.common import utcnow
from jobfair.models.fair import (
    Booth,
    BoothPosition,
    BoothStatus,
    Fair,
    FairRegistration,
    FairStatus,
    LiveSession,
    LiveSessionStatus,
)
from jobfair.models.live import (
    ACTIVE_QUEUE,
    MAX_BODY,
    Announcement,
    FairVisit,
    InterviewChat,
    LiveApplication,
    LiveMessage,
    LiveRestriction,
    MessageReport,
    NextStep,
    PinnedPosition,
    Question,
    QuestionVote,
    QueueEntry,
    QueueStatus,
    ReportStatus,
    RestrictionKind,
    RoomKind,
    SessionView,
)
from jobfair.models.position import Position, PositionStatus
from jobfair.models.user import Role, User
from jobfair.recommendations.index import get_engine
from jobfair.recommendations.services import percent, position_doc, seeker_doc

MAX_QUEUES = 3
MAX_ID = 2**31 - 1
BACKFILL_LIMIT = 500
RECENT = 50
CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
RATE_LIMITED = "发言太频繁了：每 {window} 秒最多 {n} 条，请稍后再发。"


# --- small helpers ---------------------------------------------------------------------------


def _int(value, message: str = "页面或数据不存在。") -> int:
    if isinstance(value, bool):
        raise NotFound(message)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound(message) from None
    if not 0 < number <= MAX_ID:
        raise NotFound(message)
    return number


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


def display_name(user: User | None) -> str:
    """What others see: seekers by surname only (privacy), staff by name and role."""
    if user is None:
        return "已注销用户"
    name = (user.name or "").strip()
    if user.role == Role.SEEKER:
        return (name[:1] + "同学") if name else "求职者"
    if user.role == Role.ORGANISER:
        return (name or "组织方") + "（主办方）"
    return (name or "招聘方") + "（招聘方）"


def is_organiser(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.ORGANISER)


# --- fairs, sessions, booths -----------------------------------------------------------------


def public_fair(fair_id) -> Fair:
    fair = db.session.get(Fair, _int(fair_id, "招聘会不存在。"))
    if fair is None or fair.status not in (FairStatus.PUBLISHED, FairStatus.CLOSED):
        raise NotFound("招聘会不存在。")
    return fair


def organiser_fair(user: User, fair_id) -> Fair:
    if not is_organiser(user):
        raise Forbidden()
    fair = db.session.get(Fair, _int(fair_id, "招聘会不存在。"))
    if fair is None:
        raise NotFound("招聘会不存在。")
    return fair


def visible_session(user: User, session_id) -> LiveSession:
    """A session anyone signed in may watch: its fair is public (or it has no fair)."""
    ls = db.session.get(LiveSession, _int(session_id, "直播不存在。"))
    if ls is None:
        raise NotFound("直播不存在。")
    if ls.fair_id is not None:
        fair = ls.fair
        if fair.status not in (FairStatus.PUBLISHED, FairStatus.CLOSED) and not is_organiser(user):
            raise NotFound("直播不存在。")
    return ls


def can_host(user: User, ls: LiveSession) -> bool:
    return is_organiser(user) or (ls.host_user_id is not None and ls.host_user_id == user.id)


def _fair_id_of_room(kind: str, room_id: int) -> int | None:
    if kind == RoomKind.SESSION:
        ls = db.session.get(LiveSession, room_id)
        return ls.fair_id if ls else None
    if kind == RoomKind.CHAT:
        chat = db.session.get(InterviewChat, room_id)
        return chat.booth.fair_id if chat else None
    return None


def approved_booth(booth_id) -> Booth:
    booth = db.session.get(Booth, _int(booth_id, "展位不存在。"))
    if booth is None or booth.status != BoothStatus.APPROVED:
        raise NotFound("展位不存在。")
    if booth.fair.status not in (FairStatus.PUBLISHED, FairStatus.CLOSED):
        raise NotFound("展位不存在。")
    return booth


def rep_booth(user: User, booth_id) -> Booth:
    """A booth of the rep's own employer; another employer's booth is 404."""
    from jobfair.employers.acting import is_rep_of

    if user.role != Role.EMPLOYER:
        raise Forbidden("只有用人单位的招聘人员可以使用展位工作台。")
    booth = approved_booth(booth_id)
    if not is_rep_of(user, booth.employer_id):
        raise NotFound("展位不存在。")
    return booth


def my_rep_booths(user: User) -> list[Booth]:
    from jobfair.employers.acting import employer_of

    if user.role != Role.EMPLOYER:
        return []
    employer = employer_of(user)
    if employer is None:
        return []
    return list(
        db.session.scalars(
            db.select(Booth)
            .join(Fair, Fair.id == Booth.fair_id)
            .filter(
                Booth.employer_id == employer.id,
                Booth.status == BoothStatus.APPROVED,
                Fair.status == FairStatus.PUBLISHED,
            )
            .order_by(Fair.starts_at, Booth.id)
        )
    )


# --- restrictions (mute / remove) ------------------------------------------------------------


def active_restriction(user_id: int, fair_id: int | None, kinds=None) -> LiveRestriction | None:
    now = utcnow()
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
    r = active_restriction(user.id, fair_id)
    if r is not None:
        what = "移出" if r.kind == RestrictionKind.BAN else "禁言"
        raise Forbidden(f"你已被主办方{what}，{_until(r.until)}后可再发言。")


def _until(value: datetime) -> str:
    from jobfair.formatting import fmt_dt

    return fmt_dt(value, "%m-%d %H:%M")


def check_rate(user: User) -> None:
    """5 chat messages or questions per 10 seconds per user, counted in the database so the
    limit holds across processes and restarts."""
    cfg = current_app.config
    n, window = int(cfg["LIVE_MESSAGES_PER_WINDOW"]), int(cfg["LIVE_RATE_WINDOW_SECONDS"])
    since = utcnow() - timedelta(seconds=window)
    sent = db.session.scalar(
        db.select(func.count())
        .select_from(LiveMessage)
        .filter(LiveMessage.user_id == user.id, LiveMessage.created_at > since)
    ) + db.session.scalar(
        db.select(func.count())
        .select_from(Question)
        .filter(Question.user_id == user.id, Question.created_at > since)
    )
    if sent >= n:
        raise DomainError(RATE_LIMITED.format(window=window, n=n), code="rate_limited", status=429)


# --- messages --------------------------------------------------------------------------------


def message_dict(m: LiveMessage) -> dict:
    deleted = m.deleted_at is not None
    return {
        "id": m.id,
        "room": f"{m.room_kind}:{m.room_id}",
        "client_id": m.client_id,
        "user_id": m.user_id,
        "author": display_name(m.user),
        "role": m.user.role if m.user else "",
        "body": "" if deleted else m.body,
        "deleted": deleted,
        "created_at": iso(m.created_at),
        "time": hhmm(m.created_at),
    }


def _existing_message(user: User, client_id: str) -> LiveMessage | None:
    return db.session.scalar(db.select(LiveMessage).filter_by(user_id=user.id, client_id=client_id))


def _store_message(user: User, kind: str, room_id: int, client_id: str, body) -> tuple:
    """(message, created). A resend with the same client id returns the stored message."""
    client_id = clean_client_id(client_id)
    existing = _existing_message(user, client_id)
    if existing is not None:
        if existing.room_kind != kind or existing.room_id != room_id:
            raise Conflict("消息编号重复，请刷新页面后重试。", code="duplicate_client_id")
        return existing, False
    body = clean_body(body)
    check_rate(user)
    msg = LiveMessage(
        room_kind=kind, room_id=room_id, user_id=user.id, client_id=client_id, body=body
    )
    db.session.add(msg)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = _existing_message(user, client_id)
        if existing is None:
            raise
        return existing, False
    return msg, True


def messages_after(kind: str, room_id: int, after_id=0, limit: int = BACKFILL_LIMIT) -> list:
    """Messages of a room with id > after_id, oldest first (reconnect backfill)."""
    try:
        after = max(0, int(after_id or 0))
    except (TypeError, ValueError):
        after = 0
    rows = db.session.scalars(
        db.select(LiveMessage)
        .filter(
            LiveMessage.room_kind == kind, LiveMessage.room_id == room_id, LiveMessage.id > after
        )
        .order_by(LiveMessage.id)
        .limit(limit)
    ).all()
    return list(rows)


def recent_messages(kind: str, room_id: int, limit: int = RECENT) -> list:
    rows = db.session.scalars(
        db.select(LiveMessage)
        .filter(LiveMessage.room_kind == kind, LiveMessage.room_id == room_id)
        .order_by(LiveMessage.id.desc())
        .limit(limit)
    ).all()
    return list(reversed(rows))


def backfill(kind: str, room_id: int, last_id) -> list:
    """What a (re)joining client needs: the missed messages, or the recent ones on first join."""
    if last_id:
        return messages_after(kind, room_id, last_id)
    return recent_messages(kind, room_id)


def send_session_message(user: User, session_id, client_id, body):
    from jobfair.live import broadcasts

    ls = visible_session(user, session_id)
    if ls.status == LiveSessionStatus.ENDED:
        raise Conflict("直播已结束，不能再发言。", code="session_ended")
    check_can_write(user, ls.fair_id)
    msg, created = _store_message(user, RoomKind.SESSION, ls.id, client_id, body)
    data = message_dict(msg)
    if created:
        broadcasts.session_message(ls.id, data)
    return data


# --- 直播带岗 sessions -------------------------------------------------------------------------


def record_session_view(user: User, ls: LiveSession) -> None:
    if db.session.get(SessionView, (ls.id, user.id)) is not None:
        return
    db.session.add(SessionView(session_id=ls.id, user_id=user.id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def set_session_status(user: User, session_id, status: str) -> LiveSession:
    from jobfair.live import broadcasts

    ls = db.session.get(LiveSession, _int(session_id, "直播不存在。"))
    if ls is None:
        raise NotFound("直播不存在。")
    if not can_host(user, ls):
        raise Forbidden("只有主办方或主持人可以开始、结束直播。")
    allowed = {
        LiveSessionStatus.LIVE: {LiveSessionStatus.SCHEDULED},
        LiveSessionStatus.ENDED: {LiveSessionStatus.LIVE, LiveSessionStatus.SCHEDULED},
    }
    if status not in allowed:
        raise DomainError("直播状态无效。", code="bad_request", status=400)
    if ls.status not in allowed[status]:
        raise Conflict("直播状态刚刚发生了变化，请刷新页面。", code="stale_status")
    result = db.session.execute(
        db.update(LiveSession)
        .where(LiveSession.id == ls.id, LiveSession.status == ls.status)
        .values(status=status)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict("直播状态刚刚发生了变化，请刷新页面。", code="stale_status")
    db.session.commit()
    db.session.refresh(ls)
    broadcasts.session_status(ls)
    return ls


def question_dict(q: Question, viewer_id: int | None = None, voted: set[int] | None = None):
    deleted = q.deleted_at is not None
    return {
        "id": q.id,
        "session_id": q.session_id,
        "client_id": q.client_id,
        "author": display_name(q.user),
        "body": "" if deleted else q.body,
        "deleted": deleted,
        "votes": q.votes,
        "voted": bool(voted and q.id in voted),
        "answered": q.answered_at is not None,
        "created_at": iso(q.created_at),
    }


def session_questions(ls: LiveSession, viewer: User | None = None) -> list[dict]:
    rows = db.session.scalars(
        db.select(Question)
        .filter(Question.session_id == ls.id, Question.deleted_at.is_(None))
        .order_by(Question.answered_at.is_not(None), Question.votes.desc(), Question.id)
        .limit(200)
    ).all()
    voted: set[int] = set()
    if viewer is not None and viewer.is_authenticated and rows:
        voted = set(
            db.session.scalars(
                db.select(QuestionVote.question_id).filter(
                    QuestionVote.user_id == viewer.id,
                    QuestionVote.question_id.in_([q.id for q in rows]),
                )
            )
        )
    return [question_dict(q, voted=voted) for q in rows]


def ask_question(user: User, session_id, client_id, body) -> dict:
    from jobfair.live import broadcasts

    ls = visible_session(user, session_id)
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者可以提问。")
    if ls.status == LiveSessionStatus.ENDED:
        raise Conflict("直播已结束，不能再提问。", code="session_ended")
    check_can_write(user, ls.fair_id)
    client_id = clean_client_id(client_id)
    existing = db.session.scalar(
        db.select(Question).filter_by(user_id=user.id, client_id=client_id)
    )
    if existing is not None:
        return question_dict(existing)
    body = clean_body(body, "问题")
    check_rate(user)
    q = Question(session_id=ls.id, user_id=user.id, client_id=client_id, body=body)
    db.session.add(q)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = db.session.scalar(
            db.select(Question).filter_by(user_id=user.id, client_id=client_id)
        )
        if existing is None:
            raise
        return question_dict(existing)
    data = question_dict(q)
    broadcasts.question(ls.id, data)
    return data


def _question(user: User, question_id) -> tuple[Question, LiveSession]:
    q = db.session.get(Question, _int(question_id, "问题不存在。"))
    if q is None or q.deleted_at is not None:
        raise NotFound("问题不存在。")
    return q, visible_session(user, q.session_id)


def vote_question(user: User, question_id) -> dict:
    from jobfair.live import broadcasts

    q, ls = _question(user, question_id)
    if q.user_id == user.id:
        raise DomainError("不能给自己的问题点赞。", code="own_question")
    check_not_banned(user, ls.fair_id)
    if db.session.get(QuestionVote, (q.id, user.id)) is not None:
        raise Conflict("你已经赞过这个问题。", code="already_voted")
    db.session.add(QuestionVote(question_id=q.id, user_id=user.id))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("你已经赞过这个问题。", code="already_voted") from None
    db.session.execute(
        db.update(Question)
        .where(Question.id == q.id)
        .values(votes=Question.votes + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(q)
    data = question_dict(q)
    broadcasts.question(ls.id, data)
    data["voted"] = True
    return data


def answer_question(user: User, question_id) -> dict:
    from jobfair.live import broadcasts

    q, ls = _question(user, question_id)
    if not can_host(user, ls):
        raise Forbidden("只有主持人可以标记已回答。")
    if q.answered_at is None:
        q.answered_at = utcnow()
        q.answered_by = user.id
        db.session.commit()
    data = question_dict(q)
    broadcasts.question(ls.id, data)
    return data


def session_counters(ls: LiveSession) -> dict:
    from jobfair.live import presence

    return {
        "session_id": ls.id,
        "viewers_online": presence.count(presence.session_key(ls.id)),
        "viewers_total": db.session.scalar(
            db.select(func.count()).select_from(SessionView).filter_by(session_id=ls.id)
        ),
        "applications": db.session.scalar(
            db.select(func.count()).select_from(LiveApplication).filter_by(session_id=ls.id)
        ),
    }


# --- announcements and pinned positions ------------------------------------------------------


def announcement_dict(a: Announcement) -> dict:
    return {
        "id": a.id,
        "fair_id": a.fair_id,
        "session_id": a.session_id,
        "body": a.body,
        "created_at": iso(a.created_at),
        "time": hhmm(a.created_at),
    }


def announcements(fair_id: int | None = None, session_id: int | None = None, after_id=0, limit=20):
    q = db.select(Announcement)
    conds = []
    if fair_id is not None:
        conds.append(Announcement.fair_id == fair_id)
    if session_id is not None:
        conds.append(Announcement.session_id == session_id)
    if not conds:
        return []
    q = q.filter(conds[0] if len(conds) == 1 else (conds[0] | conds[1]))
    try:
        after = max(0, int(after_id or 0))
    except (TypeError, ValueError):
        after = 0
    if after:
        rows = db.session.scalars(
            q.filter(Announcement.id > after).order_by(Announcement.id).limit(BACKFILL_LIMIT)
        ).all()
        return list(rows)
    rows = db.session.scalars(q.order_by(Announcement.id.desc()).limit(limit)).all()
    return list(reversed(rows))


def announce(user: User, fair_id, client_id, body, session_id=None) -> dict:
    """An organiser's announcement to a fair (lobby, sessions, queues) or to one session."""
    from jobfair.live import broadcasts

    if session_id:
        ls = db.session.get(LiveSession, _int(session_id, "直播不存在。"))
        if ls is None or not can_host(user, ls):
            raise NotFound("直播不存在。") if ls is None else Forbidden()
        fair_id_value = None
        session_value = ls.id
    else:
        fair = organiser_fair(user, fair_id)
        fair_id_value, session_value = fair.id, None
    client_id = clean_client_id(client_id)
    existing = db.session.scalar(
        db.select(Announcement).filter_by(author_id=user.id, client_id=client_id)
    )
    if existing is not None:
        return announcement_dict(existing)
    a = Announcement(
        fair_id=fair_id_value,
        session_id=session_value,
        author_id=user.id,
        client_id=client_id,
        body=clean_body(body, "公告"),
    )
    db.session.add(a)
    db.session.commit()
    data = announcement_dict(a)
    broadcasts.announcement(a, data)
    return data


def position_card(p: Position) -> dict:
    from flask import url_for

    return {
        "id": p.id,
        "url": url_for("positions.detail", position_id=p.id),
        "title": p.title,
        "employer": p.employer.name if p.employer else "",
        "salary_min": p.salary_min,
        "salary_max": p.salary_max,
        "district": p.district,
        "open": p.status == PositionStatus.PUBLISHED,
    }


def pin_dict(pin: PinnedPosition) -> dict:
    return {"id": pin.id, "position": position_card(pin.position), "pinned_at": iso(pin.pinned_at)}


def active_pins(fair_id: int | None = None, session_id: int | None = None) -> list[PinnedPosition]:
    q = db.select(PinnedPosition).filter(PinnedPosition.unpinned_at.is_(None))
    if session_id is not None:
        q = q.filter(PinnedPosition.session_id == session_id)
    else:
        q = q.filter(PinnedPosition.fair_id == fair_id, PinnedPosition.session_id.is_(None))
    return list(db.session.scalars(q.order_by(PinnedPosition.id.desc())).unique())


def _pinnable(fair_id: int | None, ls: LiveSession | None, position_id) -> Position:
    """A published position of a booth in the fair or of an employer presenting in the session."""
    position = db.session.get(Position, _int(position_id, "岗位不存在。"))
    if position is None or position.status != PositionStatus.PUBLISHED:
        raise NotFound("岗位不存在或未在招聘中。")
    employer_ids: set[int] = set()
    if ls is not None:
        employer_ids |= set(ls.employer_ids)
        fair_id = ls.fair_id
    if fair_id is not None:
        employer_ids |= set(
            db.session.scalars(
                db.select(Booth.employer_id).filter_by(fair_id=fair_id, status=BoothStatus.APPROVED)
            )
        )
    if position.employer_id not in employer_ids:
        raise DomainError("只能置顶参会单位的在招岗位。", code="not_in_fair")
    return position


def pin_position(user: User, position_id, *, fair_id=None, session_id=None) -> dict:
    from jobfair.live import broadcasts

    ls = None
    if session_id:
        ls = db.session.get(LiveSession, _int(session_id, "直播不存在。"))
        if ls is None:
            raise NotFound("直播不存在。")
        if not can_host(user, ls):
            raise Forbidden("只有主持人可以置顶岗位。")
        position = _pinnable(None, ls, position_id)
        scope = {"session_id": ls.id, "fair_id": None}
    else:
        fair = organiser_fair(user, fair_id)
        position = _pinnable(fair.id, None, position_id)
        scope = {"fair_id": fair.id, "session_id": None}
    pins = active_pins(fair_id=scope["fair_id"], session_id=scope["session_id"])
    if any(p.position_id == position.id for p in pins):
        raise Conflict("该岗位已置顶。", code="already_pinned")
    pin = PinnedPosition(position_id=position.id, pinned_by=user.id, **scope)
    db.session.add(pin)
    db.session.commit()
    broadcasts.pins(scope["fair_id"], scope["session_id"])
    return pin_dict(pin)


def unpin(user: User, pin_id) -> None:
    from jobfair.live import broadcasts

    pin = db.session.get(PinnedPosition, _int(pin_id, "置顶不存在。"))
    if pin is None or pin.unpinned_at is not None:
        raise NotFound("置顶不存在。")
    if pin.session_id is not None:
        ls = db.session.get(LiveSession, pin.session_id)
        if not can_host(user, ls):
            raise Forbidden()
    elif not is_organiser(user):
        raise Forbidden()
    pin.unpinned_at = utcnow()
    db.session.commit()
    broadcasts.pins(pin.fair_id, pin.session_id)


def apply_from_pin(user: User, pin_id) -> dict:
    """One-click apply from a pinned card; counted for the session / fair."""
    from jobfair.applications.services import apply
    from jobfair.live import broadcasts

    pin = db.session.get(PinnedPosition, _int(pin_id, "置顶岗位不存在。"))
    if pin is None or pin.unpinned_at is not None:
        raise NotFound("置顶岗位不存在或已取消置顶。")
    fair_id = pin.fair_id
    if pin.session_id is not None:
        ls = visible_session(user, pin.session_id)
        fair_id = ls.fair_id
    else:
        public_fair(pin.fair_id)
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者可以投递岗位。")
    position_id, session_id = pin.position_id, pin.session_id
    application, _reopened = apply(user, position_id, {})
    db.session.add(
        LiveApplication(application_id=application.id, fair_id=fair_id, session_id=session_id)
    )
    try:
        db.session.commit()
    except IntegrityError:  # a reopened application was counted before
        db.session.rollback()
    if session_id is not None:
        broadcasts.session_counters(session_id)
    return {"application_id": application.id, "position_id": position_id, "status": "submitted"}


# --- lobby -----------------------------------------------------------------------------------


def record_visit(user: User, fair: Fair) -> None:
    if not user.is_authenticated or db.session.get(FairVisit, (fair.id, user.id)) is not None:
        return
    db.session.add(FairVisit(fair_id=fair.id, user_id=user.id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def fair_booths(fair_id: int) -> list[Booth]:
    return list(
        db.session.scalars(
            db.select(Booth)
            .filter_by(fair_id=fair_id, status=BoothStatus.APPROVED)
            .order_by(Booth.id)
        ).unique()
    )


def waiting_ids(booth_id: int) -> list[int]:
    return list(
        db.session.scalars(
            db.select(QueueEntry.id)
            .filter_by(booth_id=booth_id, status=QueueStatus.WAITING)
            .order_by(QueueEntry.id)
        )
    )


def wait_minutes(place: int, chat_minutes: int, reps_online: int) -> int:
    """Estimated wait: place × booth chat minutes / reps online (at least one rep assumed)."""
    if place <= 0:
        return 0
    return -(-place * chat_minutes // max(1, reps_online))


def lobby_counts(fair_id: int) -> dict:
    from jobfair.live import presence

    booths = fair_booths(fair_id)
    lengths = dict(
        db.session.execute(
            db.select(QueueEntry.booth_id, func.count())
            .filter(
                QueueEntry.booth_id.in_([b.id for b in booths]),
                QueueEntry.status == QueueStatus.WAITING,
            )
            .group_by(QueueEntry.booth_id)
        ).all()
    )
    out = []
    for b in booths:
        reps = presence.count(presence.booth_key(b.id))
        n = lengths.get(b.id, 0)
        out.append(
            {
                "booth_id": b.id,
                "employer": b.employer.name,
                "reps_online": reps,
                "queue_length": n,
                "wait_minutes": wait_minutes(n, b.chat_minutes, reps),
            }
        )
    return {
        "fair_id": fair_id,
        "seekers_online": presence.count(presence.fair_key(fair_id)),
        "booths": out,
    }


def lobby_snapshot(user, fair: Fair, last_announcement_id=0) -> dict:
    return {
        "fair_id": fair.id,
        "counts": lobby_counts(fair.id),
        "announcements": [
            announcement_dict(a) for a in announcements(fair.id, after_id=last_announcement_id)
        ],
        "pins": [pin_dict(p) for p in active_pins(fair_id=fair.id)],
    }


# --- booth queues ----------------------------------------------------------------------------


def _lock_user(user_id: int) -> None:
    """Serialise a seeker's queue changes (PostgreSQL row lock; SQLite writes are serial)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(db.select(User.id).filter_by(id=user_id).with_for_update())


def active_entries(seeker_id: int) -> list[QueueEntry]:
    return list(
        db.session.scalars(
            db.select(QueueEntry)
            .filter(QueueEntry.seeker_user_id == seeker_id, QueueEntry.status.in_(ACTIVE_QUEUE))
            .order_by(QueueEntry.id)
        ).unique()
    )


def join_queue(user: User, booth_id) -> tuple[QueueEntry, bool]:
    """(entry, created). Joining the same queue again returns the place already held."""
    from jobfair.live import broadcasts

    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者可以排队。")
    booth = approved_booth(booth_id)
    fair = booth.fair
    if fair.status != FairStatus.PUBLISHED or fair.phase(utcnow()) != "ongoing":
        raise Conflict("招聘会不在进行中，暂不能排队。", code="fair_not_ongoing")
    registered = db.session.scalar(
        db.select(FairRegistration.id).filter_by(fair_id=fair.id, seeker_user_id=user.id)
    )
    if registered is None:
        raise DomainError("请先报名参加本场招聘会，再排队。", code="not_registered")
    check_not_banned(user, fair.id)
    _lock_user(user.id)
    entries = active_entries(user.id)
    for e in entries:
        if e.booth_id == booth.id:
            return e, False
    if len(entries) >= MAX_QUEUES:
        raise Conflict(
            f"最多同时排 {MAX_QUEUES} 个展位的队，请先离开其他队列。", code="too_many_queues"
        )
    entry = QueueEntry(booth_id=booth.id, seeker_user_id=user.id)
    db.session.add(entry)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        for e in active_entries(user.id):
            if e.booth_id == booth.id:
                return e, False
        raise
    broadcasts.queue_changed(booth)
    return entry, True


def own_entry(user: User, entry_id) -> QueueEntry:
    entry = db.session.get(QueueEntry, _int(entry_id, "排队记录不存在。"))
    if entry is None or entry.seeker_user_id != user.id:
        raise NotFound("排队记录不存在。")
    return entry


def leave_queue(user: User, entry_id) -> QueueEntry:
    from jobfair.live import broadcasts

    entry = own_entry(user, entry_id)
    if entry.status == QueueStatus.IN_CHAT:
        raise Conflict("你正在面谈中，请在面谈结束后再离开。", code="in_chat")
    if entry.status not in (QueueStatus.WAITING, QueueStatus.CALLED):
        raise Conflict("你已不在这个队列中。", code="not_waiting")
    was_called = entry.status == QueueStatus.CALLED
    now = utcnow()
    entry.status = QueueStatus.LEFT
    entry.finished_at = now
    chat = None
    if was_called:
        chat = open_chat_of_entry(entry.id)
        if chat is not None:
            chat.ended_at = now
            chat.next_step = NextStep.NONE
    db.session.commit()
    broadcasts.queue_changed(entry.booth)
    if chat is not None:
        broadcasts.chat_ended(chat, chat_dict(chat))
    return entry


def open_chat_of_entry(entry_id: int) -> InterviewChat | None:
    return db.session.scalar(
        db.select(InterviewChat)
        .filter(InterviewChat.queue_entry_id == entry_id, InterviewChat.ended_at.is_(None))
        .order_by(InterviewChat.id.desc())
        .limit(1)
    )


def entry_dict(entry: QueueEntry, reps_online: int | None = None) -> dict:
    from jobfair.live import presence
    from jobfair.models.live import QUEUE_STATUS_LABELS

    booth = entry.booth
    place = 0
    if entry.status == QueueStatus.WAITING:
        place = 1 + db.session.scalar(
            db.select(func.count())
            .select_from(QueueEntry)
            .filter(
                QueueEntry.booth_id == entry.booth_id,
                QueueEntry.status == QueueStatus.WAITING,
                QueueEntry.id < entry.id,
            )
        )
    if reps_online is None:
        reps_online = presence.count(presence.booth_key(booth.id))
    chat = None
    if entry.status in (QueueStatus.CALLED, QueueStatus.IN_CHAT):
        c = open_chat_of_entry(entry.id)
        chat = {"id": c.id, "ends_at": iso(c.ends_at)} if c else None
    return {
        "id": entry.id,
        "booth_id": booth.id,
        "fair_id": booth.fair_id,
        "employer": booth.employer.name,
        "status": entry.status,
        "status_label": QUEUE_STATUS_LABELS.get(entry.status, entry.status),
        "place": place,
        "chat_minutes": booth.chat_minutes,
        "reps_online": reps_online,
        "wait_minutes": wait_minutes(place, booth.chat_minutes, reps_online),
        "chat": chat,
    }


def my_queues(user: User) -> list[dict]:
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者有排队记录。")
    return [entry_dict(e) for e in active_entries(user.id)]


def queue_state(booth: Booth) -> dict:
    """What every seeker in a booth's queue needs to compute their own place and wait."""
    from jobfair.live import presence

    return {
        "booth_id": booth.id,
        "waiting": waiting_ids(booth.id),
        "chat_minutes": booth.chat_minutes,
        "reps_online": presence.count(presence.booth_key(booth.id)),
    }


def _busy_seekers(seeker_ids: list[int]) -> set[int]:
    if not seeker_ids:
        return set()
    return set(
        db.session.scalars(
            db.select(QueueEntry.seeker_user_id).filter(
                QueueEntry.seeker_user_id.in_(seeker_ids),
                QueueEntry.status.in_([QueueStatus.CALLED, QueueStatus.IN_CHAT]),
            )
        )
    )


def match_scores(seeker_ids: list[int], position_ids: list[int]) -> dict[int, int | None]:
    """Best match percent of each seeker against the booth's positions, when the matching
    engine is available; None (shown as "—") otherwise."""
    out: dict[int, int | None] = dict.fromkeys(seeker_ids)
    if not seeker_ids or not position_ids:
        return out
    from jobfair.models.seeker import SeekerProfile

    try:
        engine = get_engine()
        positions = db.session.scalars(
            db.select(Position).filter(Position.id.in_(position_ids))
        ).all()
        pdocs = [d for d in (position_doc(p) for p in positions) if d is not None]
        profiles = db.session.scalars(
            db.select(SeekerProfile).filter(SeekerProfile.user_id.in_(seeker_ids))
        ).all()
        for prof in profiles:
            sdoc = seeker_doc(prof, with_groups=False)
            if sdoc is None:
                continue
            best = max((float(engine.score(sdoc, pd).score) for pd in pdocs), default=None)
            if best is not None:
                out[prof.user_id] = percent(best)
    except Exception:  # matching is an aid for the rep; the queue works without it
        current_app.logger.warning("match score for the booth desk failed", exc_info=True)
    return out


def profile_summary(user_id: int) -> dict:
    from jobfair.models.common import EDUCATION_LABELS
    from jobfair.models.seeker import SeekerProfile

    prof = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=user_id))
    if prof is None:
        return {"name": "", "education": "", "major": "", "skills": "", "experience": ""}
    return {
        "name": prof.name,
        "education": EDUCATION_LABELS.get(prof.education, ""),
        "major": prof.major or "",
        "skills": (prof.skills or "")[:120],
        "experience": (prof.experience or "")[:160],
    }


def desk(user: User, booth_id) -> dict:
    """The rep's view of a booth: the waiting seekers with profile summary and match score."""
    booth = rep_booth(user, booth_id)
    entries = list(
        db.session.scalars(
            db.select(QueueEntry)
            .filter_by(booth_id=booth.id, status=QueueStatus.WAITING)
            .order_by(QueueEntry.id)
            .limit(200)
        ).unique()
    )
    ids = [e.seeker_user_id for e in entries]
    busy = _busy_seekers(ids)
    scores = match_scores(ids, booth.position_ids)
    chats = list(
        db.session.scalars(
            db.select(InterviewChat)
            .filter(InterviewChat.booth_id == booth.id, InterviewChat.ended_at.is_(None))
            .order_by(InterviewChat.id)
        ).unique()
    )
    return {
        "booth_id": booth.id,
        "fair_id": booth.fair_id,
        "employer": booth.employer.name,
        "chat_minutes": booth.chat_minutes,
        "queue": [
            {
                "entry_id": e.id,
                "place": i + 1,
                "seeker_id": e.seeker_user_id,
                "joined_at": iso(e.joined_at),
                "busy": e.seeker_user_id in busy,
                "score": scores.get(e.seeker_user_id),
                "profile": profile_summary(e.seeker_user_id),
            }
            for i, e in enumerate(entries)
        ],
        "open_chats": [chat_dict(c) for c in chats],
    }


def call_next(user: User, booth_id, entry_id=None) -> InterviewChat:
    """Call the first waiting seeker who is not busy elsewhere (or a chosen one) into a chat.

    A seeker already in a chat at another booth is passed over and keeps their place.
    """
    from jobfair.live import broadcasts

    booth = rep_booth(user, booth_id)
    if booth.fair.phase(utcnow()) != "ongoing" or booth.fair.status != FairStatus.PUBLISHED:
        raise Conflict("招聘会不在进行中，暂不能叫号。", code="fair_not_ongoing")
    mine = db.session.scalar(
        db.select(InterviewChat.id).filter(
            InterviewChat.rep_user_id == user.id, InterviewChat.ended_at.is_(None)
        )
    )
    if mine is not None:
        raise Conflict("你还有未结束的面谈，请先结束后再叫号。", code="rep_busy")
    q = (
        db.select(QueueEntry)
        .filter_by(booth_id=booth.id, status=QueueStatus.WAITING)
        .order_by(QueueEntry.id)
    )
    if entry_id:
        q = q.filter(QueueEntry.id == _int(entry_id, "排队记录不存在。"))
    candidates = list(db.session.scalars(q.limit(200)).unique())
    busy = _busy_seekers([e.seeker_user_id for e in candidates])
    now = utcnow()
    for entry in candidates:
        if entry.seeker_user_id in busy:
            continue
        _lock_user(entry.seeker_user_id)
        if _busy_seekers([entry.seeker_user_id]):
            continue
        updated = db.session.execute(
            db.update(QueueEntry)
            .where(QueueEntry.id == entry.id, QueueEntry.status == QueueStatus.WAITING)
            .values(status=QueueStatus.CALLED, called_at=now, rep_user_id=user.id)
            .execution_options(synchronize_session=False)
        )
        if updated.rowcount != 1:
            continue
        chat = InterviewChat(
            booth_id=booth.id,
            queue_entry_id=entry.id,
            seeker_user_id=entry.seeker_user_id,
            rep_user_id=user.id,
            started_at=now,
            ends_at=now + timedelta(minutes=booth.chat_minutes),
        )
        db.session.add(chat)
        db.session.commit()
        db.session.expire(entry)
        broadcasts.seeker_called(chat, chat_dict(chat))
        broadcasts.queue_changed(booth)
        return chat
    db.session.rollback()
    if entry_id and candidates:
        raise Conflict("该求职者正在其他展位面谈，请稍后再叫。", code="seeker_busy")
    if candidates:
        raise Conflict("排队的求职者都在其他展位面谈中，请稍后再叫号。", code="all_busy")
    raise Conflict("队列中暂无等待的求职者。", code="queue_empty")


def chat_dict(chat: InterviewChat) -> dict:
    booth = chat.booth
    return {
        "id": chat.id,
        "booth_id": chat.booth_id,
        "fair_id": booth.fair_id,
        "employer": booth.employer.name,
        "seeker_id": chat.seeker_user_id,
        "seeker": display_name(chat.seeker),
        "rep_id": chat.rep_user_id,
        "rep": display_name(chat.rep),
        "started_at": iso(chat.started_at),
        "ends_at": iso(chat.ends_at),
        "ended": chat.ended_at is not None,
        "ended_at": iso(chat.ended_at),
        "next_step": chat.next_step,
        "chat_minutes": booth.chat_minutes,
    }


def chat_for(user: User, chat_id) -> InterviewChat:
    """A chat the user takes part in (its seeker or its rep); anything else is 404."""
    chat = db.session.get(InterviewChat, _int(chat_id, "面谈不存在。"))
    if chat is None or user.id not in (chat.seeker_user_id, chat.rep_user_id):
        raise NotFound("面谈不存在。")
    return chat


def open_chat(user: User, chat_id) -> InterviewChat:
    """A participant opens the chat; the seeker's arrival turns 已叫号 into 面谈中."""
    from jobfair.live import broadcasts

    chat = chat_for(user, chat_id)
    if user.id == chat.seeker_user_id and chat.ended_at is None and chat.queue_entry_id:
        updated = db.session.execute(
            db.update(QueueEntry)
            .where(QueueEntry.id == chat.queue_entry_id, QueueEntry.status == QueueStatus.CALLED)
            .values(status=QueueStatus.IN_CHAT)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if updated.rowcount == 1:
            broadcasts.desk_changed(chat.booth_id)
    return chat


def send_chat_message(user: User, chat_id, client_id, body) -> dict:
    from jobfair.live import broadcasts

    chat = chat_for(user, chat_id)
    client_id = clean_client_id(client_id)
    existing = _existing_message(user, client_id)
    if existing is None:
        if chat.ended_at is not None:
            raise Conflict("面谈已结束，不能再发送消息。", code="chat_ended")
        if utcnow() > chat.ends_at:
            raise Conflict("面谈时间已到，不能再发送消息。", code="chat_timeout")
        check_can_write(user, chat.booth.fair_id)
    msg, created = _store_message(user, RoomKind.CHAT, chat.id, client_id, body)
    data = message_dict(msg)
    if created:
        broadcasts.chat_message(chat.id, data)
    return data


def _invite(rep: User, chat: InterviewChat, position_id) -> Application:
    """Invite to interview: the seeker's application for the chosen booth position moves to
    邀请面试; it is created first if the seeker has none there."""
    from jobfair.applications.services import advance_to_interview, apply

    pid = _int(position_id, "请选择邀请面试的岗位。")
    link = db.session.get(BoothPosition, (chat.booth_id, pid))
    if link is None:
        raise DomainError("请选择本展位的岗位。", fields={"position_id": "请选择本展位的岗位"})
    application = db.session.scalar(
        db.select(Application).filter_by(seeker_id=chat.seeker_user_id, position_id=pid)
    )
    if application is None or application.status == "withdrawn":
        seeker = db.session.get(User, chat.seeker_user_id)
        application, _ = apply(seeker, pid, {"note": "直播面谈中由招聘方邀请面试"})
    return advance_to_interview(application, rep, "直播面谈后邀请面试")


def end_chat(user: User, chat_id, data: dict) -> InterviewChat:
    """The rep ends the chat with notes, a 1–4 rating and the next step.

    next_step: none | interview (position_id) | handover (handed_to_user_id); no_show marks
    a called seeker who never came as 未到场.
    """
    from jobfair.live import broadcasts

    chat = chat_for(user, chat_id)
    if user.id != chat.rep_user_id:
        raise Forbidden("只有负责该面谈的招聘人员可以结束面谈。")
    if chat.ended_at is not None:
        raise Conflict("面谈已结束。", code="chat_ended")
    if not isinstance(data, dict):
        raise DomainError("请求体应为 JSON 对象。", code="bad_request", status=400)
    notes = data.get("notes") or ""
    if not isinstance(notes, str) or len(notes) > 2000:
        raise DomainError("面谈记录不能超过 2000 个字。", fields={"notes": "不超过 2000 个字"})
    rating = data.get("rating")
    if rating in ("", None):
        rating = None
    else:
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 4:
            raise DomainError("评分应为 1–4 分。", fields={"rating": "评分应为 1–4 分"})
    step = data.get("next_step") or NextStep.NONE
    if step not in set(NextStep):
        raise DomainError("下一步无效。", fields={"next_step": "请选择下一步"})
    no_show = str(data.get("no_show") or "").lower() in ("1", "true", "on", "yes")
    booth = chat.booth
    handed_to = None
    if step == NextStep.HANDOVER:
        from jobfair.fairs.booths import booth_reps

        try:
            handed_to = int(data.get("handed_to_user_id") or 0)
        except (TypeError, ValueError):
            handed_to = 0
        reps = {r.id for r in booth_reps(booth)}
        if handed_to not in reps or handed_to == user.id:
            raise DomainError(
                "请选择本单位的另一位招聘人员。", fields={"handed_to_user_id": "请选择同事"}
            )
        busy = db.session.scalar(
            db.select(InterviewChat.id).filter(
                InterviewChat.rep_user_id == handed_to, InterviewChat.ended_at.is_(None)
            )
        )
        if busy is not None:
            raise Conflict("这位同事正在面谈中，请稍后再转交。", code="rep_busy")
    application_id = None
    position_id = None
    if step == NextStep.INTERVIEW:
        application = _invite(user, chat, data.get("position_id"))
        application_id, position_id = application.id, application.position_id
        chat = chat_for(user, chat_id)
    now = utcnow()
    chat.ended_at = now
    chat.notes = notes.strip()
    chat.rating = rating
    chat.next_step = step
    chat.position_id = position_id
    chat.application_id = application_id
    chat.handed_to_user_id = handed_to
    entry = db.session.get(QueueEntry, chat.queue_entry_id) if chat.queue_entry_id else None
    new_chat = None
    if step == NextStep.HANDOVER:
        new_chat = InterviewChat(
            booth_id=booth.id,
            queue_entry_id=chat.queue_entry_id,
            seeker_user_id=chat.seeker_user_id,
            rep_user_id=handed_to,
            started_at=now,
            ends_at=now + timedelta(minutes=booth.chat_minutes),
        )
        db.session.add(new_chat)
        if entry is not None:
            entry.rep_user_id = handed_to
    elif entry is not None and entry.status in (QueueStatus.CALLED, QueueStatus.IN_CHAT):
        entry.status = QueueStatus.SKIPPED if no_show else QueueStatus.DONE
        entry.finished_at = now
    db.session.commit()
    data_out = chat_dict(chat)
    if application_id:
        data_out["application_id"] = application_id
    if new_chat is not None:
        data_out["handed_to_chat_id"] = new_chat.id
    broadcasts.chat_ended(chat, data_out)
    if new_chat is not None:
        broadcasts.seeker_called(new_chat, chat_dict(new_chat), handover=True)
    broadcasts.queue_changed(booth)
    return chat


# --- moderation ------------------------------------------------------------------------------


def visible_message(user: User, message_id) -> LiveMessage:
    """A message the user could see: in a session they may watch, or their own 1:1 chat."""
    msg = db.session.get(LiveMessage, _int(message_id, "消息不存在。"))
    if msg is None:
        raise NotFound("消息不存在。")
    if msg.room_kind == RoomKind.SESSION:
        visible_session(user, msg.room_id)
    elif msg.room_kind == RoomKind.CHAT and not is_organiser(user):
        chat_for(user, msg.room_id)
    return msg


def report_message(user: User, message_id, reason="") -> dict:
    from jobfair.live import broadcasts

    msg = visible_message(user, message_id)
    if msg.user_id == user.id:
        raise DomainError("不能举报自己的消息。", code="own_message")
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if len(reason) > 200:
        raise DomainError("举报理由不能超过 200 个字。", fields={"reason": "不超过 200 个字"})
    existing = db.session.scalar(
        db.select(MessageReport).filter_by(message_id=msg.id, reporter_id=user.id)
    )
    if existing is None:
        existing = MessageReport(message_id=msg.id, reporter_id=user.id, reason=reason)
        db.session.add(existing)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
        else:
            fair_id = _fair_id_of_room(msg.room_kind, msg.room_id)
            if fair_id is not None:
                broadcasts.console_changed(fair_id)
    return {"reported": True, "message_id": msg.id}


def delete_message(user: User, message_id) -> dict:
    from jobfair.audit import record
    from jobfair.live import broadcasts

    if not is_organiser(user):
        raise Forbidden("只有主办方可以删除消息。")
    msg = db.session.get(LiveMessage, _int(message_id, "消息不存在。"))
    if msg is None:
        raise NotFound("消息不存在。")
    if msg.deleted_at is None:
        now = utcnow()
        msg.deleted_at = now
        msg.deleted_by = user.id
        db.session.execute(
            db.update(MessageReport)
            .where(MessageReport.message_id == msg.id, MessageReport.status == ReportStatus.OPEN)
            .values(status=ReportStatus.RESOLVED, resolved_at=now, resolved_by=user.id)
            .execution_options(synchronize_session=False)
        )
        record(user.id, "live.message_delete", "live_message", msg.id, room=msg.room_kind)
        db.session.commit()
    data = message_dict(msg)
    broadcasts.message_deleted(msg, data)
    fair_id = _fair_id_of_room(msg.room_kind, msg.room_id)
    if fair_id is not None:
        broadcasts.console_changed(fair_id)
    return data


def dismiss_report(user: User, report_id) -> None:
    if not is_organiser(user):
        raise Forbidden()
    report = db.session.get(MessageReport, _int(report_id, "举报不存在。"))
    if report is None:
        raise NotFound("举报不存在。")
    if report.status == ReportStatus.OPEN:
        report.status = ReportStatus.DISMISSED
        report.resolved_at = utcnow()
        report.resolved_by = user.id
        db.session.commit()


RESTRICT_MINUTES = (10, 30, 60, 24 * 60)


def restrict_user(user: User, fair_id, target_id, kind, minutes, reason="") -> LiveRestriction:
    """Mute (may watch, may not write) or remove (disconnected, refused) a user for a period."""
    from jobfair.audit import record
    from jobfair.live import broadcasts

    fair = organiser_fair(user, fair_id)
    target = db.session.get(User, _int(target_id, "用户不存在。"))
    if target is None:
        raise NotFound("用户不存在。")
    if target.role == Role.ORGANISER:
        raise DomainError("不能禁言或移出主办方人员。", code="forbidden_target")
    if kind not in set(RestrictionKind):
        raise DomainError("请选择禁言或移出。", fields={"kind": "请选择禁言或移出"})
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if minutes not in RESTRICT_MINUTES:
        raise DomainError("请选择时长。", fields={"minutes": "请选择时长"})
    reason = (reason or "").strip()[:200] if isinstance(reason, str) else ""
    r = LiveRestriction(
        user_id=target.id,
        kind=kind,
        fair_id=fair.id,
        until=utcnow() + timedelta(minutes=minutes),
        reason=reason,
        created_by=user.id,
    )
    db.session.add(r)
    record(user.id, "live.restrict", "user", target.id, kind=kind, minutes=minutes, fair=fair.id)
    db.session.commit()
    if kind == RestrictionKind.BAN:
        broadcasts.kick(target.id)
    return r


def open_reports(fair_id: int) -> list[MessageReport]:
    reports = db.session.scalars(
        db.select(MessageReport)
        .filter(MessageReport.status == ReportStatus.OPEN)
        .order_by(MessageReport.id)
        .limit(500)
    ).unique()
    return [
        r for r in reports if _fair_id_of_room(r.message.room_kind, r.message.room_id) == fair_id
    ]


def fair_counters(fair: Fair) -> dict:
    """The organiser console's counters for one fair."""
    from jobfair.live import presence

    booth_ids = db.select(Booth.id).filter(Booth.fair_id == fair.id)
    position_ids = db.select(BoothPosition.position_id).filter(
        BoothPosition.booth_id.in_(booth_ids)
    )

    def count(q):
        return db.session.scalar(db.select(func.count()).select_from(q.subquery()))

    return {
        "fair_id": fair.id,
        "online": presence.count(presence.fair_key(fair.id)),
        "visitors": count(db.select(FairVisit.user_id).filter_by(fair_id=fair.id)),
        "queue_joins": count(db.select(QueueEntry.id).filter(QueueEntry.booth_id.in_(booth_ids))),
        "waiting": count(
            db.select(QueueEntry.id).filter(
                QueueEntry.booth_id.in_(booth_ids), QueueEntry.status == QueueStatus.WAITING
            )
        ),
        "chats": count(db.select(InterviewChat.id).filter(InterviewChat.booth_id.in_(booth_ids))),
        "interviews": count(
            db.select(InterviewChat.id).filter(
                InterviewChat.booth_id.in_(booth_ids),
                InterviewChat.next_step == NextStep.INTERVIEW,
            )
        ),
        "applications": count(
            db.select(Application.id).filter(
                Application.position_id.in_(position_ids),
                Application.created_at >= fair.starts_at,
                Application.created_at <= fair.ends_at,
            )
        ),
    }
