"""Seeker registration for fairs (capacity, eligibility group) and the organiser's registrant list."""

from jobfair.errors import Conflict, Forbidden
from jobfair.extensions import db
from jobfair.fairs.attendance import new_code
from jobfair.fairs.fairs import (
    get_fair,
    public_fair_or_404,
    registration_count,
    require_organiser,
)
from jobfair.fairs.schemas import GROUP_CODES
from jobfair.formatting import local_today
from jobfair.models.common import GROUP_LABELS, utcnow
from jobfair.models.fair import Fair, FairAttendance, FairRegistration, FairStatus
from jobfair.models.seeker import SeekerProfile
from jobfair.models.user import Role, User
from jobfair.transactions import commit_or_conflict

ALREADY_REGISTERED = "你已报名本场招聘会。"


def _require_seeker(user) -> None:
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者可以报名招聘会。")


def registration_of(user, fair_id: int) -> FairRegistration | None:
    if user is None or not user.is_authenticated or user.role != Role.SEEKER:
        return None
    return db.session.scalar(
        db.select(FairRegistration).filter_by(fair_id=fair_id, seeker_user_id=user.id)
    )


def eligibility_problem(user: User, fair: Fair) -> str | None:
    """Why this seeker may not register for an eligibility-restricted fair, or None."""
    if not fair.eligibility_group:
        return None
    label = GROUP_LABELS.get(fair.eligibility_group, fair.eligibility_group)
    profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=user.id))
    today = local_today()
    # Only a status 认定 by a case worker opens a group-restricted fair.
    if profile and fair.eligibility_group in profile.verified_groups(today):
        return None
    if profile and profile.group_consent and fair.eligibility_group in profile.group_codes:
        return (
            f"本场招聘会仅面向经认定的{label}。您的身份为本人申报，尚未认定，"
            "请携带证明材料到所在区的公共就业服务机构办理认定后再报名。"
        )
    return f"本场招聘会仅面向经认定的{label}。如您属于该群体，请在“我的资料”中勾选并同意使用重点群体信息，并到所在区办理认定后再报名。"


def register(user: User, fair_id: int) -> FairRegistration:
    _require_seeker(user)
    fair = public_fair_or_404(fair_id)
    # Lock the fair row (PostgreSQL) so two last-seat registrations cannot both pass the
    # capacity check; SQLite writers are already serialised by BEGIN IMMEDIATE.
    db.session.execute(db.select(Fair.id).filter_by(id=fair.id).with_for_update())
    if fair.status != FairStatus.PUBLISHED or fair.phase(utcnow()) == "past":
        raise Conflict("本场招聘会已结束，不能报名。", code="fair_over")
    if registration_of(user, fair.id) is not None:
        raise Conflict(ALREADY_REGISTERED, code="already_registered")
    problem = eligibility_problem(user, fair)
    if problem:
        raise Forbidden(problem)
    if fair.capacity is not None and registration_count(fair.id) >= fair.capacity:
        raise Conflict("本场招聘会报名人数已满。", code="fair_full")
    reg = FairRegistration(fair_id=fair.id, seeker_user_id=user.id, checkin_code=new_code())
    db.session.add(reg)
    commit_or_conflict(ALREADY_REGISTERED, code="already_registered")
    return reg


def unregister(user: User, fair_id: int) -> bool:
    """Cancel a registration; False when there was none (nothing to do)."""
    _require_seeker(user)
    fair = public_fair_or_404(fair_id)
    reg = registration_of(user, fair.id)
    if reg is None:
        return False
    if fair.phase(utcnow()) == "past":
        raise Conflict("招聘会已结束，不能取消报名。", code="fair_over")
    db.session.delete(reg)
    db.session.commit()
    return True


def my_fairs(user: User) -> list[Fair]:
    _require_seeker(user)
    return list(
        db.session.scalars(
            db.select(Fair)
            .join(FairRegistration, FairRegistration.fair_id == Fair.id)
            .filter(FairRegistration.seeker_user_id == user.id)
            .order_by(Fair.starts_at.desc(), Fair.id)
        )
    )


def registrations(actor: User, fair_id: int) -> tuple[Fair, list[dict], dict[str, int]]:
    """Registrants of a fair with their (consented) priority groups, and counts per group."""
    require_organiser(actor)
    fair = get_fair(fair_id)
    rows = db.session.execute(
        db.select(FairRegistration, User, SeekerProfile, FairAttendance)
        .join(User, User.id == FairRegistration.seeker_user_id)
        .outerjoin(SeekerProfile, SeekerProfile.user_id == User.id)
        .outerjoin(
            FairAttendance,
            (FairAttendance.fair_id == FairRegistration.fair_id)
            & (FairAttendance.seeker_user_id == FairRegistration.seeker_user_id),
        )
        .filter(FairRegistration.fair_id == fair.id)
        .order_by(FairRegistration.created_at, FairRegistration.id)
    ).all()
    out, by_group = [], {code: 0 for code in GROUP_CODES}
    for reg, user, profile, came in rows:
        groups = profile.group_codes if profile and profile.group_consent else []
        for g in groups:
            by_group[g] += 1
        out.append(
            {
                "id": reg.id,
                "user_id": user.id,
                "name": (profile.name if profile and profile.name else user.name),
                "phone": (profile.phone if profile and profile.phone else user.phone) or "",
                "groups": groups,
                "created_at": reg.created_at,
                "online_at": came.online_at if came else None,
                "onsite_at": came.onsite_at if came else None,
            }
        )
    return fair, out, {k: v for k, v in by_group.items() if v}
