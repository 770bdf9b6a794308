"""On-site fairs and 零工: pay units and 日结 on positions, shifts and sign-ups, booth visits,
claim codes for kiosk-registered seekers, and the 零工班次 source of a 就业登记.

Revision ID: 0016_onsite_gigs
Revises: 0015_training
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_onsite_gigs"
down_revision = "0015_training"
branch_labels = None
depends_on = None

OLD_SOURCES = ("platform_hire", "placement", "follow_up")
NEW_SOURCES = (*OLD_SOURCES, "gig_shifts")

# Demo titles paid by the hour, day or piece (as seed/gen/positions.py PAY_BY_TEMPLATE).
DEMO_PAY = {
    "钟点保洁员": ("hour", False, 30, 40),
    "兼职收银员（周末）": ("hour", False, 20, 26),
    "餐厅服务员（午市兼职）": ("hour", True, 22, 28),
    "分拣员（夜班兼职）": ("hour", False, 24, 30),
    "装卸工（电商大促临时）": ("day", True, 260, 300),
    "草莓采摘分拣工": ("day", True, 160, 200),
    "同城配送员（众包）": ("piece", False, 6, 9),
}


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _user_fk(name: str, nullable=True):
    return sa.Column(
        name, sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=nullable
    )


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
    # The demo data loaded before this migration (fictional employers whose credit codes carry
    # "JF001") gets the units seed/gen/positions.py now writes; nothing else is touched, so a
    # real employer's pay is never rewritten by a guess.
    positions = sa.table(
        "positions",
        sa.column("employer_id", sa.Integer()),
        sa.column("title", sa.String()),
        sa.column("pay_unit", sa.String()),
        sa.column("daily_pay", sa.Boolean()),
        sa.column("salary_min", sa.Integer()),
        sa.column("salary_max", sa.Integer()),
    )
    employers = sa.table("employers", sa.column("id", sa.Integer()), sa.column("credit_code"))
    demo = sa.select(employers.c.id).where(employers.c.credit_code.like("________JF001%"))
    for title, (unit, daily, low, high) in DEMO_PAY.items():
        op.execute(
            positions.update()
            .where(positions.c.title == title, positions.c.employer_id.in_(demo))
            .values(pay_unit=unit, daily_pay=daily, salary_min=low, salary_max=high)
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
