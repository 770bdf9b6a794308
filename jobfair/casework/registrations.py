"""失业登记 and 就业登记, and 离职: the registrations every outcome figure rests on.

Rules worth knowing:
- A hire counts at 入职 (the employer's 已入职, which writes a platform 就业登记) or when a
  case worker records a 就业登记 (安置 with evidence, or found at a follow-up); 录用 alone
  counts nothing, so moving 录用 back to 未通过 has nothing to undo in the figures.
- A 就业登记 ends open 失业登记 on its first day, clears the member's zero-employment
  households and marks the case file 已就业; its outcome record is written in the same
  transaction.
- Ending an employment (离职, any date from the start to today) is open to the employer of a
  platform hire, the seeker and a case worker of the seeker's district. It writes a correcting
  record, re-opens households it had cleared and puts the case file back to 帮扶中.
"""

from datetime import date

from jobfair import audit
from jobfair.casework import clearing, outcomes
from jobfair.casework.access import case_worker_of, require_case_worker
from jobfair.casework.queries import local_today, profiles_by_user
from jobfair.casework.schemas import (
    EMPLOYMENT_LABELS,
    END_LABELS,
    EmploymentSchema,
    EndSchema,
    UnemploymentSchema,
)
from jobfair.employers.acting import employer_of
from jobfair.errors import DomainError, NotFound
from jobfair.extensions import db
from jobfair.ids import require_id
from jobfair.models.application import Application
from jobfair.models.casework import CaseFile, CaseOutcome, CaseStatus
from jobfair.models.common import WorkForm
from jobfair.models.outcome import (
    ContractType,
    EmploymentRegistration,
    EmploymentSource,
    EndedBy,
    UnemploymentRegistration,
)
from jobfair.models.seeker import SeekerProfile
from jobfair.models.user import Role, User
from jobfair.seekers.services import clean_text
from jobfair.validation import load

# The contract a platform hire is registered with, from the position's form of work.
CONTRACT_OF_FORM = {
    WorkForm.FULL_TIME: ContractType.FIXED_TERM,
    WorkForm.PART_TIME: ContractType.PART_TIME,
    WorkForm.TEMPORARY: ContractType.NONE,
    WorkForm.SEASONAL: ContractType.TASK,
    WorkForm.FLEXIBLE: ContractType.FLEXIBLE,
}


def _not_future(day: date, field: str, what: str) -> None:
    if day > local_today():
        raise DomainError(f"{what}不能晚于今天。", fields={field: "不能晚于今天"})


def seeker_for_worker(actor, seeker_id: int) -> tuple[User, SeekerProfile]:
    """A seeker a case worker may register things for: one living in their districts."""
    require_case_worker(actor)
    seeker = db.session.get(User, require_id(seeker_id, "求职者不存在。"))
    profile = profiles_by_user([seeker.id]).get(seeker.id) if seeker else None
    if seeker is None or seeker.role != Role.SEEKER or profile is None:
        raise NotFound("求职者不存在。")
    if not profile.home_district:
        raise DomainError("该求职者未填写常住区或户籍区，请先补充居住信息。", code="no_residence")
    require_case_worker(actor, profile.home_district)
    return seeker, profile


# --- 失业登记 -------------------------------------------------------------------------------


def open_unemployment(actor, seeker_id: int, data, *, form=False) -> UnemploymentRegistration:
    seeker, _profile = seeker_for_worker(actor, seeker_id)
    values = load(UnemploymentSchema(), data, labels=END_LABELS, form=form)
    _not_future(values["registered_on"], "registered_on", "登记日期")
    if any(r.ended_on is None for r in unemployment_of(seeker.id)):
        raise DomainError("该求职者已有未结束的失业登记。", code="already_registered", status=409)
    reg = UnemploymentRegistration(
        seeker_id=seeker.id,
        registered_on=values["registered_on"],
        place=clean_text(values["place"]),
        end_reason="",
        recorded_by=actor.id,
    )
    db.session.add(reg)
    db.session.flush()
    audit.record(actor.id, "casework.unemployment_open", "unemployment", reg.id)
    db.session.commit()
    return reg


