"""Live layer: chat messages, questions, announcements, pins, booth queues, 1:1 chats, moderation.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ACTIVE = sa.text("status IN ('waiting', 'called', 'in_chat')")


def upgrade():
    op.create_table(
        "live_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_kind", sa.String(length=16), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("body", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("room_kind IN ('session', 'chat')", name="ck_live_messages_room_kind"),
        sa.ForeignKeyConstraint(["deleted_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "client_id", name="uq_live_messages_client"),
    )
    op.create_index(
        "ix_live_messages_room", "live_messages", ["room_kind", "room_id", "id"], unique=False
    )
    op.create_index(
        "ix_live_messages_user_time", "live_messages", ["user_id", "created_at"], unique=False
    )
    op.create_table(
        "live_fair_visits",
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["fair_id"], ["fairs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("fair_id", "user_id"),
    )
    op.create_index(
        op.f("ix_live_fair_visits_user_id"), "live_fair_visits", ["user_id"], unique=False
    )
    op.create_table(
        "live_message_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'resolved', 'dismissed')", name="ck_live_reports_status"
        ),
        sa.ForeignKeyConstraint(["message_id"], ["live_messages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reporter_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["resolved_by"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id", "reporter_id", name="uq_live_reports_once"),
    )
    op.create_index(
        "ix_live_reports_status", "live_message_reports", ["status", "id"], unique=False
    )
    op.create_table(
        "live_restrictions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=True),
        sa.Column("until", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('mute', 'ban')", name="ck_live_restrictions_kind"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["fair_id"], ["fairs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_live_restrictions_user", "live_restrictions", ["user_id", "until"], unique=False
    )
    op.create_table(
        "live_announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("body", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "fair_id IS NOT NULL OR session_id IS NOT NULL", name="ck_live_announcements_scope"
        ),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["fair_id"], ["fairs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("author_id", "client_id", name="uq_live_announcements_client"),
    )
    op.create_index(
        "ix_live_announcements_fair", "live_announcements", ["fair_id", "id"], unique=False
    )
    op.create_index(
        "ix_live_announcements_session", "live_announcements", ["session_id", "id"], unique=False
    )
    op.create_table(
        "live_pinned_positions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("pinned_by", sa.Integer(), nullable=True),
        sa.Column("pinned_at", sa.DateTime(), nullable=False),
        sa.Column("unpinned_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "fair_id IS NOT NULL OR session_id IS NOT NULL", name="ck_live_pins_scope"
        ),
        sa.ForeignKeyConstraint(["fair_id"], ["fairs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pinned_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["position_id"], ["positions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_live_pins_fair", "live_pinned_positions", ["fair_id", "unpinned_at"], unique=False
    )
    op.create_index(
        "ix_live_pins_session", "live_pinned_positions", ["session_id", "unpinned_at"], unique=False
    )
    op.create_table(
        "live_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("body", sa.String(length=500), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["answered_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["deleted_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "client_id", name="uq_live_questions_client"),
    )
    op.create_index(
        "ix_live_questions_session", "live_questions", ["session_id", "id"], unique=False
    )
    op.create_index(
        "ix_live_questions_user_time", "live_questions", ["user_id", "created_at"], unique=False
    )
    op.create_table(
        "live_queue_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booth_id", sa.Integer(), nullable=False),
        sa.Column("seeker_user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.Column("called_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("rep_user_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('waiting', 'called', 'in_chat', 'done', 'left', 'skipped')",
            name="ck_live_queue_status",
        ),
        sa.ForeignKeyConstraint(["booth_id"], ["booths.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["rep_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["seeker_user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_live_queue_booth_status",
        "live_queue_entries",
        ["booth_id", "status", "id"],
        unique=False,
    )
    op.create_index(
        "ix_live_queue_seeker_status",
        "live_queue_entries",
        ["seeker_user_id", "status"],
        unique=False,
    )
    op.create_index(
        "uq_live_queue_active",
        "live_queue_entries",
        ["booth_id", "seeker_user_id"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    op.create_table(
        "live_session_views",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id", "user_id"),
    )
    op.create_table(
        "live_applications",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["fair_id"], ["fairs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("application_id"),
    )
    op.create_index(
        op.f("ix_live_applications_fair_id"), "live_applications", ["fair_id"], unique=False
    )
    op.create_index(
        op.f("ix_live_applications_session_id"), "live_applications", ["session_id"], unique=False
    )
    op.create_table(
        "live_interview_chats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booth_id", sa.Integer(), nullable=False),
        sa.Column("queue_entry_id", sa.Integer(), nullable=True),
        sa.Column("seeker_user_id", sa.Integer(), nullable=False),
        sa.Column("rep_user_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("next_step", sa.String(length=16), nullable=True),
        sa.Column("position_id", sa.Integer(), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("handed_to_user_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "next_step IS NULL OR next_step IN ('none', 'interview', 'handover')",
            name="ck_live_chat_next",
        ),
        sa.CheckConstraint(
            "rating IS NULL OR (rating >= 1 AND rating <= 4)", name="ck_live_chat_rating"
        ),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["booth_id"], ["booths.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["handed_to_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["position_id"], ["positions.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["queue_entry_id"], ["live_queue_entries.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["rep_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["seeker_user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_live_chats_booth", "live_interview_chats", ["booth_id", "started_at"], unique=False
    )
    op.create_index(
        "ix_live_chats_rep", "live_interview_chats", ["rep_user_id", "ended_at"], unique=False
    )
    op.create_index(
        "ix_live_chats_seeker", "live_interview_chats", ["seeker_user_id", "ended_at"], unique=False
    )
    op.create_table(
        "live_question_votes",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["live_questions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("question_id", "user_id"),
    )


def downgrade():
    op.drop_table("live_question_votes")
    op.drop_index("ix_live_chats_seeker", table_name="live_interview_chats")
    op.drop_index("ix_live_chats_rep", table_name="live_interview_chats")
    op.drop_index("ix_live_chats_booth", table_name="live_interview_chats")
    op.drop_table("live_interview_chats")
    op.drop_index(op.f("ix_live_applications_session_id"), table_name="live_applications")
    op.drop_index(op.f("ix_live_applications_fair_id"), table_name="live_applications")
    op.drop_table("live_applications")
    op.drop_table("live_session_views")
    op.drop_index("uq_live_queue_active", table_name="live_queue_entries")
    op.drop_index("ix_live_queue_seeker_status", table_name="live_queue_entries")
    op.drop_index("ix_live_queue_booth_status", table_name="live_queue_entries")
    op.drop_table("live_queue_entries")
    op.drop_index("ix_live_questions_user_time", table_name="live_questions")
    op.drop_index("ix_live_questions_session", table_name="live_questions")
    op.drop_table("live_questions")
    op.drop_index("ix_live_pins_session", table_name="live_pinned_positions")
    op.drop_index("ix_live_pins_fair", table_name="live_pinned_positions")
    op.drop_table("live_pinned_positions")
    op.drop_index("ix_live_announcements_session", table_name="live_announcements")
    op.drop_index("ix_live_announcements_fair", table_name="live_announcements")
    op.drop_table("live_announcements")
    op.drop_index("ix_live_restrictions_user", table_name="live_restrictions")
    op.drop_table("live_restrictions")
    op.drop_index("ix_live_reports_status", table_name="live_message_reports")
    op.drop_table("live_message_reports")
    op.drop_index(op.f("ix_live_fair_visits_user_id"), table_name="live_fair_visits")
    op.drop_table("live_fair_visits")
    op.drop_index("ix_live_messages_user_time", table_name="live_messages")
    op.drop_index("ix_live_messages_room", table_name="live_messages")
    op.drop_table("live_messages")
