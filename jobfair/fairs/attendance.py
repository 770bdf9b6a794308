"""到场 (attendance): a registered seeker entering the fair online, or checked in on site.

Rules:
- Only a registered seeker can attend, while the fair is published and not over.
- Online: the seeker presses 进入会场 (an explicit join; opening the fair page or the lobby
  socket does not count). Joining a booth queue is an explicit join as well.
- On site: staff (an organiser, or a rep of an employer with an approved booth at this fair)
  scans the seeker's QR code or types the check-in code printed under it.
- One row per person and fair (``FairAttendance``): the first online join and the first
  on-site check-in are both kept, repeats change nothing.
"""

import secrets

from jobfair.employers.acting import employer_of
from jobfair.errors import Conflict, DomainError, Forbidden
from jobfair.extensions import db
from jobfair.fairs.fairs import public_fair_or_404
from jobfair.masking import mask_name
from jobfair.models.common import utcnow
from jobfair.models.fair import (
    Booth,
    BoothStatus,
    Fair,
    FairAttendance,
    FairRegistration,
    FairStatus,
)
from jobfair.models.seeker import SeekerProfile
from jobfair.models.user import Role, User
from jobfair.transactions import commit_or_conflict

# No 0/O, 1/I/L: staff type these from a phone screen.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
NOT_REGISTERED = "请先报名参加本场招聘会。"
BAD_CODE = "签到码不正确，或不是本场招聘会的签到码，请核对后重新输入。"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw) -> str:
    return "".join(str(raw or "").split()).upper().replace("-", "")[:20]


def _check_open(fair: Fair) -> None:
    if fair.status != FairStatus.PUBLISHED or fair.phase(utcnow()) == "past":
        raise Conflict("本场招聘会已结束。", code="fair_over")


def _registration(user: User, fair: Fair) -> FairRegistration:
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者可以进入会场。")
    reg = db.session.scalar(
        db.select(FairRegistration).filter_by(fair_id=fair.id, seeker_user_id=user.id)
    )
    if reg is None:
        raise DomainError(NOT_REGISTERED, code="not_registered", status=409)
    return reg


def attendance_of(user_id: int, fair_id: int) -> FairAttendance | None:
    return db.session.scalar(
        db.select(FairAttendance).filter_by(fair_id=fair_id, seeker_user_id=user_id)
    )


def _mark(fair_id: int, seeker_id: int, *, online: bool, by: int | None = None):
    """(row, first time this way); adds to the session, the caller commits."""
    row = attendance_of(seeker_id, fair_id)
    now = utcnow()
    if row is None:
        row = FairAttendance(fair_id=fair_id, seeker_user_id=seeker_id)
        db.session.add(row)
    first = (row.online_at if online else row.onsite_at) is None
    if first and online:
        row.online_at = now
    elif first:
        row.onsite_at, row.checked_in_by = now, by
    return row, first


def mark_onsite(fair_id: int, seeker_id: int, by: int | None) -> bool:
    """Record an on-site 到场 inside the caller's transaction (a booth check-in, a kiosk
    registration) → first time on site."""
    _, first = _mark(fair_id, seeker_id, online=False, by=by)
    return first


def registration_by_code(fair_id: int, code) -> FairRegistration:
    """The registration whose check-in code staff scanned or typed (422 if none)."""
    value = normalise_code(code)
    if not value:
        raise DomainError(
            "请输入签到码。", code="validation_error", fields={"code": "请输入签到码。"}
        )
    reg = db.session.scalar(
        db.select(FairRegistration).filter_by(fair_id=fair_id, checkin_code=value)
    )
    if reg is None:
        raise DomainError(BAD_CODE, code="bad_code", status=422, fields={"code": BAD_CODE})
    return reg


def check_open(fair: Fair) -> None:
    _check_open(fair)


def mark_online(user: User, fair: Fair) -> bool:
    """Record an online join inside the caller's transaction (e.g. joining a booth queue)."""
    if user.role != Role.SEEKER:
        return False
    _, first = _mark(fair.id, user.id, online=True)
    return first


def join_online(user: User, fair_id) -> tuple[FairAttendance, bool]:
    """进入会场: the seeker's explicit online join → (attendance, first time)."""
    fair = public_fair_or_404(fair_id)
    _registration(user, fair)
    _check_open(fair)
    if fair.phase(utcnow()) != "ongoing":
        raise Conflict("招聘会还没有开始，开始后才能进入会场。", code="fair_not_ongoing")
    row, first = _mark(fair.id, user.id, online=True)
    commit_or_conflict("刚刚已记录到场，请刷新页面。", code="already_attended")
    return row, first


def checkin_code(user: User, fair_id) -> tuple[Fair, FairRegistration]:
    """The seeker's check-in code for this fair (made on first request for older rows)."""
    fair = public_fair_or_404(fair_id)
    reg = _registration(user, fair)
    if not reg.checkin_code:
        reg.checkin_code = new_code()
        commit_or_conflict("请刷新页面后重试。", code="conflict")
    return fair, reg


def can_check_in(actor: User, fair: Fair) -> bool:
    """Organisers, and reps of an employer with an approved booth at this fair."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.role == Role.ORGANISER:
        return True
    employer = employer_of(actor)
    if employer is None:
        return False
    return (
        db.session.scalar(
            db.select(Booth.id).filter_by(
                fair_id=fair.id, employer_id=employer.id, status=BoothStatus.APPROVED
            )
        )
        is not None
    )


def staff_fair(actor: User, fair_id) -> Fair:
    """The fair, if this account may check people in at it (else 403)."""
    fair = public_fair_or_404(fair_id)
    if not can_check_in(actor, fair):
        raise Forbidden("只有组织方和本场招聘会参展单位的工作人员可以办理现场签到。")
    return fair


def check_in(actor: User, fair_id, code) -> dict:
    """Staff check a seeker in by code → what the door needs to see (name masked)."""
    fair = staff_fair(actor, fair_id)
    _check_open(fair)
    value = normalise_code(code)
    if not value:
        raise DomainError(
            "请输入签到码。", code="validation_error", fields={"code": "请输入签到码。"}
        )
    reg = db.session.scalar(
        db.select(FairRegistration).filter_by(fair_id=fair.id, checkin_code=value)
    )
    if reg is None:
        raise DomainError(BAD_CODE, code="bad_code", status=422, fields={"code": BAD_CODE})
    row, first = _mark(fair.id, reg.seeker_user_id, online=False, by=actor.id)
    commit_or_conflict("刚刚已签到，请刷新页面。", code="already_checked_in")
    profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=reg.seeker_user_id))
    name = (profile.name if profile and profile.name else "") or reg.seeker.name
    return {
        "fair_id": fair.id,
        "name": mask_name(name),
        "checked_in_at": row.onsite_at,
        "first_time": first,
    }


def attendance_counts(fair_id: int) -> dict:
    rows = db.session.execute(
        db.select(FairAttendance.online_at, FairAttendance.onsite_at).filter_by(fair_id=fair_id)
    ).all()
    return {
        "total": len(rows),
        "online": sum(1 for on, _ in rows if on is not None),
        "onsite": sum(1 for _, site in rows if site is not None),
    }
