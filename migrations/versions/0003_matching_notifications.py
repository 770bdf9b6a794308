"""Matching index state, recommendation log and in-site notifications.

Revision ID: 0003
Revises: 0002
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    state = op.create_table(
        "match_index_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_index_state")),
    )
    op.bulk_insert(
        state, [{"id": 1, "version": 0, "updated_at": datetime.now(UTC).replace(tzinfo=None)}]
    )
    op.create_table(
        "match_index_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_index_changes")),
    )
    op.create_index("ix_match_index_changes_version", "match_index_changes", ["version"])

    op.create_table(
        "recommendation_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seeker_user_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "source IN ('home', 'push', 'talent', 'priority')",
            name="ck_recommendation_log_source",
        ),
        sa.ForeignKeyConstraint(
            ["seeker_user_id"],
            ["users.id"],
            ondelete="CASCADE",
            name="fk_recommendation_log_seeker_user_id_users",
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["positions.id"],
            ondelete="CASCADE",
            name="fk_recommendation_log_position_id_positions",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_recommendation_log"),
    )
    op.create_index(
        "ix_recommendation_log_seeker_created",
        "recommendation_log",
        ["seeker_user_id", "created_at"],
    )
    op.create_index("ix_recommendation_log_position_id", "recommendation_log", ["position_id"])
    op.create_index("ix_recommendation_log_created_at", "recommendation_log", ["created_at"])

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=True),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], ondelete="CASCADE", name="fk_notifications_user_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
    )
    op.create_index("ix_notifications_user_read", "notifications", ["user_id", "read_at"])
    op.create_index("ix_notifications_created_at", "notifications", ["created_at"])


def downgrade():
    op.drop_index("ix_notifications_created_at", table_name="notifications")
    op.drop_index("ix_notifications_user_read", table_name="notifications")
    op.drop_table("notifications")
    op.drop_index("ix_recommendation_log_created_at", table_name="recommendation_log")
    op.drop_index("ix_recommendation_log_position_id", table_name="recommendation_log")
    op.drop_index("ix_recommendation_log_seeker_created", table_name="recommendation_log")
    op.drop_table("recommendation_log")
    op.drop_index("ix_match_index_changes_version", table_name="match_index_changes")
    op.drop_table("match_index_changes")
    op.drop_table("match_index_state")
