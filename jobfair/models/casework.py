"""Priority-group casework: case workers, targets, placements, case files, households."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.crypto import EncryptedText  # case-file free text: sensitive, encrypted at rest
from jobfair.extensions import db
from jobfair.models.common import GROUP_LABELS, PriorityGroup, enum_check, utcnow
from jobfair.models.position import Position
from jobfair.models.user import User


class TargetKind(enum.StrEnum):
    """A yearly target counts a headline category, households cleared, or one priority group.

    就业困难人员 has one kind only (HARDSHIP, 就业困难人员再就业); migration 0010 folded the
    former duplicate group kind into it.
    """

    NEW_EMPLOYMENT = "new_employment"
    URBAN_UNEMPLOYED = "urban_unemployed"
    HARDSHIP = "hardship"
    HOUSEHOLDS_CLEARED = "households_cleared"
    GRADUATE = "graduate"
    DISPLACED_WORKER = "displaced_worker"
    RURAL_MIGRANT = "rural_migrant"
    VETERAN = "veteran"
    ZERO_EMPLOYMENT_HOUSEHOLD = "zero_employment_household"
    RETIRED_FISHER = "retired_fisher"
    REGISTERED_POOR = "registered_poor"


TARGET_KIND_LABELS = {
    TargetKind.NEW_EMPLOYMENT: "城镇新增就业",
    TargetKind.URBAN_UNEMPLOYED: "城镇失业人员再就业",
    TargetKind.HARDSHIP: "就业困难人员再就业",
    TargetKind.HOUSEHOLDS_CLEARED: "零就业家庭按期清零",
    **{
        TargetKind(g.value): f"{label}就业"
        for g, label in GROUP_LABELS.items()
        if g != PriorityGroup.URBAN_HARDSHIP
    },
}
# A target for the whole city rather than one district.
CITY = "全市"

# 就业困难人员: the verified groups the text treats as hardship cases (公益性岗位托底安置).
HARDSHIP_GROUPS = frozenset(
    {
        PriorityGroup.URBAN_HARDSHIP,
        PriorityGroup.ZERO_EMPLOYMENT_HOUSEHOLD,
        PriorityGroup.REGISTERED_POOR,
    }
)


class CaseStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    EMPLOYED = "employed"
    CLOSED = "closed"


CASE_STATUS_LABELS = {
    CaseStatus.OPEN: "新建",
    CaseStatus.IN_PROGRESS: "帮扶中",
    CaseStatus.EMPLOYED: "已就业",
    CaseStatus.CLOSED: "已结案",
}


class PlanPath(enum.StrEnum):
    TRANSFER = "transfer"
    STARTUP = "startup"
    TRAINING = "training"
    SERVICES = "services"
    PUBLIC_WELFARE = "public_welfare"


PLAN_PATH_LABELS = {
    PlanPath.TRANSFER: "转移务工就业",
    PlanPath.STARTUP: "创业扶持",
    PlanPath.TRAINING: "技能培训",
    PlanPath.SERVICES: "就业服务",
    PlanPath.PUBLIC_WELFARE: "公益性岗位安置",
}


class CaseOutcome(enum.StrEnum):
    NONE = ""
    PLATFORM_HIRE = "platform_hire"
    PLACEMENT = "placement"
    OTHER = "other"


CASE_OUTCOME_LABELS = {
    CaseOutcome.NONE: "尚未就业",
    CaseOutcome.PLATFORM_HIRE: "平台录用",
    CaseOutcome.PLACEMENT: "平台外就业（已登记）",
    CaseOutcome.OTHER: "其他",
}


class ContactChannel(enum.StrEnum):
    PHONE = "phone"
    VISIT = "visit"
    OFFICE = "office"
    WECHAT = "wechat"
    SMS = "sms"


CONTACT_CHANNEL_LABELS = {
    ContactChannel.PHONE: "电话",
    ContactChannel.VISIT: "上门走访",
    ContactChannel.OFFICE: "窗口面谈",
    ContactChannel.WECHAT: "微信",
    ContactChannel.SMS: "短信",
}


class RecommendationResponse(enum.StrEnum):
    NO_ANSWER = "no_answer"
    INTERESTED = "interested"
    APPLIED = "applied"
    DECLINED = "declined"


RESPONSE_LABELS = {
    RecommendationResponse.NO_ANSWER: "未答复",
    RecommendationResponse.INTERESTED: "有意向",
    RecommendationResponse.APPLIED: "已投递",
    RecommendationResponse.DECLINED: "不感兴趣",
}


class FollowUpSource(enum.StrEnum):
    CASE_WORKER = "case_worker"
    SEEKER = "seeker"


FOLLOW_UP_SOURCE_LABELS = {
    FollowUpSource.CASE_WORKER: "工作人员回访",
    FollowUpSource.SEEKER: "本人确认",
}
DAY_MARKS = (30, 90, 180)


class CaseWorker(db.Model):
    """An organiser allowed to see case files and priority-group status in some districts."""

    __tablename__ = "case_workers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    districts: Mapped[list] = mapped_column(JSON, default=list)
    is_supervisor: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()

    def covers(self, district: str | None) -> bool:
        return self.is_supervisor or (bool(district) and district in (self.districts or []))


class CaseworkSettings(db.Model):
    """One row of settings a supervisor can change (campaign dates, deadlines)."""

    __tablename__ = "casework_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_start: Mapped[date | None] = mapped_column(Date)
    campaign_end: Mapped[date | None] = mapped_column(Date)
    plan_days: Mapped[int | None]
    household_deadline_days: Mapped[int | None]
    # 零就业家庭: rounds refused without a reason before the household is flagged.
    refusal_limit: Mapped[int | None]
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Target(db.Model):
    __tablename__ = "casework_targets"
    __table_args__ = (
        UniqueConstraint("year", "district", "kind", name="uq_targets_year_district_kind"),
        CheckConstraint(enum_check("kind", TargetKind), name="ck_targets_kind"),
        CheckConstraint("goal > 0", name="ck_targets_goal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    district: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(40))
    goal: Mapped[int]
    worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    worker: Mapped[User | None] = relationship(foreign_keys=[worker_id])

    @property
    def kind_label(self) -> str:
        return TARGET_KIND_LABELS.get(self.kind, self.kind)


class Placement(db.Model):
    """A job found outside the platform, entered by a case worker with evidence."""

    __tablename__ = "casework_placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    district: Mapped[str] = mapped_column(String(50), index=True)
    employer_name: Mapped[str] = mapped_column(String(100))
    job_title: Mapped[str] = mapped_column(String(100))
    placed_on: Mapped[date] = mapped_column(Date, index=True)
    evidence: Mapped[str] = mapped_column(EncryptedText)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    seeker: Mapped[User] = relationship(foreign_keys=[seeker_id])
    recorder: Mapped[User | None] = relationship(foreign_keys=[recorded_by])


class CaseFile(db.Model):
    """一人一档: one file per consenting priority-group seeker."""

    __tablename__ = "case_files"
    __table_args__ = (
        CheckConstraint(enum_check("status", CaseStatus), name="ck_case_files_status"),
        Index("ix_case_files_district_status", "district", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    district: Mapped[str] = mapped_column(String(50))
    worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=CaseStatus.OPEN)
    needs: Mapped[str] = mapped_column(EncryptedText, default="")
    plan_paths: Mapped[list] = mapped_column(JSON, default=list)
    plan_note: Mapped[str] = mapped_column(EncryptedText, default="")
    plan_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(20), default="")
    outcome_note: Mapped[str] = mapped_column(EncryptedText, default="")
    outcome_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    seeker: Mapped[User] = relationship(foreign_keys=[seeker_id])
    worker: Mapped[User | None] = relationship(foreign_keys=[worker_id])
    contacts: Mapped[list["CaseContact"]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(CaseContact.contact_on.desc(), CaseContact.id.desc())",
    )
    recommendations: Mapped[list["CaseRecommendation"]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CaseRecommendation.id.desc()",
    )
    trainings: Mapped[list["CaseTraining"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="CaseTraining.id.desc()"
    )


class CaseContact(db.Model):
    __tablename__ = "case_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_files.id", ondelete="CASCADE"), index=True
    )
    contact_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(EncryptedText)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseRecommendation(db.Model):
    __tablename__ = "case_recommendations"
    __table_args__ = (
        CheckConstraint(enum_check("response", RecommendationResponse), name="ck_case_rec_resp"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_files.id", ondelete="CASCADE"), index=True
    )
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"))
    recommended_on: Mapped[date] = mapped_column(Date)
    response: Mapped[str] = mapped_column(String(16), default=RecommendationResponse.NO_ANSWER)
    note: Mapped[str] = mapped_column(EncryptedText, default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    position: Mapped[Position] = relationship()


class CaseTraining(db.Model):
    __tablename__ = "case_trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_files.id", ondelete="CASCADE"), index=True
    )
    course: Mapped[str] = mapped_column(String(100))
    provider: Mapped[str] = mapped_column(String(100))
    referred_on: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EmploymentFollowUp(db.Model):
    """Still employed N days after a hire? Recorded by a case worker or confirmed by the seeker."""

    __tablename__ = "employment_follow_ups"
    __table_args__ = (
        UniqueConstraint("seeker_id", "hired_on", "day_mark", name="uq_follow_ups_mark"),
        CheckConstraint("day_mark IN (30, 90, 180)", name="ck_follow_ups_mark"),
        CheckConstraint(enum_check("source", FollowUpSource), name="ck_follow_ups_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    hired_on: Mapped[date] = mapped_column(Date)
    day_mark: Mapped[int]
    still_employed: Mapped[bool]
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(EncryptedText, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Household(db.Model):
    """A zero-employment household (零就业家庭): open until a member's hire is recorded."""

    __tablename__ = "households"
    __table_args__ = (
        CheckConstraint("deadline_days > 0", name="ck_households_deadline"),
        Index("ix_households_district_closed", "district", "closed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district: Mapped[str] = mapped_column(String(50))
    label: Mapped[str] = mapped_column(String(200))
    identified_on: Mapped[date] = mapped_column(Date)
    deadline_days: Mapped[int]
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_reason: Mapped[str] = mapped_column(String(200), default="")
    escalated_at: Mapped[datetime | None]
    # The 就业登记 that cleared it: when that employment ends the household re-opens.
    closed_by_registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("employment_registrations.id", ondelete="SET NULL")
    )
    cleared_outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcome_records.id"))
    reopened_count: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list["HouseholdMember"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="HouseholdMember.id"
    )
    referrals: Mapped[list["HouseholdReferral"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="HouseholdReferral.round_no"
    )


class HouseholdMember(db.Model):
    __tablename__ = "household_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True
    )
    seeker_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(50))
    relation: Mapped[str] = mapped_column(String(20), default="")


