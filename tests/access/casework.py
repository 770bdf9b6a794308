"""Access matrix entries for the casework feature (targets, case files, households).

The matrix's organiser is not a case worker: case files, households, placements, follow-ups
and supervisor pages answer 403 to it; targets (aggregate numbers) are open to organisers.
"""

from datetime import date

from jobfair.database import writing
from jobfair.extensions import db

LOGIN, OK = "login", "ok"
ORGANISER_ONLY = (LOGIN, 403, 403, OK)
CASE_WORKER_ONLY = (LOGIN, 403, 403, 403)
SEEKER_ONLY = (LOGIN, OK, 403, 403)

_ORGANISER = [
    "home",
    "targets",
    "new_target",
    "target_detail",
    "edit_target",
    "export_targets",
]
_CASE_WORKER = [
    ("cases", "GET"),
    ("new_case", "GET"),
    ("new_case", "POST"),
    ("export_cases", "GET"),
    ("case_detail", "GET"),
    ("update_case", "POST"),
    ("add_contact", "POST"),
    ("add_recommendation", "POST"),
    ("set_response", "POST"),
    ("add_training", "POST"),
    ("add_placement", "POST"),
    ("add_follow_up", "POST"),
    ("placements", "GET"),
    ("fishers", "GET"),
    ("households", "GET"),
    ("new_household", "GET"),
    ("new_household", "POST"),
    ("household_detail", "GET"),
    ("add_referral", "POST"),
    ("workers", "GET"),
    ("workers", "POST"),
    ("remove_worker", "POST"),
    ("settings", "GET"),
    ("settings", "POST"),
    ("access_log", "GET"),
]

ENTRIES = {
    ("casework.home", "GET"): ORGANISER_ONLY,
    ("casework.targets", "GET"): ORGANISER_ONLY,
    ("casework.new_target", "GET"): ORGANISER_ONLY,
    ("casework.new_target", "POST"): ORGANISER_ONLY,
    ("casework.target_detail", "GET"): ORGANISER_ONLY,
    ("casework.edit_target", "GET"): ORGANISER_ONLY,
    ("casework.edit_target", "POST"): ORGANISER_ONLY,
    ("casework.export_targets", "GET"): ORGANISER_ONLY,
    **{(f"casework.{name}", method): CASE_WORKER_ONLY for name, method in _CASE_WORKER},
    ("casework.mine", "GET"): SEEKER_ONLY,
    ("casework.confirm_follow_up", "POST"): SEEKER_ONLY,
    # API
    ("api_casework.summary", "GET"): ORGANISER_ONLY,
    ("api_casework.list_targets", "GET"): ORGANISER_ONLY,
    ("api_casework.create_target", "POST"): ORGANISER_ONLY,
    ("api_casework.get_target", "GET"): ORGANISER_ONLY,
    ("api_casework.update_target", "PUT"): ORGANISER_ONLY,
    ("api_casework.target_progress", "GET"): ORGANISER_ONLY,
    ("api_casework.export_targets", "GET"): ORGANISER_ONLY,
    ("api_casework.list_placements", "GET"): CASE_WORKER_ONLY,
    ("api_casework.create_placement", "POST"): CASE_WORKER_ONLY,
    ("api_casework.list_cases", "GET"): CASE_WORKER_ONLY,
    ("api_casework.create_case", "POST"): CASE_WORKER_ONLY,
    ("api_casework.export_cases", "GET"): CASE_WORKER_ONLY,
    ("api_casework.get_case", "GET"): CASE_WORKER_ONLY,
    ("api_casework.update_case", "PATCH"): CASE_WORKER_ONLY,
    ("api_casework.list_contacts", "GET"): CASE_WORKER_ONLY,
    ("api_casework.add_contact", "POST"): CASE_WORKER_ONLY,
    ("api_casework.add_recommendation", "POST"): CASE_WORKER_ONLY,
    ("api_casework.add_training", "POST"): CASE_WORKER_ONLY,
    ("api_casework.fishers", "GET"): CASE_WORKER_ONLY,
    ("api_casework.list_households", "GET"): CASE_WORKER_ONLY,
    ("api_casework.create_household", "POST"): CASE_WORKER_ONLY,
    ("api_casework.get_household", "GET"): CASE_WORKER_ONLY,
    ("api_casework.add_referral", "POST"): CASE_WORKER_ONLY,
    ("api_casework.list_follow_ups", "GET"): CASE_WORKER_ONLY,
    ("api_casework.record_follow_up", "POST"): SEEKER_ONLY,
    ("api_casework.mine", "GET"): SEEKER_ONLY,
    # 认定, 登记, 离职, walk-ins, household decisions, figures
    **{
        (f"records.{name}", method): CASE_WORKER_ONLY
        for name, method in (
            ("seeker_records", "GET"),
            ("pending", "GET"),
            ("verify_status", "POST"),
            ("revoke_status", "POST"),
            ("open_unemployment", "POST"),
            ("end_unemployment", "POST"),
            ("register_employment", "POST"),
            ("walk_in", "GET"),
            ("walk_in", "POST"),
            ("answer_referral", "POST"),
            ("fallback", "POST"),
            ("figures", "GET"),
        )
    },
    **{
        (f"api_outcomes.{name}", method): CASE_WORKER_ONLY
        for name, method in (
            ("seeker_records", "GET"),
            ("pending_verifications", "GET"),
            ("verify_status", "POST"),
            ("revoke_status", "POST"),
            ("open_unemployment", "POST"),
            ("end_unemployment", "POST"),
            ("register_employment", "POST"),
            ("walk_in", "POST"),
            ("answer_referral", "POST"),
            ("fallback", "POST"),
            ("figures", "GET"),
        )
    },
    ("api_outcomes.employment_rules", "GET"): (LOGIN, OK, OK, OK),
    # Another person's employment: only its employer, its seeker and the district's case
    # workers may end it; everyone else is told it does not exist.
    ("records.end_employment", "POST"): (LOGIN, 404, 404, 404),
    ("api_employments.end_employment", "POST"): (LOGIN, 404, 404, 404),
    ("records.my_employments", "GET"): SEEKER_ONLY,
    ("records.employer_employments", "GET"): (LOGIN, 403, OK, 403),
    ("api_employments.my_employments", "GET"): (LOGIN, OK, OK, 404),
}


