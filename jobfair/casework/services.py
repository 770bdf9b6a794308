"""Casework services: who may see what, targets and their progress, case files, follow-ups,
zero-employment households and the 百日攻坚 view. No request/session access here."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from marshmallow import fields, validate
from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError

from jobfair import audit, reference
from jobfair.errors import Conflict, DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.formatting import LOCAL_TZ
from jobfair.masking import mask_phone
from jobfair.models.application import Application, ApplicationEvent, ApplicationStatus
from jobfair.models.casework import (
    CASE_OUTCOME_LABELS,
    CASE_STATUS_LABELS,
    CONTACT_CHANNEL_LABELS,
    DAY_MARKS,
    HARDSHIP_GROUPS,
    PLAN_PATH_LABELS,
    RESPONSE_LABELS,
    TARGET_KIND_LABELS,
    URBAN_EXCLUDED_GROUPS,
    CaseContact,
    CaseFile,
    CaseOutcome,
    CaseRecommendation,
    CaseStatus,
    CaseTraining,
    CaseWorker,
    CaseworkSettings,
    ContactChannel,
    EmploymentFollowUp,
    FollowUpSource,
    Household,
    HouseholdMember,
    HouseholdReferral,
    Placement,
    PlanPath,
    RecommendationResponse,
    Target,
    TargetKind,
)
from jobfair.models.common import GROUP_LABELS, PriorityGroup, utcnow
from jobfair.models.position import Position, PositionStatus
from jobfair.models.seeker import SeekerProfile
from jobfair.models.user import Role, User
from jobfair.notifications.services import notify
from jobfair.seekers.services import clean_text
from jobfair.validation import BaseSchema, Bool, Choice, ChoiceList, Date, Int, Text, load

HIRED = (ApplicationStatus.HIRED, ApplicationStatus.ONBOARDED)
MAX_ID = 2**31 - 1
NOT_CASE_WORKER = "只有负责该区的个案工作人员才能查看重点群体帮扶档案和身份信息。"
NOT_SUPERVISOR = "只有督导（主管）个案工作人员可以进行此操作。"

# Why a case file is opened or exported (the audit log keeps the answer).
REASONS = {
    "follow_up": "日常跟踪帮扶",
    "recommend": "岗位推荐",
    "revisit": "就业回访核实",
    "report": "统计报表",
    "inspection": "督导检查",
    "other": "其他",
}


# --- clock ---------------------------------------------------------------------------------


def local_today() -> date:
    """Today in Beijing (frozen by time-machine in tests)."""
    return datetime.now(UTC).astimezone(LOCAL_TZ).date()


def local_date(value: datetime | None) -> date | None:
    """A stored naive-UTC timestamp as a Beijing calendar date."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(LOCAL_TZ).date()


def _id(value, message="页面或数据不存在。") -> int:
    if not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise NotFound(message)
    return value


def _body(data) -> dict:
    if not isinstance(data, dict):
        raise DomainError("请求体应为 JSON 对象。", code="bad_request", status=400)
    return data


def mask_name(name: str | None) -> str:
    """张** : the family name and one star per remaining character."""
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


# --- permissions ---------------------------------------------------------------------------


def case_worker_of(user) -> CaseWorker | None:
    if user is None or not getattr(user, "is_authenticated", True) or user.role != Role.ORGANISER:
        return None
    return db.session.scalar(db.select(CaseWorker).filter_by(user_id=user.id))


def covers(user, district: str | None) -> bool:
    cw = case_worker_of(user)
    return cw is not None and cw.covers(district)


def require_case_worker(user, district: str | None = None) -> CaseWorker:
    cw = case_worker_of(user)
    if cw is None:
        raise Forbidden(NOT_CASE_WORKER)
    if district is not None and not cw.covers(district):
        raise Forbidden(f"你不负责{district}的重点群体帮扶工作，无权查看该区的档案。")
    return cw


def require_supervisor(user) -> CaseWorker:
    cw = require_case_worker(user)
    if not cw.is_supervisor:
        raise Forbidden(NOT_SUPERVISOR)
    return cw


def scope(user) -> list[str] | None:
    """The districts a case worker covers; None means all (supervisor)."""
    cw = require_case_worker(user)
    return None if cw.is_supervisor else list(cw.districts or [])


def check_reason(code: str | None, text: str | None = "") -> str:
    """The 查看事由 as stored in the audit log; raises a clear message when missing."""
    code = (code or "").strip()
    text = clean_text(text or "")[:100]
    if code not in REASONS:
        raise DomainError(
            "请先选择查看事由。", code="reason_required", fields={"reason": "请选择查看事由"}
        )
    if code == "other" and not text:
        raise DomainError(
            "选择“其他”时请填写具体事由。",
            code="reason_required",
            fields={"reason_text": "请填写具体事由"},
        )
    return REASONS[code] + (f"：{text}" if text else "")


# --- case workers (supervisors manage them) ------------------------------------------------


class CaseWorkerSchema(BaseSchema):
    user_id = Int(required=True, min_value=1, max_value=MAX_ID)
    is_supervisor = Bool(load_default=False)


def list_case_workers() -> list[CaseWorker]:
    return list(
        db.session.scalars(db.select(CaseWorker).join(User).order_by(User.name, CaseWorker.id))
    )


def organisers() -> list[User]:
    return list(
        db.session.scalars(db.select(User).filter_by(role=Role.ORGANISER).order_by(User.name))
    )


