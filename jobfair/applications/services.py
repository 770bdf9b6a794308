"""Application services: apply, withdraw, the seeker's list and the employer's applicant pipeline."""

from datetime import date

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from jobfair import events
from jobfair.database import begin_write
from jobfair.employers.acting import require_employer
from jobfair.errors import Conflict, DomainError, NotFound
from jobfair.extensions import db
from jobfair.formatting import iso
from jobfair.ids import require_id
from jobfair.models.application import (
    APPLICATION_ORIGIN_LABELS,
    APPLICATION_STATUS_LABELS,
    Application,
    ApplicationEvent,
    ApplicationOrigin,
    ApplicationStatus,
)
from jobfair.models.common import utcnow
from jobfair.models.employer import Employer
from jobfair.models.position import Position, PositionStatus
from jobfair.models.seeker import SeekerProfile
from jobfair.models.user import Role, User
from jobfair.positions import channels
from jobfair.seekers.services import clean_text, get_profile, has_contact, profile_dict
from jobfair.validation import BaseSchema, Choice, Text, load

S = ApplicationStatus
# The employer's pipeline: 新投递 → 已查看 → 邀请面试 → 录用 → 已入职; any non-final → 未通过.
TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.VIEWED, S.REJECTED},
    S.VIEWED: {S.INTERVIEW, S.REJECTED},
    S.INTERVIEW: {S.HIRED, S.REJECTED},
    S.HIRED: {S.ONBOARDED, S.REJECTED},
}
FINAL = {S.ONBOARDED, S.REJECTED, S.WITHDRAWN}
# A seeker may withdraw while the process is still running (not after 已入职 or 未通过).
WITHDRAWABLE = {S.SUBMITTED, S.VIEWED, S.INTERVIEW, S.HIRED}
# What the employer's status form offers next, in pipeline order.
NEXT_STEPS = {k: [s for s in S if s in v] for k, v in TRANSITIONS.items()}

ALREADY_APPLIED = "你已投递过该岗位（已投递）。"
POSITION_CLOSED = "该岗位已停止招聘，不能投递。"
PROFILE_INCOMPLETE = "投递前请先在求职资料中填写姓名和手机号。"
STALE = "投递状态刚刚发生了变化，请刷新页面后重试。"


MAX_PAGE = 10_000


def status_label(status: str | None) -> str:
    return APPLICATION_STATUS_LABELS.get(status, status or "")


def position_open(position: Position) -> bool:
    """Published and the deadline (inclusive) has not passed."""
    return position.status == PositionStatus.PUBLISHED and (
        position.deadline is None or position.deadline >= date.today()
    )


# --- seeker side ---------------------------------------------------------------------------


class ApplySchema(BaseSchema):
    note = Text(max_len=500)


def _require_seeker(user: User) -> None:
    if user.role != Role.SEEKER:
        raise DomainError("只有求职者可以投递岗位。", code="forbidden", status=403)


def _event(app: Application, to: str, actor: User, note: str = "", frm: str | None = None):
    return ApplicationEvent(
        application_id=app.id, from_status=frm, to_status=to, actor_id=actor.id, note=note
    )


def _find(seeker_id: int, position_id: int) -> Application | None:
    return db.session.scalar(
        db.select(Application).filter_by(seeker_id=seeker_id, position_id=position_id)
    )


