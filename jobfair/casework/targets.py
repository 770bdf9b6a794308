"""Yearly employment targets per district (or 全市) and kind, and their progress counted
from the immutable outcome records (see casework.outcomes)."""

from datetime import date

from jobfair import audit, reference
from jobfair.casework import outcomes
from jobfair.casework.access import case_worker_of
from jobfair.casework.queries import local_today, profiles_by_user
from jobfair.casework.schemas import TARGET_FIELD_LABELS, TargetSchema
from jobfair.errors import DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.ids import require_id
from jobfair.models.casework import CITY, TARGET_KIND_LABELS, Household, Target
from jobfair.models.outcome import (
    EMPLOYMENT_SOURCE_LABELS,
    OUTCOME_KIND_LABELS,
    EmploymentRegistration,
    OutcomeRecord,
)
from jobfair.models.user import Role, User
from jobfair.seekers.services import clean_text
from jobfair.transactions import conflict_as
from jobfair.validation import load


def _row(delta: int, rec: OutcomeRecord, regs: dict, profiles: dict, households: dict) -> dict:
    """A counted record for the pages: the person's name only while their account exists."""
    reg = regs.get(rec.corrects_id or rec.id)
    hh = households.get(rec.corrects_id or rec.id)
    profile = profiles.get(reg.seeker_id) if reg else None
    if rec.kind in outcomes.HOUSEHOLD_KINDS:
        name = hh.label if hh else "（家庭记录已删除）"
    elif profile is not None:
        name = profile.name
    else:
        name = "（账号已注销或已撤回同意）"
    return {
        "delta": delta,
        "record_id": rec.id,
        "name": name,
        "phone": profile.phone if profile else "",
        "date": rec.occurred_on,
        "period": rec.period,
        "district": rec.district,
        "street": rec.street,
        "kind": rec.kind,
        "kind_label": OUTCOME_KIND_LABELS[rec.kind],
        "source": rec.source or rec.kind,
        "source_label": EMPLOYMENT_SOURCE_LABELS.get(rec.source, OUTCOME_KIND_LABELS[rec.kind]),
        "employer_name": reg.employer_name if reg else "",
        "job_title": reg.job_title if reg else "",
        "reason": rec.reason,
    }


def _rows(changes: list[tuple]) -> list[dict]:
    ids = {rec.corrects_id or rec.id for _, rec in changes}
    regs = {
        r.outcome_id: r
        for r in db.session.scalars(
            db.select(EmploymentRegistration).where(
                EmploymentRegistration.outcome_id.in_(ids or {0})
            )
        )
    }
    households = {
        h.cleared_outcome_id: h
        for h in db.session.scalars(
            db.select(Household).where(Household.cleared_outcome_id.in_(ids or {0}))
        )
    }
    profiles = profiles_by_user(r.seeker_id for r in regs.values())
    return [_row(d, rec, regs, profiles, households) for d, rec in changes]


def progress_of(target: Target, changes: list[tuple]) -> dict:
    """Done against goal from the counted changes of a target (see outcomes.counted_changes)."""
    done = sum(d for d, _ in changes)
    pct = round(done * 100 / target.goal) if target.goal else 0
    by_source = {"platform_hire": 0, "placement": 0, "follow_up": 0, "household": 0}
    for d, rec in changes:
        key = rec.source or "household"
        by_source[key] = by_source.get(key, 0) + d
    split = outcomes.done_by_month_and_district(changes)
    return {
        "done": done,
        "goal": target.goal,
        "pct": pct,
        "bar_pct": max(0, min(100, pct)),
        "corrections": sum(1 for d, _ in changes if d < 0),
        "by_source": by_source,
        "by_month": {str(m): n for m, n in sorted(split["months"].items())},
        "by_district": dict(sorted(split["districts"].items())),
    }


def target_progress(target: Target, until: date | None = None) -> dict:
    return progress_of(target, outcomes.target_changes(target, until))


def target_outcomes(target: Target) -> list[dict]:
    """Every counted change of the target, oldest first (corrections as -1)."""
    return _rows(outcomes.target_changes(target))


def targets_with_progress(year: int | None = None, district: str | None = None):
    year = year or local_today().year
    q = db.select(Target).filter_by(year=year)
    if district:
        q = q.filter_by(district=district)
    targets = list(db.session.scalars(q.order_by(Target.district, Target.kind)))
    records = outcomes.year_records(year) if targets else []
    return [
        (t, progress_of(t, outcomes.counted_changes(t.kind, t.district, records))) for t in targets
    ]


def target_years() -> list[int]:
    years = set(db.session.scalars(db.select(Target.year).distinct()))
    years.add(local_today().year)
    return sorted(years, reverse=True)


def get_target(target_id: int) -> Target:
    target = db.session.get(Target, require_id(target_id, "目标不存在。"))
    if target is None:
        raise NotFound("目标不存在。")
    return target


def _load_target(data, form: bool) -> dict:
    # A body that is not an object is a 400 of its own, not a validation summary.
    values = load(TargetSchema(), data, labels=TARGET_FIELD_LABELS, form=form)
    if values["district"] != CITY and values["district"] not in reference.districts():
        raise DomainError(
            "区不在本市范围内。", code="validation_error", fields={"district": "请选择本市的区"}
        )
    worker = db.session.get(User, values["worker_id"])
    cw = case_worker_of(worker) if worker else None
    # A city-wide target is answered for by a supervisor (who covers every district).
    if cw is None or not cw.covers(None if values["district"] == CITY else values["district"]):
        raise DomainError(
            "负责人须为负责该区的个案工作人员（全市目标须为督导）。",
            code="validation_error",
            fields={"worker_id": "请选择负责该区的个案工作人员"},
        )
    values["note"] = clean_text(values["note"])
    return values


def save_target(actor, data, *, target: Target | None = None, form: bool = False) -> Target:
    """Create or edit a yearly target; one per year, district and kind."""
    if actor.role != Role.ORGANISER:
        raise Forbidden()
    values = _load_target(data, form)
    creating = target is None
    if creating:
        target = Target(created_by=actor.id)
        db.session.add(target)
    for key, value in values.items():
        setattr(target, key, value)
    exists = (
        f"{values['year']} 年{values['district']}的“{TARGET_KIND_LABELS[values['kind']]}”"
        "目标已存在，请直接修改它。"
    )
    # The UNIQUE (year, district, kind) constraint decides a race between two organisers.
    with conflict_as(exists, "target_exists"):
        db.session.flush()
    audit.record(
        actor.id,
        "casework.target_create" if creating else "casework.target_update",
        "target",
        target.id,
        title=f"{target.year} {target.district} {target.kind_label}",
        note=f"目标 {target.goal} 人",
    )
    db.session.commit()
    return target
