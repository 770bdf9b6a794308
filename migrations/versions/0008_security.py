"""Security hardening: re-authentication time on login sessions; sensitive personal
information encrypted at rest (priority groups with a blind index, case-file free text).

Uses the running app's keys (JOBFAIR_DATA_KEYS / JOBFAIR_BLIND_INDEX_KEY, see
jobfair/crypto.py): run `flask db upgrade` with the production keys set.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from flask import current_app

from jobfair.crypto import rewrite_rows

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# table -> encrypted free-text columns (all keyed by "id")
CASEWORK_TEXT = {
    "casework_placements": ["evidence"],
    "case_files": ["needs", "plan_note", "outcome_note"],
    "case_contacts": ["summary"],
    "case_recommendations": ["note"],
    "employment_follow_ups": ["note"],
    "household_referrals": ["note"],
}
WIDENED = {  # were String(500): ciphertext is longer than the text it protects
    "case_files": ["outcome_note"],
    "case_recommendations": ["note"],
    "employment_follow_ups": ["note"],
    "household_referrals": ["note"],
}
GROUPS = (
    "graduate",
    "displaced_worker",
    "rural_migrant",
    "veteran",
    "urban_hardship",
    "zero_employment_household",
    "retired_fisher",
    "registered_poor",
)


def _ring():
    return current_app.extensions["keyring"]


def upgrade():
    with op.batch_alter_table("login_sessions") as batch:
        batch.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))

    for table, columns in WIDENED.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, type_=sa.Text(), existing_nullable=False)
    conn = op.get_bind()
    ring = _ring()
    for table, columns in CASEWORK_TEXT.items():
        rewrite_rows(conn, ring, table, ["id"], columns)

    op.create_table(
        "seeker_groups_enc",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("group_key", sa.String(length=64), nullable=False),
        sa.Column("group_secret", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["profile_id"], ["seeker_profiles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("profile_id", "group_key", name="pk_seeker_groups_enc"),
    )
    old = sa.table("seeker_groups", sa.column("profile_id"), sa.column("group_code"))
    new = sa.table(
        "seeker_groups_enc",
        sa.column("profile_id"),
        sa.column("group_key"),
        sa.column("group_secret"),
    )
    rows = conn.execute(sa.select(old.c.profile_id, old.c.group_code)).all()
    if rows:
        conn.execute(
            new.insert(),
            [
                {
                    "profile_id": pid,
                    "group_key": ring.blind_index(code),
                    "group_secret": ring.encrypt(code),
                }
                for pid, code in rows
            ],
        )
    op.drop_table("seeker_groups")
    op.rename_table("seeker_groups_enc", "seeker_groups")
    op.create_index("ix_seeker_groups_group_key", "seeker_groups", ["group_key"])


def downgrade():
    conn = op.get_bind()
    ring = _ring()
    op.drop_index("ix_seeker_groups_group_key", table_name="seeker_groups")
    op.rename_table("seeker_groups", "seeker_groups_enc")
    op.create_table(
        "seeker_groups",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("group_code", sa.String(length=30), nullable=False),
        sa.CheckConstraint(
            "group_code IN (" + ", ".join(f"'{g}'" for g in GROUPS) + ")", name="ck_sg_group"
        ),
        sa.ForeignKeyConstraint(["profile_id"], ["seeker_profiles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("profile_id", "group_code"),
    )
    enc = sa.table("seeker_groups_enc", sa.column("profile_id"), sa.column("group_secret"))
    rows = conn.execute(sa.select(enc.c.profile_id, enc.c.group_secret)).all()
    if rows:
        plain = sa.table("seeker_groups", sa.column("profile_id"), sa.column("group_code"))
        conn.execute(
            plain.insert(),
            [{"profile_id": p, "group_code": ring.decrypt(s)} for p, s in rows],
        )
    op.drop_table("seeker_groups_enc")
    op.create_index("ix_seeker_groups_group_code", "seeker_groups", ["group_code"])

    t_cols = {
        t: [sa.column("id"), *(sa.column(c) for c in cols)] for t, cols in CASEWORK_TEXT.items()
    }
    for table, columns in CASEWORK_TEXT.items():
        t = sa.table(table, *t_cols[table])
        for row in conn.execute(sa.select(*t.c)).mappings().all():
            values = {c: None if row[c] is None else ring.decrypt(row[c]) for c in columns}
            conn.execute(sa.update(t).where(t.c.id == row["id"]).values(**values))
    for table, columns in WIDENED.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, type_=sa.String(length=500), existing_nullable=False)

    with op.batch_alter_table("login_sessions") as batch:
        batch.drop_column("confirmed_at")