def save_case_worker(actor, data, *, form: bool = False) -> CaseWorker:
    require_supervisor(actor)
    data = _body(data)
    if form:
        data = dict(data)
    districts_in = data.get("districts") or []
    if isinstance(districts_in, str):
        districts_in = [districts_in]
    allowed = set(reference.districts())
    bad = [d for d in districts_in if d not in allowed]
    if bad:
        raise DomainError(
            "区域不在本市范围内：" + "、".join(map(str, bad)),
            fields={"districts": "请选择本市的区"},
        )
    values = load(
        CaseWorkerSchema(),
        {
            "user_id": data.get("user_id"),
            "is_supervisor": data.get("is_supervisor") in (True, "1", "true", "on", "y"),
        },
    )
    user = db.session.get(User, values["user_id"])
    if user is None or user.role != Role.ORGANISER:
        raise DomainError(
            "个案工作人员必须是组织方账号。", fields={"user_id": "请选择组织方工作人员"}
        )
    if not districts_in and not values["is_supervisor"]:
        raise DomainError(
            "请至少选择一个负责的区（督导可不选）。", fields={"districts": "请至少选择一个区"}
        )
    cw = db.session.scalar(db.select(CaseWorker).filter_by(user_id=user.id))
    if cw is None:
        cw = CaseWorker(user_id=user.id)
        db.session.add(cw)
    if cw.user_id == actor.id and not values["is_supervisor"]:
        raise DomainError("不能取消自己的督导权限。", fields={"is_supervisor": "不能取消自己"})
    cw.districts = sorted(set(districts_in), key=list(reference.districts()).index)
    cw.is_supervisor = values["is_supervisor"]
    db.session.flush()
    audit.record(
        actor.id,
        "casework.worker_save",
        "case_worker",
        cw.id,
        name=user.name,
        districts=cw.districts,
        supervisor="是" if cw.is_supervisor else "否",
    )
    db.session.commit()
    return cw


def remove_case_worker(actor, worker_id: int) -> None:
    require_supervisor(actor)
    cw = db.session.get(CaseWorker, _id(worker_id))
    if cw is None:
        raise NotFound("个案工作人员不存在。")
    if cw.user_id == actor.id:
        raise DomainError("不能移除自己的个案工作人员权限。")
    audit.record(actor.id, "casework.worker_remove", "case_worker", cw.id, name=cw.user.name)
    db.session.delete(cw)
    db.session.commit()


# --- settings ------------------------------------------------------------------------------


def settings() -> dict:
    row = db.session.get(CaseworkSettings, 1)
    cfg = current_app.config
    start = row.campaign_start if row else None
    end = row.campaign_end if row else None
    if start is None and cfg.get("CASEWORK_CAMPAIGN_START"):
        start = date.fromisoformat(str(cfg["CASEWORK_CAMPAIGN_START"]))
    if end is None and start is not None:
        end = start + timedelta(days=int(cfg.get("CASEWORK_CAMPAIGN_DAYS", 100)) - 1)
    return {
        "campaign_start": start,
        "campaign_end": end,
        "plan_days": (row.plan_days if row and row.plan_days else None)
        or int(cfg.get("CASEWORK_PLAN_DAYS", 30)),
        "household_deadline_days": (
            row.household_deadline_days if row and row.household_deadline_days else None
        )
        or int(cfg.get("CASEWORK_HOUSEHOLD_DEADLINE_DAYS", 30)),
    }


class SettingsSchema(BaseSchema):
    campaign_start = Date(required=True)
    campaign_end = Date(required=True)
    plan_days = Int(required=True, min_value=1, max_value=365)
    household_deadline_days = Int(required=True, min_value=1, max_value=365)


def save_settings(actor, data, *, form: bool = False) -> dict:
    require_supervisor(actor)
    values = load(SettingsSchema(), _body(data), form=form)
    if values["campaign_end"] < values["campaign_start"]:
        raise DomainError(
            "攻坚结束日期不能早于开始日期。", fields={"campaign_end": "不能早于开始日期"}
        )
    row = db.session.get(CaseworkSettings, 1)
    if row is None:
        row = CaseworkSettings(id=1)
        db.session.add(row)
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_by = actor.id
    audit.record(
        actor.id,
        "casework.settings",
        "casework_settings",
        1,
        **{k: str(v) for k, v in values.items()},
    )
    db.session.commit()
    return settings()


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


def _profiles(user_ids) -> dict[int, SeekerProfile]:
    ids = list(set(user_ids))
    out = {}
    for start in range(0, len(ids), 500):
        for p in db.session.scalars(
            db.select(SeekerProfile).where(SeekerProfile.user_id.in_(ids[start : start + 500]))
        ):
            out[p.user_id] = p
    return out


def hire_date(application: Application) -> date | None:
    """The Beijing date of the first 录用/已入职 event of an application still hired."""
    if application.status not in HIRED:
        return None
    times = [e.created_at for e in application.events if e.to_status in HIRED]
    return local_date(min(times)) if times else local_date(application.updated_at)


def _hires(since: date | None = None, until: date | None = None, seeker_ids=None) -> list[dict]:
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


def _placements(since=None, until=None, seeker_ids=None) -> list[dict]:
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


# --- targets -------------------------------------------------------------------------------


def _year_outcomes(year: int) -> list[dict]:
    """Every recorded outcome of the year with the seeker's district and consented groups."""
    since, until = date(year, 1, 1), date(year, 12, 31)
    rows = _hires(since, until) + _placements(since, until)
    profiles = _profiles(r["seeker_id"] for r in rows)
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


def _progress(target: Target, counted: list[dict]) -> dict:
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
    return _progress(target, _counted(target, _year_outcomes(target.year)))


def target_outcomes(target: Target) -> list[dict]:
    return _counted(target, _year_outcomes(target.year))


def targets_with_progress(year: int | None = None, district: str | None = None):
    year = year or local_today().year
    q = db.select(Target).filter_by(year=year)
    if district:
        q = q.filter_by(district=district)
    targets = list(db.session.scalars(q.order_by(Target.district, Target.kind)))
    outcomes = _year_outcomes(year) if targets else []
    return [(t, _progress(t, _counted(t, outcomes))) for t in targets]


def target_years() -> list[int]:
    years = set(db.session.scalars(db.select(Target.year).distinct()))
    years.add(local_today().year)
    return sorted(years, reverse=True)


def get_target(target_id: int) -> Target:
    target = db.session.get(Target, _id(target_id, "目标不存在。"))
    if target is None:
        raise NotFound("目标不存在。")
    return target


class TargetSchema(BaseSchema):
    year = Int(required=True, min_value=2000, max_value=2100)
    district = fields.String(required=True, error_messages={"required": "此项必填。"})
    kind = Choice(list(TargetKind), required=True)
    goal = Int(required=True, min_value=1, max_value=1_000_000)
    worker_id = Int(required=True, min_value=1, max_value=MAX_ID)
    note = Text(max_len=500)


