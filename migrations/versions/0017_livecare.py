"""Live care: notification preferences and daily summaries, 直播带岗 figures (观看人次, peaks,
达成意向).

Revision ID: 0017_livecare
Revises: 0016_onsite_gigs
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_livecare"
down_revision = "0016_onsite_gigs"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(
            sa.Column("in_centre", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("digest_state", sa.String(10), nullable=True))
        batch.create_check_constraint(
            "ck_notifications_digest_state",
            "digest_state IS NULL OR digest_state IN ('pending', 'sent')",
        )
    op.create_index(
        "ix_notifications_digest_pending",
        "notifications",
        ["user_id", "id"],
        sqlite_where=sa.text("digest_state = 'pending'"),
        postgresql_where=sa.text("digest_state = 'pending'"),
    )
    op.create_table(
        "notification_preferences",
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("kind", sa.String(30), primary_key=True),
        sa.Column("live", sa.Boolean(), nullable=False),
        sa.Column("centre", sa.Boolean(), nullable=False),
        sa.Column("digest", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    with op.batch_alter_table("live_session_views") as batch:
        batch.add_column(
            sa.Column("visits", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
    op.create_table(
        "live_peaks",
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("ref_id", sa.Integer(), primary_key=True),
        sa.Column("peak", sa.Integer(), nullable=False),
        sa.Column("peak_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('session', 'fair')", name="ck_live_peaks_kind"),
        sa.CheckConstraint("peak >= 0", name="ck_live_peaks_peak"),
    )
    op.create_table(
        "live_intents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "application_id",
            sa.Integer(),
            sa.ForeignKey("applications.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "session_id",
            sa.Integer(),
            sa.ForeignKey("live_sessions.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column(
            "fair_id", sa.Integer(), sa.ForeignKey("fairs.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column(
            "marked_by", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("application_id", name="uq_live_intents_application"),
    )
    op.create_index("ix_live_intents_session", "live_intents", ["session_id"])
    op.create_index("ix_live_intents_fair", "live_intents", ["fair_id"])


def downgrade():
    op.drop_index("ix_live_intents_fair", table_name="live_intents")
    op.drop_index("ix_live_intents_session", table_name="live_intents")
    op.drop_table("live_intents")
    op.drop_table("live_peaks")
    with op.batch_alter_table("live_session_views") as batch:
        batch.drop_column("visits")
    op.drop_table("notification_preferences")
    op.drop_index("ix_notifications_digest_pending", table_name="notifications")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_constraint("ck_notifications_digest_state", type_="check")
        batch.drop_column("digest_state")
        batch.drop_column("in_centre")