class ReferralAnswer(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED_REASON = "declined_reason"
    DECLINED = "declined"
    NO_CONTACT = "no_contact"


REFERRAL_ANSWER_LABELS = {
    ReferralAnswer.PENDING: "待答复",
    ReferralAnswer.ACCEPTED: "愿意去应聘",
    ReferralAnswer.DECLINED_REASON: "有正当理由未接受",
    ReferralAnswer.DECLINED: "无理由拒绝",
    ReferralAnswer.NO_CONTACT: "联系不上",
}


class HouseholdReferral(db.Model):
    """One referral round: at least three suitable positions offered to the household."""

    __tablename__ = "household_referrals"
    __table_args__ = (
        UniqueConstraint("household_id", "round_no", name="uq_household_referral_round"),
        CheckConstraint(enum_check("answer", ReferralAnswer), name="ck_household_ref_answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True
    )
    round_no: Mapped[int]
    referred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(EncryptedText, default="")
    # The family's answer to this round (with the reason they gave).
    answer: Mapped[str] = mapped_column(String(20), default=ReferralAnswer.PENDING)
    answer_reason: Mapped[str] = mapped_column(String(200), default="")
    answered_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    positions: Mapped[list[Position]] = relationship(
        secondary="household_referral_positions", order_by="Position.id"
    )


household_referral_positions = db.Table(
    "household_referral_positions",
    db.Column(
        "referral_id",
        db.ForeignKey("household_referrals.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    db.Column("position_id", db.ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True),
)