TARGET_FIELD_LABELS = {
    "year": "年度",
    "district": "区",
    "kind": "目标类别",
    "goal": "目标人数",
    "worker_id": "负责人",
    "note": "备注",
}


def _load_target(data, form: bool) -> dict:
    data = _body(data)
    try:
        values = load(TargetSchema(), data, form=form)
    except DomainError as err:
        summary = "；".join(f"{TARGET_FIELD_LABELS.get(k, k)}：{v}" for k, v in err.fields.items())
        raise DomainError(
            "提交的数据有误：" + summary, code="validation_error", fields=err.fields
        ) from None
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
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(
            f"{values['year']} 年{values['district']}的“{TARGET_KIND_LABELS[values['kind']]}”"
            "目标已存在，请直接修改它。",
            code="target_exists",
        ) from None
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


def target_dict(target: Target, progress: dict | None = None) -> dict:
    progress = progress or target_progress(target)
    return {
        "id": target.id,
        "year": target.year,
        "district": target.district,
        "kind": target.kind,
        "kind_label": target.kind_label,
        "goal": target.goal,
        "note": target.note,
        "worker": {"id": target.worker_id, "name": target.worker.name if target.worker else ""},
        "progress": progress,
    }


def outcome_dict(row: dict, reveal: bool) -> dict:
    return {
        "name": row["name"] if reveal else mask_name(row["name"]),
        "phone": row["phone"] if reveal else mask_phone(row["phone"]),
        "date": row["date"].isoformat(),
        "source": row["source"],
        "source_label": row["source_label"],
        "employer_name": row["employer_name"],
        "job_title": row["job_title"],
    }


# --- placements ----------------------------------------------------------------------------


class PlacementSchema(BaseSchema):
    seeker_id = Int(required=True, min_value=1, max_value=MAX_ID)
    employer_name = Text(required=True, min_len=1, max_len=100)
    job_title = Text(required=True, min_len=1, max_len=100)
    placed_on = Date(required=True)
    evidence = Text(required=True, min_len=1, max_len=1000)


PLACEMENT_LABELS = {
    "seeker_id": "求职者",
    "employer_name": "就业单位",
    "job_title": "岗位",
    "placed_on": "就业日期",
    "evidence": "佐证说明",
}


def _labelled_load(schema, data, labels: dict, form: bool) -> dict:
    try:
        return load(schema, _body(data), form=form)
    except DomainError as err:
        summary = "；".join(f"{labels.get(k, k)}：{v}" for k, v in err.fields.items())
        raise DomainError(
            "提交的数据有误：" + summary, code="validation_error", fields=err.fields
        ) from None


def create_placement(actor, data, *, form: bool = False) -> Placement:
    require_case_worker(actor)
    values = _labelled_load(PlacementSchema(), data, PLACEMENT_LABELS, form)
    for key in ("employer_name", "job_title", "evidence"):
        values[key] = clean_text(values[key])
        if not values[key]:
            raise DomainError(f"{PLACEMENT_LABELS[key]}不能为空。", fields={key: "此项必填。"})
    if values["placed_on"] > local_today():
        raise DomainError("就业日期不能晚于今天。", fields={"placed_on": "不能晚于今天"})
    seeker = db.session.get(User, values["seeker_id"])
    profile = _profiles([seeker.id]).get(seeker.id) if seeker else None
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


def placement_dict(p: Placement) -> dict:
    return {
        "id": p.id,
        "seeker_id": p.seeker_id,
        "district": p.district,
        "employer_name": p.employer_name,
        "job_title": p.job_title,
        "placed_on": p.placed_on.isoformat(),
        "evidence": p.evidence,
        "recorded_by": p.recorder.name if p.recorder else "",
    }


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


# --- case files ----------------------------------------------------------------------------


def eligible_seekers(actor, district: str | None = None, limit: int = 300) -> list[SeekerProfile]:
    """Consenting priority-group seekers in the worker's districts who have no file yet."""
    districts = scope(actor)
    have = db.select(CaseFile.seeker_id)
    q = (
        db.select(SeekerProfile)
        .where(SeekerProfile.group_consent.is_(True), SeekerProfile.groups.any())
        .where(SeekerProfile.user_id.not_in(have))
        .order_by(SeekerProfile.name, SeekerProfile.id)
    )
    out = []
    for p in db.session.scalars(q):
        d = seeker_district(p)
        if (districts is None or d in districts) and (not district or d == district):
            out.append(p)
        if len(out) >= limit:
            break
    return out


class CaseCreateSchema(BaseSchema):
    seeker_id = Int(required=True, min_value=1, max_value=MAX_ID)
    worker_id = Int(min_value=1, max_value=MAX_ID, load_default=None, allow_none=True)
    needs = Text(max_len=2000)


def _check_worker(worker_id: int | None, district: str) -> int | None:
    if worker_id is None:
        return None
    worker = db.session.get(User, worker_id)
    cw = case_worker_of(worker) if worker else None
    if cw is None or not cw.covers(district):
        raise DomainError(
            "负责人须为负责该区的个案工作人员。",
            fields={"worker_id": "请选择负责该区的个案工作人员"},
        )
    return worker_id


def create_case(actor, data, *, form: bool = False) -> CaseFile:
    require_case_worker(actor)
    data = dict(_body(data))
    if form and not data.get("worker_id"):
        data["worker_id"] = None
    values = load(CaseCreateSchema(), data, form=form)
    seeker = db.session.get(User, values["seeker_id"])
    profile = _profiles([seeker.id]).get(seeker.id) if seeker else None
    if seeker is None or seeker.role != Role.SEEKER or profile is None:
        raise NotFound("求职者不存在。")
    if not consented_groups(profile):
        raise DomainError("只能为本人同意提供重点群体身份的求职者建档。", code="not_eligible")
    district = seeker_district(profile)
    if not district:
        raise DomainError("该求职者未填写所在区，无法建档。", code="not_eligible")
    require_case_worker(actor, district)
    worker_id = _check_worker(values["worker_id"] or actor.id, district)
    case = CaseFile(
        seeker_id=seeker.id,
        district=district,
        worker_id=worker_id,
        status=CaseStatus.OPEN,
        needs=clean_text(values["needs"]),
        plan_paths=[],
        created_by=actor.id,
    )
    db.session.add(case)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("该求职者已有帮扶档案。", code="case_exists") from None
    audit.record(actor.id, "casework.case_create", "case_file", case.id, district=district)
    db.session.commit()
    return case


