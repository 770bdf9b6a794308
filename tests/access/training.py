"""Access matrix entries of the 技能超市 (training) and 创业扶持 (start-ups).

The matrix's organiser is not a case worker: referrals from case files, case files' skill
gaps and start-up cases answer 403 to it. The enrolment, the start-up case, its loan belong to
another seeker (404 to the signed-in seeker: it does not exist for them).
"""

from datetime import date, timedelta

LOGIN, OK = "login", "ok"
PUBLIC = (OK, OK, OK, OK)
SEEKER_ONLY = (LOGIN, OK, 403, 403)
ORGANISER_ONLY = (LOGIN, 403, 403, OK)
CASE_WORKER_ONLY = (LOGIN, 403, 403, 403)
OTHER_SEEKERS = (LOGIN, 404, 403, 403)
NOT_YOURS = (LOGIN, 404, 404, 404)
CERTIFICATE = (LOGIN, 404, 404, OK)  # the person's own, or an organiser

ENTRIES = {
    ("training.index", "GET"): PUBLIC,
    ("training.course", "GET"): PUBLIC,
    ("training.enrol", "POST"): SEEKER_ONLY,
    ("training.withdraw", "POST"): OTHER_SEEKERS,
    ("training.mine", "GET"): SEEKER_ONLY,
    ("training.certificate", "GET"): CERTIFICATE,
    ("training.new_course", "GET"): ORGANISER_ONLY,
    ("training.new_course", "POST"): ORGANISER_ONLY,
    ("training.edit_course", "GET"): ORGANISER_ONLY,
    ("training.edit_course", "POST"): ORGANISER_ONLY,
    ("training.roster", "GET"): ORGANISER_ONLY,
    ("training.record_result", "POST"): ORGANISER_ONLY,
    ("training.case_training", "GET"): CASE_WORKER_ONLY,
    ("training.refer", "POST"): CASE_WORKER_ONLY,
    ("training.referral_list", "GET"): ORGANISER_ONLY,
    ("training.outcome_report", "GET"): ORGANISER_ONLY,
    ("training.outcome_export", "GET"): ORGANISER_ONLY,
    ("api_training.list_courses", "GET"): PUBLIC,
    ("api_training.get_course", "GET"): PUBLIC,
    ("api_training.create_course", "POST"): ORGANISER_ONLY,
    ("api_training.update_course", "PUT"): ORGANISER_ONLY,
    ("api_training.enrol", "POST"): SEEKER_ONLY,
    ("api_training.course_roster", "GET"): ORGANISER_ONLY,
    ("api_training.my_enrolments", "GET"): SEEKER_ONLY,
    ("api_training.withdraw", "POST"): NOT_YOURS,
    ("api_training.record_result", "POST"): ORGANISER_ONLY,
    ("api_training.certificate", "GET"): CERTIFICATE,
    ("api_training.my_skill_gaps", "GET"): SEEKER_ONLY,
    ("api_training.list_referrals", "GET"): (LOGIN, OK, 403, 403),
    ("api_training.case_skill_gaps", "GET"): CASE_WORKER_ONLY,
    ("api_training.case_referrals", "GET"): CASE_WORKER_ONLY,
    ("api_training.refer", "POST"): CASE_WORKER_ONLY,
    ("api_training.outcome_report", "GET"): ORGANISER_ONLY,
    # start-ups
    ("startups.mine", "GET"): SEEKER_ONLY,
    ("startups.mine", "POST"): SEEKER_ONLY,
    ("startups.detail", "GET"): OTHER_SEEKERS,
    ("startups.update", "POST"): OTHER_SEEKERS,
    ("startups.apply_loan", "POST"): OTHER_SEEKERS,
    ("startups.decide_loan", "POST"): CASE_WORKER_ONLY,
    ("startups.assign_mentor", "POST"): CASE_WORKER_ONLY,
    ("startups.register", "POST"): CASE_WORKER_ONLY,
    ("startups.close", "POST"): CASE_WORKER_ONLY,
    ("startups.add_follow_up", "POST"): CASE_WORKER_ONLY,
    ("startups.index", "GET"): CASE_WORKER_ONLY,
    ("startups.new", "GET"): CASE_WORKER_ONLY,
    ("startups.new", "POST"): CASE_WORKER_ONLY,
    ("startups.mentor_list", "GET"): ORGANISER_ONLY,
    ("startups.mentor_list", "POST"): ORGANISER_ONLY,
    ("startups.report", "GET"): ORGANISER_ONLY,
    ("startups.report_export", "GET"): ORGANISER_ONLY,
    # The signed-in test seeker has no start-up case of their own: 404 says so.
    ("api_startups.my_startup", "GET"): (LOGIN, 404, 403, 403),
    ("api_startups.open_case", "POST"): (LOGIN, OK, 403, 403),
    ("api_startups.list_cases", "GET"): CASE_WORKER_ONLY,
    ("api_startups.get_case", "GET"): OTHER_SEEKERS,
    ("api_startups.update_case", "PUT"): OTHER_SEEKERS,
    ("api_startups.apply_loan", "POST"): OTHER_SEEKERS,
    ("api_startups.assign_mentor", "POST"): CASE_WORKER_ONLY,
    ("api_startups.register", "POST"): CASE_WORKER_ONLY,
    ("api_startups.close", "POST"): CASE_WORKER_ONLY,
    ("api_startups.add_follow_up", "POST"): CASE_WORKER_ONLY,
    ("api_startups.decide_loan", "POST"): CASE_WORKER_ONLY,
    ("api_startups.list_mentors", "GET"): ORGANISER_ONLY,
    ("api_startups.create_mentor", "POST"): ORGANISER_ONLY,
    ("api_startups.update_mentor", "PUT"): ORGANISER_ONLY,
    ("api_startups.report", "GET"): ORGANISER_ONLY,
}


def ids(app, ctx) -> dict:
    """A course with a completed enrolment of another seeker; that seeker's start-up case in
    江宁区 with a loan; a mentor."""
    from jobfair.database import writing
    from jobfair.extensions import db
    from jobfair.models import Course, Enrolment, Mentor, StartupCase, StartupLoan

    other = ctx["make_user"](name="学员甲")
    today = date.today()
    with app.app_context(), writing():
        course = Course(
            title="叉车司机（N1）",
            provider="测试培训学校",
            district="江宁区",
            skills=["叉车"],
            occupation_codes=[],
            hours=40,
            starts_on=today + timedelta(days=10),
            ends_on=today + timedelta(days=20),
            seats=30,
            enrolled=1,
        )
        mentor = Mentor(name="王导师", districts=[])
        db.session.add_all([course, mentor])
        db.session.flush()
        enrolment = Enrolment(
            course_id=course.id,
            seeker_id=other.id,
            status="completed",
            completed_on=today,
            certificate_no="PX-ACCESS-1",
        )
        startup = StartupCase(seeker_id=other.id, district="江宁区", business_name="测试小店")
        db.session.add_all([enrolment, startup])
        db.session.flush()
        loan = StartupLoan(
            startup_id=startup.id,
            amount=100000,
            term_months=24,
            guarantee="fund",
            bank="测试银行",
            annual_rate_bp=345,
        )
        db.session.add(loan)
        db.session.commit()
        return {
            "course_id": course.id,
            "enrolment_id": enrolment.id,
            "startup_id": startup.id,
            "loan_id": loan.id,
            "mentor_id": mentor.id,
        }
