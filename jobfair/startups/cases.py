"""Start-up cases (创业扶持): who may see and change them, opening one, the mentor, the
business registration, follow-ups.

Rules worth knowing:
- A seeker opens their own start-up case; a case worker opens one for a seeker of a case file
  in their districts. One case per person (UNIQUE seeker). Case workers covering the
  business's district (and supervisors) see and work the case; the person sees their own.
- A mentor (创业导师) is assigned only while active, serving the district and under their
  number of cases (the mentor row is locked, so two assignments cannot both take the last).
- Registration needs a valid 18-character 统一社会信用代码 (not used by another case) and a
  date not in the future; it is announced (``events.startup_registered``) and the person is
  told what 一次性创业补贴 the policy catalogue gives and when they may apply.
"""

from sqlalchemy import func

from jobfair import audit, events
from jobfair.casework.access import case_worker_of, require_case_worker, scope
from jobfair.employers.services import credit_code_problem, normalise_credit_code
from jobfair.errors import DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.formatting import local_today
from jobfair.ids import require_id
from jobfair.models.casework import CaseFile
from jobfair.models.common import utcnow
from jobfair.models.startup import Mentor, StartupCase, StartupFollowUp, StartupStatus
from jobfair.models.user import Role, User
from jobfair.notifications.services import notify
from jobfair.startups import amounts
from jobfair.startups.schemas import (
    FOLLOW_UP_LABELS,
    REGISTER_LABELS,
    STARTUP_LABELS,
    FollowUpSchema,
    RegisterSchema,
    StartupSchema,
)
from jobfair.transactions import commit_or_conflict, conflict_as
from jobfair.validation import body, load

CASE_EXISTS = "该求职者已有创业扶持档案。"


def get_case(case_id) -> StartupCase:
    row = db.session.get(StartupCase, require_id(case_id, "创业档案不存在。"))
    if row is None:
        raise NotFound("创业档案不存在。")
    return row


def visible_case(user, case_id) -> StartupCase:
    """The person's own case, or one a case worker of its district may work on."""
    row = get_case(case_id)
    if user.role == Role.SEEKER:
        if row.seeker_id != user.id:
            raise NotFound("创业档案不存在。")
        return row
    if user.role != Role.ORGANISER:
        raise Forbidden()
    require_case_worker(user, row.district)
    return row


def worked_case(user, case_id) -> StartupCase:
    """A case a case worker of its district may change (the person cannot)."""
    row = get_case(case_id)
    require_case_worker(user, row.district)
    return row


def own_case(user) -> StartupCase | None:
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者本人可以查看自己的创业档案。")
    return db.session.scalar(db.select(StartupCase).filter_by(seeker_id=user.id))


def open_case(actor, data, *, form: bool = False) -> StartupCase:
    if actor.role != Role.SEEKER:
        require_case_worker(actor)
    values = load(StartupSchema(), data, labels=STARTUP_LABELS, form=form)
    if actor.role == Role.SEEKER:
        seeker_id = actor.id
    else:
        require_case_worker(actor, values["district"])
        seeker_id = values["seeker_id"]
        if values["case_id"]:
            file = db.session.get(CaseFile, values["case_id"])
            if file is None:
                raise NotFound("帮扶档案不存在。")
            require_case_worker(actor, file.district)
            seeker_id = file.seeker_id
        seeker = db.session.get(User, seeker_id) if seeker_id else None
        if seeker is None or seeker.role != Role.SEEKER:
            raise DomainError("请从帮扶档案选择创业者。", fields={"case_id": "请选择帮扶对象"})
    row = StartupCase(
        seeker_id=seeker_id,
        district=values["district"],
        business_name=values["business_name"],
        business_kind=values["business_kind"],
        sector=values["sector"],
        plan=values["plan"],
        returning_home=values["returning_home"],
        status=StartupStatus.PREPARING,
        created_by=actor.id,
    )
    db.session.add(row)
    with conflict_as(CASE_EXISTS, code="startup_exists"):
        db.session.flush()
    audit.record(actor.id, "startup.open", "startup", row.id, district=row.district)
    db.session.commit()
    return row


def update_case(actor, case_id, data, *, form: bool = False) -> StartupCase:
    row = get_case(case_id)
    if actor.role == Role.SEEKER:
        if row.seeker_id != actor.id:
            raise NotFound("创业档案不存在。")
        if row.status != StartupStatus.PREPARING:
            raise DomainError("营业执照办好后，档案由工作人员维护。", code="locked")
    else:
        require_case_worker(actor, row.district)
    values = load(StartupSchema(), data, labels=STARTUP_LABELS, form=form)
    if actor.role != Role.SEEKER:
        require_case_worker(actor, values["district"])
    for key in ("business_name", "business_kind", "sector", "district", "plan", "returning_home"):
        setattr(row, key, values[key])
    audit.record(actor.id, "startup.update", "startup", row.id, district=row.district)
    db.session.commit()
    return row


def list_cases(actor, *, status: str = "", returning: bool | None = None) -> list[StartupCase]:
    require_case_worker(actor)
    districts = scope(actor)
    stmt = db.select(StartupCase).order_by(StartupCase.updated_at.desc(), StartupCase.id.desc())
    if districts is not None:
        stmt = stmt.where(StartupCase.district.in_(districts or [""]))
    if status in set(StartupStatus):
        stmt = stmt.where(StartupCase.status == status)
    if returning is not None:
        stmt = stmt.where(StartupCase.returning_home.is_(returning))
    return list(db.session.scalars(stmt))


# --- mentors ---------------------------------------------------------------------------------