def _case(case_id: int) -> CaseFile:
    case = db.session.get(CaseFile, _id(case_id, "档案不存在。"))
    if case is None:
        raise NotFound("档案不存在。")
    return case


def open_case(actor, case_id: int, reason: str, *, action: str = "casework.case_view") -> CaseFile:
    """A case worker of the file's district opens it; the view is written to the audit log."""
    require_case_worker(actor)
    case = _case(case_id)
    require_case_worker(actor, case.district)
    audit.record(actor.id, action, "case_file", case.id, district=case.district, reason=reason)
    db.session.commit()
    return _case(case_id)


def case_for_update(actor, case_id: int) -> CaseFile:
    require_case_worker(actor)
    case = _case(case_id)
    require_case_worker(actor, case.district)
    return case


def list_cases(actor, *, status=None, group=None, district=None) -> list[CaseFile]:
    districts = scope(actor)
    q = db.select(CaseFile).order_by(CaseFile.updated_at.desc(), CaseFile.id.desc())
    if districts is not None:
        q = q.where(CaseFile.district.in_(districts or [""]))
    if status in set(CaseStatus):
        q = q.where(CaseFile.status == status)
    if district:
        q = q.where(CaseFile.district == district)
    cases = list(db.session.scalars(q))
    profiles = _profiles(c.seeker_id for c in cases)
    for c in cases:
        c.profile = profiles.get(c.seeker_id)
    if group in set(PriorityGroup):
        cases = [c for c in cases if group in consented_groups(c.profile)]
    return cases


def profile_of(case: CaseFile) -> SeekerProfile | None:
    return _profiles([case.seeker_id]).get(case.seeker_id)


class CaseUpdateSchema(BaseSchema):
    worker_id = Int(min_value=1, max_value=MAX_ID, load_default=None, allow_none=True)
    status = Choice(list(CaseStatus), required=True)
    needs = Text(max_len=2000)
    plan_paths = ChoiceList(list(PlanPath))
    plan_note = Text(max_len=2000)
    outcome = fields.String(
        load_default="",
        validate=validate.OneOf([str(o) for o in CaseOutcome], error="不是可选的值。"),
    )
    outcome_note = Text(max_len=500)
    outcome_on = Date(load_default=None, allow_none=True)


CASE_LABELS = {
    "worker_id": "负责人",
    "status": "状态",
    "needs": "需求",
    "plan_paths": "帮扶路径",
    "plan_note": "帮扶方案",
    "outcome": "就业结果",
    "outcome_note": "结果说明",
    "outcome_on": "就业日期",
}


def update_case(actor, case_id: int, data, *, form: bool = False) -> CaseFile:
    case = case_for_update(actor, case_id)
    data = dict(_body(data))
    if form:
        for key in ("worker_id", "outcome_on"):
            if not data.get(key):
                data[key] = None
    values = _labelled_load(CaseUpdateSchema(), data, CASE_LABELS, form)
    values["worker_id"] = _check_worker(values["worker_id"], case.district)
    if values["status"] == CaseStatus.EMPLOYED and not values["outcome"]:
        raise DomainError("标记为“已就业”时请选择就业结果。", fields={"outcome": "请选择就业结果"})
    if values["outcome_on"] and values["outcome_on"] > local_today():
        raise DomainError("就业日期不能晚于今天。", fields={"outcome_on": "不能晚于今天"})
    paths = [str(p) for p in PlanPath if p in set(values["plan_paths"])]
    if paths and case.plan_at is None:
        case.plan_at = utcnow()
    case.worker_id = values["worker_id"]
    case.status = values["status"]
    case.needs = clean_text(values["needs"])
    case.plan_paths = paths
    case.plan_note = clean_text(values["plan_note"])
    case.outcome = values["outcome"]
    case.outcome_note = clean_text(values["outcome_note"])
    case.outcome_on = values["outcome_on"]
    audit.record(actor.id, "casework.case_update", "case_file", case.id, district=case.district)
    db.session.commit()
    return case


class ContactSchema(BaseSchema):
    contact_on = Date(required=True)
    channel = Choice(list(ContactChannel), required=True)
    summary = Text(required=True, min_len=1, max_len=1000)


CONTACT_LABELS = {"contact_on": "联系日期", "channel": "联系方式", "summary": "联系内容"}


def add_contact(actor, case_id: int, data, *, form: bool = False) -> CaseContact:
    case = case_for_update(actor, case_id)
    values = _labelled_load(ContactSchema(), data, CONTACT_LABELS, form)
    values["summary"] = clean_text(values["summary"])
    if not values["summary"]:
        raise DomainError("请填写联系内容。", fields={"summary": "此项必填。"})
    if values["contact_on"] > local_today():
        raise DomainError("联系日期不能晚于今天。", fields={"contact_on": "不能晚于今天"})
    row = CaseContact(case_id=case.id, recorded_by=actor.id, **values)
    db.session.add(row)
    if case.status == CaseStatus.OPEN:
        case.status = CaseStatus.IN_PROGRESS
    case.updated_at = utcnow()
    db.session.flush()
    audit.record(actor.id, "casework.contact", "case_file", case.id, district=case.district)
    db.session.commit()
    return row


class RecommendSchema(BaseSchema):
    position_id = Int(required=True, min_value=1, max_value=MAX_ID)
    recommended_on = Date(required=True)
    response = Choice(list(RecommendationResponse), load_default="no_answer")
    note = Text(max_len=500)


RECOMMEND_LABELS = {
    "position_id": "岗位编号",
    "recommended_on": "推荐日期",
    "response": "答复",
    "note": "备注",
}


