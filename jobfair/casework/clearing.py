"""零就业家庭 清零 and its reversal: a member's 就业登记 clears the household; when that
employment ends the household re-opens by itself and its case workers are told."""

from datetime import date

from jobfair import audit
from jobfair.casework import outcomes
from jobfair.extensions import db
from jobfair.models.casework import CaseWorker, Household, HouseholdMember
from jobfair.models.outcome import EmploymentRegistration
from jobfair.notifications.services import notify


def close_for_registration(
    reg: EmploymentRegistration, actor_id: int | None = None, recorded_on: date | None = None
) -> int:
    """Clear the member's open households at the start of work (inside the caller's transaction)."""
    reason = "成员就业登记：" + reg.employer_name
    households = db.session.scalars(
        db.select(Household)
        .join(HouseholdMember, HouseholdMember.household_id == Household.id)
        .where(HouseholdMember.seeker_id == reg.seeker_id, Household.closed_on.is_(None))
    ).all()
    for hh in households:
        hh.closed_on = reg.started_on
        hh.closed_reason = reason[:200]
        hh.closed_by_registration_id = reg.id
        outcomes.record_household_cleared(hh, reg.started_on, recorded_on)
        audit.record(actor_id, "casework.household_close", "household", hh.id, reason=reason)
    return len(households)


def workers_of(district: str) -> list[int]:
    """Case workers covering a district (supervisors included)."""
    return [cw.user_id for cw in db.session.scalars(db.select(CaseWorker)) if cw.covers(district)]


def reopen_for_registration(
    reg: EmploymentRegistration,
    on: date,
    reason: str,
    actor_id: int | None = None,
    recorded_on: date | None = None,
) -> int:
    """The employment that cleared households ended: they are zero-employment again."""
    households = db.session.scalars(
        db.select(Household).where(Household.closed_by_registration_id == reg.id)
    ).all()
    for hh in households:
        hh.closed_on = None
        hh.closed_reason = ""
        hh.closed_by_registration_id = None
        hh.escalated_at = None
        hh.reopened_count = (hh.reopened_count or 0) + 1
        outcomes.record_household_reopened(hh, on, "成员就业终止：" + reason, recorded_on)
        audit.record(actor_id, "casework.household_reopen", "household", hh.id, reason=reason)
        for uid in workers_of(hh.district):
            notify(
                uid,
                "casework",
                "零就业家庭重新回到未清零",
                f"{hh.district}一户已清零的家庭，其就业成员已于 {on.isoformat()} 离职"
                f"（{reason}），家庭重新计为零就业家庭，请尽快跟进。",
                f"/casework/households/{hh.id}",
            )
    return len(households)
