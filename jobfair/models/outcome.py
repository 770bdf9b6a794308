"""Registrations and outcome records: 失业登记, 就业登记 and the immutable, pseudonymous
outcome rows every employment figure is counted from."""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.extensions import db
from jobfair.models.common import enum_check, utcnow
from jobfair.models.user import User


class EvidenceType(enum.StrEnum):
    DIPLOMA = "diploma"
    DISCHARGE = "discharge"
    FISHING_EXIT = "fishing_exit"
    HARDSHIP_DECISION = "hardship_decision"
    UNEMPLOYMENT_REGISTRATION = "unemployment_registration"
    SUBSISTENCE = "subsistence"
    LAYOFF = "layoff"
    POVERTY_FILE = "poverty_file"
    OTHER = "other"


EVIDENCE_LABELS = {
    EvidenceType.DIPLOMA: "毕业证书",
    EvidenceType.DISCHARGE: "退役证",
    EvidenceType.FISHING_EXIT: "渔船证书注销 / 退捕证明",
    EvidenceType.HARDSHIP_DECISION: "就业困难人员认定",
    EvidenceType.UNEMPLOYMENT_REGISTRATION: "失业登记",
    EvidenceType.SUBSISTENCE: "低保 / 零就业家庭认定",
    EvidenceType.LAYOFF: "分流安置证明",
    EvidenceType.POVERTY_FILE: "建档立卡记录",
    EvidenceType.OTHER: "其他证明材料",
}


class ContractType(enum.StrEnum):
    OPEN_ENDED = "open_ended"
    FIXED_TERM = "fixed_term"
    TASK = "task"
    PART_TIME = "part_time"
    LABOUR_DISPATCH = "dispatch"
    FLEXIBLE = "flexible"
    SELF_EMPLOYED = "self_employed"
    PUBLIC_WELFARE = "public_welfare"
    NONE = "none"


CONTRACT_LABELS = {
    ContractType.OPEN_ENDED: "无固定期限劳动合同",
    ContractType.FIXED_TERM: "固定期限劳动合同",
    ContractType.TASK: "以完成一定工作任务为期限的合同",
    ContractType.PART_TIME: "非全日制用工协议",
    ContractType.LABOUR_DISPATCH: "劳务派遣",
    ContractType.FLEXIBLE: "灵活就业（无劳动合同）",
    ContractType.SELF_EMPLOYED: "个体经营 / 自主创业",
    ContractType.PUBLIC_WELFARE: "公益性岗位协议",
    ContractType.NONE: "未签订合同",
}


class EmploymentSource(enum.StrEnum):
    PLATFORM_HIRE = "platform_hire"
    PLACEMENT = "placement"
    FOLLOW_UP = "follow_up"
    GIG_SHIFTS = "gig_shifts"  # 零工: confirmed shifts reached the rule in casework.rules


EMPLOYMENT_SOURCE_LABELS = {
    EmploymentSource.PLATFORM_HIRE: "平台招聘入职",
    EmploymentSource.PLACEMENT: "工作人员安置（有佐证）",
    EmploymentSource.FOLLOW_UP: "回访核实",
    EmploymentSource.GIG_SHIFTS: "零工班次（用人单位确认到岗）",
}


class EndedBy(enum.StrEnum):
    EMPLOYER = "employer"
    SEEKER = "seeker"
    CASE_WORKER = "case_worker"


ENDED_BY_LABELS = {
    EndedBy.EMPLOYER: "用人单位",
    EndedBy.SEEKER: "本人",
    EndedBy.CASE_WORKER: "工作人员",
}


class OutcomeKind(enum.StrEnum):
    EMPLOYMENT = "employment"
    REVERSAL = "reversal"
    HOUSEHOLD_CLEARED = "household_cleared"
    HOUSEHOLD_REOPENED = "household_reopened"


OUTCOME_KIND_LABELS = {
    OutcomeKind.EMPLOYMENT: "就业",
    OutcomeKind.REVERSAL: "更正（就业终止）",
    OutcomeKind.HOUSEHOLD_CLEARED: "零就业家庭清零",
    OutcomeKind.HOUSEHOLD_REOPENED: "更正（家庭重新回到零就业）",
}


class UnemploymentRegistration(db.Model):
    """失业登记: opened at a public employment office, ended on employment or otherwise."""

    __tablename__ = "unemployment_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    registered_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(100))
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def open_on(self, day: date) -> bool:
        """Open on this day, before anything that happens on it (an employment that day)."""
        return self.registered_on < day and (self.ended_on is None or self.ended_on >= day)


class EmploymentRegistration(db.Model):
    """就业登记: who started work where and when; ended by 离职 (date + reason)."""

    __tablename__ = "employment_registrations"
    __table_args__ = (
        CheckConstraint(enum_check("source", EmploymentSource), name="ck_emp_reg_source"),
        CheckConstraint(enum_check("contract_type", ContractType), name="ck_emp_reg_contract"),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ck_emp_reg_dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), unique=True
    )
    employer_id: Mapped[int | None] = mapped_column(
        ForeignKey("employers.id", ondelete="SET NULL"), index=True
    )
    employer_name: Mapped[str] = mapped_column(String(100))
    job_title: Mapped[str] = mapped_column(String(100), default="")
    started_on: Mapped[date] = mapped_column(Date)
    contract_type: Mapped[str] = mapped_column(String(20))
    work_form: Mapped[str] = mapped_column(String(16), default="full_time")
    social_insurance: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(16))
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    # 托底安置: a 公益性岗位 found by the case worker after market referrals failed.
    fallback: Mapped[bool] = mapped_column(default=False)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str] = mapped_column(String(200), default="")
    ended_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ended_role: Mapped[str] = mapped_column(String(16), default="")
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcome_records.id"))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    seeker: Mapped[User] = relationship(foreign_keys=[seeker_id])


class OutcomeRecord(db.Model):
    """One counted fact, never changed: an employment, a household cleared, or a correction.

    No name, phone or user id: ``person_key`` is a keyed hash, so deleting an account or
    withdrawing consent removes the person but not what was counted. ``period`` (the first
    day of a month) is the reporting month: the month it happened, or the month it was
    recorded if that month had already ended, so a closed month never changes.
    """

    __tablename__ = "outcome_records"
    __table_args__ = (
        CheckConstraint(enum_check("kind", OutcomeKind), name="ck_outcomes_kind"),
        Index("ix_outcomes_period_district", "period", "district"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_key: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    occurred_on: Mapped[date] = mapped_column(Date)
    period: Mapped[date] = mapped_column(Date)
    district: Mapped[str] = mapped_column(String(50), default="")
    street: Mapped[str] = mapped_column(String(50), default="")
    groups: Mapped[list] = mapped_column(JSON, default=list)
    new_employment: Mapped[bool] = mapped_column(default=False)
    reemployment: Mapped[bool] = mapped_column(default=False)
    hardship: Mapped[bool] = mapped_column(default=False)
    work_form: Mapped[str] = mapped_column(String(16), default="")
    source: Mapped[str] = mapped_column(String(16), default="")
    # Households: days from 认定 to 清零, and whether that was within the household's deadline.
    within_days: Mapped[int | None]
    on_time: Mapped[bool] = mapped_column(default=False)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("outcome_records.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(OutcomeRecord, "before_update")
@event.listens_for(OutcomeRecord, "before_delete")
def _immutable(_mapper, _conn, target) -> None:
    raise ValueError(f"outcome record {target.id} is immutable; add a correcting record")
