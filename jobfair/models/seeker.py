"""Seeker profiles (求职者), desired occupations and consented priority-group status."""

import functools
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
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
    # Whether employers may find this profile in talent recommendations (contacts masked).
    discoverable: Mapped[bool] = mapped_column(default=False)
    search_tokens: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    occupations: Mapped[list["SeekerOccupation"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )
    groups: Mapped[list["SeekerGroup"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )

    @property
    def desired_occupations(self) -> list[str]:
        return [o.occupation_code for o in self.occupations]

    @property
    def group_codes(self) -> list[str]:
        return sorted(g.group for g in self.groups)


class SeekerOccupation(db.Model):
    __tablename__ = "seeker_occupations"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("seeker_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupations.code"), primary_key=True)


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