def apply(
    seeker: User,
    position_id: int,
    data: dict,
    *,
    form: bool = False,
    opened_by: User | None = None,
    opened_note: str = "",
    origin: str = ApplicationOrigin.SEEKER,
):
    """Apply to a position with the profile and an optional note → (application, reopened).

    One application per seeker and position is a database constraint, so simultaneous
    attempts end in exactly one row and clear 409s. Applying again after withdrawing
    reopens the same application as 新投递, with a history entry.

    ``opened_by``: a rep opens the application for the seeker (邀请面试 in a live chat). The
    seeker's own note stays empty and the first timeline entry is the rep's, with
    ``opened_note`` as the rep's words, so nobody reads it as the seeker's doing.
    """
    _require_seeker(seeker)
    note = clean_text(load(ApplySchema(), data, form=form)["note"])
    actor = seeker
    event_note = ""
    if opened_by is not None:
        actor, note, event_note = opened_by, "", clean_text(opened_note)
        origin = ApplicationOrigin.EMPLOYER
    position = db.session.get(Position, require_id(position_id, "岗位不存在或尚未发布。"))
    if position is None or position.status not in (PositionStatus.PUBLISHED, PositionStatus.CLOSED):
        raise NotFound("岗位不存在或尚未发布。")
    channels.check_can_apply(seeker, position)
    if not position_open(position):
        raise Conflict(POSITION_CLOSED, code="position_closed")
    if not has_contact(get_profile(seeker)):
        raise DomainError(PROFILE_INCOMPLETE, code="profile_incomplete", status=422)

    existing = _find(seeker.id, position_id)
    if existing is not None:
        if existing.status != S.WITHDRAWN:
            raise Conflict(ALREADY_APPLIED, code="already_applied")
        _move(
            existing,
            S.WITHDRAWN,
            S.SUBMITTED,
            actor,
            event_note or "重新投递",
            new_note=note,
            origin=origin,
        )
        events.application_submitted.send(position, reopened=True)
        db.session.commit()
        return existing, True

    application = Application(
        position_id=position_id, seeker_id=seeker.id, note=note, status=S.SUBMITTED, origin=origin
    )
    application.events = [
        ApplicationEvent(
            from_status=None, to_status=S.SUBMITTED, actor_id=actor.id, note=event_note
        )
    ]
    db.session.add(application)
    try:
        # Inside the try: the notification reads the employer, which autoflushes the insert.
        events.application_submitted.send(position, reopened=False)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if _find(seeker.id, position_id) is not None:
            raise Conflict(ALREADY_APPLIED, code="already_applied") from None
        raise
    return application, False


