"""Immutable outcome records and the figures counted from them.

Rules worth knowing:
- A record is written once, in the transaction of the 就业登记 / 离职 / household change, and
  never updated or deleted (the model refuses). It holds a keyed hash of the person's login
  phone, their district and 街道 of residence, the groups 认定 on that day and the flags the
  statistics need — no name, phone or user id — so deleting an account or withdrawing consent
  leaves every count in place.
- A reversal (离职, hire undone, household back to zero employment) is a new record dated
  when it happened that points at the record it corrects.
- ``period`` is the reporting month: the month it happened, or the month it was recorded when
  that month had already ended. A closed month therefore re-runs to the same numbers.
- A person counts once a year per kind (their first counting employment); a correction takes
  the count back only if it corrects the record that was counted.
"""

import hashlib
import hmac
from collections import defaultdict
from datetime import date

from flask import current_app

from jobfair.casework import rules
from jobfair.casework.queries import local_today
from jobfair.extensions import db
from jobfair.models.casework import CITY, HARDSHIP_GROUPS, Household, Target, TargetKind
from jobfair.models.outcome import (
    EmploymentRegistration,
    OutcomeKind,
    OutcomeRecord,
    UnemploymentRegistration,
)
from jobfair.models.seeker import SeekerProfile
from jobfair.models.user import User

PERSON_KINDS = (OutcomeKind.EMPLOYMENT, OutcomeKind.REVERSAL)
HOUSEHOLD_KINDS = (OutcomeKind.HOUSEHOLD_CLEARED, OutcomeKind.HOUSEHOLD_REOPENED)


def _key(text: str) -> str:
    secret = current_app.config.get("OUTCOME_KEY_SECRET") or current_app.config["SECRET_KEY"]
    return hmac.new(str(secret).encode(), text.encode(), hashlib.sha256).hexdigest()


def person_key(user: User) -> str:
    """The same login (phone, else e-mail) gives the same key across accounts; the keyed hash
    cannot be turned back into the login without the secret."""
    if user.phone:
        return _key(f"phone:{user.phone}")
    if user.email:
        return _key(f"email:{user.email.lower()}")
    return _key(f"user:{user.id}")


def month_of(day: date) -> date:
    return day.replace(day=1)


def period_for(occurred_on: date, today: date | None = None) -> date:
    """The reporting month: a month that has ended takes no new records."""
    return max(month_of(occurred_on), month_of(today or local_today()))


def _unemployed_before(seeker_id: int, on: date) -> bool:
    regs = db.session.scalars(db.select(UnemploymentRegistration).filter_by(seeker_id=seeker_id))
    return any(r.open_on(on) for r in regs)


def record_employment(
    reg: EmploymentRegistration, profile: SeekerProfile | None, recorded_on: date | None = None
) -> OutcomeRecord:
    """The outcome row of a new 就业登记 (inside the caller's transaction).

    ``recorded_on`` (default today) decides the reporting month; demo data passes the day
    the record would have been entered.
    """
    on = reg.started_on
    groups = sorted(profile.verified_groups(on)) if profile else []
    counted = rules.counts(rules.rule_key(reg.work_form, reg.source), reg.social_insurance)
    rec = OutcomeRecord(
        person_key=person_key(reg.seeker),
        kind=OutcomeKind.EMPLOYMENT,
        occurred_on=on,
        period=period_for(on, recorded_on),
        district=profile.home_district if profile else "",
        street=profile.residence_street if profile else "",
        groups=groups if counted else [],
        new_employment=counted,
        reemployment=counted and _unemployed_before(reg.seeker_id, on),
        hardship=counted and bool(set(groups) & HARDSHIP_GROUPS),
        work_form=reg.work_form,
        source=reg.source,
        on_time=False,
        reason="",
    )
    db.session.add(rec)
    db.session.flush()
    reg.outcome_id = rec.id
    return rec


def record_reversal(
    reg: EmploymentRegistration, on: date, reason: str, recorded_on: date | None = None
) -> OutcomeRecord | None:
    """A correcting record for an ended employment, dated when it ended."""
    original = db.session.get(OutcomeRecord, reg.outcome_id) if reg.outcome_id else None
    if original is None:
        return None
    return _correct(original, OutcomeKind.REVERSAL, on, reason, recorded_on)


