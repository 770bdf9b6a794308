"""Applications (投递) and their timestamped status history."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.extensions import db
from jobfair.models.common import enum_check, utcnow
from jobfair.models.position import Position
from jobfair.models.user import User


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    VIEWED = "viewed"
    INTERVIEW = "interview"
    HIRED = "hired"
    ONBOARDED = "onboarded"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


APPLICATION_STATUS_LABELS = {
    ApplicationStatus.SUBMITTED: "新投递",
    ApplicationStatus.VIEWED: "已查看",
    ApplicationStatus.INTERVIEW: "邀请面试",
    ApplicationStatus.HIRED: "录用",
    ApplicationStatus.ONBOARDED: "已入职",
    ApplicationStatus.REJECTED: "未通过",
    ApplicationStatus.WITHDRAWN: "已撤回",
}


class ApplicationOrigin(enum.StrEnum):
    SEEKER = "seeker"  # the seeker applied on their own
    INVITATION = "invitation"  # the seeker applied by accepting an employer's invitation
    EMPLOYER = "employer"  # a rep opened it in a live chat (邀请面试); the seeker never applied


APPLICATION_ORIGIN_LABELS = {
    ApplicationOrigin.SEEKER: "本人投递",
    ApplicationOrigin.INVITATION: "应邀投递",
    ApplicationOrigin.EMPLOYER: "招聘方邀请面试",
}


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("position_id", "seeker_id", name="uq_applications_seeker_position"),
        CheckConstraint(enum_check("status", ApplicationStatus), name="ck_applications_status"),
        CheckConstraint(enum_check("origin", ApplicationOrigin), name="ck_applications_origin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        ForeignKey("positions.id", ondelete="CASCADE"), index=True
    )
    seeker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default=ApplicationStatus.SUBMITTED, index=True)
    origin: Mapped[str] = mapped_column(
        String(16), default=ApplicationOrigin.SEEKER, server_default="seeker"
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    position: Mapped[Position] = relationship()
    seeker: Mapped[User] = relationship()
    events: Mapped[list["ApplicationEvent"]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ApplicationEvent.id",
        back_populates="application",
    )


class ApplicationEvent(db.Model):
    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    # None for a status change; otherwise what happened without one (an interview arranged,
    # accepted, declined…), see jobfair.interviews. The note is always the actor's own words.
    kind: Mapped[str | None] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="events")
