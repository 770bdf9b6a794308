"""Matching index version stamp, its change log, and the log of served recommendations."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.extensions import db
from jobfair.models.common import utcnow

RECOMMENDATION_SOURCES = ("home", "push", "talent", "priority")


class MatchIndexState(db.Model):
    """One row (id=1): bumped in the same transaction as any change to a position."""

    __tablename__ = "match_index_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MatchIndexChange(db.Model):
    """Which position changed at which version, so other processes update incrementally."""

    __tablename__ = "match_index_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: a deleted position must still be removable from the index.
    position_id: Mapped[int]
    version: Mapped[int] = mapped_column(index=True)


class RecommendationLog(db.Model):
    """A recommendation shown or pushed to a seeker (for the fairness view)."""

    __tablename__ = "recommendation_log"
    __table_args__ = (
        CheckConstraint(
            "source IN (" + ", ".join(f"'{s}'" for s in RECOMMENDATION_SOURCES) + ")",
            name="ck_recommendation_log_source",
        ),
        Index("ix_recommendation_log_seeker_created", "seeker_user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    position_id: Mapped[int] = mapped_column(
        ForeignKey("positions.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(10))
    score: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
