"""Policies and subsidies: the city's policy catalogue (every version kept), subsidy
applications with their review history, and the payments made on them."""

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

from jobfair.crypto import EncryptedText
from jobfair.extensions import db
from jobfair.models.common import enum_check, utcnow
from jobfair.models.user import User


class PolicyCatalogue(db.Model):
    """One version of a city's policy file. The newest version is the one in force; older
    ones are kept so a decision can be traced to the rules it was made under."""

    __tablename__ = "policy_catalogues"
    __table_args__ = (
        UniqueConstraint("city_code", "version", name="uq_policy_catalogues_version"),
        CheckConstraint("version > 0", name="ck_policy_catalogues_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_code: Mapped[str] = mapped_column(String(12), index=True)
    version: Mapped[int]
    content: Mapped[dict] = mapped_column(JSON)
    source_name: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    reverted_from: Mapped[int | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class SubsidyStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"
    WITHDRAWN = "withdrawn"


SUBSIDY_STATUS_LABELS = {
    SubsidyStatus.SUBMITTED: "待审核",
    SubsidyStatus.RETURNED: "退回补正",
    SubsidyStatus.APPROVED: "审核通过，待拨付",
    SubsidyStatus.REJECTED: "不予通过",
    SubsidyStatus.PAID: "已拨付",
    SubsidyStatus.WITHDRAWN: "已撤回",
}
# While an application is in one of these states it holds its claim on the subject.
CLAIMING = (
    SubsidyStatus.SUBMITTED,
    SubsidyStatus.RETURNED,
    SubsidyStatus.APPROVED,
    SubsidyStatus.PAID,
)


class SubjectKind(enum.StrEnum):
    PERSON = "person"
    EMPLOYER = "employer"
    POSITION = "position"


class SubsidyApplication(db.Model):
    """One claim: a policy, a period, and who it is claimed for (a person, an employer).

    ``claim_open`` is True while the claim is live and NULL once rejected or withdrawn: the
    UNIQUE constraint over (policy, period, subject, claim_open) then lets only one live claim
    exist per person (or employer) and policy and period, whatever races the requests run
    (NULLs never collide, so released claims do not block a new one).
    """

    __tablename__ = "subsidy_applications"
    __table_args__ = (
        UniqueConstraint(
            "policy_code",
            "period_key",
            "subject_kind",
            "subject_id",
            "claim_open",
            name="uq_subsidy_claim_once",
        ),
        CheckConstraint(enum_check("status", SubsidyStatus), name="ck_subsidy_status"),
        CheckConstraint(enum_check("subject_kind", SubjectKind), name="ck_subsidy_subject"),
        CheckConstraint("applicant_role IN ('seeker', 'employer')", name="ck_subsidy_role"),
        CheckConstraint("amount_fen IS NULL OR amount_fen >= 0", name="ck_subsidy_amount"),
        CheckConstraint(
            "approved_fen IS NULL OR approved_fen >= 0", name="ck_subsidy_approved_amount"
        ),
        CheckConstraint("paid_fen >= 0", name="ck_subsidy_paid"),
        CheckConstraint("claim_open IS NULL OR claim_open = true", name="ck_subsidy_claim_open"),
        Index("ix_subsidy_status_decided", "status", "decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_code: Mapped[str] = mapped_column(String(40), index=True)
    policy_name: Mapped[str] = mapped_column(String(100))
    catalogue_id: Mapped[int | None] = mapped_column(
        ForeignKey("policy_catalogues.id", ondelete="SET NULL")
    )
    period_key: Mapped[str] = mapped_column(String(10))
    applicant_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    applicant_role: Mapped[str] = mapped_column(String(16))
    employer_id: Mapped[int | None] = mapped_column(
        ForeignKey("employers.id", ondelete="SET NULL"), index=True
    )
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int]
    # The person the subsidy is about (the seeker, or the employee an employer claims for).
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    subject_label: Mapped[str] = mapped_column(String(100), default="")
    district: Mapped[str] = mapped_column(String(50), default="", index=True)
    # The facts the amount and the review rest on: group status among them, so encrypted.
    facts_json: Mapped[str] = mapped_column(EncryptedText, default="{}")
    conditions: Mapped[list] = mapped_column(JSON, default=list)
    amount_fen: Mapped[int | None]
    amount_working: Mapped[str] = mapped_column(String(500), default="")
    approved_fen: Mapped[int | None]
    paid_fen: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default=SubsidyStatus.SUBMITTED)
    claim_open: Mapped[bool | None] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(EncryptedText, default="")
    review_reason: Mapped[str] = mapped_column(String(500), default="")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    events: Mapped[list["SubsidyEvent"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SubsidyEvent.id"
    )
    payments: Mapped[list["SubsidyPayment"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SubsidyPayment.id"
    )

    @property
    def status_label(self) -> str:
        return SUBSIDY_STATUS_LABELS.get(self.status, self.status)


class SubsidyEvent(db.Model):
    """The application's history: submitted, returned, resubmitted, approved, rejected…"""

    __tablename__ = "subsidy_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("subsidy_applications.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SubsidyPayment(db.Model):
    """Money paid on an approved application (one or several instalments)."""

    __tablename__ = "subsidy_payments"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="ck_subsidy_payments_amount"),
        UniqueConstraint("application_id", "reference", name="uq_subsidy_payments_reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("subsidy_applications.id", ondelete="CASCADE"), index=True
    )
    amount_fen: Mapped[int]
    paid_on: Mapped[date] = mapped_column(Date, index=True)
    reference: Mapped[str] = mapped_column(String(60))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
