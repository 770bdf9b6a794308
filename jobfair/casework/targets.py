"""Yearly employment targets per district and group, and their progress counted from the
hires and placements on record."""

from datetime import date

from jobfair import audit, reference
from jobfair.casework.access import case_worker_of
from jobfair.casework.queries import (
    consented_groups,
    hire_rows,
    kind_counts,
    local_today,
    placement_rows,
    profiles_by_user,
    seeker_district,
)
from jobfair.casework.schemas import TARGET_FIELD_LABELS, TargetSchema
from jobfair.errors import DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.ids import require_id
from jobfair.models.casework import TARGET_KIND_LABELS, Target
from jobfair.models.user import Role, User
from jobfair.seekers.services import clean_text
from jobfair.transactions import conflict_as
from jobfair.validation import load


def _year_outcomes(year: int) -> list[dict]:
    """Every recorded outcome of the year with the seeker's district and consented groups."""
    since, until = date(year, 1, 1), date(year, 12, 31)
    rows = hire_rows(since, until) + placement_rows(since, until)
    profiles = profiles_by_user(r["seeker_id"] for r in rows)
    for r in rows:
        p = profiles.get(r["seeker_id"])
        if r["district"] is None:
            r["district"] = seeker_district(p)
        r["groups"] = consented_groups(p)
        r["name"] = p.name if p else ""
        r["phone"] = p.phone if p else ""
    return rows


def _counted(target: Target, outcomes: list[dict]) -> list[dict]:
    """One outcome per person (the earliest), for the target's district and kind."""
    best: dict[int, dict] = {}
    for r in outcomes:
        if r["district"] != target.district or not kind_counts(target.kind, r["groups"]):
            continue
        have = best.get(r["seeker_id"])
        if have is None or (r["date"], r["source"]) < (have["date"], have["source"]):
            best[r["seeker_id"]] = r
    return sorted(best.values(), key=lambda r: (r["date"], r["seeker_id"]))


def progress_of(target: Target, counted: list[dict]) -> dict:
    """Done against goal for the outcomes a target counts (see target_outcomes)."""
    done = len(counted)
    pct = round(done * 100 / target.goal) if target.goal else 0
    return {
        "done": done,
        "goal": target.goal,
        "pct": pct,
        "bar_pct": max(0, min(100, pct)),
        "by_source": {
            "hire": sum(1 for r in counted if r["source"] == "hire"),
            "placement": sum(1 for r in counted if r["source"] == "placement"),
        },
    }


def target_progress(target: Target, today: date | None = None) -> dict:
    return progress_of(target, _counted(target, _year_outcomes(target.year)))


def target_outcomes(target: Target) -> list[dict]:
    return _counted(target, _year_outcomes(target.year))


def targets_with_progress(year: int | None = None, district: str | None = None):
    year = year or local_today().year
    q = db.select(Target).filter_by(year=year)
    if district:
        q = q.filter_by(district=district)
    targets = list(db.session.scalars(q.order_by(Target.district, Target.kind)))
    outcomes = _year_outcomes(year) if targets else []
    return [(t, progress_of(t, _counted(t, outcomes))) for t in targets]


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
    if values["district"] not in reference.districts():
        raise DomainError(
            "区不在本市范围内。", code="validation_error", fields={"district": "请选择本市的区"}
        )
    worker = db.session.get(User, values["worker_id"])
    cw = case_worker_of(worker) if worker else None
    if cw is None or not cw.covers(values["district"]):
        raise DomainError(
            "负责人须为负责该区的个案工作人员。",
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
