"""Training (技能超市: courses, enrolments, referrals) and start-up support (创业导师, start-up
cases, 创业担保贷款, follow-ups).

Revision ID: 0015_training
Revises: 0014_policies
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_training"
down_revision = "0014_policies"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "startup_mentors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("title", sa.String(length=50), nullable=False),
        sa.Column("organisation", sa.String(length=100), nullable=False),
        sa.Column("expertise", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("districts", sa.JSON(), nullable=False),
        sa.Column("max_cases", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("max_cases >= 1", name="ck_mentors_max_cases"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "startup_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("district", sa.String(length=20), nullable=False),
        sa.Column("business_name", sa.String(length=100), nullable=False),
        sa.Column("business_kind", sa.String(length=16), nullable=False),
        sa.Column("sector", sa.String(length=50), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("returning_home", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("employees", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=True),
        sa.Column("mentor_assigned_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "business_kind IN ('individual', 'company', 'cooperative', 'family_farm')",
            name="ck_startups_kind",
        ),
        sa.CheckConstraint(
            "status != 'registered' OR (credit_code IS NOT NULL AND registered_on IS NOT NULL)",
            name="ck_startups_registered",
        ),
        sa.CheckConstraint(
            "status IN ('preparing', 'registered', 'closed')", name="ck_startups_status"
        ),
        sa.CheckConstraint("employees >= 0", name="ck_startups_employees"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["mentor_id"], ["startup_mentors.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["seeker_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("credit_code"),
        sa.UniqueConstraint("seeker_id"),
    )
    with op.batch_alter_table("startup_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_startup_cases_district"), ["district"], unique=False)
        batch_op.create_index(batch_op.f("ix_startup_cases_mentor_id"), ["mentor_id"], unique=False)

    op.create_table(
        "training_courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("provider", sa.String(length=100), nullable=False),
        sa.Column("district", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("occupation_codes", sa.JSON(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("enrolled", sa.Integer(), nullable=False),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.Column("certificate", sa.String(length=16), nullable=False),
        sa.Column("subsidy_note", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "certificate IN ('skill_level', 'special', 'training')", name="ck_courses_certificate"
        ),
        sa.CheckConstraint("status IN ('open', 'closed', 'cancelled')", name="ck_courses_status"),
        sa.CheckConstraint("ends_on >= starts_on", name="ck_courses_dates"),
        sa.CheckConstraint("enrolled >= 0 AND enrolled <= seats", name="ck_courses_enrolled"),
        sa.CheckConstraint("fee >= 0", name="ck_courses_fee"),
        sa.CheckConstraint("hours >= 1 AND hours <= 2000", name="ck_courses_hours"),
        sa.CheckConstraint("seats >= 1 AND seats <= 10000", name="ck_courses_seats"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("training_courses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_courses_district"), ["district"], unique=False
        )
        batch_op.create_index(
            "ix_training_courses_status_start", ["status", "starts_on"], unique=False
        )

    op.create_table(
        "startup_follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("followed_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("operating", sa.String(length=16), nullable=False),
        sa.Column("employees", sa.Integer(), nullable=False),
        sa.Column("by_mentor", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "operating IN ('operating', 'difficult', 'stopped')", name="ck_sfu_operating"
        ),
        sa.CheckConstraint("employees >= 0", name="ck_sfu_employees"),
        sa.ForeignKeyConstraint(["recorded_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["startup_id"], ["startup_cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("startup_follow_ups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_startup_follow_ups_startup_id"), ["startup_id"], unique=False
        )

    op.create_table(
        "startup_loans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("guarantee", sa.String(length=16), nullable=False),
        sa.Column("guarantor", sa.Text(), nullable=False),
        sa.Column("bank", sa.String(length=100), nullable=False),
        sa.Column("annual_rate_bp", sa.Integer(), nullable=False),
        sa.Column("interest_subsidy", sa.Integer(), nullable=False),
        sa.Column("subsidy_basis", sa.String(length=300), nullable=False),
        sa.Column("policy_code", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decision_reason", sa.String(length=300), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("disbursed_on", sa.Date(), nullable=True),
        sa.Column("submitted_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "guarantee IN ('fund', 'guarantor', 'credit')", name="ck_loans_guarantee"
        ),
        sa.CheckConstraint(
            "status IN ('submitted', 'approved', 'rejected', 'disbursed', 'settled')",
            name="ck_loans_status",
        ),
        sa.CheckConstraint("amount > 0", name="ck_loans_amount"),
        sa.CheckConstraint("annual_rate_bp >= 0 AND annual_rate_bp <= 2400", name="ck_loans_rate"),
        sa.CheckConstraint("interest_subsidy >= 0", name="ck_loans_subsidy"),
        sa.CheckConstraint("term_months >= 1 AND term_months <= 36", name="ck_loans_term"),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["startup_id"], ["startup_cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["submitted_by"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("startup_loans", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_startup_loans_startup_id"), ["startup_id"], unique=False
        )
        batch_op.create_index(
            "uq_startup_loans_live",
            ["startup_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('submitted', 'approved', 'disbursed')"),
            postgresql_where=sa.text("status IN ('submitted', 'approved', 'disbursed')"),
        )

    op.create_table(
        "training_referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("position_id", sa.Integer(), nullable=True),
        sa.Column("skill", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("referred_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "source != 'case_file' OR case_id IS NOT NULL", name="ck_referrals_case_file"
        ),
        sa.CheckConstraint("source IN ('case_file', 'skill_gap')", name="ck_referrals_source"),
        sa.ForeignKeyConstraint(["case_id"], ["case_files.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["course_id"], ["training_courses.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["position_id"], ["positions.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["referred_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["seeker_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("seeker_id", "course_id", name="uq_referrals_seeker_course"),
    )
    with op.batch_alter_table("training_referrals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_referrals_case_id"), ["case_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_referrals_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_referrals_seeker_id"), ["seeker_id"], unique=False
        )

    op.create_table(
        "training_enrolments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("hours_attended", sa.Integer(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("certificate_no", sa.String(length=40), nullable=True),
        sa.Column("result_note", sa.String(length=200), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status != 'completed' OR completed_on IS NOT NULL", name="ck_enrolments_completed"
        ),
        sa.CheckConstraint(
            "status IN ('enrolled', 'withdrawn', 'completed', 'not_completed')",
            name="ck_enrolments_status",
        ),
        sa.CheckConstraint(
            "hours_attended IS NULL OR hours_attended >= 0", name="ck_enrolments_hours"
        ),
        sa.ForeignKeyConstraint(["course_id"], ["training_courses.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["referral_id"], ["training_referrals.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["seeker_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("certificate_no"),
        sa.UniqueConstraint("course_id", "seeker_id", name="uq_enrolments_course_seeker"),
    )
    with op.batch_alter_table("training_enrolments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_enrolments_completed_on"), ["completed_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_enrolments_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_enrolments_seeker_id"), ["seeker_id"], unique=False
        )


def downgrade():
    for table in (
        "training_enrolments",
        "training_referrals",
        "startup_loans",
        "startup_follow_ups",
        "training_courses",
        "startup_cases",
        "startup_mentors",
    ):
        op.drop_table(table)
