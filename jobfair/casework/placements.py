"""Employment outcomes: placements (平台外就业) case workers record, and what any hire closes."""

from datetime import date

from jobfair import audit
from jobfair.casework.access import require_case_worker, scope
from jobfair.casework.queries import local_today, profiles_by_user, seeker_district
from jobfair.casework.schemas import PLACEMENT_LABELS, PlacementSchema
from jobfair.errors import DomainError, NotFound
from jobfair.extensions import db
from jobfair.models.casework import (
    CaseFile,
    CaseOutcome,
    CaseStatus,
    Household,
    HouseholdMember,
    Placement,
)
from jobfair.models.user import Role, User
from jobfair.seekers.services import clean_text
from jobfair.validation import load


def create_placement(actor, data, *, form: bool = False) -> Placement:
    require_case_worker(actor)
    values = load(PlacementSchema(), data, labels=PLACEMENT_LABELS, form=form)
    for key in ("employer_name", "job_title", "evidence"):
        values[key] = clean_text(values[key])
        if not values[key]:
            raise DomainError(f"{PLACEMENT_LABELS[key]}不能为空。", fields={key: "此项必填。"})
    if values["placed_on"] > local_today():
        raise DomainError("就业日期不能晚于今天。", fields={"placed_on": "不能晚于今天"})
    seeker = db.session.get(User, values["seeker_id"])
    profile = profiles_by_user([seeker.id]).get(seeker.id) if seeker else None
    if seeker is None or seeker.role != Role.SEEKER or profile is None:
        raise NotFound("求职者不存在。")
    district = seeker_district(profile)
    require_case_worker(actor, district or "")
    placement = Placement(recorded_by=actor.id, district=district, **values)
    db.session.add(placement)
    db.session.flush()
    record_hire(seeker.id, values["placed_on"], source="placement", actor_id=actor.id)
    audit.record(actor.id, "casework.placement", "placement", placement.id, district=district)
    db.session.commit()
    return placement


def list_placements(actor, limit: int = 200) -> list[Placement]:
    districts = scope(actor)
    q = db.select(Placement).order_by(Placement.placed_on.desc(), Placement.id.desc())
    if districts is not None:
        q = q.where(Placement.district.in_(districts or [""]))
    return list(db.session.scalars(q.limit(limit)))


# --- hires: households close, case files move to 已就业 -------------------------------------


def record_hire(seeker_id: int, on: date | None = None, *, source="hire", actor_id=None) -> int:
    """A member's hire was recorded: close their open households and mark their case file.

    Called inside the caller's transaction (application status change, placement); the
    caller commits. Returns the number of households closed.
    """
    on = on or local_today()
    reason = "成员通过平台录用" if source == "hire" else "成员平台外就业（已登记）"
    closed = 0
    households = db.session.scalars(
        db.select(Household)
        .join(HouseholdMember, HouseholdMember.household_id == Household.id)
        .where(HouseholdMember.seeker_id == seeker_id, Household.closed_on.is_(None))
    ).all()
    for hh in households:
        hh.closed_on = on
        hh.closed_reason = reason
        audit.record(actor_id, "casework.household_close", "household", hh.id, reason=reason)
        closed += 1
    case = db.session.scalar(db.select(CaseFile).filter_by(seeker_id=seeker_id))
    if case is not None and case.status in (CaseStatus.OPEN, CaseStatus.IN_PROGRESS):
        case.status = CaseStatus.EMPLOYED
        case.outcome = CaseOutcome.PLATFORM_HIRE if source == "hire" else CaseOutcome.PLACEMENT
        case.outcome_on = on
    return closed
