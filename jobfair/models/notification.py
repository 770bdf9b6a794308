"""In-site notifications (站内通知) for every role."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.extensions import db
from jobfair.models.common import utcnow

NOTIFICATION_KIND_LABELS = {
    "position_push": "岗位推送",
    "application_new": "新投递",
    "application_status": "投递进度",
    "queue_call": "排队叫号",
    "casework": "就业帮扶",
    "job_alert": "职位提醒",
    "talent_alert": "人才提醒",
    "system": "系统通知",
    "interview": "面试安排",
    "invitation": "单位邀请",
}


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    # A path inside the site ("/positions/12"), never an external address.
    link: Mapped[str | None] = mapped_column(String(300))
    read_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
