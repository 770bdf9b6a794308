"""Job alerts: saved searches, profile opt-ins, employers' talent alerts, and daily digests.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column(
            "position_id",
            sa.Integer(),
            sa.ForeignKey("positions.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(), nullable=True),
        sa.Column("stopped_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('search', 'profile', 'talent')", name="ck_job_alerts_kind"),
        sa.CheckConstraint(
            "(kind = 'talent' AND position_id IS NOT NULL)"
            " OR (kind <> 'talent' AND position_id IS NULL)",
            name="ck_job_alerts_position",
        ),
        sa.UniqueConstraint("user_id", "name", name="uq_job_alerts_user_name"),
    )
    op.create_index("ix_job_alerts_user_id", "job_alerts", ["user_id"])
    op.create_index("ix_job_alerts_position_id", "job_alerts", ["position_id"])
    op.create_table(
        "alert_digests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "alert_id",
            sa.Integer(),
            sa.ForeignKey("job_alerts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("item_ids", sa.JSON(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column(
            "notification_id",
            sa.Integer(),
            sa.ForeignKey("notifications.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.UniqueConstraint("alert_id", "day", name="uq_alert_digests_alert_day"),
    )
    op.create_index("ix_alert_digests_user_id", "alert_digests", ["user_id"])


def downgrade():
    op.drop_index("ix_alert_digests_user_id", table_name="alert_digests")
    op.drop_table("alert_digests")
    op.drop_index("ix_job_alerts_position_id", table_name="job_alerts")
    op.drop_index("ix_job_alerts_user_id", table_name="job_alerts")
    op.drop_table("job_alerts")