def _correct(
    original: OutcomeRecord, kind: str, on: date, reason: str, recorded_on: date | None
) -> OutcomeRecord:
    rec = OutcomeRecord(
        person_key=original.person_key,
        kind=kind,
        occurred_on=on,
        period=period_for(on, recorded_on),
        district=original.district,
        street=original.street,
        groups=list(original.groups or []),
        new_employment=original.new_employment,
        reemployment=original.reemployment,
        hardship=original.hardship,
        work_form=original.work_form,
        source=original.source,
        within_days=original.within_days,
        on_time=original.on_time,
        corrects_id=original.id,
        reason=reason[:200],
    )
    db.session.add(rec)
    db.session.flush()
    return rec


def record_household_cleared(
    hh: Household, on: date, recorded_on: date | None = None
) -> OutcomeRecord:
    days = (on - hh.identified_on).days
    rec = OutcomeRecord(
        person_key=_key(f"household:{hh.id}"),
        kind=OutcomeKind.HOUSEHOLD_CLEARED,
        occurred_on=on,
        period=period_for(on, recorded_on),
        district=hh.district,
        street="",
        groups=[],
        new_employment=False,
        reemployment=False,
        hardship=False,
        work_form="",
        source="",
        within_days=days,
        on_time=days <= hh.deadline_days,
        reason="",
    )
    db.session.add(rec)
    db.session.flush()
    hh.cleared_outcome_id = rec.id
    return rec


def record_household_reopened(
    hh: Household, on: date, reason: str, recorded_on: date | None = None
) -> OutcomeRecord | None:
    original = (
        db.session.get(OutcomeRecord, hh.cleared_outcome_id) if hh.cleared_outcome_id else None
    )
    if original is None:
        return None
    hh.cleared_outcome_id = None
    return _correct(original, OutcomeKind.HOUSEHOLD_REOPENED, on, reason, recorded_on)


# --- figures -------------------------------------------------------------------------------


def kind_matches(kind: str, rec: OutcomeRecord) -> bool:
    """Does a record count for a target of this kind?"""
    if kind == TargetKind.HOUSEHOLDS_CLEARED:
        return rec.kind in HOUSEHOLD_KINDS and rec.on_time
    if rec.kind not in PERSON_KINDS:
        return False
    if kind == TargetKind.NEW_EMPLOYMENT:
        return rec.new_employment
    if kind == TargetKind.URBAN_UNEMPLOYED:
        return rec.reemployment
    if kind == TargetKind.HARDSHIP:
        return rec.hardship
    return kind in (rec.groups or [])


def year_records(year: int, until: date | None = None) -> list[OutcomeRecord]:
    """Records whose reporting month falls in the year (and not after ``until``'s month)."""
    q = db.select(OutcomeRecord).where(
        OutcomeRecord.period >= date(year, 1, 1), OutcomeRecord.period <= date(year, 12, 1)
    )
    if until is not None:
        q = q.where(OutcomeRecord.period <= month_of(until))
    return list(db.session.scalars(q.order_by(OutcomeRecord.period, OutcomeRecord.id)))


def counted_changes(kind: str, district: str, records: list[OutcomeRecord]) -> list[tuple]:
    """(+1 / -1, record) in order: each person's first counting record, and its correction."""
    counted_by: dict[str, int | None] = {}
    changes = []
    for rec in records:
        if not kind_matches(kind, rec):
            continue
        if district != CITY and rec.district != district:
            continue
        have = counted_by.get(rec.person_key)
        if rec.corrects_id is None:
            if have is None:
                counted_by[rec.person_key] = rec.id
                changes.append((1, rec))
        elif rec.corrects_id == have:
            counted_by[rec.person_key] = None
            changes.append((-1, rec))
    return changes


def done_by_month_and_district(changes: list[tuple]) -> dict:
    months: dict[int, int] = defaultdict(int)
    districts: dict[str, int] = defaultdict(int)
    for delta, rec in changes:
        months[rec.period.month] += delta
        districts[rec.district or "未填写"] += delta
    return {"months": dict(months), "districts": dict(districts)}


def target_changes(target: Target, until: date | None = None) -> list[tuple]:
    return counted_changes(target.kind, target.district, year_records(target.year, until))


def figures(year: int, kind: str, district: str = CITY, until: date | None = None) -> dict:
    """A kind's figures for a year: total, by month (and cumulative) and by district."""
    changes = counted_changes(kind, district, year_records(year, until))
    split = done_by_month_and_district(changes)
    running, cumulative = 0, []
    for m in range(1, 13):
        running += split["months"].get(m, 0)
        cumulative.append({"month": m, "done": split["months"].get(m, 0), "cumulative": running})
    return {
        "year": year,
        "kind": kind,
        "district": district,
        "total": sum(d for d, _ in changes),
        "corrections": sum(1 for d, _ in changes if d < 0),
        "months": cumulative,
        "districts": dict(sorted(split["districts"].items())),
    }
