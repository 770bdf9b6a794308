"""Scheduled interviews (面试安排), employers' invitations to seekers, and the after-fair survey."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.extensions import db
from jobfair.models.application import Application
from jobfair.models.common import enum_check, utcnow
from jobfair.models.employer import Employer
from jobfair.models.user import User


class InterviewMode(enum.StrEnum):
    ONSITE = "onsite"  # 现场面试 at a place
    VIDEO_LINK = "video_link"  # a meeting link of the employer's own video service
    PLATFORM = "platform"  # 平台视频: the platform's own 1:1 video, keyed by the interview id


INTERVIEW_MODE_LABELS = {
    InterviewMode.ONSITE: "现场面试",
    InterviewMode.VIDEO_LINK: "视频面试（外部链接）",
    InterviewMode.PLATFORM: "平台视频面试",
}


class InterviewStatus(enum.StrEnum):
    PROPOSED = "proposed"  # waiting for the seeker's answer
    ACCEPTED = "accepted"
    RESCHEDULE = "reschedule"  # the seeker asked for another time; the employer answers
    DECLINED = "declined"
    CANCELLED = "cancelled"  # withdrawn by the employer


INTERVIEW_STATUS_LABELS = {
    InterviewStatus.PROPOSED: "待求职者确认",
    InterviewStatus.ACCEPTED: "已确认参加",
    InterviewStatus.RESCHEDULE: "求职者申请改期",
    InterviewStatus.DECLINED: "求职者已婉拒",
    InterviewStatus.CANCELLED: "招聘方已取消",
}
# The same states as the seeker reads them about themselves ("待求职者确认" is the employer's view).
SEEKER_INTERVIEW_STATUS_LABELS = {
    **INTERVIEW_STATUS_LABELS,
    InterviewStatus.PROPOSED: "待你确认",
    InterviewStatus.RESCHEDULE: "你已申请改期，等待招聘方回复",
    InterviewStatus.DECLINED: "你已婉拒",
}
OPEN_INTERVIEW = (InterviewStatus.PROPOSED, InterviewStatus.ACCEPTED, InterviewStatus.RESCHEDULE)
_OPEN_SQL = "status IN ('proposed', 'accepted', 'reschedule')"


class ScheduledInterview(db.Model):
    """An interview the employer arranges for an application: when, where or which link, whom
    to call. One open arrangement per application (a database rule); a new time is the same row
    changed, its history in the application's timeline."""

    __tablename__ = "scheduled_interviews"
    __table_args__ = (
        CheckConstraint(enum_check("mode", InterviewMode), name="ck_interviews_mode"),
        CheckConstraint(enum_check("status", InterviewStatus), name="ck_interviews_status"),
        CheckConstraint("minutes >= 10 AND minutes <= 480", name="ck_interviews_minutes"),
        CheckConstraint("mode != 'onsite' OR place != ''", name="ck_interviews_place"),
        CheckConstraint("mode != 'video_link' OR video_url != ''", name="ck_interviews_url"),
        Index(
            "uq_interviews_open",
            "application_id",
            unique=True,
            sqlite_where=text(_OPEN_SQL),
            postgresql_where=text(_OPEN_SQL),
        ),
        Index("ix_interviews_due", "status", "starts_at"),
        Index("ix_interviews_seeker", "seeker_user_id", "starts_at"),
        Index("ix_interviews_employer", "employer_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    seeker_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id", ondelete="CASCADE"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The booth chat it was arranged in, if any.
    chat_id: Mapped[int | None] = mapped_column(
        ForeignKey("live_interview_chats.id", ondelete="SET NULL")
    )
    starts_at: Mapped[datetime]  # UTC
    minutes: Mapped[int] = mapped_column(default=30)
    mode: Mapped[str] = mapped_column(String(16))
    place: Mapped[str] = mapped_column(String(200), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    contact_name: Mapped[str] = mapped_column(String(30))
    contact_phone: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default=InterviewStatus.PROPOSED)
    seeker_reply: Mapped[str] = mapped_column(String(500), default="")
    replied_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    # Bumped on every change: the .ics SEQUENCE, so calendars replace the old entry.
    revision: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    application: Mapped[Application] = relationship()
    employer: Mapped[Employer] = relationship(lazy="joined")
    seeker: Mapped[User] = relationship(foreign_keys=[seeker_user_id])


class InvitationKind(enum.StrEnum):
    APPLY = "apply"  # 邀请投递 a position
    QUEUE = "queue"  # 邀请到展位排队 at a fair booth


INVITATION_KIND_LABELS = {InvitationKind.APPLY: "邀请投递", InvitationKind.QUEUE: "邀请来展位面谈"}


class InvitationStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


INVITATION_STATUS_LABELS = {
    InvitationStatus.PENDING: "待回复",
    InvitationStatus.ACCEPTED: "已接受",
    InvitationStatus.DECLINED: "已婉拒",
    InvitationStatus.CANCELLED: "已撤回",
}
_PENDING_SQL = "status = 'pending'"


class Invitation(db.Model):
    """An employer invites a seeker it found (推荐人才, or the registrations of a fair it takes
    part in) to apply or to come to its booth. The employer sees the seeker masked until the
    seeker accepts."""

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint(enum_check("kind", InvitationKind), name="ck_invitations_kind"),
        CheckConstraint(enum_check("status", InvitationStatus), name="ck_invitations_status"),
        CheckConstraint(
            "(kind = 'apply' AND position_id IS NOT NULL) OR (kind = 'queue' AND booth_id IS NOT NULL)",
            name="ck_invitations_target",
        ),
        Index(
            "uq_invitations_pending",
            "employer_id",
            "seeker_user_id",
            "target",
            unique=True,
            sqlite_where=text(_PENDING_SQL),
            postgresql_where=text(_PENDING_SQL),
        ),
        Index("ix_invitations_seeker", "seeker_user_id", "status"),
        Index("ix_invitations_employer", "employer_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id", ondelete="CASCADE"))
    seeker_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"))
    booth_id: Mapped[int | None] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"))
    # "position:<id>" or "booth:<id>": what the one-pending-invitation rule is about.
    target: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(12), default=InvitationStatus.PENDING)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]

    employer: Mapped[Employer] = relationship(lazy="joined")
    position = relationship("Position")
    booth = relationship("Booth")


class SurveyRole(enum.StrEnum):
    SEEKER = "seeker"
    EMPLOYER = "employer"


class FairSurvey(db.Model):
    """One short answer per person and fair, after it ends (满意度调查)."""

    __tablename__ = "fair_surveys"
    __table_args__ = (
        UniqueConstraint("fair_id", "user_id", name="uq_fair_surveys_once"),
        CheckConstraint(enum_check("role", SurveyRole), name="ck_fair_surveys_role"),
        CheckConstraint("rating >= 1 AND rating <= 5", name="ck_fair_surveys_rating"),
        CheckConstraint("useful >= 1 AND useful <= 5", name="ck_fair_surveys_useful"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id", ondelete="SET NULL"))
    rating: Mapped[int]  # overall satisfaction 1–5
    useful: Mapped[int]  # seekers: found suitable jobs; employers: met suitable candidates
    would_return: Mapped[bool] = mapped_column(default=True)
    comment: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
