"""Occupation names without the classification's marks; inferred occupations of seekers.

The classification appends L (绿色职业) and S (数字职业) to some names (保洁员L,
工业机器人系统运维员S, 增材制造设备操作员L/S). The stored names lose the letters (search,
sorting and every export read the bare name); the marks themselves come from the
classification file by code (jobfair.reference.occupation_marks, Occupation.marks).
seeker_inferred_occupations holds the occupations inferred from a profile's words (code and
confidence), apart from the wished ones.

Revision ID: 0008
Revises: 0007
"""

import csv
import re
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

DATA = Path(__file__).resolve().parents[2] / "jobfair" / "data" / "occupations-2022.csv"
_MARKS_RE = re.compile(r"(?<=[^\x00-\x7f])(L/S|L|S)$")


def _marked() -> dict[str, tuple[str, str]]:
    """code -> (name with the letters, bare name) for the marked occupations."""
    out = {}
    with open(DATA, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            found = _MARKS_RE.search(row["name"])
            if found:
                out[row["code"]] = (row["name"], row["name"][: found.start()])
    return out


def _rename(to_bare: bool) -> None:
    occupations = sa.table(
        "occupations", sa.column("code", sa.String), sa.column("name", sa.String)
    )
    bind = op.get_bind()
    for code, (marked, bare) in _marked().items():
        bind.execute(
            occupations.update()
            .where(occupations.c.code == code)
            .where(occupations.c.name == (marked if to_bare else bare))
            .values(name=bare if to_bare else marked)
        )


def upgrade():
    _rename(to_bare=True)
    op.create_table(
        "seeker_inferred_occupations",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("occupation_code", sa.String(length=12), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.CheckConstraint(
            "confidence > 0 AND confidence <= 1", name="ck_seeker_inferred_occupations_confidence"
        ),
        sa.ForeignKeyConstraint(["profile_id"], ["seeker_profiles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["occupation_code"], ["occupations.code"]),
        sa.PrimaryKeyConstraint("profile_id", "occupation_code"),
    )


def downgrade():
    op.drop_table("seeker_inferred_occupations")
    _rename(to_bare=False)
