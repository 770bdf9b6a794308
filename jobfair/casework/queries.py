"""Reads every casework module builds on: Beijing dates, a seeker's district of residence and
their declared and verified groups."""

from datetime import UTC, date, datetime

from jobfair.extensions import db
from jobfair.formatting import LOCAL_TZ
from jobfair.models.seeker import SeekerProfile

# --- clock ---------------------------------------------------------------------------------


def local_today() -> date:
    """Today in Beijing (frozen by time-machine in tests)."""
    return datetime.now(UTC).astimezone(LOCAL_TZ).date()


def year_or_this(year: int | None) -> int:
    """The target year asked for (2000–2100), else this year."""
    return year if year and 2000 <= year <= 2100 else local_today().year


def local_date(value: datetime | None) -> date | None:
    """A stored naive-UTC timestamp as a Beijing calendar date."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(LOCAL_TZ).date()


# --- seekers -------------------------------------------------------------------------------


def seeker_district(profile: SeekerProfile | None) -> str | None:
    """Casework files a seeker under where they live (常住, else 户籍), never their wishes."""
    if profile is None:
        return None
    return profile.home_district or None


def consented_groups(profile: SeekerProfile | None) -> set[str]:
    """Groups the seeker declared or had 认定 (with consent); see verified_groups for counts."""
    if profile is None or not profile.group_consent:
        return set()
    return {g.group for g in profile.groups}


def verified_groups(profile: SeekerProfile | None, on: date | None = None) -> set[str]:
    """Groups 认定 and valid today: the only ones targets, rosters and restrictions use."""
    return profile.verified_groups(on or local_today()) if profile else set()


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
