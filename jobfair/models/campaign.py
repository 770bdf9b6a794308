"""Campaigns (春风行动, 民营企业招聘月 …): a named period grouping fairs and live sessions."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.extensions import db
from jobfair.models.common import utcnow
from jobfair.models.fair import Fair, LiveSession


class Campaign(db.Model):
    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ck_campaigns_dates"),
        UniqueConstraint("title", name="uq_campaigns_title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    fair_links: Mapped[list["CampaignFair"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )
    session_links: Mapped[list["CampaignSession"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )

    @property
    def fair_ids(self) -> list[int]:
        return sorted(link.fair_id for link in self.fair_links)

    @property
    def session_ids(self) -> list[int]:
        return sorted(link.session_id for link in self.session_links)


class CampaignFair(db.Model):
    __tablename__ = "campaign_fairs"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    fair_id: Mapped[int] = mapped_column(
        ForeignKey("fairs.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    fair: Mapped[Fair] = relationship(lazy="joined")


class CampaignSession(db.Model):
    """A live session in the campaign (sessions of the campaign's fairs belong to it anyway)."""

    __tablename__ = "campaign_sessions"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    session: Mapped[LiveSession] = relationship(lazy="joined")