def ids(app, ctx) -> dict:
    """A supervisor case worker, a target, a case file with a recommendation, a household."""
    from jobfair.models import (
        CaseFile,
        CaseRecommendation,
        CaseWorker,
        EmploymentRegistration,
        Household,
        HouseholdMember,
        SeekerGroup,
        SeekerProfile,
        Target,
        UnemploymentRegistration,
    )

    supervisor = ctx["make_user"](role="organiser")
    seeker = ctx["make_user"](name="档案对象")
    with app.app_context(), writing():
        cw = CaseWorker(user_id=supervisor.id, districts=[], is_supervisor=True)
        profile = SeekerProfile(
            user_id=seeker.id,
            name="档案对象",
            phone=seeker.phone,
            districts=["江宁区"],
            residence_district="江宁区",
            group_consent=True,
        )
        profile.groups = [SeekerGroup(group="urban_hardship")]
        target = Target(
            year=date.today().year,
            district="江宁区",
            kind="hardship",
            goal=10,
            worker_id=supervisor.id,
        )
        case = CaseFile(seeker_id=seeker.id, district="江宁区", worker_id=supervisor.id)
        hh = Household(
            district="江宁区", label="测试家庭", identified_on=date.today(), deadline_days=30
        )
        hh.members = [HouseholdMember(name="档案对象", relation="户主", seeker_id=seeker.id)]
        db.session.add_all([cw, profile, target, case, hh])
        db.session.flush()
        rec = CaseRecommendation(
            case_id=case.id, position_id=ctx["published"].id, recommended_on=date.today()
        )
        unemployment = UnemploymentRegistration(
            seeker_id=seeker.id, registered_on=date.today(), place="江宁区公共就业服务中心"
        )
        employment = EmploymentRegistration(
            seeker_id=seeker.id,
            employer_name="某公司",
            job_title="保安",
            started_on=date.today(),
            contract_type="fixed_term",
            source="placement",
        )
        db.session.add_all([rec, unemployment, employment])
        db.session.commit()
        return {
            "seeker_id": seeker.id,
            "group": "urban_hardship",
            "round_no": 1,
            "unemployment_id": unemployment.id,
            "reg_id": employment.id,
            "target_id": target.id,
            "case_id": case.id,
            "rec_id": rec.id,
            "household_id": hh.id,
            "worker_id": cw.id,
        }