def _move(
    app: Application, frm: str, to: str, actor: User, note: str, new_note=None, origin=None
) -> None:
    """Change the status only if nobody changed it meanwhile, and record the change."""
    values = {"status": to, "updated_at": utcnow()}
    if new_note is not None:
        values["note"] = new_note
    if origin is not None:
        values["origin"] = origin
    result = db.session.execute(
        db.update(Application)
        .where(Application.id == app.id, Application.status == frm)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(STALE, code="stale_status")
    db.session.add(_event(app, to, actor, note, frm))
    db.session.expire(app)


def _seeker_query():
    return db.select(Application).options(
        selectinload(Application.events),
        selectinload(Application.position).selectinload(Position.employer),
    )


def own_application(seeker: User, application_id: int) -> Application:
    """The seeker's own application; anybody else's is 404."""
    _require_seeker(seeker)
    require_id(application_id, "投递记录不存在。")
    app = db.session.scalar(_seeker_query().filter_by(id=application_id, seeker_id=seeker.id))
    if app is None:
        raise NotFound("投递记录不存在。")
    return app


def seeker_applications(seeker: User, limit: int | None = None) -> list[Application]:
    _require_seeker(seeker)
    q = (
        _seeker_query()
        .filter_by(seeker_id=seeker.id)
        .order_by(Application.updated_at.desc(), Application.id.desc())
    )
    if limit:
        q = q.limit(limit)
    return list(db.session.scalars(q).all())


def withdraw(seeker: User, application_id: int) -> Application:
    app = own_application(seeker, application_id)
    if app.status == S.WITHDRAWN:
        raise Conflict("该投递已撤回。", code="already_withdrawn")
    if app.status not in WITHDRAWABLE:
        raise Conflict(
            f"该投递已结束（{status_label(app.status)}），不能撤回。", code="invalid_transition"
        )
    _move(app, app.status, S.WITHDRAWN, seeker, "")
    db.session.commit()
    return app


def application_for(seeker: User | None, position_id: int) -> Application | None:
    """The seeker's application for a position, if any (for the position page's apply box)."""
    if seeker is None or seeker.role != Role.SEEKER:
        return None
    return _find(seeker.id, position_id)


# --- employer side -------------------------------------------------------------------------


def _employer(user: User) -> Employer:
    """The owner's company whose applicants these are (see employers.acting)."""
    return require_employer(user, NotFound("请先填写单位信息。"))


def owned_position(user: User, position_id: int) -> Position:
    """One of the employer's own positions; any other id is 404."""
    employer = _employer(user)
    require_id(position_id, "岗位不存在。")
    position = db.session.scalar(
        db.select(Position).filter_by(id=position_id, employer_id=employer.id)
    )
    if position is None:
        raise NotFound("岗位不存在。")
    return position


def position_applicants(
    user: User, position_id: int, *, status: str | None = None, page: int = 1, per_page: int = 20
):
    """(position, applications on this page, total) for the employer's own position."""
    position = owned_position(user, position_id)
    q = db.select(Application).filter_by(position_id=position.id)
    if status and status in set(S):
        q = q.filter_by(status=status)
    total = db.session.scalar(db.select(func.count()).select_from(q.subquery()))
    page = min(max(1, page), MAX_PAGE)
    rows = db.session.scalars(
        q.options(selectinload(Application.seeker))
        .order_by(Application.created_at.desc(), Application.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    profiles = {
        p.user_id: p
        for p in db.session.scalars(
            db.select(SeekerProfile).filter(SeekerProfile.user_id.in_([a.seeker_id for a in rows]))
        )
    }
    return position, [(a, profiles.get(a.seeker_id)) for a in rows], total


def status_counts(user: User, position_id: int) -> dict[str, int]:
    position = owned_position(user, position_id)
    rows = db.session.execute(
        db.select(Application.status, func.count())
        .filter_by(position_id=position.id)
        .group_by(Application.status)
    ).all()
    return {s: n for s, n in rows}


def applicant_counts(user: User, position_ids: list[int]) -> dict[int, dict[str, int]]:
    """{position_id: {"total": n, "new": m}} for the employer's own positions in the list."""
    employer = _employer(user)
    rows = db.session.execute(
        db.select(Application.position_id, Application.status, func.count())
        .join(Position, Position.id == Application.position_id)
        .filter(Position.employer_id == employer.id, Application.position_id.in_(position_ids))
        .group_by(Application.position_id, Application.status)
    ).all()
    out: dict[int, dict[str, int]] = {}
    for pid, st, n in rows:
        c = out.setdefault(pid, {"total": 0, "new": 0})
        c["total"] += n
        if st == S.SUBMITTED:
            c["new"] += n
    return out


def employer_application(user: User, application_id: int) -> Application:
    """An application to one of the employer's own positions; anything else is 404."""
    employer = _employer(user)
    require_id(application_id, "投递记录不存在。")
    app = db.session.scalar(
        db.select(Application)
        .join(Position, Position.id == Application.position_id)
        .filter(Application.id == application_id, Position.employer_id == employer.id)
        .options(selectinload(Application.events), selectinload(Application.seeker))
    )
    if app is None:
        raise NotFound("投递记录不存在。")
    return app


def open_application(user: User, application_id: int) -> Application:
    """The employer opens an application: a 新投递 becomes 已查看 (recorded in the history)."""
    app = employer_application(user, application_id)
    if app.status == S.SUBMITTED:
        # db.session is a scoped_session proxy; begin_write needs the Session itself.
        begin_write(db.session)
        app = employer_application(user, application_id)
        if app.status == S.SUBMITTED:
            try:
                _move(app, S.SUBMITTED, S.VIEWED, user, "")
            except Conflict:
                pass  # someone else opened it at the same moment; show the current state
            else:
                events.application_status_changed.send(
                    app, to_status=S.VIEWED, note="", actor_id=user.id
                )
                db.session.commit()
            app = employer_application(user, application_id)
    return app


class StatusSchema(BaseSchema):
    status = Choice(list(S), required=True)
    note = Text(max_len=500)


def change_status(user: User, application_id: int, data: dict, *, form: bool = False):
    """Move an applicant along the pipeline; invalid moves are 422 and change nothing."""
    app = employer_application(user, application_id)
    values = load(StatusSchema(), data, form=form)
    to, note = values["status"], clean_text(values["note"])
    if app.status == S.WITHDRAWN:
        raise DomainError(
            "求职者已撤回该投递，不能再变更状态。", code="application_withdrawn", status=422
        )
    if to == S.WITHDRAWN:
        raise DomainError("只有求职者本人可以撤回投递。", code="invalid_transition", status=422)
    if to not in TRANSITIONS.get(app.status, set()):
        raise DomainError(
            f"不能把投递从“{status_label(app.status)}”变更为“{status_label(to)}”。",
            code="invalid_transition",
            status=422,
            fields={"status": "不允许的状态变更"},
        )
    _move(app, app.status, to, user, note)
    # Notifications tell the seeker; case work records a hire in this same transaction.
    events.application_status_changed.send(app, to_status=to, note=note, actor_id=user.id)
    db.session.commit()
    return employer_application(user, application_id)


def advance_to_interview(app: Application, actor: User, note: str = "") -> Application:
    """Move an application on to 邀请面试 (via 已查看 when new), for callers that already checked
    the actor's right (the live booth desk, where reps act for their employer). Commits."""
    if app.status == S.WITHDRAWN:
        raise DomainError("求职者已撤回该投递，不能邀请面试。", code="application_withdrawn")
    if app.status in (S.INTERVIEW, S.HIRED, S.ONBOARDED):
        return app
    if app.status == S.REJECTED:
        raise Conflict("该投递已结束（未通过），不能邀请面试。", code="invalid_transition")
    if app.status == S.SUBMITTED:
        _move(app, S.SUBMITTED, S.VIEWED, actor, "")
    note = clean_text(note)
    _move(app, S.VIEWED, S.INTERVIEW, actor, note)
    events.application_status_changed.send(app, to_status=S.INTERVIEW, note=note, actor_id=actor.id)
    db.session.commit()
    return app


# --- serialisation -------------------------------------------------------------------------


def actor_kind(app: Application, event: ApplicationEvent) -> str:
    if event.actor_id is None:
        return "system"
    return "seeker" if event.actor_id == app.seeker_id else "employer"


ACTOR_LABELS = {"seeker": "求职者", "employer": "用人单位", "system": "系统"}
# Timeline entries that are not a status change (ApplicationEvent.kind), see jobfair.interviews.
EVENT_KIND_LABELS = {
    "interview_proposed": "安排面试",
    "interview_changed": "面试改期",
    "interview_accepted": "确认参加面试",
    "interview_declined": "婉拒面试",
    "interview_reschedule": "申请改期",
    "interview_cancelled": "取消面试",
}


def _event_label(app: Application, e: ApplicationEvent) -> str:
    if e.kind:
        return EVENT_KIND_LABELS.get(e.kind, e.kind)
    if e.from_status is None and actor_kind(app, e) != "seeker":
        return "招聘方发起（求职者未投递）"
    return status_label(e.to_status)


def history(app: Application, *, for_json: bool = True) -> list[dict]:
    """The timeline, oldest first: each entry says who did it and whose words its note is.
    Templates ask for datetimes (for_json=False)."""
    return [
        {
            "kind": e.kind or "status",
            "from_status": e.from_status if not e.kind else None,
            "from_label": status_label(e.from_status) if e.from_status and not e.kind else None,
            "to_status": e.to_status,
            "to_label": _event_label(app, e),
            "by": actor_kind(app, e),
            "by_label": ACTOR_LABELS[actor_kind(app, e)],
            "note": e.note,
            "created_at": iso(e.created_at) if for_json else e.created_at,
        }
        for e in app.events
    ]


def add_timeline_entry(app: Application, kind: str, actor: User | None, note: str = "") -> None:
    """Record something that happened to an application without changing its status (an
    interview arranged or answered); the caller commits."""
    db.session.add(
        ApplicationEvent(
            application_id=app.id,
            from_status=app.status,
            to_status=app.status,
            actor_id=actor.id if actor is not None else None,
            note=note,
            kind=kind,
        )
    )


def application_dict(app: Application, *, for_seeker: bool = False, for_employer: bool = False):
    """An application as JSON: the seeker sees the employer; the employer sees the seeker,
    with full contact details unless the seeker has withdrawn."""
    position = app.position
    out = {
        "id": app.id,
        "status": app.status,
        "status_label": status_label(app.status),
        "note": app.note,
        "origin": app.origin,
        "origin_label": APPLICATION_ORIGIN_LABELS.get(app.origin, ""),
        "created_at": iso(app.created_at),
        "updated_at": iso(app.updated_at),
        "position": {
            "id": position.id,
            "title": position.title,
            "status": position.status,
            "district": position.district,
            "employer": {"id": position.employer_id, "name": position.employer.name},
        },
        "history": history(app),
    }
    if for_seeker:
        out["can_withdraw"] = app.status in WITHDRAWABLE
    if for_employer:
        reveal = app.status != S.WITHDRAWN
        profile = get_profile(app.seeker)
        seeker = profile_dict(profile, owner=False, reveal_contact=reveal)
        seeker["id"] = app.seeker_id
        seeker["email"] = app.seeker.email if reveal else None
        out["seeker"] = seeker
        out["next_statuses"] = [] if app.status in FINAL else NEXT_STEPS.get(app.status, [])
    return out
