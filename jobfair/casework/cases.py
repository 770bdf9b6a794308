"""Case files (一人一档): opening them with a reason, the plan, contacts, recommended positions
and training referrals. Every view of a file is written to the audit log."""

from jobfair import audit
from jobfair.casework.access import case_worker_of, require_case_worker, scope
from jobfair.casework.queries import (
    consented_groups,
    local_today,
    profiles_by_user,
    seeker_district,
)
from jobfair.casework.schemas import (
    CASE_LABELS,
    CONTACT_LABELS,
    RECOMMEND_LABELS,
    TRAINING_LABELS,
    CaseCreateSchema,
    CaseUpdateSchema,
    ContactSchema,
    RecommendSchema,
    ResponseSchema,
    TrainingSchema,
)
from jobfair.errors import DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.ids import require_id
from jobfair.models.casework import (
    CaseContact,
    CaseFile,
    CaseRecommendation,
    CaseStatus,
    CaseTraining,
    PlanPath,
)
from jobfair.models.common import GROUP_LABELS, PriorityGroup, utcnow
from jobfair.models.position import Position, PositionStatus
from jobfair.models.seeker import SeekerProfile
from jobfair.models.user import Role, User
from jobfair.seekers.services import clean_text
from jobfair.transactions import conflict_as
from jobfair.validation import body, load

# The group filter of the case list (only groups a seeker consented to count).
GROUP_OPTIONS = [(str(g), label) for g, label in GROUP_LABELS.items()]


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
    data = dict(body(data))
    if form and not data.get("worker_id"):
        data["worker_id"] = None
    values = load(CaseCreateSchema(), data, form=form)
    seeker = db.session.get(User, values["seeker_id"])
    profile = profiles_by_user([seeker.id]).get(seeker.id) if seeker else None
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
    # One file per seeker (UNIQUE seeker_id): a second worker racing to open it gets a 409.
    with conflict_as("该求职者已有帮扶档案。", "case_exists"):
        db.session.flush()
    audit.record(actor.id, "casework.case_create", "case_file", case.id, district=district)
    db.session.commit()
    return case


def _case(case_id: int) -> CaseFile:
    case = db.session.get(CaseFile, require_id(case_id, "档案不存在。"))
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
    profiles = profiles_by_user(c.seeker_id for c in cases)
    for c in cases:
        c.profile = profiles.get(c.seeker_id)
    if group in set(PriorityGroup):
        cases = [c for c in cases if group in consented_groups(c.profile)]
    return cases


def profile_of(case: CaseFile) -> SeekerProfile | None:
    return profiles_by_user([case.seeker_id]).get(case.seeker_id)


def update_case(actor, case_id: int, data, *, form: bool = False) -> CaseFile:
    case = case_for_update(actor, case_id)
    data = dict(body(data))
    if form:
        for key in ("worker_id", "outcome_on"):
            if not data.get(key):
                data[key] = None
    values = load(CaseUpdateSchema(), data, labels=CASE_LABELS, form=form)
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


def add_contact(actor, case_id: int, data, *, form: bool = False) -> CaseContact:
    case = case_for_update(actor, case_id)
    values = load(ContactSchema(), data, labels=CONTACT_LABELS, form=form)
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


def add_recommendation(actor, case_id: int, data, *, form=False) -> CaseRecommendation:
    case = case_for_update(actor, case_id)
    values = load(RecommendSchema(), data, labels=RECOMMEND_LABELS, form=form)
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


def set_response(actor, case_id: int, rec_id: int, data, *, form=False) -> CaseRecommendation:
    case = case_for_update(actor, case_id)
    row = db.session.get(CaseRecommendation, require_id(rec_id))
    if row is None or row.case_id != case.id:
        raise NotFound("推荐记录不存在。")
    values = load(ResponseSchema(), data, form=form)
    row.response = values["response"]
    db.session.commit()
    return row


def add_training(actor, case_id: int, data, *, form=False) -> CaseTraining:
    case = case_for_update(actor, case_id)
    values = load(TrainingSchema(), data, labels=TRAINING_LABELS, form=form)
    values = {k: clean_text(v) if isinstance(v, str) else v for k, v in values.items()}
    for key in ("course", "provider"):
        if not values[key]:
            raise DomainError(f"请填写{TRAINING_LABELS[key]}。", fields={key: "此项必填。"})
    if values["referred_on"] > local_today():
        raise DomainError("推荐日期不能晚于今天。", fields={"referred_on": "不能晚于今天"})
    row = CaseTraining(case_id=case.id, recorded_by=actor.id, **values)
    db.session.add(row)
    case.updated_at = utcnow()
    db.session.flush()
    audit.record(actor.id, "casework.training", "case_file", case.id, district=case.district)
    db.session.commit()
    return row


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
