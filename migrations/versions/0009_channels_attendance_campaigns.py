"""五个一批 rules on positions, fair attendance (到场) with check-in codes, campaigns.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


# Range checks of the 五个一批 fields (the model declares the same).
POSITION_CHECKS = {
    "trainee_months": (
        "ck_positions_trainee_months",
        "trainee_months IS NULL OR (trainee_months >= 1 AND trainee_months <= 24)",
    ),
    "tenure_limit_months": (
        "ck_positions_tenure_limit",
        "tenure_limit_months IS NULL OR (tenure_limit_months >= 1 AND tenure_limit_months <= 120)",
    ),
}
POSITION_COLUMNS = (
    "trainee_months",
    "tenure_limit_months",
    "exam_date",
    "exam_signup_ends",
    "official_url",
)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade():
    # positions is altered in place, never batch-copied: on SQLite a copy would drop the
    # full-text triggers of 0002 and search would silently stop finding new positions.
    for name, (check, expr) in POSITION_CHECKS.items():
        if _sqlite():
            op.execute(
                f"ALTER TABLE positions ADD COLUMN {name} INTEGER CONSTRAINT {check} CHECK ({expr})"
            )
        else:
            op.add_column("positions", sa.Column(name, sa.Integer(), nullable=True))
            op.create_check_constraint(check, "positions", expr)
    op.add_column("positions", sa.Column("exam_date", sa.Date(), nullable=True))
    op.add_column("positions", sa.Column("exam_signup_ends", sa.Date(), nullable=True))
    op.add_column(
        "positions",
        sa.Column("official_url", sa.String(length=500), nullable=False, server_default=""),
    )
    with op.batch_alter_table("employers") as batch:
        batch.add_column(
            sa.Column(
                "public_welfare_designated",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
    with op.batch_alter_table("fair_registrations") as batch:
        batch.add_column(sa.Column("checkin_code", sa.String(length=12), nullable=True))
        batch.create_unique_constraint("uq_fair_registrations_checkin_code", ["checkin_code"])

    op.create_table(
        "fair_attendances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("seeker_user_id", sa.Integer(), nullable=False),
        sa.Column("online_at", sa.DateTime(), nullable=True),
        sa.Column("onsite_at", sa.DateTime(), nullable=True),
        sa.Column("checked_in_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["fair_id"], ["fairs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["seeker_user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["checked_in_by"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fair_id", "seeker_user_id", name="uq_fair_attendances_seeker"),
        sa.CheckConstraint(
            "online_at IS NOT NULL OR onsite_at IS NOT NULL", name="ck_fair_attendances_how"
        ),
    )
    op.create_index("ix_fair_attendances_fair_id", "fair_attendances", ["fair_id"])
    op.create_index("ix_fair_attendances_seeker_user_id", "fair_attendances", ["seeker_user_id"])

    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("title", name="uq_campaigns_title"),
        sa.CheckConstraint("ends_on >= starts_on", name="ck_campaigns_dates"),
    )
    op.create_table(
        "campaign_fairs",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["fair_id"], ["fairs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("campaign_id", "fair_id"),
    )
    op.create_index("ix_campaign_fairs_fair_id", "campaign_fairs", ["fair_id"])
    op.create_table(
        "campaign_sessions",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("campaign_id", "session_id"),
    )
    op.create_index("ix_campaign_sessions_session_id", "campaign_sessions", ["session_id"])


def downgrade():
    op.drop_index("ix_campaign_sessions_session_id", table_name="campaign_sessions")
    op.drop_table("campaign_sessions")
    op.drop_index("ix_campaign_fairs_fair_id", table_name="campaign_fairs")
    op.drop_table("campaign_fairs")
    op.drop_table("campaigns")
    op.drop_index("ix_fair_attendances_seeker_user_id", table_name="fair_attendances")
    op.drop_index("ix_fair_attendances_fair_id", table_name="fair_attendances")
    op.drop_table("fair_attendances")
    with op.batch_alter_table("fair_registrations") as batch:
        batch.drop_constraint("uq_fair_registrations_checkin_code", type_="unique")
        batch.drop_column("checkin_code")
    with op.batch_alter_table("employers") as batch:
        batch.drop_column("public_welfare_designated")
    if not _sqlite():
        for check, _ in POSITION_CHECKS.values():
            op.drop_constraint(check, "positions", type_="check")
    for name in reversed(POSITION_COLUMNS):
        op.execute(f"ALTER TABLE positions DROP COLUMN {name}")
