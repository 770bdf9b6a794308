"""零就业家庭 decisions: the family's answer to each referral round, and 托底安置 in a
公益性岗位 once market referrals have failed."""

from jobfair import audit
from jobfair.casework.households import get_household, household_status
from jobfair.casework.queries import local_today, profiles_by_user
from jobfair.casework.registrations import record_registration
from jobfair.casework.schemas import ANSWER_LABELS, FALLBACK_LABELS, AnswerSchema, FallbackSchema
from jobfair.errors import DomainError, NotFound
from jobfair.extensions import db
from jobfair.models.casework import Household, HouseholdReferral, ReferralAnswer
from jobfair.models.common import Channel, WorkForm
from jobfair.models.outcome import ContractType, EmploymentRegistration, EmploymentSource
from jobfair.models.position import Position, PositionStatus
from jobfair.seekers.services import clean_text
from jobfair.validation import load


def answer_referral(actor, household_id: int, round_no: int, data, *, form=False):
    """Record what the family said to a round (a refusal with no reason counts to the flag)."""
    hh = get_household(actor, household_id)
    ref = db.session.scalar(
        db.select(HouseholdReferral).filter_by(household_id=hh.id, round_no=round_no)
    )
    if ref is None:
        raise NotFound("该轮推荐不存在。")
    values = load(AnswerSchema(), data, labels=ANSWER_LABELS, form=form)
    reason = clean_text(values["answer_reason"])
    if values["answer"] == ReferralAnswer.DECLINED_REASON and not reason:
        raise DomainError(
            "选择“有正当理由未接受”时请填写理由。", fields={"answer_reason": "请填写理由"}
        )
    if values["answered_on"] > local_today() or values["answered_on"] < ref.referred_on:
        raise DomainError("答复日期应在推荐日期和今天之间。", fields={"answered_on": "日期不对"})
    ref.answer, ref.answer_reason, ref.answered_on = values["answer"], reason, values["answered_on"]
    audit.record(
        actor.id,
        "casework.household_answer",
        "household",
        hh.id,
        note=f"第 {ref.round_no} 轮：{values['answer']}",
    )
    db.session.commit()
    return ref


def public_welfare_positions() -> list[Position]:
    return list(
        db.session.scalars(
            db.select(Position)
            .where(
                Position.status == PositionStatus.PUBLISHED,
                Position.channel == Channel.PUBLIC_WELFARE,
            )
            .order_by(Position.id)
        )
    )


def fallback_placement(actor, household_id: int, data, *, form=False) -> EmploymentRegistration:
    """托底安置: a member starts in a 公益性岗位 after three full market rounds failed."""
    hh: Household = get_household(actor, household_id)
    values = load(FallbackSchema(), data, labels=FALLBACK_LABELS, form=form)
    if not household_status(hh)["fallback_open"]:
        raise DomainError(
            "托底安置须在该家庭已有 3 轮市场岗位推荐仍未就业之后进行。",
            code="fallback_not_open",
            status=409,
        )
    member = next((m for m in hh.members if m.id == values["member_id"]), None)
    if member is None or member.seeker_id is None:
        raise DomainError(
            "请选择已有求职者账号的家庭成员。", fields={"member_id": "请选择家庭成员"}
        )
    pos = db.session.get(Position, values["position_id"])
    if (
        pos is None
        or pos.channel != Channel.PUBLIC_WELFARE
        or pos.status != PositionStatus.PUBLISHED
    ):
        raise DomainError("请选择招聘中的公益性岗位。", fields={"position_id": "须为公益性岗位"})
    if values["started_on"] > local_today():
        raise DomainError("上岗日期不能晚于今天。", fields={"started_on": "不能晚于今天"})
    note = clean_text(values["evidence_note"])
    if not note:
        raise DomainError("佐证说明不能为空。", fields={"evidence_note": "此项必填。"})
    profile = profiles_by_user([member.seeker_id]).get(member.seeker_id)
    reg = EmploymentRegistration(
        seeker_id=member.seeker_id,
        employer_id=pos.employer_id,
        employer_name=pos.employer.name,
        job_title=pos.title,
        started_on=values["started_on"],
        contract_type=ContractType.PUBLIC_WELFARE,
        work_form=pos.work_form or WorkForm.FULL_TIME,
        social_insurance=True,
        source=EmploymentSource.PLACEMENT,
        evidence_note=note,
        fallback=True,
        end_reason="",
        ended_role="",
        recorded_by=actor.id,
    )
    record_registration(reg, profile, actor.id)
    audit.record(actor.id, "casework.household_fallback", "household", hh.id)
    db.session.commit()
    return reg