def end_unemployment(actor, reg_id: int, data, *, form=False) -> UnemploymentRegistration:
    reg = db.session.get(UnemploymentRegistration, require_id(reg_id, "失业登记不存在。"))
    if reg is None:
        raise NotFound("失业登记不存在。")
    seeker_for_worker(actor, reg.seeker_id)
    values = load(EndSchema(), data, labels=END_LABELS, form=form)
    if reg.ended_on is not None:
        raise DomainError("该失业登记已经结束。", code="already_ended", status=409)
    _not_future(values["ended_on"], "ended_on", "结束日期")
    if values["ended_on"] < reg.registered_on:
        raise DomainError("结束日期不能早于登记日期。", fields={"ended_on": "不能早于登记日期"})
    reg.ended_on, reg.end_reason = values["ended_on"], clean_text(values["reason"])
    audit.record(actor.id, "casework.unemployment_end", "unemployment", reg.id)
    db.session.commit()
    return reg


def unemployment_of(seeker_id: int) -> list[UnemploymentRegistration]:
    return list(
        db.session.scalars(
            db.select(UnemploymentRegistration)
            .filter_by(seeker_id=seeker_id)
            .order_by(UnemploymentRegistration.registered_on.desc())
        )
    )


# --- 就业登记 -------------------------------------------------------------------------------


def record_registration(
    reg: EmploymentRegistration, profile, actor_id, recorded_on: date | None = None
) -> EmploymentRegistration:
    """Everything a new 就业登记 sets off, inside the caller's transaction."""
    db.session.add(reg)
    db.session.flush()
    outcomes.record_employment(reg, profile, recorded_on)
    for u in unemployment_of(reg.seeker_id):
        if u.ended_on is None and u.registered_on <= reg.started_on:
            u.ended_on, u.end_reason = reg.started_on, "实现就业"
    clearing.close_for_registration(reg, actor_id, recorded_on)
    case = db.session.scalar(db.select(CaseFile).filter_by(seeker_id=reg.seeker_id))
    if case is not None and case.status in (CaseStatus.OPEN, CaseStatus.IN_PROGRESS):
        case.status = CaseStatus.EMPLOYED
        case.outcome = (
            CaseOutcome.PLATFORM_HIRE
            if reg.source == EmploymentSource.PLATFORM_HIRE
            else CaseOutcome.PLACEMENT
        )
        case.outcome_on = reg.started_on
    audit.record(actor_id, "casework.employment_register", "employment", reg.id)
    return reg


def register_employment(actor, seeker_id: int, data, *, form=False) -> EmploymentRegistration:
    """A case worker records a 就业登记 (安置 or found at a follow-up), with evidence."""
    seeker, profile = seeker_for_worker(actor, seeker_id)
    values = load(EmploymentSchema(), data, labels=EMPLOYMENT_LABELS, form=form)
    for key in ("employer_name", "job_title", "evidence_note"):
        values[key] = clean_text(values[key])
        if not values[key]:
            raise DomainError(f"{EMPLOYMENT_LABELS[key]}不能为空。", fields={key: "此项必填。"})
    _not_future(values["started_on"], "started_on", "入职日期")
    reg = EmploymentRegistration(
        seeker_id=seeker.id, recorded_by=actor.id, end_reason="", ended_role="", **values
    )
    record_registration(reg, profile, actor.id)
    db.session.commit()
    return reg


def register_platform_hire(
    application: Application, actor_id=None, on: date | None = None
) -> EmploymentRegistration:
    """已入职 on the platform: the 就业登记 of the hire (in the status change's transaction)."""
    have = db.session.scalar(
        db.select(EmploymentRegistration).filter_by(application_id=application.id)
    )
    if have is not None:
        return have
    pos = application.position
    profile = profiles_by_user([application.seeker_id]).get(application.seeker_id)
    reg = EmploymentRegistration(
        seeker_id=application.seeker_id,
        application_id=application.id,
        employer_id=pos.employer_id,
        employer_name=pos.employer.name,
        job_title=pos.title,
        started_on=on or local_today(),
        contract_type=CONTRACT_OF_FORM.get(pos.work_form, ContractType.FIXED_TERM),
        work_form=pos.work_form,
        # 全日制 hires are insured by law; other forms are counted only when a case worker or
        # the employer confirms insurance (see casework.rules).
        social_insurance=pos.work_form == WorkForm.FULL_TIME,
        source=EmploymentSource.PLATFORM_HIRE,
        evidence_note="",
        end_reason="",
        ended_role="",
        recorded_by=actor_id,
    )
    return record_registration(reg, profile, actor_id, on)


