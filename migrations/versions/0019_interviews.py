"""Scheduled interviews, invitations, the after-fair survey, booth chat capacity, who opened an
application and what each timeline entry is.

Revision ID: 0019_interviews
Revises: 0018_access
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_interviews"
down_revision = "0018_access"
branch_labels = None
depends_on = None

LIVE_INVITE_NOTE = "直播面谈中由招聘方邀请面试"


def upgrade():
    # Plain ADD COLUMN, never a batch copy: on SQLite a batch drops and recreates the table,
    # and dropping booths or applications would cascade to their queue entries, chats and
    # timeline rows.
    _add_checked_column(
        "booths",
        "max_chats",
        "INTEGER NOT NULL DEFAULT 2",
        sa.Column("max_chats", sa.Integer(), nullable=False, server_default="2"),
        "ck_booths_max_chats",
        "max_chats >= 1 AND max_chats <= 5",
    )
    _add_checked_column(
        "applications",
        "origin",
        "VARCHAR(16) NOT NULL DEFAULT 'seeker'",
        sa.Column("origin", sa.String(16), nullable=False, server_default="seeker"),
        "ck_applications_origin",
        "origin IN ('seeker', 'invitation', 'employer')",
    )
    op.add_column("application_events", sa.Column("kind", sa.String(24), nullable=True))
    # Applications a rep opened in a live chat were written as if the seeker had applied with
    # the system's words as their note: give the words to the system and say who opened it.
    note = sa.bindparam("note", LIVE_INVITE_NOTE)
    op.execute(
        sa.text(
            "UPDATE application_events SET actor_id = NULL, note = :note"
            " WHERE from_status IS NULL AND application_id IN"
            " (SELECT id FROM applications WHERE note = :note)"
        ).bindparams(note)
    )
    op.execute(
        sa.text(
            "UPDATE applications SET origin = 'employer', note = '' WHERE note = :note"
        ).bindparams(note)
    )

    op.create_table(
        "scheduled_interviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "application_id",
            sa.Integer(),
            sa.ForeignKey("applications.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "seeker_user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "employer_id",
            sa.Integer(),
            sa.ForeignKey("employers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "created_by",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column(
            "chat_id",
            sa.Integer(),
            sa.ForeignKey("live_interview_chats.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("video_url", sa.String(500), nullable=False),
        sa.Column("contact_name", sa.String(30), nullable=False),
        sa.Column("contact_phone", sa.String(20), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("seeker_reply", sa.String(500), nullable=False),
        sa.Column("replied_at", sa.DateTime(), nullable=True),
        sa.Column("reminded_at", sa.DateTime(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "mode IN ('onsite', 'video_link', 'platform')", name="ck_interviews_mode"
        ),
        sa.CheckConstraint(
            "status IN ('proposed', 'accepted', 'reschedule', 'declined', 'cancelled')",
            name="ck_interviews_status",
        ),
        sa.CheckConstraint("minutes >= 10 AND minutes <= 480", name="ck_interviews_minutes"),
        sa.CheckConstraint("mode != 'onsite' OR place != ''", name="ck_interviews_place"),
        sa.CheckConstraint("mode != 'video_link' OR video_url != ''", name="ck_interviews_url"),
    )
    open_sql = sa.text("status IN ('proposed', 'accepted', 'reschedule')")
    op.create_index(
        "uq_interviews_open",
        "scheduled_interviews",
        ["application_id"],
        unique=True,
        sqlite_where=open_sql,
        postgresql_where=open_sql,
    )
    op.create_index("ix_interviews_due", "scheduled_interviews", ["status", "starts_at"])
    op.create_index("ix_interviews_seeker", "scheduled_interviews", ["seeker_user_id", "starts_at"])
    op.create_index("ix_interviews_employer", "scheduled_interviews", ["employer_id", "starts_at"])

    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "employer_id",
            sa.Integer(),
            sa.ForeignKey("employers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "seeker_user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column(
            "position_id",
            sa.Integer(),
            sa.ForeignKey("positions.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column(
            "booth_id", sa.Integer(), sa.ForeignKey("booths.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column("target", sa.String(32), nullable=False),
        sa.Column("message", sa.String(200), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column(
            "created_by",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('apply', 'queue')", name="ck_invitations_kind"),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'cancelled')",
            name="ck_invitations_status",
        ),
        sa.CheckConstraint(
            "(kind = 'apply' AND position_id IS NOT NULL) OR (kind = 'queue' AND booth_id IS NOT NULL)",
            name="ck_invitations_target",
        ),
    )
    pending_sql = sa.text("status = 'pending'")
    op.create_index(
        "uq_invitations_pending",
        "invitations",
        ["employer_id", "seeker_user_id", "target"],
        unique=True,
        sqlite_where=pending_sql,
        postgresql_where=pending_sql,
    )
    op.create_index("ix_invitations_seeker", "invitations", ["seeker_user_id", "status"])
    op.create_index("ix_invitations_employer", "invitations", ["employer_id", "created_at"])

    op.create_table(
        "fair_surveys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "fair_id", sa.Integer(), sa.ForeignKey("fairs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column(
            "employer_id",
            sa.Integer(),
            sa.ForeignKey("employers.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("useful", sa.Integer(), nullable=False),
        sa.Column("would_return", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("fair_id", "user_id", name="uq_fair_surveys_once"),
        sa.CheckConstraint("role IN ('seeker', 'employer')", name="ck_fair_surveys_role"),
        sa.CheckConstraint("rating >= 1 AND rating <= 5", name="ck_fair_surveys_rating"),
        sa.CheckConstraint("useful >= 1 AND useful <= 5", name="ck_fair_surveys_useful"),
    )
    op.create_index("ix_fair_surveys_fair_id", "fair_surveys", ["fair_id"])


def downgrade():
    op.drop_table("fair_surveys")
    op.drop_table("invitations")
    op.drop_table("scheduled_interviews")
    for table, column, check in (
        ("application_events", "kind", None),
        ("applications", "origin", "ck_applications_origin"),
        ("booths", "max_chats", "ck_booths_max_chats"),
    ):
        if op.get_bind().dialect.name == "sqlite":
            # SQLite drops a column whose only constraint is its own CHECK in place.
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        else:
            if check:
                op.drop_constraint(check, table, type_="check")
            op.drop_column(table, column)


def _add_checked_column(table, name, sqlite_ddl, column, check_name, check_sql):
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {name} {sqlite_ddl}"
            f" CONSTRAINT {check_name} CHECK ({check_sql})"
        )
    else:
        op.add_column(table, column)
        op.create_check_constraint(check_name, table, check_sql)
