"""Priority-group work: targets, placements, case files, households, follow-ups.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TARGET_KINDS = (
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


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _user_fk(name: str, nullable: bool = True, ondelete: str = "SET NULL") -> sa.Column:
    return sa.Column(
        name, sa.Integer(), sa.ForeignKey("users.id", ondelete=ondelete), nullable=nullable
    )


def upgrade():
    op.create_table(
        "case_workers",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk("user_id", nullable=False, ondelete="CASCADE"),
        sa.Column("districts", sa.JSON(), nullable=False),
        sa.Column("is_supervisor", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("user_id", name="uq_case_workers_user_id"),
    )
    op.create_table(
        "casework_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("campaign_start", sa.Date(), nullable=True),
        sa.Column("campaign_end", sa.Date(), nullable=True),
        sa.Column("plan_days", sa.Integer(), nullable=True),
        sa.Column("household_deadline_days", sa.Integer(), nullable=True),
        _user_fk("updated_by"),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "casework_targets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("district", sa.String(50), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("goal", sa.Integer(), nullable=False),
        _user_fk("worker_id"),
        sa.Column("note", sa.String(500), nullable=False),
        _user_fk("created_by"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("year", "district", "kind", name="uq_targets_year_district_kind"),
        sa.CheckConstraint(_in("kind", TARGET_KINDS), name="ck_targets_kind"),
        sa.CheckConstraint("goal > 0", name="ck_targets_goal"),
    )
    op.create_index("ix_casework_targets_year", "casework_targets", ["year"])
    op.create_index("ix_casework_targets_worker_id", "casework_targets", ["worker_id"])

    op.create_table(
        "casework_placements",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk("seeker_id", nullable=False, ondelete="CASCADE"),
        sa.Column("district", sa.String(50), nullable=False),
        sa.Column("employer_name", sa.String(100), nullable=False),
        sa.Column("job_title", sa.String(100), nullable=False),
        sa.Column("placed_on", sa.Date(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        _user_fk("recorded_by"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_casework_placements_seeker_id", "casework_placements", ["seeker_id"])
    op.create_index("ix_casework_placements_district", "casework_placements", ["district"])
    op.create_index("ix_casework_placements_placed_on", "casework_placements", ["placed_on"])

    op.create_table(
        "case_files",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk("seeker_id", nullable=False, ondelete="CASCADE"),
        sa.Column("district", sa.String(50), nullable=False),
        _user_fk("worker_id"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column("plan_paths", sa.JSON(), nullable=False),
        sa.Column("plan_note", sa.Text(), nullable=False),
        sa.Column("plan_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("outcome_note", sa.String(500), nullable=False),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        _user_fk("created_by"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("seeker_id", name="uq_case_files_seeker_id"),
        sa.CheckConstraint(
            _in("status", ("open", "in_progress", "employed", "closed")),
            name="ck_case_files_status",
        ),
    )
    op.create_index("ix_case_files_worker_id", "case_files", ["worker_id"])
    op.create_index("ix_case_files_district_status", "case_files", ["district", "status"])

    op.create_table(
        "case_contacts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("case_files.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("contact_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        _user_fk("recorded_by"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_case_contacts_case_id", "case_contacts", ["case_id"])

    op.create_table(
        "case_recommendations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("case_files.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "position_id",
            sa.Integer(),
            sa.ForeignKey("positions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("recommended_on", sa.Date(), nullable=False),
        sa.Column("response", sa.String(16), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        _user_fk("recorded_by"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            _in("response", ("no_answer", "interested", "applied", "declined")),
            name="ck_case_rec_resp",
        ),
    )
    op.create_index("ix_case_recommendations_case_id", "case_recommendations", ["case_id"])

    op.create_table(
        "case_trainings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("case_files.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("course", sa.String(100), nullable=False),
        sa.Column("provider", sa.String(100), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("result", sa.String(200), nullable=False),
        _user_fk("recorded_by"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_case_trainings_case_id", "case_trainings", ["case_id"])

    op.create_table(
        "employment_follow_ups",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk("seeker_id", nullable=False, ondelete="CASCADE"),
        sa.Column("hired_on", sa.Date(), nullable=False),
        sa.Column("day_mark", sa.Integer(), nullable=False),
        sa.Column("still_employed", sa.Boolean(), nullable=False),
        _user_fk("recorded_by"),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("seeker_id", "hired_on", "day_mark", name="uq_follow_ups_mark"),
        sa.CheckConstraint("day_mark IN (30, 90, 180)", name="ck_follow_ups_mark"),
        sa.CheckConstraint(_in("source", ("case_worker", "seeker")), name="ck_follow_ups_source"),
    )
    op.create_index("ix_employment_follow_ups_seeker_id", "employment_follow_ups", ["seeker_id"])

    op.create_table(
        "households",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("district", sa.String(50), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("identified_on", sa.Date(), nullable=False),
        sa.Column("deadline_days", sa.Integer(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_reason", sa.String(200), nullable=False),
        sa.Column("escalated_at", sa.DateTime(), nullable=True),
        _user_fk("created_by"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("deadline_days > 0", name="ck_households_deadline"),
    )
    op.create_index("ix_households_district_closed", "households", ["district", "closed_on"])

    op.create_table(
        "household_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "household_id",
            sa.Integer(),
            sa.ForeignKey("households.id", ondelete="CASCADE"),
            nullable=False,
        ),
        _user_fk("seeker_id"),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("relation", sa.String(20), nullable=False),
    )
    op.create_index("ix_household_members_household_id", "household_members", ["household_id"])
    op.create_index("ix_household_members_seeker_id", "household_members", ["seeker_id"])

    op.create_table(
        "household_referrals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "household_id",
            sa.Integer(),
            sa.ForeignKey("households.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("round_no", sa.Integer(), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        _user_fk("recorded_by"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("household_id", "round_no", name="uq_household_referral_round"),
    )
    op.create_index("ix_household_referrals_household_id", "household_referrals", ["household_id"])
    op.create_table(
        "household_referral_positions",
        sa.Column(
            "referral_id",
            sa.Integer(),
            sa.ForeignKey("household_referrals.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "position_id",
            sa.Integer(),
            sa.ForeignKey("positions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )


def downgrade():
    for name in (
        "household_referral_positions",
        "household_referrals",
        "household_members",
        "households",
        "employment_follow_ups",
        "case_trainings",
        "case_recommendations",
        "case_contacts",
        "case_files",
        "casework_placements",
        "casework_targets",
        "casework_settings",
        "case_workers",
    ):
        op.drop_table(name)
