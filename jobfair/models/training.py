"""Training (技能超市): courses, enrolments with completion and certificate, and referrals."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.crypto import EncryptedText  # referral notes come from case files: sensitive
from jobfair.extensions import db
from jobfair.models.common import enum_check, utcnow
from jobfair.models.user import User


class CourseStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


COURSE_STATUS_LABELS = {
    CourseStatus.OPEN: "报名中",
    CourseStatus.CLOSED: "停止报名",
    CourseStatus.CANCELLED: "已取消",
}


class CertificateKind(enum.StrEnum):
    SKILL_LEVEL = "skill_level"
    SPECIAL = "special"
    TRAINING = "training"


CERTIFICATE_LABELS = {
    CertificateKind.SKILL_LEVEL: "职业技能等级证书",
    CertificateKind.SPECIAL: "专项职业能力证书",
    CertificateKind.TRAINING: "培训合格证书",
}


class EnrolmentStatus(enum.StrEnum):
    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"


ENROLMENT_STATUS_LABELS = {
    EnrolmentStatus.ENROLLED: "已报名",
    EnrolmentStatus.WITHDRAWN: "已退出",
    EnrolmentStatus.COMPLETED: "已结业",
    EnrolmentStatus.NOT_COMPLETED: "未结业",
}
# Enrolments that hold a seat.
SEAT_HOLDING = (
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NOT_COMPLETED,
)


class ReferralSource(enum.StrEnum):
    CASE_FILE = "case_file"
    SKILL_GAP = "skill_gap"


REFERRAL_SOURCE_LABELS = {
    ReferralSource.CASE_FILE: "帮扶档案推荐",
    ReferralSource.SKILL_GAP: "技能差距推荐",
}


class Course(db.Model):
    """A course of the 技能超市: what it teaches, when, how many seats, what it costs."""

    __tablename__ = "training_courses"
    __table_args__ = (
        CheckConstraint("hours >= 1 AND hours <= 2000", name="ck_courses_hours"),
        CheckConstraint("seats >= 1 AND seats <= 10000", name="ck_courses_seats"),
        CheckConstraint("enrolled >= 0 AND enrolled <= seats", name="ck_courses_enrolled"),
        CheckConstraint("fee >= 0", name="ck_courses_fee"),
        CheckConstraint("ends_on >= starts_on", name="ck_courses_dates"),
        CheckConstraint(enum_check("status", CourseStatus), name="ck_courses_status"),
        CheckConstraint(enum_check("certificate", CertificateKind), name="ck_courses_certificate"),
        Index("ix_training_courses_status_start", "status", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    provider: Mapped[str] = mapped_column(String(100))
    district: Mapped[str] = mapped_column(String(20), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    # Occupation codes (2022 classification) and skill phrases the course teaches.
    occupation_codes: Mapped[list] = mapped_column(JSON, default=list)
    skills: Mapped[list] = mapped_column(JSON, default=list)
    hours: Mapped[int]
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    seats: Mapped[int]
    # Seats taken, kept by the one conditional UPDATE that enrols (capacity under concurrency).
    enrolled: Mapped[int] = mapped_column(default=0)
    fee: Mapped[int] = mapped_column(default=0)  # 培训费 per person, yuan
    certificate: Mapped[str] = mapped_column(String(16), default=CertificateKind.TRAINING)
    subsidy_note: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=CourseStatus.OPEN)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def seats_left(self) -> int:
        return max(0, self.seats - self.enrolled)


class Enrolment(db.Model):
    """One seeker on one course: 报名, then 结业 (with certificate) or 未结业, or 退出."""

    __tablename__ = "training_enrolments"
    __table_args__ = (
        UniqueConstraint("course_id", "seeker_id", name="uq_enrolments_course_seeker"),
        CheckConstraint(enum_check("status", EnrolmentStatus), name="ck_enrolments_status"),
        CheckConstraint(
            "status != 'completed' OR completed_on IS NOT NULL", name="ck_enrolments_completed"
        ),
        CheckConstraint(
            "hours_attended IS NULL OR hours_attended >= 0", name="ck_enrolments_hours"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("training_courses.id", ondelete="CASCADE"), index=True
    )
    seeker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=EnrolmentStatus.ENROLLED)
    referral_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_referrals.id", ondelete="SET NULL")
    )
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]
    hours_attended: Mapped[int | None]
    completed_on: Mapped[date | None] = mapped_column(Date, index=True)
    certificate_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    result_note: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship(lazy="joined")
    seeker: Mapped[User] = relationship(foreign_keys=[seeker_id])


class Referral(db.Model):
    """A seeker pointed to a course: by a case worker from the case file, or from a skill gap
    (a position the seeker nearly matches but for a skill the course teaches)."""

    __tablename__ = "training_referrals"
    __table_args__ = (
        UniqueConstraint("seeker_id", "course_id", name="uq_referrals_seeker_course"),
        CheckConstraint(enum_check("source", ReferralSource), name="ck_referrals_source"),
        CheckConstraint(
            "source != 'case_file' OR case_id IS NOT NULL", name="ck_referrals_case_file"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("training_courses.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(16))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_files.id", ondelete="SET NULL"), index=True
    )
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id", ondelete="SET NULL"))
    skill: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(EncryptedText, default="")
    referred_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship(lazy="joined")