def add_recommendation(actor, case_id: int, data, *, form=False) -> CaseRecommendation:
    case = case_for_update(actor, case_id)
    values = _labelled_load(RecommendSchema(), data, RECOMMEND_LABELS, form)
    pos = db.session.get(Position, values["position_id"])
    if pos is None or pos.status != PositionStatus.PUBLISHED:
        raise DomainError(
            "岗位不存在或未在招聘中。", fields={"position_id": "请填写招聘中岗位的编号"}
        )
    if values["recommended_on"] > local_today():
        raise DomainError("推荐日期不能晚于今天。", fields={"recommended_on": "不能晚于今天"})
    row = CaseRecommendation(
        case_id=case.id, recorded_by=actor.id, **{**values, "note": clean_text(values["note"])}
    )
    db.session.add(row)
    case.updated_at = utcnow()
    db.session.flush()
    audit.record(actor.id, "casework.recommend", "case_file", case.id, district=case.district)
    db.session.commit()
    return row


class ResponseSchema(BaseSchema):
    response = Choice(list(RecommendationResponse), required=True)


def set_response(actor, case_id: int, rec_id: int, data, *, form=False) -> CaseRecommendation:
    case = case_for_update(actor, case_id)
    row = db.session.get(CaseRecommendation, _id(rec_id))
    if row is None or row.case_id != case.id:
        raise NotFound("推荐记录不存在。")
    values = load(ResponseSchema(), _body(data), form=form)
    row.response = values["response"]
    db.session.commit()
    return row


class TrainingSchema(BaseSchema):
    course = Text(required=True, min_len=1, max_len=100)
    provider = Text(required=True, min_len=1, max_len=100)
    referred_on = Date(required=True)
    result = Text(max_len=200)


TRAINING_LABELS = {
    "course": "培训项目",
    "provider": "培训机构",
    "referred_on": "推荐日期",
    "result": "培训结果",
}


def add_training(actor, case_id: int, data, *, form=False) -> CaseTraining:
    case = case_for_update(actor, case_id)
    values = _labelled_load(TrainingSchema(), data, TRAINING_LABELS, form)
    values = {k: clean_text(v) if isinstance(v, str) else v for k, v in values.items()}
    for key in ("course", "provider"):
        if not values[key]:
            raise DomainError(f"请填写{TRAINING_LABELS[key]}。", fields={key: "此项必填。"})
    row = CaseTraining(case_id=case.id, recorded_by=actor.id, **values)
    db.session.add(row)
    case.updated_at = utcnow()
    db.session.flush()
    audit.record(actor.id, "casework.training", "case_file", case.id, district=case.district)
    db.session.commit()
    return row


def plan_state(case: CaseFile, plan_days: int, today: date) -> dict:
    """Was the plan made within N days of creating the file (百日攻坚 rule)?"""
    created = local_date(case.created_at)
    due = created + timedelta(days=plan_days)
    if case.plan_at is not None:
        made = local_date(case.plan_at)
        ok = made <= due
        return {
            "state": "ok" if ok else "late",
            "label": "按期制定" if ok else "逾期制定",
            "due": due,
            "made": made,
        }
    if today > due:
        return {"state": "overdue", "label": "逾期未制定", "due": due, "made": None}
    return {
        "state": "pending",
        "label": f"待制定（剩 {(due - today).days} 天）",
        "due": due,
        "made": None,
    }


def case_dict(case: CaseFile, *, full: bool = True) -> dict:
    profile = getattr(case, "profile", None) or profile_of(case)
    out = {
        "id": case.id,
        "district": case.district,
        "status": case.status,
        "status_label": CASE_STATUS_LABELS.get(case.status, case.status),
        "seeker": {
            "id": case.seeker_id,
            "name": profile.name if profile else "",
            "phone": profile.phone if profile else "",
            "groups": sorted(consented_groups(profile)),
        },
        "worker": {"id": case.worker_id, "name": case.worker.name if case.worker else ""},
        "plan_paths": list(case.plan_paths or []),
        "plan_path_labels": [PLAN_PATH_LABELS[p] for p in case.plan_paths or []],
        "outcome": case.outcome,
        "outcome_label": CASE_OUTCOME_LABELS.get(case.outcome, case.outcome),
        "outcome_on": case.outcome_on.isoformat() if case.outcome_on else None,
        "created_at": case.created_at.replace(tzinfo=UTC).isoformat(),
        "plan_at": case.plan_at.replace(tzinfo=UTC).isoformat() if case.plan_at else None,
    }
    if full:
        out.update(
            needs=case.needs,
            plan_note=case.plan_note,
            outcome_note=case.outcome_note,
            contacts=[contact_dict(c) for c in case.contacts],
            recommendations=[
                {
                    "id": r.id,
                    "position_id": r.position_id,
                    "position_title": r.position.title,
                    "employer_name": r.position.employer.name,
                    "recommended_on": r.recommended_on.isoformat(),
                    "response": r.response,
                    "response_label": RESPONSE_LABELS.get(r.response, r.response),
                    "note": r.note,
                }
                for r in case.recommendations
            ],
            trainings=[
                {
                    "id": t.id,
                    "course": t.course,
                    "provider": t.provider,
                    "referred_on": t.referred_on.isoformat(),
                    "result": t.result,
                }
                for t in case.trainings
            ],
        )
    return out


def contact_dict(c: CaseContact) -> dict:
    return {
        "id": c.id,
        "contact_on": c.contact_on.isoformat(),
        "channel": c.channel,
        "channel_label": CONTACT_CHANNEL_LABELS.get(c.channel, c.channel),
        "summary": c.summary,
    }


def own_case(seeker) -> CaseFile | None:
    """The seeker's own file (read-only summary); the view is audited like any other."""
    if seeker.role != Role.SEEKER:
        raise Forbidden()
    case = db.session.scalar(db.select(CaseFile).filter_by(seeker_id=seeker.id))
    if case is not None:
        audit.record(seeker.id, "casework.case_self_view", "case_file", case.id, reason="本人查看")
        db.session.commit()
        case = db.session.scalar(db.select(CaseFile).filter_by(seeker_id=seeker.id))
    return case


# --- 百日攻坚 (retired fishermen) ------------------------------------------------------------