def mentor_load(mentor_ids=None) -> dict[int, int]:
    """Start-up cases in progress (not stopped) per mentor."""
    stmt = (
        db.select(StartupCase.mentor_id, func.count(StartupCase.id))
        .where(StartupCase.mentor_id.is_not(None), StartupCase.status != StartupStatus.CLOSED)
        .group_by(StartupCase.mentor_id)
    )
    if mentor_ids is not None:
        stmt = stmt.where(StartupCase.mentor_id.in_(list(mentor_ids) or [0]))
    return dict(db.session.execute(stmt).all())


def assign_mentor(actor, case_id, mentor_id) -> StartupCase:
    row = worked_case(actor, case_id)
    mentor = db.session.get(Mentor, require_id(mentor_id, "创业导师不存在。"))
    if mentor is None:
        raise NotFound("创业导师不存在。")
    # Lock the mentor so two case workers cannot both give away the last place.
    db.session.execute(db.select(Mentor.id).filter_by(id=mentor.id).with_for_update())
    if not mentor.active:
        raise DomainError("该导师已停止接收新的指导项目。", code="mentor_inactive")
    if mentor.districts and row.district not in mentor.districts:
        raise DomainError(f"该导师不服务{row.district}。", code="mentor_district")
    if (
        row.mentor_id != mentor.id
        and mentor_load([mentor.id]).get(mentor.id, 0) >= mentor.max_cases
    ):
        raise DomainError(
            f"该导师已指导 {mentor.max_cases} 个项目，名额已满，请选择其他导师。",
            code="mentor_full",
        )
    row.mentor_id = mentor.id
    row.mentor_assigned_on = local_today()
    audit.record(actor.id, "startup.mentor", "startup", row.id, mentor=mentor.name)
    notify(
        row.seeker_id,
        "startup",
        f"已为你安排创业导师：{mentor.name}",
        f"{mentor.title or ''} {mentor.organisation or ''}，擅长：{mentor.expertise or '创业指导'}。",
        link=f"/startups/{row.id}",
    )
    db.session.commit()
    return row


# --- registration and follow-ups -------------------------------------------------------------


def register_business(actor, case_id, data, *, form: bool = False) -> StartupCase:
    row = worked_case(actor, case_id)
    values = load(RegisterSchema(), data, labels=REGISTER_LABELS, form=form)
    code = normalise_credit_code(values["credit_code"])
    problem = credit_code_problem(code)
    if problem:
        raise DomainError(
            f"统一社会信用代码{problem}。", fields={"credit_code": f"统一社会信用代码{problem}"}
        )
    if values["registered_on"] > local_today():
        raise DomainError("登记日期不能晚于今天。", fields={"registered_on": "不能晚于今天"})
    if row.status == StartupStatus.CLOSED:
        raise DomainError("已停止的创业项目不能登记。", code="closed")
    first = row.status != StartupStatus.REGISTERED
    row.credit_code = code
    row.registered_on = values["registered_on"]
    row.employees = values["employees"]
    row.status = StartupStatus.REGISTERED
    audit.record(actor.id, "startup.register", "startup", row.id, credit_code=code)
    if first:
        grant = amounts.startup_grant()
        body_text = "营业执照已登记。"
        if grant and grant["amount_text"]:
            body_text += (
                f"符合条件的可申请{grant['policy_name']}（{grant['amount_text']}）："
                + "；".join(grant["conditions"])
                + "。"
            )
        notify(
            row.seeker_id, "startup", "创业项目已登记注册", body_text, link=f"/startups/{row.id}"
        )
        events.startup_registered.send(
            row, seeker_id=row.seeker_id, registered_on=row.registered_on
        )
    commit_or_conflict("该统一社会信用代码已登记在其他创业档案中。", code="credit_code_taken")
    return row


def close_case(actor, case_id, reason: str) -> StartupCase:
    row = worked_case(actor, case_id)
    reason = (reason or "").strip()[:200]
    if not reason:
        raise DomainError("请填写停止扶持的原因。", fields={"reason": "此项必填。"})
    row.status = StartupStatus.CLOSED
    audit.record(actor.id, "startup.close", "startup", row.id, reason=reason)
    db.session.commit()
    return row


def add_follow_up(actor, case_id, data, *, form: bool = False) -> StartupFollowUp:
    row = worked_case(actor, case_id)
    values = load(FollowUpSchema(), body(data), labels=FOLLOW_UP_LABELS, form=form)
    if values["followed_on"] > local_today():
        raise DomainError("回访日期不能晚于今天。", fields={"followed_on": "不能晚于今天"})
    if values["by_mentor"] and row.mentor_id is None:
        raise DomainError("该项目还没有创业导师。", fields={"by_mentor": "尚未安排导师"})
    item = StartupFollowUp(startup_id=row.id, recorded_by=actor.id, **values)
    db.session.add(item)
    if row.status == StartupStatus.REGISTERED:
        row.employees = values["employees"]
    row.updated_at = utcnow()
    db.session.flush()
    audit.record(actor.id, "startup.follow_up", "startup", row.id, operating=values["operating"])
    db.session.commit()
    return item


def follow_ups(row: StartupCase) -> list[StartupFollowUp]:
    return list(
        db.session.scalars(
            db.select(StartupFollowUp)
            .filter_by(startup_id=row.id)
            .order_by(StartupFollowUp.followed_on.desc(), StartupFollowUp.id.desc())
        )
    )


def is_worker_for(user, row: StartupCase) -> bool:
    cw = case_worker_of(user)
    return cw is not None and cw.covers(row.district)