def registrations_of(seeker_id: int) -> list[EmploymentRegistration]:
    return list(
        db.session.scalars(
            db.select(EmploymentRegistration)
            .filter_by(seeker_id=seeker_id)
            .order_by(EmploymentRegistration.started_on.desc(), EmploymentRegistration.id.desc())
        )
    )


def employer_registrations(actor) -> list[EmploymentRegistration]:
    employer = employer_of(actor)
    if employer is None:
        return []  # no company profile yet: nobody has started work there
    return list(
        db.session.scalars(
            db.select(EmploymentRegistration)
            .filter_by(employer_id=employer.id)
            .order_by(EmploymentRegistration.started_on.desc(), EmploymentRegistration.id.desc())
        )
    )


# --- 离职 -----------------------------------------------------------------------------------


def get_registration(reg_id: int) -> EmploymentRegistration:
    reg = db.session.get(EmploymentRegistration, require_id(reg_id, "就业登记不存在。"))
    if reg is None:
        raise NotFound("就业登记不存在。")
    return reg


def ender_role(actor, reg: EmploymentRegistration) -> str:
    """Who may end this employment: its seeker, its employer, a case worker of the district."""
    if actor.role == Role.SEEKER and actor.id == reg.seeker_id:
        return EndedBy.SEEKER
    if actor.role == Role.EMPLOYER:
        employer = employer_of(actor)
        if employer is not None and reg.employer_id == employer.id:
            return EndedBy.EMPLOYER
    cw = case_worker_of(actor)
    if cw is not None:
        profile = profiles_by_user([reg.seeker_id]).get(reg.seeker_id)
        if cw.covers(profile.home_district if profile else None):
            return EndedBy.CASE_WORKER
    raise NotFound("就业登记不存在。")


def end_employment(actor, reg_id: int, data, *, form=False) -> EmploymentRegistration:
    """离职 on any date from the start to today: a correcting record, households re-open."""
    reg = get_registration(reg_id)
    role = ender_role(actor, reg)
    values = load(EndSchema(), data, labels=END_LABELS, form=form)
    if reg.ended_on is not None:
        raise DomainError("这段就业已经登记过离职。", code="already_ended", status=409)
    ended_on, reason = values["ended_on"], clean_text(values["reason"])
    if not reason:
        raise DomainError("请填写离职原因。", fields={"reason": "此项必填。"})
    _not_future(ended_on, "ended_on", "离职日期")
    if ended_on < reg.started_on:
        raise DomainError("离职日期不能早于入职日期。", fields={"ended_on": "不能早于入职日期"})
    record_end(reg, ended_on, reason, actor.id, role)
    db.session.commit()
    return reg


def record_end(reg, ended_on: date, reason: str, actor_id, role: str, recorded_on=None) -> None:
    """Everything a 离职 sets off, inside the caller's transaction."""
    reg.ended_on, reg.end_reason = ended_on, reason
    reg.ended_by, reg.ended_role = actor_id, role
    outcomes.record_reversal(reg, ended_on, reason, recorded_on)
    clearing.reopen_for_registration(reg, ended_on, reason, actor_id, recorded_on)
    case = db.session.scalar(db.select(CaseFile).filter_by(seeker_id=reg.seeker_id))
    still_working = any(r.ended_on is None for r in registrations_of(reg.seeker_id))
    if case is not None and case.status == CaseStatus.EMPLOYED and not still_working:
        case.status = CaseStatus.IN_PROGRESS
        case.outcome, case.outcome_on = CaseOutcome.NONE, None
    audit.record(actor_id, "casework.employment_end", "employment", reg.id, note=role)