def fisher_campaign(actor, today: date | None = None) -> dict:
    today = today or local_today()
    districts = scope(actor)
    conf = settings()
    fishers = [
        p
        for p in db.session.scalars(
            db.select(SeekerProfile)
            .where(SeekerProfile.group_consent.is_(True))
            .where(SeekerProfile.groups.any(group=PriorityGroup.RETIRED_FISHER))
            .order_by(SeekerProfile.name)
        )
        if districts is None or seeker_district(p) in districts
    ]
    cases = {
        c.seeker_id: c
        for c in db.session.scalars(
            db.select(CaseFile).where(CaseFile.seeker_id.in_([p.user_id for p in fishers] or [0]))
        )
    }
    rows = []
    for p in fishers:
        case = cases.get(p.user_id)
        rows.append(
            {
                "profile": p,
                "district": seeker_district(p),
                "case": case,
                "plan": plan_state(case, conf["plan_days"], today) if case else None,
            }
        )
    with_file = sum(1 for r in rows if r["case"])
    start, end = conf["campaign_start"], conf["campaign_end"]
    if start is None:
        days_left, phase = None, "unset"
    elif today < start:
        days_left, phase = (end - start).days + 1, "before"
    elif today > end:
        days_left, phase = 0, "over"
    else:
        days_left, phase = (end - today).days + 1, "running"
    states = defaultdict(int)
    for r in rows:
        states[r["plan"]["state"] if r["plan"] else "no_file"] += 1
    return {
        "registered": len(rows),
        "with_file": with_file,
        "coverage_pct": round(with_file * 100 / len(rows)) if rows else 0,
        "plan_states": dict(states),
        "plan_days": conf["plan_days"],
        "start": start,
        "end": end,
        "days_left": days_left,
        "phase": phase,
        "rows": rows,
    }


# --- follow-ups ----------------------------------------------------------------------------


def hires_of(seeker_id: int) -> list[dict]:
    """The seeker's recorded hires (platform and placements), newest first."""
    rows = _hires(seeker_ids=[seeker_id]) + _placements(seeker_ids=[seeker_id])
    return sorted(rows, key=lambda r: r["date"], reverse=True)


def follow_up_schedule(seeker_id: int, today: date | None = None) -> list[dict]:
    """For each hire, the 30/90/180-day marks with their due dates and any record."""
    today = today or local_today()
    have = {
        (f.hired_on, f.day_mark): f
        for f in db.session.scalars(db.select(EmploymentFollowUp).filter_by(seeker_id=seeker_id))
    }
    out = []
    for hire in hires_of(seeker_id):
        marks = []
        for mark in DAY_MARKS:
            due = hire["date"] + timedelta(days=mark)
            marks.append(
                {
                    "day_mark": mark,
                    "due": due,
                    "is_due": today >= due,
                    "record": have.get((hire["date"], mark)),
                }
            )
        out.append({**hire, "marks": marks})
    return out


class FollowUpSchema(BaseSchema):
    hired_on = Date(required=True)
    day_mark = Int(required=True)
    still_employed = Bool(required=True)
    note = Text(max_len=500)


FOLLOW_UP_LABELS = {
    "hired_on": "入职日期",
    "day_mark": "回访节点",
    "still_employed": "是否仍在岗",
    "note": "备注",
}


def record_follow_up(actor, seeker_id: int, data, *, form=False) -> EmploymentFollowUp:
    """A case worker records, or the seeker confirms, employment N days after a hire."""
    data = dict(_body(data))
    if form and "still_employed" in data:
        data["still_employed"] = data["still_employed"] in ("1", "true", "yes", "on")
    values = _labelled_load(FollowUpSchema(), data, FOLLOW_UP_LABELS, form)
    if actor.role == Role.SEEKER:
        if actor.id != seeker_id:
            raise NotFound()
        source = FollowUpSource.SEEKER
    else:
        seeker = db.session.get(User, _id(seeker_id, "求职者不存在。"))
        if seeker is None or seeker.role != Role.SEEKER:
            raise NotFound("求职者不存在。")
        require_case_worker(actor, seeker_district(_profiles([seeker_id]).get(seeker_id)) or "")
        source = FollowUpSource.CASE_WORKER
    if values["day_mark"] not in DAY_MARKS:
        raise DomainError(
            "回访节点只能是 30、90 或 180 天。", fields={"day_mark": "不是可选的值。"}
        )
    hires = {h["date"] for h in hires_of(seeker_id)}
    if values["hired_on"] not in hires:
        raise DomainError(
            "没有找到这一天的录用或就业记录。", fields={"hired_on": "请选择已记录的入职日期"}
        )
    if local_today() < values["hired_on"] + timedelta(days=values["day_mark"]):
        raise DomainError(
            f"入职满 {values['day_mark']} 天后才能回访。", fields={"day_mark": "回访时间未到"}
        )
    row = db.session.scalar(
        db.select(EmploymentFollowUp).filter_by(
            seeker_id=seeker_id, hired_on=values["hired_on"], day_mark=values["day_mark"]
        )
    )
    if row is None:
        row = EmploymentFollowUp(
            seeker_id=seeker_id, hired_on=values["hired_on"], day_mark=values["day_mark"]
        )
        db.session.add(row)
    row.still_employed = values["still_employed"]
    row.note = clean_text(values["note"])
    row.source = source
    row.recorded_by = actor.id
    db.session.flush()
    audit.record(actor.id, "casework.follow_up", "follow_up", row.id, note=f"{row.day_mark} 天")
    db.session.commit()
    return row


def follow_up_dict(f: EmploymentFollowUp) -> dict:
    return {
        "id": f.id,
        "seeker_id": f.seeker_id,
        "hired_on": f.hired_on.isoformat(),
        "day_mark": f.day_mark,
        "still_employed": f.still_employed,
        "source": f.source,
        "note": f.note,
    }


def list_follow_ups(actor, limit: int = 500) -> list[EmploymentFollowUp]:
    districts = scope(actor)
    rows = list(
        db.session.scalars(
            db.select(EmploymentFollowUp)
            .order_by(EmploymentFollowUp.updated_at.desc())
            .limit(limit)
        )
    )
    if districts is None:
        return rows
    profiles = _profiles(r.seeker_id for r in rows)
    return [r for r in rows if seeker_district(profiles.get(r.seeker_id)) in districts]


