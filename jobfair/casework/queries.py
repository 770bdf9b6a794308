"""Reads every casework module builds on: Beijing dates, a seeker's district and consented
groups, and the hires and placements on record."""

from datetime import UTC, date, datetime

from sqlalchemy import func

from jobfair.extensions import db
from jobfair.formatting import LOCAL_TZ
from jobfair.models.application import Application, ApplicationEvent, ApplicationStatus
from jobfair.models.casework import HARDSHIP_GROUPS, URBAN_EXCLUDED_GROUPS, Placement, TargetKind
from jobfair.models.position import Position
from jobfair.models.seeker import SeekerProfile

HIRED = (ApplicationStatus.HIRED, ApplicationStatus.ONBOARDED)


# --- clock ---------------------------------------------------------------------------------


def local_today() -> date:
    """Today in Beijing (frozen by time-machine in tests)."""
    return datetime.now(UTC).astimezone(LOCAL_TZ).date()


def local_date(value: datetime | None) -> date | None:
    """A stored naive-UTC timestamp as a Beijing calendar date."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(LOCAL_TZ).date()


# --- seekers -------------------------------------------------------------------------------


def seeker_district(profile: SeekerProfile | None) -> str | None:
    """Casework files a seeker under the first district of their profile."""
    if profile is None or not profile.districts:
        return None
    return profile.districts[0]


def consented_groups(profile: SeekerProfile | None) -> set[str]:
    if profile is None or not profile.group_consent:
        return set()
    return {g.group for g in profile.groups}


def kind_counts(kind: str, groups: set[str]) -> bool:
    """Does a seeker with these (consented) groups count towards a target of this kind?"""
    if kind == TargetKind.URBAN_UNEMPLOYED:
        return not (groups & URBAN_EXCLUDED_GROUPS)
    if kind == TargetKind.HARDSHIP:
        return bool(groups & HARDSHIP_GROUPS)
    return kind in groups


def profiles_by_user(user_ids) -> dict[int, SeekerProfile]:
    """Seeker profiles keyed by user id, fetched 500 ids per query."""
    ids = list(set(user_ids))
    out = {}
    for start in range(0, len(ids), 500):
        for p in db.session.scalars(
            db.select(SeekerProfile).where(SeekerProfile.user_id.in_(ids[start : start + 500]))
        ):
            out[p.user_id] = p
    return out


def hire_rows(since: date | None = None, until: date | None = None, seeker_ids=None) -> list[dict]:
    """Applications now 录用/已入职 with the date of the hire (first such event)."""
    first = func.min(ApplicationEvent.created_at)
    q = (
        db.select(Application.id, Application.seeker_id, Application.position_id, first)
        .join(ApplicationEvent, ApplicationEvent.application_id == Application.id)
        .where(Application.status.in_(HIRED), ApplicationEvent.to_status.in_(HIRED))
        .group_by(Application.id, Application.seeker_id, Application.position_id)
    )
    if seeker_ids is not None:
        q = q.where(Application.seeker_id.in_(list(seeker_ids)))
    rows = db.session.execute(q).all()
    positions = {
        p.id: p
        for p in db.session.scalars(
            db.select(Position).where(Position.id.in_({r[2] for r in rows} or {0}))
        )
    }
    out = []
    for app_id, seeker_id, position_id, at in rows:
        day = local_date(at)
        if (since and day < since) or (until and day > until):
            continue
        pos = positions.get(position_id)
        out.append(
            {
                "seeker_id": seeker_id,
                "date": day,
                "source": "hire",
                "source_label": "平台录用",
                "ref_id": app_id,
                "employer_name": pos.employer.name if pos else "",
                "job_title": pos.title if pos else "",
                "district": None,
            }
        )
    return out


def placement_rows(since=None, until=None, seeker_ids=None) -> list[dict]:
    """Placements (平台外就业) in the same shape as hire_rows."""
    q = db.select(Placement)
    if since:
        q = q.where(Placement.placed_on >= since)
    if until:
        q = q.where(Placement.placed_on <= until)
    if seeker_ids is not None:
        q = q.where(Placement.seeker_id.in_(list(seeker_ids)))
    return [
        {
            "seeker_id": p.seeker_id,
            "date": p.placed_on,
            "source": "placement",
            "source_label": "平台外就业",
            "ref_id": p.id,
            "employer_name": p.employer_name,
            "job_title": p.job_title,
            "district": p.district,
            "evidence": p.evidence,
        }
        for p in db.session.scalars(q)
    ]
