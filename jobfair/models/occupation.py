"""The 2022 national occupation classification (loaded from jobfair/data by a migration)."""

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jobfair import reference
from jobfair.extensions import db


class Occupation(db.Model):
    __tablename__ = "occupations"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)  # e.g. 6-18-02-04
    level: Mapped[int]  # 1 major, 2 middle, 3 minor, 4 occupation
    name: Mapped[str] = mapped_column(String(100))
    definition: Mapped[str] = mapped_column(Text, default="")
    aliases: Mapped[str] = mapped_column(Text, default="")  # comma-separated job-board titles

    @property
    def marks(self) -> list[str]:
        """ "green" (绿色职业), "digital" (数字职业): shown as badges, never glued to the name."""
        return reference.occupation_marks(self.code)
