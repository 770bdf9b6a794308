"""Job alerts (职位提醒 / 人才提醒) and the digests sent for them, one per alert per day."""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.extensions import db
from jobfair.models.common import enum_check, utcnow
from jobfair.models.position import Position


class AlertKind(enum.StrEnum):
    SEARCH = "search"  # a seeker's saved search (keywords + filters)
    PROFILE = "profile"  # a seeker's opt-in: positions that fit the wishes in the profile
    TALENT = "talent"  # an employer's: discoverable seekers who fit one of its positions


ALERT_KIND_LABELS = {
    AlertKind.SEARCH: "保存的搜索",
    AlertKind.PROFILE: "按求职意向",
    AlertKind.TALENT: "推荐人才",
}


class JobAlert(db.Model):
    __tablename__ = "job_alerts"
    __table_args__ = (
        CheckConstraint(enum_check("kind", AlertKind), name="ck_job_alerts_kind"),
        # A talent alert belongs to one position; the seekers' kinds never do.
        CheckConstraint(
            "(kind = 'talent' AND position_id IS NOT NULL)"
            " OR (kind <> 'talent' AND position_id IS NULL)",
            name="ck_job_alerts_position",
        ),
        # One name per owner; the profile alert's fixed name makes it one per seeker.
        UniqueConstraint("user_id", "name", name="uq_job_alerts_user_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(60))
    # Search filters as the position search reads them: q, district, occupation, salary, ...
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    position_id: Mapped[int | None] = mapped_column(
        ForeignKey("positions.id", ondelete="CASCADE"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # New items are those since the last digest (or since the alert was made).
    last_sent_at: Mapped[datetime | None]
    stopped_at: Mapped[datetime | None]

    position: Mapped[Position | None] = relationship()


class AlertDigest(db.Model):
    """One digest sent for one alert on one (China) day; the UNIQUE makes sending idempotent."""

    __tablename__ = "alert_digests"
    __table_args__ = (UniqueConstraint("alert_id", "day", name="uq_alert_digests_alert_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("job_alerts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Ids of the positions (seekers' alerts) or seekers (talent alerts) in the digest.
    item_ids: Mapped[list] = mapped_column(JSON, default=list)
    # What the digest showed, as sent (already masked for employers).
    items: Mapped[list] = mapped_column(JSON, default=list)
    total: Mapped[int] = mapped_column(default=0)
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL")
    )

    alert: Mapped[JobAlert] = relationship()
