"""On-site fairs and 零工: pay units and 日结 on positions, shifts and sign-ups, booth visits,
claim codes for kiosk-registered seekers, and the 零工班次 source of a 就业登记.

Revision ID: 0014_onsite_gigs
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_onsite_gigs"
down_revision = "0013"
branch_labels = None
depends_on = None

OLD_SOURCES = ("platform_hire", "placement", "follow_up")
NEW_SOURCES = (*OLD_SOURCES, "gig_shifts")

# Demo and existing positions: titles that are plainly paid by the hour, day or piece.
HOURLY_WORDS = ("钟点", "小时工", "兼职", "家政保洁")
DAILY_WORDS = ("日结", "临时", "装卸", "搬运", "零工")
PIECE_WORDS = ("计件",)


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _user_fk(name: str, nullable=True):
    return sa.Column(
        name, sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=nullable
    )


def _like_any(words) -> str:
    return " OR ".join(f"title LIKE '%{w}%'" for w in words)


def upgrade():
    # positions is altered in place, never batch-copied (see 0009: a copy on SQLite drops the
    # full-text triggers of 0002).
    unit_check = _in("pay_unit", ("hour", "day", "piece", "month"))
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE positions ADD COLUMN pay_unit VARCHAR(8) DEFAULT 'month' NOT NULL "
            f"CONSTRAINT ck_positions_pay_unit CHECK ({unit_check})"
        )
    else:
        op.add_column(
            "positions",
            sa.Column("pay_unit", sa.String(8), nullable=False, server_default="month"),
        )
        op.create_check_constraint("ck_positions_pay_unit", "positions", unit_check)
    op.add_column(
        "positions",
        sa.Column("daily_pay", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_positions_pay_unit", "positions", ["pay_unit"])
    # Sensible units for what exists: a monthly figure under 1000 yuan is not a month's pay.
    op.execute("UPDATE positions SET pay_unit = 'piece' WHERE " + _like_any(PIECE_WORDS))
    op.execute(
        "UPDATE positions SET pay_unit = 'hour', salary_min = 25, salary_max = 35 "
        f"WHERE pay_unit = 'month' AND work_form IN ('part_time', 'temporary', 'flexible') "
        f"AND ({_like_any(HOURLY_WORDS)})"
    )
    op.execute(
        "UPDATE positions SET pay_unit = 'day', daily_pay = "
        + ("true" if op.get_context().dialect.name == "postgresql" else "1")
        + ", salary_min = 180, salary_max = 260 "
        "WHERE pay_unit = 'month' AND work_form = 'temporary' AND (" + _like_any(DAILY_WORDS) + ")"
    )
    op.create_table(
        "gig_shifts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "position_id",
            sa.Integer(),
            sa.ForeignKey("positions.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("district", sa.String(20), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("taken", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _user_fk("created_by"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(_in("status", ("open", "cancelled")), name="ck_gig_shifts_status"),
        sa.CheckConstraint("headcount >= 1 AND headcount <= 500", name="ck_gig_shifts_headcount"),
        sa.CheckConstraint("taken >= 0 AND taken <= headcount", name="ck_gig_shifts_taken"),
        sa.CheckConstraint("ends_at > starts_at", name="ck_gig_shifts_times"),
    )
    op.create_index("ix_gig_shifts_day", "gig_shifts", ["day", "district"])
    op.create_table(
        "gig_signups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "shift_id",
            sa.Integer(),
            sa.ForeignKey("gig_shifts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "seeker_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("units", sa.Float(), nullable=True),
        sa.Column("pay_amount", sa.Integer(), nullable=True),
        sa.Column("paid_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        _user_fk("confirmed_by"),
        sa.UniqueConstraint("shift_id", "seeker_id", name="uq_gig_signups_seeker"),
        sa.CheckConstraint(
            _in("status", ("signed_up", "cancelled", "attended", "absent")),
            name="ck_gig_signups_status",
        ),
        sa.CheckConstraint("pay_amount IS NULL OR pay_amount >= 0", name="ck_gig_signups_pay"),
        sa.CheckConstraint("units IS NULL OR units >= 0", name="ck_gig_signups_units"),
    )
    op.create_table(
        "booth_visits",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "fair_id",
            sa.Integer(),
            sa.ForeignKey("fairs.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "booth_id",
            sa.Integer(),
            sa.ForeignKey("booths.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "seeker_user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("how", sa.String(16), nullable=False),
        _user_fk("recorded_by"),
        sa.Column("visited_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("booth_id", "seeker_user_id", name="uq_booth_visits"),
    )
    op.create_table(
        "claim_codes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "fair_id", sa.Integer(), sa.ForeignKey("fairs.id", ondelete="SET NULL"), nullable=True
        ),
        _user_fk("created_by"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
    )
    with op.batch_alter_table("employment_registrations") as batch:
        batch.drop_constraint("ck_emp_reg_source", type_="check")
        batch.create_check_constraint("ck_emp_reg_source", _in("source", NEW_SOURCES))


def downgrade():
    op.execute("DELETE FROM employment_registrations WHERE source = 'gig_shifts'")
    with op.batch_alter_table("employment_registrations") as batch:
        batch.drop_constraint("ck_emp_reg_source", type_="check")
        batch.create_check_constraint("ck_emp_reg_source", _in("source", OLD_SOURCES))
    op.drop_table("claim_codes")
    op.drop_table("booth_visits")
    op.drop_table("gig_signups")
    op.drop_index("ix_gig_shifts_day", table_name="gig_shifts")
    op.drop_table("gig_shifts")
    op.drop_index("ix_positions_pay_unit", table_name="positions")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite 3.35+ drops a column in place; its CHECK goes with it.
        op.execute("ALTER TABLE positions DROP COLUMN daily_pay")
        op.execute("ALTER TABLE positions DROP COLUMN pay_unit")
    else:
        op.drop_constraint("ck_positions_pay_unit", "positions", type_="check")
        op.drop_column("positions", "daily_pay")
        op.drop_column("positions", "pay_unit")
