"""Organisers' announcements and pinned positions, and one-click applying from a pin."""

from sqlalchemy.exc import IntegrityError

from jobfair.applications.services import apply
from jobfair.errors import Conflict, DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.ids import require_id
from jobfair.live import broadcasts
from jobfair.live.access import (
    can_host,
    clean_body,
    clean_client_id,
    is_organiser,
    organiser_fair,
    public_fair,
    visible_session,
)
from jobfair.live.queries import active_pins
from jobfair.live.serializers import announcement_dict, pin_dict
from jobfair.models.common import utcnow
from jobfair.models.fair import Booth, BoothStatus, LiveSession
from jobfair.models.live import Announcement, LiveApplication, PinnedPosition
from jobfair.models.position import Position, PositionStatus
from jobfair.models.user import Role, User


def announce(user: User, fair_id, client_id, body, session_id=None) -> dict:
    """An organiser's announcement to a fair (lobby, sessions, queues) or to one session."""
    if session_id:
        ls = db.session.get(LiveSession, require_id(session_id, "直播不存在。"))
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


def _pinnable(fair_id: int | None, ls: LiveSession | None, position_id) -> Position:
    """A published position of a booth in the fair or of an employer presenting in the session."""
    position = db.session.get(Position, require_id(position_id, "岗位不存在。"))
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


def pinnable_positions(ls: LiveSession) -> list[Position]:
    """What a session's host may pin: the published positions of the employers presenting in
    the session and of the fair's approved booths (the host picks from this list)."""
    employer_ids = set(ls.employer_ids)
    if ls.fair_id is not None:
        employer_ids |= set(
            db.session.scalars(
                db.select(Booth.employer_id).filter_by(
                    fair_id=ls.fair_id, status=BoothStatus.APPROVED
                )
            )
        )
    if not employer_ids:
        return []
    return list(
        db.session.scalars(
            db.select(Position)
            .filter(
                Position.employer_id.in_(employer_ids),
                Position.status == PositionStatus.PUBLISHED,
            )
            .order_by(Position.employer_id, Position.id)
            .limit(300)
        )
    )


def pin_position(user: User, position_id, *, fair_id=None, session_id=None) -> dict:
    ls = None
    if session_id:
        ls = db.session.get(LiveSession, require_id(session_id, "直播不存在。"))
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
    pin = db.session.get(PinnedPosition, require_id(pin_id, "置顶不存在。"))
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
    pin = db.session.get(PinnedPosition, require_id(pin_id, "置顶岗位不存在。"))
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
