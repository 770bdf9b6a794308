"""In-site notifications (站内通知) for every role, and each user's choice of how to get them."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text, true
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.extensions import db
from jobfair.models.common import enum_check, utcnow

NOTIFICATION_KIND_LABELS = {
    "position_push": "岗位推送",
    "application_new": "新投递",
    "application_status": "投递进度",
    "queue_call": "排队叫号",
    "casework": "就业帮扶",
    "job_alert": "职位提醒",
    "talent_alert": "人才提醒",
    "system": "系统通知",
    "live": "现场招聘",
    "employer_review": "单位审核",
    "position_review": "岗位审核",
    "booth_decision": "展位审核",
    "rep_change": "招聘代表变动",
    "digest": "每日汇总",
}


class DigestState(enum.StrEnum):
    PENDING = "pending"  # waits for the user's next daily summary
    SENT = "sent"  # was listed in a summary


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_read", "user_id", "read_at"),
        CheckConstraint(
            "digest_state IS NULL OR " + enum_check("digest_state", DigestState),
            name="ck_notifications_digest_state",
        ),
        Index(
            "ix_notifications_digest_pending",
            "user_id",
            "id",
            sqlite_where=text("digest_state = 'pending'"),
            postgresql_where=text("digest_state = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    # A path inside the site ("/positions/12"), never an external address.
    link: Mapped[str | None] = mapped_column(String(300))
    read_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # False: kept only for the daily summary (the user turned the centre off for this kind).
    in_centre: Mapped[bool] = mapped_column(default=True, server_default=true())
    digest_state: Mapped[str | None] = mapped_column(String(10))

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(db.Model):
    """How one user wants one kind of notification: pushed live, listed in the centre, and/or
    gathered into a daily summary. No row means the defaults (live and centre, no summary)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    live: Mapped[bool] = mapped_column(default=True)
    centre: Mapped[bool] = mapped_column(default=True)
    digest: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
