"""Employers (用人单位) and their verification state."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.extensions import db
from jobfair.models.common import enum_check, utcnow
from jobfair.models.user import User


class EmployerStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


EMPLOYER_STATUS_LABELS = {
    EmployerStatus.PENDING: "待审核",
    EmployerStatus.VERIFIED: "已认证",
    EmployerStatus.REJECTED: "未通过",
}


class Employer(db.Model):
    __tablename__ = "employers"
    __table_args__ = (
        CheckConstraint(enum_check("status", EmployerStatus), name="ck_employers_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    industry: Mapped[str] = mapped_column(String(50), default="")
    size: Mapped[str] = mapped_column(String(20), default="")
    district: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=EmployerStatus.PENDING, index=True)
    review_reason: Mapped[str] = mapped_column(String(500), default="")
    # Designated by an organiser to post 公益性岗位 (each post is still reviewed).
    public_welfare_designated: Mapped[bool] = mapped_column(default=False)
    reviewed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()

    @property
    def is_verified(self) -> bool:
        return self.status == EmployerStatus.VERIFIED
