"""Security hardening: re-authentication time on login sessions; sensitive personal
information encrypted at rest (priority groups with a blind index, 认定 evidence notes,
case-file free text).

Uses the running app's keys (JOBFAIR_DATA_KEYS / JOBFAIR_BLIND_INDEX_KEY, see
jobfair/crypto.py): run `flask db upgrade` with the production keys set.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op
from flask import current_app

from jobfair.crypto import rewrite_rows

revision = "0012"
down_revision = "0011"
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


STATUS = (
    "evidence_type",
    "evidence_note",
    "verified_by",
    "verified_at",
    "verified_on",
    "valid_until",
)


def _status_columns(fk_name: str) -> list:
    """The 认定 columns of seeker_groups (0010), carried over when the table is rebuilt."""
    return [
        sa.Column("evidence_type", sa.String(30), nullable=False, server_default=""),
        sa.Column("evidence_note", sa.Text(), nullable=False, server_default=""),
        sa.Column(
            "verified_by",
            sa.Integer(),
            sa.ForeignKey("users.id", name=fk_name, ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
    ]


def _status_names() -> list:
    return [sa.column(c) for c in STATUS]


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
        *_status_columns("fk_seeker_groups_enc_verified_by"),
        sa.ForeignKeyConstraint(["profile_id"], ["seeker_profiles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("profile_id", "group_key", name="pk_seeker_groups_enc"),
    )
    old = sa.table(
        "seeker_groups", sa.column("profile_id"), sa.column("group_code"), *_status_names()
    )
    new = sa.table(
        "seeker_groups_enc",
        sa.column("profile_id"),
        sa.column("group_key"),
        sa.column("group_secret"),
        *_status_names(),
    )
    rows = conn.execute(sa.select(*old.c)).mappings().all()
    if rows:
        conn.execute(
            new.insert(),
            [
                {
                    "profile_id": row["profile_id"],
                    "group_key": ring.blind_index(row["group_code"]),
                    "group_secret": ring.encrypt(row["group_code"]),
                    **{c: row[c] for c in STATUS},
                    "evidence_note": ring.encrypt(row["evidence_note"] or ""),
                }
                for row in rows
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
        *_status_columns("fk_seeker_groups_verified_by"),
        sa.CheckConstraint(
            "group_code IN (" + ", ".join(f"'{g}'" for g in GROUPS) + ")", name="ck_sg_group"
        ),
        sa.ForeignKeyConstraint(["profile_id"], ["seeker_profiles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("profile_id", "group_code"),
    )
    enc = sa.table(
        "seeker_groups_enc", sa.column("profile_id"), sa.column("group_secret"), *_status_names()
    )
    rows = conn.execute(sa.select(*enc.c)).mappings().all()
    if rows:
        plain = sa.table(
            "seeker_groups", sa.column("profile_id"), sa.column("group_code"), *_status_names()
        )
        conn.execute(
            plain.insert(),
            [
                {
                    "profile_id": row["profile_id"],
                    "group_code": ring.decrypt(row["group_secret"]),
                    **{c: row[c] for c in STATUS},
                    "evidence_note": ring.decrypt(row["evidence_note"] or ""),
                }
                for row in rows
            ],
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
