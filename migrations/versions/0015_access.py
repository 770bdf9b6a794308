"""适老化 mode remembered per account, and the form of address a seeker chose.

Revision ID: 0015_access
Revises: 0014_policies
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_access"
down_revision = "0014_policies"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("elder_mode", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        # '' = not chosen yet (shown by name only: a form of address is never guessed).
        batch.add_column(sa.Column("address_form", sa.String(8), nullable=False, server_default=""))
        batch.create_check_constraint(
            "ck_users_address_form", "address_form IN ('', 'name', 'mr', 'ms')"
        )


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("ck_users_address_form", type_="check")
        batch.drop_column("address_form")
        batch.drop_column("elder_mode")