def follow_up_counts(seeker_ids=None) -> dict[int, dict[str, int]]:
    """Per day mark: how many people confirmed a follow-up, and how many still employed."""
    q = db.select(
        EmploymentFollowUp.day_mark,
        EmploymentFollowUp.still_employed,
        func.count(func.distinct(EmploymentFollowUp.seeker_id)),
    ).group_by(EmploymentFollowUp.day_mark, EmploymentFollowUp.still_employed)
    if seeker_ids is not None:
        q = q.where(EmploymentFollowUp.seeker_id.in_(list(seeker_ids) or [0]))
    out = {m: {"confirmed": 0, "still_employed": 0} for m in DAY_MARKS}
    for mark, still, n in db.session.execute(q):
        out[mark]["confirmed"] += n
        if still:
            out[mark]["still_employed"] += n
    return out


# --- households ----------------------------------------------------------------------------


def household_status(hh: Household, today: date | None = None) -> dict:
    today = today or local_today()
    deadline = hh.identified_on + timedelta(days=hh.deadline_days)
    end = hh.closed_on or today
    rounds = hh.referrals
    full_rounds = sum(1 for r in rounds if len(r.positions) >= 3)
    return {
        "open": hh.closed_on is None,
        "days": (end - hh.identified_on).days,
        "deadline": deadline,
        "days_left": (deadline - today).days,
        "overdue": hh.closed_on is None and today > deadline,
        "rounds": len(rounds),
        "rounds_ok": full_rounds >= 3,
    }


def household_summary(district: str | None = None, today: date | None = None) -> dict:
    """Counts for dashboards: open, closed this month, overdue, escalated (no personal data)."""
    today = today or local_today()
    q = db.select(Household)
    if district:
        q = q.filter_by(district=district)
    rows = db.session.scalars(q).all()
    month_start = today.replace(day=1)
    open_rows = [h for h in rows if h.closed_on is None]
    overdue = [h for h in open_rows if today > h.identified_on + timedelta(days=h.deadline_days)]
    return {
        "open": len(open_rows),
        "closed_this_month": sum(
            1 for h in rows if h.closed_on and month_start <= h.closed_on <= today
        ),
        "overdue": len(overdue),
        "escalated": sum(1 for h in open_rows if h.escalated_at is not None),
    }


def list_households(actor, *, state: str | None = None, today: date | None = None):
    today = today or local_today()
    districts = scope(actor)
    q = db.select(Household).order_by(Household.closed_on.is_not(None), Household.identified_on)
    if districts is not None:
        q = q.where(Household.district.in_(districts or [""]))
    out = []
    for hh in db.session.scalars(q):
        st = household_status(hh, today)
        if state == "open" and not st["open"]:
            continue
        if state == "closed" and st["open"]:
            continue
        if state == "overdue" and not st["overdue"]:
            continue
        out.append((hh, st))
    return out


def get_household(actor, household_id: int) -> Household:
    require_case_worker(actor)
    hh = db.session.get(Household, _id(household_id, "家庭不存在。"))
    if hh is None:
        raise NotFound("家庭不存在。")
    require_case_worker(actor, hh.district)
    return hh


class MemberSchema(BaseSchema):
    name = Text(required=True, min_len=1, max_len=50)
    relation = Text(max_len=20)
    seeker_phone = Text(max_len=11)


class HouseholdSchema(BaseSchema):
    district = fields.String(required=True, error_messages={"required": "此项必填。"})
    label = Text(required=True, min_len=1, max_len=200)
    identified_on = Date(required=True)
    deadline_days = Int(min_value=1, max_value=365, load_default=None, allow_none=True)
    members = fields.List(
        fields.Nested(MemberSchema),
        required=True,
        validate=validate.Length(min=1, max=10, error="请填写 1–10 名家庭成员。"),
        error_messages={"required": "请至少填写一名家庭成员。"},
    )


HOUSEHOLD_LABELS = {
    "district": "区",
    "label": "家庭（地址或标识）",
    "identified_on": "认定日期",
    "deadline_days": "清零时限",
    "members": "家庭成员",
}


def create_household(actor, data, *, form: bool = False) -> Household:
    require_case_worker(actor)
    values = _labelled_load(HouseholdSchema(), data, HOUSEHOLD_LABELS, form)
    if values["district"] not in reference.districts():
        raise DomainError("区不在本市范围内。", fields={"district": "请选择本市的区"})
    require_case_worker(actor, values["district"])
    if values["identified_on"] > local_today():
        raise DomainError("认定日期不能晚于今天。", fields={"identified_on": "不能晚于今天"})
    hh = Household(
        district=values["district"],
        label=clean_text(values["label"]),
        identified_on=values["identified_on"],
        deadline_days=values["deadline_days"] or settings()["household_deadline_days"],
        created_by=actor.id,
        closed_reason="",
    )
    for i, m in enumerate(values["members"]):
        seeker_id = None
        phone = clean_text(m.get("seeker_phone") or "")
        if phone:
            seeker = db.session.scalar(db.select(User).filter_by(phone=phone, role=Role.SEEKER))
            if seeker is None:
                raise DomainError(
                    f"第 {i + 1} 名成员的手机号没有对应的求职者账号。",
                    fields={f"members.{i}.seeker_phone": "没有该求职者"},
                )
            seeker_id = seeker.id
        name = clean_text(m["name"])
        if not name:
            raise DomainError(f"请填写第 {i + 1} 名成员的姓名。")
        hh.members.append(
            HouseholdMember(
                name=name, relation=clean_text(m.get("relation") or ""), seeker_id=seeker_id
            )
        )
    db.session.add(hh)
    db.session.flush()
    audit.record(actor.id, "casework.household_create", "household", hh.id, district=hh.district)
    db.session.commit()
    return hh


class ReferralSchema(BaseSchema):
    referred_on = Date(required=True)
    position_ids = fields.List(
        fields.Integer(
            validate=validate.Range(min=1, max=MAX_ID, error="岗位编号不正确。"),
            error_messages={"invalid": "岗位编号应为整数。"},
        ),
        required=True,
        error_messages={"required": "请选择推荐的岗位。", "invalid": "应为列表。"},
    )
    note = Text(max_len=500)


