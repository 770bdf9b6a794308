"""Online job fairs (云招聘会): booths, registrations, scheduled live sessions and employer reps."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.extensions import db
from jobfair.models.common import PriorityGroup, enum_check, utcnow
from jobfair.models.employer import Employer
from jobfair.models.position import Position
from jobfair.models.user import User


class FairStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


FAIR_STATUS_LABELS = {
    FairStatus.DRAFT: "草稿",
    FairStatus.PUBLISHED: "已发布",
    FairStatus.CLOSED: "已关闭",
}

# The public-fair rule: a fair is visible to everyone once published and stays readable after
# it is closed; drafts are seen by organisers only. Used through ``Fair.is_public``.
PUBLIC_FAIR_STATUSES = (FairStatus.PUBLISHED, FairStatus.CLOSED)


class BoothStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


BOOTH_STATUS_LABELS = {
    BoothStatus.PENDING: "待审核",
    BoothStatus.APPROVED: "已通过",
    BoothStatus.DECLINED: "未通过",
}


class LiveSessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"


LIVE_SESSION_STATUS_LABELS = {
    LiveSessionStatus.SCHEDULED: "未开始",
    LiveSessionStatus.LIVE: "直播中",
    LiveSessionStatus.ENDED: "已结束",
}


class Fair(db.Model):
    __tablename__ = "fairs"
    __table_args__ = (
        CheckConstraint(enum_check("status", FairStatus), name="ck_fairs_status"),
        CheckConstraint("ends_at > starts_at", name="ck_fairs_times"),
        CheckConstraint("capacity IS NULL OR capacity >= 1", name="ck_fairs_capacity"),
        CheckConstraint(
            "eligibility_group IS NULL OR " + enum_check("eligibility_group", PriorityGroup),
            name="ck_fairs_eligibility",
        ),
        Index("ix_fairs_public", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    theme: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=FairStatus.DRAFT)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity: Mapped[int | None]
    # Only seekers who consented to store this priority group may register.
    eligibility_group: Mapped[str | None] = mapped_column(String(30))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    groups: Mapped[list["FairGroup"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )
    booths: Mapped[list["Booth"]] = relationship(
        back_populates="fair", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def group_codes(self) -> list[str]:
        return sorted(g.group for g in self.groups)

    @hybrid_property
    def is_public(self) -> bool:
        """Visible to the public (published or closed); usable in queries as ``Fair.is_public``."""
        return self.status in PUBLIC_FAIR_STATUSES

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls):
        return cls.status.in_(PUBLIC_FAIR_STATUSES)

    def phase(self, now: datetime) -> str:
        """'upcoming', 'ongoing' or 'past' relative to naive-UTC ``now``."""
        if self.status == FairStatus.CLOSED or now >= self.ends_at:
            return "past"
        if now < self.starts_at:
            return "upcoming"
        return "ongoing"


class FairGroup(db.Model):
    """Priority groups a fair targets (shown on the fair page; not a restriction)."""

    __tablename__ = "fair_groups"
    __table_args__ = (CheckConstraint(enum_check("group_code", PriorityGroup), name="ck_fg_group"),)

    fair_id: Mapped[int] = mapped_column(
        ForeignKey("fairs.id", ondelete="CASCADE"), primary_key=True
    )
    group: Mapped[str] = mapped_column("group_code", String(30), primary_key=True, index=True)


class Booth(db.Model):
    __tablename__ = "booths"
    __table_args__ = (
        UniqueConstraint("fair_id", "employer_id", name="uq_booths_fair_employer"),
        CheckConstraint(enum_check("status", BoothStatus), name="ck_booths_status"),
        CheckConstraint("chat_minutes >= 1 AND chat_minutes <= 60", name="ck_booths_chat_minutes"),
        CheckConstraint("max_chats >= 1 AND max_chats <= 5", name="ck_booths_max_chats"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    employer_id: Mapped[int] = mapped_column(
        ForeignKey("employers.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=BoothStatus.PENDING)
    decline_reason: Mapped[str] = mapped_column(String(500), default="")
    intro: Mapped[str] = mapped_column(Text, default="")
    chat_minutes: Mapped[int] = mapped_column(default=10)
    # How many 1:1 chats one rep of this booth may hold at once.
    max_chats: Mapped[int] = mapped_column(default=2, server_default="2")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    fair: Mapped[Fair] = relationship(back_populates="booths")
    employer: Mapped[Employer] = relationship(lazy="joined")
    position_links: Mapped[list["BoothPosition"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )

    @property
    def position_ids(self) -> list[int]:
        return sorted(link.position_id for link in self.position_links)

    @property
    def is_approved(self) -> bool:
        return self.status == BoothStatus.APPROVED


class BoothPosition(db.Model):
    """A published position of the booth's employer, shown at the booth."""

    __tablename__ = "booth_positions"

    booth_id: Mapped[int] = mapped_column(
        ForeignKey("booths.id", ondelete="CASCADE"), primary_key=True
    )
    position_id: Mapped[int] = mapped_column(
        ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    position: Mapped[Position] = relationship(lazy="joined")


class FairRegistration(db.Model):
    __tablename__ = "fair_registrations"
    __table_args__ = (
        UniqueConstraint("fair_id", "seeker_user_id", name="uq_fair_registrations_seeker"),
        UniqueConstraint("checkin_code", name="uq_fair_registrations_checkin_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    seeker_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # What the seeker shows at the door (as a QR code or typed by staff): see fairs.attendance.
    checkin_code: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    fair: Mapped[Fair] = relationship()
    seeker: Mapped[User] = relationship()


class FairAttendance(db.Model):
    """到场: a registered seeker came to the fair, once per person and fair.

    Online means the seeker pressed 进入会场 (an explicit join, not opening a page); on site
    means staff scanned or typed the seeker's check-in code. Both may happen; the row is one.
    """

    __tablename__ = "fair_attendances"
    __table_args__ = (
        UniqueConstraint("fair_id", "seeker_user_id", name="uq_fair_attendances_seeker"),
        CheckConstraint(
            "online_at IS NOT NULL OR onsite_at IS NOT NULL", name="ck_fair_attendances_how"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    seeker_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    online_at: Mapped[datetime | None]
    onsite_at: Mapped[datetime | None]
    checked_in_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LiveSession(db.Model):
    """直播带岗 session: scheduled here; started, ended and run by the live layer."""

    __tablename__ = "live_sessions"
    __table_args__ = (
        CheckConstraint(enum_check("status", LiveSessionStatus), name="ck_live_sessions_status"),
        CheckConstraint("ends_at > starts_at", name="ck_live_sessions_times"),
        Index("ix_live_sessions_fair_start", "fair_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int | None] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    host_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    stream_url: Mapped[str] = mapped_column(String(500), default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default=LiveSessionStatus.SCHEDULED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    fair: Mapped[Fair | None] = relationship()
    host: Mapped[User | None] = relationship()
    employer_links: Mapped[list["LiveSessionEmployer"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )

    @property
    def employer_ids(self) -> list[int]:
        return sorted(link.employer_id for link in self.employer_links)


class LiveSessionEmployer(db.Model):
    """An employer presenting in a live session."""

    __tablename__ = "live_session_employers"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    employer_id: Mapped[int] = mapped_column(
        ForeignKey("employers.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    employer: Mapped[Employer] = relationship(lazy="joined")


class EmployerRep(db.Model):
    """An extra rep account (role 'employer', no Employer row of its own) of an employer."""

    __tablename__ = "employer_reps"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(
        ForeignKey("employers.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    employer: Mapped[Employer] = relationship()
    user: Mapped[User] = relationship()
