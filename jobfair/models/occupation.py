"""The 2022 national occupation classification (loaded from jobfair/data by a migration)."""

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.extensions import db


class Occupation(db.Model):
    __tablename__ = "occupations"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)  # e.g. 6-18-02-04
    level: Mapped[int]  # 1 major, 2 middle, 3 minor, 4 occupation
    name: Mapped[str] = mapped_column(String(100))
    definition: Mapped[str] = mapped_column(Text, default="")
    aliases: Mapped[str] = mapped_column(Text, default="")  # comma-separated job-board titles
    # The classification's marks, kept apart from the name: "green" (L, 绿色职业) and
    # "digital" (S, 数字职业), comma-separated.
    marks_text: Mapped[str] = mapped_column("marks", String(20), default="", server_default="")

    @property
    def marks(self) -> list[str]:
        """["green"], ["digital"], both or none (templates show them as small badges)."""
        return [m for m in self.marks_text.split(",") if m]
