"""Access matrix entries of the policy catalogue and subsidies; version_id is a stored
catalogue version, application_id a subsidy application of another seeker."""

OK, LOGIN = "ok", "login"
PUBLIC = (OK, OK, OK, OK)
ORGANISER_ONLY = (LOGIN, 403, 403, OK)
SEEKER_ONLY = (LOGIN, OK, 403, 403)
EMPLOYER_ONLY = (LOGIN, 403, OK, 403)
APPLICANTS = (LOGIN, OK, OK, 403)
CHECKERS = (LOGIN, OK, OK, OK)
SOMEONE_ELSES = (LOGIN, 404, 404, OK)  # organisers review every application
SOMEONE_ELSES_ACTION = (LOGIN, 404, 404, 403)
EMPLOYER_POLICY = (LOGIN, 403, OK, 403)  # hire_once is for employers

ENTRIES = {
    ("policies.index", "GET"): PUBLIC,
    ("policies.detail", "GET"): PUBLIC,
    ("policies.manage", "GET"): ORGANISER_ONLY,
    ("policies.upload", "POST"): ORGANISER_ONLY,
    ("policies.version", "GET"): ORGANISER_ONLY,
    ("policies.download", "GET"): ORGANISER_ONLY,
    ("policies.revert", "POST"): ORGANISER_ONLY,
    ("api_policies.list_policies", "GET"): PUBLIC,
    ("api_policies.get_policy", "GET"): PUBLIC,
    ("api_policies.list_versions", "GET"): ORGANISER_ONLY,
    ("api_policies.replace_catalogue", "POST"): ORGANISER_ONLY,
    ("api_policies.revert_catalogue", "POST"): ORGANISER_ONLY,
    ("api_policies.check", "POST"): CHECKERS,
    ("api_policies.prospects", "GET"): SEEKER_ONLY,
    ("api_policies.hire_prospects", "GET"): EMPLOYER_ONLY,
    ("subsidies.check_page", "GET"): CHECKERS,
    ("subsidies.mine", "GET"): APPLICANTS,
    ("subsidies.new", "GET"): EMPLOYER_POLICY,
    ("subsidies.apply", "POST"): EMPLOYER_POLICY,
    ("subsidies.detail", "GET"): SOMEONE_ELSES,
    ("subsidies.resubmit", "POST"): SOMEONE_ELSES_ACTION,
    ("subsidies.withdraw", "POST"): SOMEONE_ELSES_ACTION,
    ("subsidies.queue", "GET"): ORGANISER_ONLY,
    ("subsidies.decide", "POST"): ORGANISER_ONLY,
    ("subsidies.pay", "POST"): ORGANISER_ONLY,
    ("subsidies.report", "GET"): ORGANISER_ONLY,
    ("subsidies.report_export", "GET"): ORGANISER_ONLY,
    ("api_subsidies.list_applications", "GET"): CHECKERS,
    ("api_subsidies.form", "GET"): EMPLOYER_POLICY,
    ("api_subsidies.apply", "POST"): APPLICANTS,
    ("api_subsidies.get_application", "GET"): SOMEONE_ELSES,
    ("api_subsidies.resubmit", "POST"): SOMEONE_ELSES_ACTION,
    ("api_subsidies.withdraw", "POST"): SOMEONE_ELSES_ACTION,
    ("api_subsidies.decide", "POST"): ORGANISER_ONLY,
    ("api_subsidies.pay", "POST"): ORGANISER_ONLY,
    ("api_subsidies.report", "GET"): ORGANISER_ONLY,
}


def ids(app, ctx) -> dict:
    from jobfair.database import writing
    from jobfair.extensions import db
    from jobfair.models import SubsidyApplication
    from jobfair.policies import store

    with app.app_context(), writing():
        row = store.store_seed()
        db.session.flush()
        application = SubsidyApplication(
            policy_code="flexible_insurance",
            policy_name="灵活就业社会保险补贴",
            catalogue_id=row.id,
            period_key="2026",
            applicant_id=ctx["seeker_owner"].id,
            applicant_role="seeker",
            subject_kind="person",
            subject_id=ctx["seeker_owner"].id,
            person_id=ctx["seeker_owner"].id,
            subject_label="李建国",
            district="江宁区",
            amount_fen=600000,
        )
        db.session.add(application)
        db.session.commit()
        return {
            "code": "hire_once",
            "version_id": row.id,
            "application_id": application.id,
            "export_format": "csv",
        }
