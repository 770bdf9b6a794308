"""Occupation marks apart from names; inferred occupations of seekers without a wish.

The classification appends L (绿色职业) and S (数字职业) to some names (保洁员L,
工业机器人系统运维员S, 增材制造设备操作员L/S); the names lose them and occupations.marks keeps
them as "green", "digital" or "green,digital". seeker_inferred_occupations holds the
occupations inferred from a profile's text (code and confidence), apart from the wished ones.

Revision ID: 0007
Revises: 0006
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_MARKS_RE = re.compile(r"(?<=[\u4e00-\u9fff）)])([LS](?:/[LS])?)$")
_LETTERS = {"L": "green", "S": "digital"}


def upgrade():
    op.add_column(
        "occupations", sa.Column("marks", sa.String(length=20), nullable=False, server_default="")
    )
    bind = op.get_bind()
    occupations = sa.table(
        "occupations",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("marks", sa.String),
    )
    for code, name in bind.execute(sa.select(occupations.c.code, occupations.c.name)).all():
        m = _MARKS_RE.search(name or "")
        if not m:
            continue
        marks = ",".join(_LETTERS[x] for x in m.group(1).split("/"))
        bind.execute(
            occupations.update()
            .where(occupations.c.code == code)
            .values(name=name[: m.start()], marks=marks)
        )

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
    bind = op.get_bind()
    occupations = sa.table(
        "occupations",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("marks", sa.String),
    )
    rows = bind.execute(
        sa.select(occupations.c.code, occupations.c.name, occupations.c.marks).where(
            occupations.c.marks != ""
        )
    ).all()
    letters = {v: k for k, v in _LETTERS.items()}
    for code, name, marks in rows:
        suffix = "/".join(letters[m] for m in marks.split(","))
        bind.execute(
            occupations.update().where(occupations.c.code == code).values(name=name + suffix)
        )
    with op.batch_alter_table("occupations") as batch:
        batch.drop_column("marks")
