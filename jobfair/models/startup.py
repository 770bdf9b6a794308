"""Start-up support (创业扶持): start-up cases, 创业导师, 创业担保贷款 and follow-ups."""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.crypto import EncryptedText  # business plans and visit notes: kept encrypted
from jobfair.extensions import db
from jobfair.models.common import enum_check, utcnow
from jobfair.models.user import User


class BusinessKind(enum.StrEnum):
    INDIVIDUAL = "individual"
    COMPANY = "company"
    COOPERATIVE = "cooperative"
    FAMILY_FARM = "family_farm"


BUSINESS_KIND_LABELS = {
    BusinessKind.INDIVIDUAL: "个体工商户",
    BusinessKind.COMPANY: "小微企业",
    BusinessKind.COOPERATIVE: "农民专业合作社",
    BusinessKind.FAMILY_FARM: "家庭农场",
}


class StartupStatus(enum.StrEnum):
    PREPARING = "preparing"
    REGISTERED = "registered"
    CLOSED = "closed"


STARTUP_STATUS_LABELS = {
    StartupStatus.PREPARING: "筹备中",
    StartupStatus.REGISTERED: "已登记注册",
    StartupStatus.CLOSED: "已停止",
}


class GuaranteeKind(enum.StrEnum):
    FUND = "fund"
    GUARANTOR = "guarantor"
    CREDIT = "credit"


GUARANTEE_LABELS = {
    GuaranteeKind.FUND: "创业担保基金担保",
    GuaranteeKind.GUARANTOR: "反担保（保证人）",
    GuaranteeKind.CREDIT: "免反担保（信用）",
}


class LoanStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    DISBURSED = "disbursed"
    SETTLED = "settled"


LOAN_STATUS_LABELS = {
    LoanStatus.SUBMITTED: "已提交，待审核",
    LoanStatus.APPROVED: "审核通过，已推荐至经办银行",
    LoanStatus.REJECTED: "未通过",
    LoanStatus.DISBURSED: "已放款",
    LoanStatus.SETTLED: "已结清",
}
LIVE_LOAN = (LoanStatus.SUBMITTED, LoanStatus.APPROVED, LoanStatus.DISBURSED)


class OperatingStatus(enum.StrEnum):
    OPERATING = "operating"
    DIFFICULT = "difficult"
    STOPPED = "stopped"


OPERATING_LABELS = {
    OperatingStatus.OPERATING: "正常经营",
    OperatingStatus.DIFFICULT: "经营困难",
    OperatingStatus.STOPPED: "已歇业",
}


class Mentor(db.Model):
    """A 创业导师 of the city's panel (创业导师专家团); mentors do not sign in."""

    __tablename__ = "startup_mentors"
    __table_args__ = (CheckConstraint("max_cases >= 1", name="ck_mentors_max_cases"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(50), default="")
    organisation: Mapped[str] = mapped_column(String(100), default="")
    expertise: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    districts: Mapped[list] = mapped_column(JSON, default=list)
    max_cases: Mapped[int] = mapped_column(default=10)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StartupCase(db.Model):
    """One person's start-up path: plan, mentor, loan, registration, follow-ups."""

    __tablename__ = "startup_cases"
    __table_args__ = (
        CheckConstraint(enum_check("status", StartupStatus), name="ck_startups_status"),
        CheckConstraint(enum_check("business_kind", BusinessKind), name="ck_startups_kind"),
        CheckConstraint(
            "status != 'registered' OR (credit_code IS NOT NULL AND registered_on IS NOT NULL)",
            name="ck_startups_registered",
        ),
        CheckConstraint("employees >= 0", name="ck_startups_employees"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    district: Mapped[str] = mapped_column(String(20), index=True)
    business_name: Mapped[str] = mapped_column(String(100))
    business_kind: Mapped[str] = mapped_column(String(16), default=BusinessKind.INDIVIDUAL)
    sector: Mapped[str] = mapped_column(String(50), default="")
    plan: Mapped[str] = mapped_column(EncryptedText, default="")
    # 返乡入乡创业: returning to (or moving to) the countryside of the district to start up.
    returning_home: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=StartupStatus.PREPARING)
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    registered_on: Mapped[date | None] = mapped_column(Date)
    employees: Mapped[int] = mapped_column(default=0)
    mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("startup_mentors.id", ondelete="SET NULL"), index=True
    )
    mentor_assigned_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    seeker: Mapped[User] = relationship(foreign_keys=[seeker_id])
    mentor: Mapped[Mentor | None] = relationship()


class StartupLoan(db.Model):
    """A 创业担保贷款 application; the interest subsidy is computed by the policy's rule."""

    __tablename__ = "startup_loans"
    __table_args__ = (
        CheckConstraint("amount > 0", name="ck_loans_amount"),
        CheckConstraint("term_months >= 1 AND term_months <= 36", name="ck_loans_term"),
        CheckConstraint("annual_rate_bp >= 0 AND annual_rate_bp <= 2400", name="ck_loans_rate"),
        CheckConstraint("interest_subsidy >= 0", name="ck_loans_subsidy"),
        CheckConstraint(enum_check("status", LoanStatus), name="ck_loans_status"),
        CheckConstraint(enum_check("guarantee", GuaranteeKind), name="ck_loans_guarantee"),
        # One live application per start-up: a second one waits until this one is decided.
        Index(
            "uq_startup_loans_live",
            "startup_id",
            unique=True,
            sqlite_where=text("status IN ('submitted', 'approved', 'disbursed')"),
            postgresql_where=text("status IN ('submitted', 'approved', 'disbursed')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(
        ForeignKey("startup_cases.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[int]  # yuan
    term_months: Mapped[int]
    guarantee: Mapped[str] = mapped_column(String(16))
    guarantor: Mapped[str] = mapped_column(EncryptedText, default="")
    bank: Mapped[str] = mapped_column(String(100), default="")
    annual_rate_bp: Mapped[int]  # the bank's annual rate in basis points (e.g. 345 = 3.45%)
    interest_subsidy: Mapped[int] = mapped_column(default=0)  # yuan, over the whole term
    subsidy_basis: Mapped[str] = mapped_column(String(300), default="")
    policy_code: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[str] = mapped_column(String(16), default=LoanStatus.SUBMITTED)
    decision_reason: Mapped[str] = mapped_column(String(300), default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    disbursed_on: Mapped[date | None] = mapped_column(Date)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    startup: Mapped[StartupCase] = relationship()


class StartupFollowUp(db.Model):
    """A visit or call after the start: still trading, how many people it employs."""

    __tablename__ = "startup_follow_ups"
    __table_args__ = (
        CheckConstraint(enum_check("operating", OperatingStatus), name="ck_sfu_operating"),
        CheckConstraint("employees >= 0", name="ck_sfu_employees"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(
        ForeignKey("startup_cases.id", ondelete="CASCADE"), index=True
    )
    followed_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(16))
    operating: Mapped[str] = mapped_column(String(16))
    employees: Mapped[int] = mapped_column(default=0)
    by_mentor: Mapped[bool] = mapped_column(default=False)
    summary: Mapped[str] = mapped_column(EncryptedText, default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
