"""Access matrix entries of the policy catalogue and subsidies; version_id is a stored
catalogue version."""

OK, LOGIN = "ok", "login"
PUBLIC = (OK, OK, OK, OK)
ORGANISER_ONLY = (LOGIN, 403, 403, OK)

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
}


def ids(app, ctx) -> dict:
    from jobfair.database import writing
    from jobfair.extensions import db
    from jobfair.policies import store

    with app.app_context(), writing():
        row = store.store_seed()
        db.session.commit()
        return {"code": "hire_once", "version_id": row.id}
