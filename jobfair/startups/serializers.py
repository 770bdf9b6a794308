"""Start-up cases as plain dicts for pages and the API (who sees what is decided here)."""

from jobfair.casework.queries import profiles_by_user
from jobfair.formatting import iso, local_today
from jobfair.models.casework import CONTACT_CHANNEL_LABELS
from jobfair.models.startup import (
    BUSINESS_KIND_LABELS,
    OPERATING_LABELS,
    STARTUP_STATUS_LABELS,
    StartupCase,
)
from jobfair.startups import cases, loans, mentors
from jobfair.startups.reports import months_between


def startup_dict(row: StartupCase, *, worker: bool, brief: bool = False) -> dict:
    """The case as its person (``worker=False``) or a case worker of its district sees it."""
    profile = profiles_by_user([row.seeker_id]).get(row.seeker_id)
    name = (profile.name if profile and profile.name else row.seeker.name) or ""
    today = local_today()
    out = {
        "id": row.id,
        "seeker_id": row.seeker_id,
        "name": name,
        "district": row.district,
        "business_name": row.business_name,
        "business_kind": row.business_kind,
        "business_kind_label": BUSINESS_KIND_LABELS.get(row.business_kind, row.business_kind),
        "sector": row.sector,
        "returning_home": row.returning_home,
        "status": row.status,
        "status_label": STARTUP_STATUS_LABELS.get(row.status, row.status),
        "credit_code": row.credit_code,
        "registered_on": iso(row.registered_on),
        "months_operating": months_between(row.registered_on, today) if row.registered_on else None,
        "employees": row.employees,
        "mentor": mentors.mentor_dict(row.mentor, reveal_phone=True) if row.mentor else None,
        "mentor_assigned_on": iso(row.mentor_assigned_on),
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }
    if brief:
        return out
    out["plan"] = row.plan
    out["loans"] = [loans.loan_dict(x, with_guarantor=True) for x in loans.loans_of(row)]
    out["follow_ups"] = [
        {
            "id": f.id,
            "followed_on": iso(f.followed_on),
            "channel": f.channel,
            "channel_label": CONTACT_CHANNEL_LABELS.get(f.channel, f.channel),
            "operating": f.operating,
            "operating_label": OPERATING_LABELS.get(f.operating, f.operating),
            "employees": f.employees,
            "by_mentor": f.by_mentor,
            # Visit notes are for staff; the person sees dates and the state recorded.
            **({"summary": f.summary} if worker else {}),
        }
        for f in cases.follow_ups(row)
    ]
    return out
