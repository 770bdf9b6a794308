"""Per-room sequence numbers of chat messages and announcements (gap detection, paged backfill).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("live_messages") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
    with op.batch_alter_table("live_announcements") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
    # Number what exists in the order it was written.
    op.execute(
        "UPDATE live_messages SET seq = (SELECT COUNT(*) FROM live_messages AS o"
        " WHERE o.room_kind = live_messages.room_kind AND o.room_id = live_messages.room_id"
        " AND o.id <= live_messages.id)"
    )
    op.execute(
        "UPDATE live_announcements SET seq = (SELECT COUNT(*) FROM live_announcements AS o"
        " WHERE ((live_announcements.fair_id IS NOT NULL AND o.fair_id = live_announcements.fair_id)"
        " OR (live_announcements.fair_id IS NULL AND o.fair_id IS NULL"
        " AND o.session_id = live_announcements.session_id))"
        " AND o.id <= live_announcements.id)"
    )
    with op.batch_alter_table("live_messages") as batch:
        batch.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch.create_index("uq_live_messages_seq", ["room_kind", "room_id", "seq"], unique=True)
    with op.batch_alter_table("live_announcements") as batch:
        batch.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch.create_index("ix_live_announcements_fair_seq", ["fair_id", "seq"])
        batch.create_index("ix_live_announcements_session_seq", ["session_id", "seq"])


def downgrade():
    with op.batch_alter_table("live_announcements") as batch:
        batch.drop_index("ix_live_announcements_session_seq")
        batch.drop_index("ix_live_announcements_fair_seq")
        batch.drop_column("seq")
    with op.batch_alter_table("live_messages") as batch:
        batch.drop_index("uq_live_messages_seq")
        batch.drop_column("seq")
