"""适老化 mode remembered per account, and the form of address a seeker chose.

Revision ID: 0018_access
Revises: 0017_livecare
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_access"
down_revision = "0017_livecare"
branch_labels = None
depends_on = None


CHECK = "address_form IN ('', 'name', 'mr', 'ms')"


def upgrade():
    # Columns are added in place. A batch copy of `users` would drop the old table, and with
    # SQLite's foreign keys on that deletes every row that cascades from a user (profiles,
    # applications, case files...). SQLite takes the CHECK inline with ADD COLUMN.
    op.add_column(
        "users", sa.Column("elder_mode", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    # '' = not chosen yet (shown by name only: a form of address is never guessed).
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE users ADD COLUMN address_form VARCHAR(8) NOT NULL DEFAULT '' "
            f"CONSTRAINT ck_users_address_form CHECK ({CHECK})"
        )
    else:
        op.add_column(
            "users", sa.Column("address_form", sa.String(8), nullable=False, server_default="")
        )
        op.create_check_constraint("ck_users_address_form", "users", CHECK)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("ck_users_address_form", "users", type_="check")
    # SQLite (3.35+) drops a column whose own CHECK is its only use in place.
    op.drop_column("users", "address_form")
    op.drop_column("users", "elder_mode")
