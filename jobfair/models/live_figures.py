"""直播带岗 figures kept as records: peak audiences and the intentions reps mark.

Who is online is not stored (jobfair/live/presence.py), so the highest count seen is written
here when it is passed; 达成意向 is a rep's judgement about one application made in a room.
"""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.extensions import db
from jobfair.models.common import enum_check, utcnow


class PeakKind(enum.StrEnum):
    SESSION = "session"  # viewers in a 直播带岗 room
    FAIR = "fair"  # seekers in a fair's live lobby and rooms


class LivePeak(db.Model):
    """The most people online at once in a session room or a fair, and when."""

    __tablename__ = "live_peaks"
    __table_args__ = (
        CheckConstraint(enum_check("kind", PeakKind), name="ck_live_peaks_kind"),
        CheckConstraint("peak >= 0", name="ck_live_peaks_peak"),
    )

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    ref_id: Mapped[int] = mapped_column(primary_key=True)
    peak: Mapped[int] = mapped_column(default=0)
    peak_at: Mapped[datetime] = mapped_column(default=utcnow)


class LiveIntent(db.Model):
    """达成意向: a rep of the position's employer marks an application made from a room as a
    likely hire. One mark per application; removing the mark deletes the row."""

    __tablename__ = "live_intents"
    __table_args__ = (
        UniqueConstraint("application_id", name="uq_live_intents_application"),
        Index("ix_live_intents_session", "session_id"),
        Index("ix_live_intents_fair", "fair_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE")
    )
    fair_id: Mapped[int | None] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    marked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    application = relationship("Application", lazy="joined")
