"""Policy catalogue versions, subsidy applications (one live claim per subject, policy and
period), their history and payments.

Revision ID: 0014_policies
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_policies"
down_revision = "0013"
branch_labels = None
depends_on = None

STATUSES = ("submitted", "returned", "approved", "rejected", "paid", "withdrawn")
SUBJECTS = ("person", "employer", "position")


def _in(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _user_fk(name: str, index: bool = False) -> sa.Column:
    return sa.Column(
        name,
        sa.Integer(),
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
        index=index,
    )


def upgrade():
    op.create_table(
        "policy_catalogues",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("city_code", sa.String(12), nullable=False, index=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("source_name", sa.String(200), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("reverted_from", sa.Integer(), nullable=True),
        _user_fk("created_by"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("city_code", "version", name="uq_policy_catalogues_version"),
        sa.CheckConstraint("version > 0", name="ck_policy_catalogues_version"),
    )
    op.create_table(
        "subsidy_applications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("policy_code", sa.String(40), nullable=False, index=True),
        sa.Column("policy_name", sa.String(100), nullable=False),
        sa.Column(
            "catalogue_id",
            sa.Integer(),
            sa.ForeignKey("policy_catalogues.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("period_key", sa.String(10), nullable=False),
        _user_fk("applicant_id", index=True),
        sa.Column("applicant_role", sa.String(16), nullable=False),
        sa.Column(
            "employer_id",
            sa.Integer(),
            sa.ForeignKey("employers.id", ondelete="SET NULL"),
            nullable=True,
            index=True,
        ),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        _user_fk("person_id", index=True),
        sa.Column("subject_label", sa.String(100), nullable=False),
        sa.Column("district", sa.String(50), nullable=False, index=True),
        sa.Column("facts_json", sa.Text(), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=True),
        sa.Column("amount_working", sa.String(500), nullable=False),
        sa.Column("approved_fen", sa.Integer(), nullable=True),
        sa.Column("paid_fen", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claim_open", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("review_reason", sa.String(500), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        _user_fk("decided_by"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint(
            "policy_code",
            "period_key",
            "subject_kind",
            "subject_id",
            "claim_open",
            name="uq_subsidy_claim_once",
        ),
        sa.CheckConstraint(_in("status", STATUSES), name="ck_subsidy_status"),
        sa.CheckConstraint(_in("subject_kind", SUBJECTS), name="ck_subsidy_subject"),
        sa.CheckConstraint("applicant_role IN ('seeker', 'employer')", name="ck_subsidy_role"),
        sa.CheckConstraint("amount_fen IS NULL OR amount_fen >= 0", name="ck_subsidy_amount"),
        sa.CheckConstraint(
            "approved_fen IS NULL OR approved_fen >= 0", name="ck_subsidy_approved_amount"
        ),
        sa.CheckConstraint("paid_fen >= 0", name="ck_subsidy_paid"),
        sa.CheckConstraint("claim_open IS NULL OR claim_open = true", name="ck_subsidy_claim_open"),
    )
    op.create_index("ix_subsidy_status_decided", "subsidy_applications", ["status", "decided_at"])
    op.create_table(
        "subsidy_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "application_id",
            sa.Integer(),
            sa.ForeignKey("subsidy_applications.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        _user_fk("actor_id"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "subsidy_payments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "application_id",
            sa.Integer(),
            sa.ForeignKey("subsidy_applications.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False, index=True),
        sa.Column("reference", sa.String(60), nullable=False),
        _user_fk("recorded_by"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("amount_fen > 0", name="ck_subsidy_payments_amount"),
        sa.UniqueConstraint("application_id", "reference", name="uq_subsidy_payments_reference"),
    )


def downgrade():
    op.drop_table("subsidy_payments")
    op.drop_table("subsidy_events")
    op.drop_index("ix_subsidy_status_decided", table_name="subsidy_applications")
    op.drop_table("subsidy_applications")
    op.drop_table("policy_catalogues")