REFERRAL_LABELS = {"referred_on": "推荐日期", "position_ids": "推荐岗位", "note": "备注"}


def add_referral(actor, household_id: int, data, *, form=False) -> HouseholdReferral:
    """One referral round of at least three distinct suitable (published) positions."""
    hh = get_household(actor, household_id)
    values = _labelled_load(ReferralSchema(), data, REFERRAL_LABELS, form)
    if hh.closed_on is not None:
        raise DomainError("该家庭已实现就业清零，无需再推荐岗位。", code="household_closed")
    ids = sorted(set(values["position_ids"]))
    if len(ids) < 3:
        raise DomainError(
            "每轮至少推荐 3 个不同的适合岗位。",
            code="too_few_positions",
            fields={"position_ids": "每轮至少 3 个岗位"},
        )
    positions = list(
        db.session.scalars(
            db.select(Position).where(
                Position.id.in_(ids), Position.status == PositionStatus.PUBLISHED
            )
        )
    )
    if len(positions) != len(ids):
        missing = sorted(set(ids) - {p.id for p in positions})
        raise DomainError(
            "以下岗位不存在或未在招聘中：" + "、".join(map(str, missing)),
            fields={"position_ids": "请选择招聘中的岗位"},
        )
    if values["referred_on"] > local_today():
        raise DomainError("推荐日期不能晚于今天。", fields={"referred_on": "不能晚于今天"})
    last = db.session.scalar(
        db.select(func.max(HouseholdReferral.round_no)).filter_by(household_id=hh.id)
    )
    ref = HouseholdReferral(
        household_id=hh.id,
        round_no=(last or 0) + 1,
        referred_on=values["referred_on"],
        note=clean_text(values["note"]),
        recorded_by=actor.id,
    )
    ref.positions = positions
    db.session.add(ref)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("推荐轮次刚刚被其他人登记，请刷新后重试。") from None
    audit.record(
        actor.id,
        "casework.household_referral",
        "household",
        hh.id,
        note=f"第 {ref.round_no} 轮，{len(positions)} 个岗位",
    )
    db.session.commit()
    return ref


def suitable_positions(district: str, limit: int = 30) -> list[Position]:
    """Published positions, the household's district first (a starting list for a round)."""
    q = (
        db.select(Position)
        .where(Position.status == PositionStatus.PUBLISHED)
        .order_by(
            (Position.district == district).desc(), Position.published_at.desc(), Position.id.desc()
        )
        .limit(limit)
    )
    return list(db.session.scalars(q))


def _overdue_unescalated(today: date) -> list[Household]:
    return [
        h
        for h in db.session.scalars(
            db.select(Household).where(
                Household.closed_on.is_(None), Household.escalated_at.is_(None)
            )
        )
        if today > h.identified_on + timedelta(days=h.deadline_days)
    ]


def lazy_escalate(today: date | None = None) -> int:
    """For GET handlers: take the write lock only when something is due for escalation."""
    from jobfair.database import begin_write

    if not _overdue_unescalated(today or local_today()):
        return 0
    begin_write(db.session)
    return escalate_overdue(today)


def escalate_overdue(today: date | None = None) -> int:
    """Mark households open past their deadline as escalated and tell the supervisors.

    The notices are added in the same transaction as escalated_at (the notification centre
    delivers them after the commit); without that feature escalated_at is still recorded.
    """
    rows = _overdue_unescalated(today or local_today())
    if not rows:
        return 0
    now = utcnow()
    supervisors = list(
        db.session.scalars(db.select(CaseWorker.user_id).filter_by(is_supervisor=True))
    )
    for hh in rows:
        hh.escalated_at = now
        audit.record(None, "casework.household_escalate", "household", hh.id, district=hh.district)
        _notify_escalation(hh, supervisors)
    db.session.commit()
    return len(rows)


def _notify_escalation(hh: Household, supervisors: list[int]) -> None:
    for uid in supervisors:
        notify(
            uid,
            "casework",
            "零就业家庭超期未清零",
            f"{hh.district}的一户零就业家庭认定已超过 {hh.deadline_days} 天仍未清零，请督办。",
            f"/casework/households/{hh.id}",
        )


def household_dict(hh: Household, reveal: bool = True, today: date | None = None) -> dict:
    st = household_status(hh, today)
    return {
        "id": hh.id,
        "district": hh.district,
        "label": hh.label if reveal else "",
        "identified_on": hh.identified_on.isoformat(),
        "deadline_days": hh.deadline_days,
        "deadline": st["deadline"].isoformat(),
        "closed_on": hh.closed_on.isoformat() if hh.closed_on else None,
        "closed_reason": hh.closed_reason,
        "escalated_at": hh.escalated_at.replace(tzinfo=UTC).isoformat()
        if hh.escalated_at
        else None,
        "open": st["open"],
        "days": st["days"],
        "overdue": st["overdue"],
        "rounds": st["rounds"],
        "rounds_ok": st["rounds_ok"],
        "members": [
            {"name": m.name, "relation": m.relation, "seeker_id": m.seeker_id} for m in hh.members
        ],
        "referrals": [
            {
                "round_no": r.round_no,
                "referred_on": r.referred_on.isoformat(),
                "note": r.note,
                "positions": [{"id": p.id, "title": p.title} for p in r.positions],
            }
            for r in hh.referrals
        ],
    }


# --- audit trail of case-file access ---------------------------------------------------------


def access_log(actor, limit: int = 200):
    from jobfair.models.audit import AuditLog

    require_supervisor(actor)
    return list(
        db.session.scalars(
            db.select(AuditLog)
            .where(
                or_(
                    AuditLog.action.like("casework.case%"),
                    AuditLog.action == "casework.cases_export",
                    AuditLog.action == "casework.targets_export",
                )
            )
            .order_by(AuditLog.id.desc())
            .limit(limit)
        )
    )


ACTION_LABELS = {
    "casework.case_view": "查看档案",
    "casework.case_self_view": "本人查看档案",
    "casework.case_create": "新建档案",
    "casework.case_update": "修改档案",
    "casework.cases_export": "导出档案",
    "casework.targets_export": "导出目标",
}

GROUP_OPTIONS = [(str(g), label) for g, label in GROUP_LABELS.items()]
