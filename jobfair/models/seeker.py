"""Seeker profiles (求职者), desired occupations and consented priority-group status."""

import functools
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.ext.hybrid import Comparator, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.crypto import EncryptedText, blind_index, blind_index_with, keyring
from jobfair.extensions import db
from jobfair.models.common import Education, PriorityGroup, enum_check, utcnow
from jobfair.models.user import User


class SeekerProfile(db.Model):
    __tablename__ = "seeker_profiles"
    __table_args__ = (
        CheckConstraint(enum_check("education", Education), name="ck_seekers_education"),
        CheckConstraint("salary_min >= 0", name="ck_seekers_salary"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(11), default="")
    birth_year: Mapped[int | None]
    education: Mapped[str] = mapped_column(String(16), default=Education.NONE)
    major: Mapped[str] = mapped_column(String(100), default="")
    skills: Mapped[str] = mapped_column(String(500), default="")
    experience: Mapped[str] = mapped_column(Text, default="")
    districts: Mapped[list] = mapped_column(JSON, default=list)
    salary_min: Mapped[int] = mapped_column(default=0)
    work_forms: Mapped[list] = mapped_column(JSON, default=list)
    intro: Mapped[str] = mapped_column(Text, default="")
    # Separate, explicit consent to store and use priority-group status (sensitive PI).
    group_consent: Mapped[bool] = mapped_column(default=False)
    group_consent_at: Mapped[datetime | None]
    # Where the person lives (户籍 / 常住), apart from the districts they wish to work in:
    # targets and households count by residence (常住, else 户籍).
    hukou_district: Mapped[str] = mapped_column(String(50), default="")
    residence_district: Mapped[str] = mapped_column(String(50), default="", index=True)
    residence_street: Mapped[str] = mapped_column(String(50), default="")
    # A walk-in registered by staff: consent given on paper, noted here (who, which form).
    consent_note: Mapped[str] = mapped_column(String(500), default="")
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Whether employers may find this profile in talent recommendations (contacts masked).
    discoverable: Mapped[bool] = mapped_column(default=False)
    search_tokens: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    occupations: Mapped[list["SeekerOccupation"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )
    groups: Mapped[list["SeekerGroup"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )
    # Occupations inferred from the profile's words while no occupation is wished (matching).
    inferred: Mapped[list["SeekerInferredOccupation"]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
        order_by="desc(SeekerInferredOccupation.confidence)",
    )

    @property
    def desired_occupations(self) -> list[str]:
        return [o.occupation_code for o in self.occupations]

    @property
    def inferred_occupations(self) -> tuple[tuple[str, float], ...]:
        return tuple((o.occupation_code, o.confidence) for o in self.inferred)

    @property
    def group_codes(self) -> list[str]:
        return sorted(g.group for g in self.groups)

    @property
    def home_district(self) -> str:
        """The district a person counts in: where they live (常住), else their 户籍."""
        return self.residence_district or self.hukou_district or ""

    def verified_groups(self, on: date) -> set[str]:
        """Groups 认定 by a case worker and valid on this day (only with consent)."""
        if not self.group_consent:
            return set()
        return {g.group for g in self.groups if g.is_verified(on)}


class SeekerOccupation(db.Model):
    __tablename__ = "seeker_occupations"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("seeker_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupations.code"), primary_key=True)


class SeekerInferredOccupation(db.Model):
    """An occupation inferred from the profile's text, with the confidence of the guess."""

    __tablename__ = "seeker_inferred_occupations"
    __table_args__ = (
        CheckConstraint(
            "confidence > 0 AND confidence <= 1", name="ck_seeker_inferred_occupations_confidence"
        ),
    )

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("seeker_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupations.code"), primary_key=True)
    confidence: Mapped[float]


class _BlindComparator(Comparator):
    """``SeekerGroup.group == "veteran"`` and ``.in_([...])`` compare blind indexes."""

    def __eq__(self, other):
        return self.__clause_element__() == blind_index(str(other))

    def __ne__(self, other):
        return self.__clause_element__() != blind_index(str(other))

    def in_(self, other):
        return self.__clause_element__().in_([blind_index(str(v)) for v in other])


class SeekerGroup(db.Model):
    """A seeker's priority group (特定身份, PIPL art. 28 sensitive personal information).

    Stored encrypted (``group_secret``) with a blind index (``group_key``, an HMAC) so the
    platform can still filter and count by group; the plain code never reaches the database.
    ``group`` reads and sets the code; in queries it compares through the blind index, and
    ``select(SeekerGroup.group_key)`` results are turned back into codes with group_of_key().
    """

    __tablename__ = "seeker_groups"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("seeker_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    group_key: Mapped[str] = mapped_column(
        String(64), primary_key=True, index=True, info={"blind_index_of": "group_secret"}
    )
    group_secret: Mapped[str] = mapped_column(EncryptedText)

    # 本人申报 until a case worker of the seeker's district records the 认定 with evidence.
    evidence_type: Mapped[str] = mapped_column(String(30), default="")
    evidence_note: Mapped[str] = mapped_column(EncryptedText, default="")  # sensitive: encrypted
    verified_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None]
    verified_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)

    def is_verified(self, on: date) -> bool:
        return (
            self.verified_on is not None
            and self.verified_on <= on
            and (self.valid_until is None or on <= self.valid_until)
        )

    @property
    def source(self) -> str:
        return "verified" if self.verified_on is not None else "self_declared"

    def __init__(self, group: str | None = None, **kw):
        super().__init__(**kw)
        if group is not None:
            self.group = group

    @hybrid_property
    def group(self) -> str:
        return self.group_secret

    @group.inplace.setter
    def _group_setter(self, value: str) -> None:
        if value not in set(PriorityGroup):
            raise ValueError(f"not a priority group: {value!r}")
        self.group_secret = str(value)
        self.group_key = blind_index(str(value))

    @group.inplace.comparator
    @classmethod
    def _group_comparator(cls) -> _BlindComparator:
        return _BlindComparator(cls.group_key)


def group_of_key(key: str) -> str | None:
    """The priority-group code whose blind index is ``key`` (None if none is)."""
    return _codes_by_key(keyring().index_key).get(key)


@functools.lru_cache(maxsize=4)
def _codes_by_key(index_key: bytes) -> dict[str, str]:
    return {blind_index_with(index_key, str(g)): str(g) for g in PriorityGroup}
