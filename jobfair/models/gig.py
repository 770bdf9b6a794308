"""零工 shifts: a date, hours, a place and a headcount; seekers sign up, the employer confirms."""

import enum
from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.extensions import db
from jobfair.models.common import enum_check, utcnow
from jobfair.models.position import Position
from jobfair.models.user import User


class ShiftStatus(enum.StrEnum):
    OPEN = "open"
    CANCELLED = "cancelled"


SHIFT_STATUS_LABELS = {ShiftStatus.OPEN: "招募中", ShiftStatus.CANCELLED: "已取消"}


class SignupStatus(enum.StrEnum):
    SIGNED_UP = "signed_up"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    ABSENT = "absent"


SIGNUP_STATUS_LABELS = {
    SignupStatus.SIGNED_UP: "已报名",
    SignupStatus.CANCELLED: "已取消",
    SignupStatus.ATTENDED: "已到岗",
    SignupStatus.ABSENT: "未到岗",
}
# Statuses that hold one of the shift's places.
HOLDS_PLACE = (SignupStatus.SIGNED_UP, SignupStatus.ATTENDED, SignupStatus.ABSENT)


class Shift(db.Model):
    """One shift of a position: ``taken`` places of ``headcount``, never more (CHECK)."""

    __tablename__ = "gig_shifts"
    __table_args__ = (
        CheckConstraint(enum_check("status", ShiftStatus), name="ck_gig_shifts_status"),
        CheckConstraint("headcount >= 1 AND headcount <= 500", name="ck_gig_shifts_headcount"),
        CheckConstraint("taken >= 0 AND taken <= headcount", name="ck_gig_shifts_taken"),
        CheckConstraint("ends_at > starts_at", name="ck_gig_shifts_times"),
        Index("ix_gig_shifts_day", "day", "district"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        ForeignKey("positions.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)  # local (China) date of the shift
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)
    district: Mapped[str] = mapped_column(String(20))
    place: Mapped[str] = mapped_column(String(200))
    headcount: Mapped[int]
    taken: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default=ShiftStatus.OPEN)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    position: Mapped[Position] = relationship(lazy="joined")

    @property
    def places_left(self) -> int:
        return max(self.headcount - self.taken, 0)

    @property
    def hours(self) -> float:
        minutes = (self.ends_at.hour * 60 + self.ends_at.minute) - (
            self.starts_at.hour * 60 + self.starts_at.minute
        )
        return round(minutes / 60, 2)


class ShiftSignup(db.Model):
    """A seeker's place on a shift (one row per person and shift; re-signing reuses it)."""

    __tablename__ = "gig_signups"
    __table_args__ = (
        UniqueConstraint("shift_id", "seeker_id", name="uq_gig_signups_seeker"),
        CheckConstraint(enum_check("status", SignupStatus), name="ck_gig_signups_status"),
        CheckConstraint("pay_amount IS NULL OR pay_amount >= 0", name="ck_gig_signups_pay"),
        CheckConstraint("units IS NULL OR units >= 0", name="ck_gig_signups_units"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("gig_shifts.id", ondelete="CASCADE"))
    seeker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=SignupStatus.SIGNED_UP)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]
    # Filled in by the employer: how many units were worked (hours, days, pieces) and the
    # pay in yuan; paid_at set when it was paid (日结: the same day).
    units: Mapped[float | None]
    pay_amount: Mapped[int | None]
    paid_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    shift: Mapped[Shift] = relationship(lazy="joined")
    seeker: Mapped[User] = relationship(foreign_keys=[seeker_id])
