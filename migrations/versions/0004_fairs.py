"""Fairs, booths, registrations, scheduled live sessions and employer rep accounts.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

GROUPS = (
    "'graduate', 'displaced_worker', 'rural_migrant', 'veteran', 'urban_hardship', "
    "'zero_employment_household', 'retired_fisher', 'registered_poor'"
)


def upgrade():
    op.create_table(
        "fairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("theme", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("eligibility_group", sa.String(length=30), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'published', 'closed')", name="ck_fairs_status"),
        sa.CheckConstraint("ends_at > starts_at", name="ck_fairs_times"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 1", name="ck_fairs_capacity"),
        sa.CheckConstraint(
            f"eligibility_group IS NULL OR eligibility_group IN ({GROUPS})",
            name="ck_fairs_eligibility",
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_fairs_public", "fairs", ["status", "starts_at"], unique=False)

    op.create_table(
        "fair_groups",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("group_code", sa.String(length=30), nullable=False),
        sa.CheckConstraint(f"group_code IN ({GROUPS})", name="ck_fg_group"),
        sa.ForeignKeyConstraint(["fair_id"], ["fairs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("fair_id", "group_code"),
    )
    op.create_index("ix_fair_groups_group_code", "fair_groups", ["group_code"], unique=False)

    op.create_table(
        "booths",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decline_reason", sa.String(length=500), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("chat_minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'declined')", name="ck_booths_status"
        ),
        sa.CheckConstraint(
            "chat_minutes >= 1 AND chat_minutes <= 60", name="ck_booths_chat_minutes"
        ),
        sa.ForeignKeyConstraint(["fair_id"], ["fairs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["employer_id"], ["employers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fair_id", "employer_id", name="uq_booths_fair_employer"),
    )
    op.create_index("ix_booths_fair_id", "booths", ["fair_id"], unique=False)
    op.create_index("ix_booths_employer_id", "booths", ["employer_id"], unique=False)

    op.create_table(
        "booth_positions",
        sa.Column("booth_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["booth_id"], ["booths.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["position_id"], ["positions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("booth_id", "position_id"),
    )
    op.create_index(
        "ix_booth_positions_position_id", "booth_positions", ["position_id"], unique=False
    )

    op.create_table(
        "fair_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("seeker_user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["fair_id"], ["fairs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["seeker_user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fair_id", "seeker_user_id", name="uq_fair_registrations_seeker"),
    )
    op.create_index(
        "ix_fair_registrations_fair_id", "fair_registrations", ["fair_id"], unique=False
    )
    op.create_index(
        "ix_fair_registrations_seeker_user_id",
        "fair_registrations",
        ["seeker_user_id"],
        unique=False,
    )

    op.create_table(
        "live_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("host_user_id", sa.Integer(), nullable=True),
        sa.Column("stream_url", sa.String(length=500), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('scheduled', 'live', 'ended')", name="ck_live_sessions_status"
        ),
        sa.CheckConstraint("ends_at > starts_at", name="ck_live_sessions_times"),
        sa.ForeignKeyConstraint(["fair_id"], ["fairs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["host_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_live_sessions_fair_start", "live_sessions", ["fair_id", "starts_at"], unique=False
    )
    op.create_index(
        "ix_live_sessions_host_user_id", "live_sessions", ["host_user_id"], unique=False
    )

    op.create_table(
        "live_session_employers",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["employer_id"], ["employers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id", "employer_id"),
    )
    op.create_index(
        "ix_live_session_employers_employer_id",
        "live_session_employers",
        ["employer_id"],
        unique=False,
    )

    op.create_table(
        "employer_reps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["employer_id"], ["employers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id"),
    )
    op.create_index("ix_employer_reps_employer_id", "employer_reps", ["employer_id"], unique=False)


def downgrade():
    op.drop_table("employer_reps")
    op.drop_table("live_session_employers")
    op.drop_table("live_sessions")
    op.drop_table("fair_registrations")
    op.drop_table("booth_positions")
    op.drop_table("booths")
    op.drop_table("fair_groups")
    op.drop_table("fairs")
