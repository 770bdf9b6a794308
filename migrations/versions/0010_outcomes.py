"""Outcome figures: 认定 of status, residence, 失业/就业登记, immutable outcome records,
household answers; one 就业困难人员再就业 target kind.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OLD_KINDS = (
    "urban_unemployed",
    "hardship",
    "graduate",
    "displaced_worker",
    "rural_migrant",
    "veteran",
    "urban_hardship",
    "zero_employment_household",
    "retired_fisher",
    "registered_poor",
)
NEW_KINDS = (
    "new_employment",
    "urban_unemployed",
    "hardship",
    "households_cleared",
    "graduate",
    "displaced_worker",
    "rural_migrant",
    "veteran",
    "zero_employment_household",
    "retired_fisher",
    "registered_poor",
)
SOURCES = ("platform_hire", "placement", "follow_up")
CONTRACTS = (
    "open_ended",
    "fixed_term",
    "task",
    "part_time",
    "dispatch",
    "flexible",
    "self_employed",
    "public_welfare",
    "none",
)
OUTCOME_KINDS = ("employment", "reversal", "household_cleared", "household_reopened")
ANSWERS = ("pending", "accepted", "declined_reason", "declined", "no_contact")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _user_fk(name: str, ondelete: str = "SET NULL", nullable: bool = True) -> sa.Column:
    return sa.Column(
        name, sa.Integer(), sa.ForeignKey("users.id", ondelete=ondelete), nullable=nullable
    )


def upgrade():
    # One kind for people in hardship: 就业困难人员就业 folds into 就业困难人员再就业
    # (where a district already has both, the hardship target stays and the duplicate goes).
    op.execute(
        "DELETE FROM casework_targets WHERE kind = 'urban_hardship' AND EXISTS ("
        "SELECT 1 FROM casework_targets t2 WHERE t2.kind = 'hardship' "
        "AND t2.year = casework_targets.year AND t2.district = casework_targets.district)"
    )
    op.execute("UPDATE casework_targets SET kind = 'hardship' WHERE kind = 'urban_hardship'")
    with op.batch_alter_table("casework_targets") as batch:
        batch.drop_constraint("ck_targets_kind", type_="check")
        batch.create_check_constraint("ck_targets_kind", _in("kind", NEW_KINDS))

    with op.batch_alter_table("seeker_profiles") as batch:
        batch.add_column(
            sa.Column("hukou_district", sa.String(50), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("residence_district", sa.String(50), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("residence_street", sa.String(50), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("consent_note", sa.String(500), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column(
                "registered_by",
                sa.Integer(),
                sa.ForeignKey(
                    "users.id", name="fk_seeker_profiles_registered_by", ondelete="SET NULL"
                ),
                nullable=True,
            )
        )
        batch.create_index("ix_seeker_profiles_residence_district", ["residence_district"])
    with op.batch_alter_table("seeker_groups") as batch:
        batch.add_column(
            sa.Column("evidence_type", sa.String(30), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("evidence_note", sa.Text(), nullable=False, server_default=""))
        batch.add_column(
            sa.Column(
                "verified_by",
                sa.Integer(),
                sa.ForeignKey("users.id", name="fk_seeker_groups_verified_by", ondelete="SET NULL"),
                nullable=True,
            )
        )
        batch.add_column(sa.Column("verified_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("verified_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("valid_until", sa.Date(), nullable=True))

    op.create_table(
        "outcome_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_key", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("district", sa.String(50), nullable=False),
        sa.Column("street", sa.String(50), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("new_employment", sa.Boolean(), nullable=False),
        sa.Column("reemployment", sa.Boolean(), nullable=False),
        sa.Column("hardship", sa.Boolean(), nullable=False),
        sa.Column("work_form", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("within_days", sa.Integer(), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), sa.ForeignKey("outcome_records.id"), nullable=True),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(_in("kind", OUTCOME_KINDS), name="ck_outcomes_kind"),
    )
    op.create_index("ix_outcome_records_person_key", "outcome_records", ["person_key"])
    # What counted stays counted: the database itself refuses to change a record (corrections
    # are new rows). Deletion is refused by the application (the test harness empties tables).
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION outcome_records_immutable() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'outcome records are immutable; add a correcting record'; "
            "END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER outcome_records_no_update BEFORE UPDATE ON outcome_records "
            "FOR EACH ROW EXECUTE FUNCTION outcome_records_immutable()"
        )
    else:
        op.execute(
            "CREATE TRIGGER outcome_records_no_update BEFORE UPDATE ON outcome_records "
            "BEGIN SELECT RAISE(ABORT, 'outcome records are immutable; add a correcting record'); "
            "END"
        )
    op.create_index("ix_outcomes_period_district", "outcome_records", ["period", "district"])

    op.create_table(
        "unemployment_registrations",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk("seeker_id", "CASCADE", nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(100), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(200), nullable=False),
        _user_fk("recorded_by"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index(
        "ix_unemployment_registrations_seeker_id", "unemployment_registrations", ["seeker_id"]
    )

    op.create_table(
        "employment_registrations",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk("seeker_id", "CASCADE", nullable=False),
        sa.Column(
            "application_id",
            sa.Integer(),
            sa.ForeignKey("applications.id", ondelete="SET NULL"),
            nullable=True,
            unique=True,
        ),
        sa.Column(
            "employer_id",
            sa.Integer(),
            sa.ForeignKey("employers.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("employer_name", sa.String(100), nullable=False),
        sa.Column("job_title", sa.String(100), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("contract_type", sa.String(20), nullable=False),
        sa.Column("work_form", sa.String(16), nullable=False),
        sa.Column("social_insurance", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("evidence_note", sa.Text(), nullable=False),
        sa.Column("fallback", sa.Boolean(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(200), nullable=False),
        _user_fk("ended_by"),
        sa.Column("ended_role", sa.String(16), nullable=False),
        sa.Column("outcome_id", sa.Integer(), sa.ForeignKey("outcome_records.id"), nullable=True),
        _user_fk("recorded_by"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(_in("source", SOURCES), name="ck_emp_reg_source"),
        sa.CheckConstraint(_in("contract_type", CONTRACTS), name="ck_emp_reg_contract"),
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ck_emp_reg_dates"),
    )
    op.create_index(
        "ix_employment_registrations_seeker_id", "employment_registrations", ["seeker_id"]
    )
    op.create_index(
        "ix_employment_registrations_employer_id", "employment_registrations", ["employer_id"]
    )

    with op.batch_alter_table("casework_settings") as batch:
        batch.add_column(sa.Column("refusal_limit", sa.Integer(), nullable=True))
    with op.batch_alter_table("households") as batch:
        batch.add_column(
            sa.Column(
                "closed_by_registration_id",
                sa.Integer(),
                sa.ForeignKey(
                    "employment_registrations.id",
                    name="fk_households_closed_by_registration",
                    ondelete="SET NULL",
                ),
                nullable=True,
            )
        )
        batch.add_column(
            sa.Column(
                "cleared_outcome_id",
                sa.Integer(),
                sa.ForeignKey("outcome_records.id", name="fk_households_cleared_outcome"),
                nullable=True,
            )
        )
        batch.add_column(
            sa.Column("reopened_count", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("household_referrals") as batch:
        batch.add_column(
            sa.Column("answer", sa.String(20), nullable=False, server_default="pending")
        )
        batch.add_column(
            sa.Column("answer_reason", sa.String(200), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("answered_on", sa.Date(), nullable=True))
        batch.create_check_constraint("ck_household_ref_answer", _in("answer", ANSWERS))


def downgrade():
    with op.batch_alter_table("household_referrals") as batch:
        batch.drop_constraint("ck_household_ref_answer", type_="check")
        batch.drop_column("answered_on")
        batch.drop_column("answer_reason")
        batch.drop_column("answer")
    with op.batch_alter_table("households") as batch:
        batch.drop_constraint("fk_households_cleared_outcome", type_="foreignkey")
        batch.drop_constraint("fk_households_closed_by_registration", type_="foreignkey")
        batch.drop_column("reopened_count")
        batch.drop_column("cleared_outcome_id")
        batch.drop_column("closed_by_registration_id")
    with op.batch_alter_table("casework_settings") as batch:
        batch.drop_column("refusal_limit")
    op.drop_table("employment_registrations")
    op.drop_table("unemployment_registrations")
    op.execute(
        "DROP TRIGGER IF EXISTS outcome_records_no_update"
        + (" ON outcome_records" if op.get_bind().dialect.name == "postgresql" else "")
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS outcome_records_immutable()")
    op.drop_table("outcome_records")
    with op.batch_alter_table("seeker_groups") as batch:
        batch.drop_constraint("fk_seeker_groups_verified_by", type_="foreignkey")
        for col in (
            "valid_until",
            "verified_on",
            "verified_at",
            "verified_by",
            "evidence_note",
            "evidence_type",
        ):
            batch.drop_column(col)
    with op.batch_alter_table("seeker_profiles") as batch:
        batch.drop_index("ix_seeker_profiles_residence_district")
        batch.drop_constraint("fk_seeker_profiles_registered_by", type_="foreignkey")
        for col in (
            "registered_by",
            "consent_note",
            "residence_street",
            "residence_district",
            "hukou_district",
        ):
            batch.drop_column(col)
    with op.batch_alter_table("casework_targets") as batch:
        batch.drop_constraint("ck_targets_kind", type_="check")
        batch.create_check_constraint(
            "ck_targets_kind", _in("kind", tuple(k for k in NEW_KINDS if k in OLD_KINDS))
        )
