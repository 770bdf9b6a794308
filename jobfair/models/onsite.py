"""On-site fairs: booth visits (a seeker checked in at a booth) and one-time claim codes."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.extensions import db
from jobfair.models.common import utcnow
from jobfair.models.user import User


class BoothVisit(db.Model):
    """展位到访: a seeker checked in at a booth on site, once per person and booth.

    ``how`` is 'staff' (booth staff scanned the seeker's code), 'booth_qr' (the seeker scanned
    the QR code printed at the booth) or 'kiosk' (queued there from the staff kiosk).
    """

    __tablename__ = "booth_visits"
    __table_args__ = (UniqueConstraint("booth_id", "seeker_user_id", name="uq_booth_visits"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    booth_id: Mapped[int] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"), index=True)
    seeker_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    how: Mapped[str] = mapped_column(String(16))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    visited_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClaimCode(db.Model):
    """A one-time code that lets a seeker registered at a kiosk set a password on their phone.

    Only a keyed hash of the code is stored; it expires and works once.
    """

    __tablename__ = "claim_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    fair_id: Mapped[int | None] = mapped_column(ForeignKey("fairs.id", ondelete="SET NULL"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    failures: Mapped[int] = mapped_column(default=0)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
