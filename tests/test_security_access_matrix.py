"""Route × role access matrix. A new route fails this test until it is listed here.

Roles: anonymous, a seeker who owns nothing, an employer who owns nothing (verified), an
organiser. Object ids in URLs belong to *another* seeker/employer, so owners-only routes must
answer 404 to everyone but organisers' own routes. Expectations:
  "ok"     access granted (any status but 401/403/404/5xx, and no redirect to the login page)
  "login"  anonymous: HTML redirects to /login, the API answers 401 JSON
  403/404  exactly that status
"""

import importlib.util
from pathlib import Path

import pytest
from conftest import sign_in

from jobfair.database import writing
from jobfair.extensions import db

OK, LOGIN = "ok", "login"
PUBLIC = (OK, OK, OK, OK)
SEEKER_ONLY = (LOGIN, OK, 403, 403)
EMPLOYER_ONLY = (LOGIN, 403, OK, 403)
ORGANISER_ONLY = (LOGIN, 403, 403, OK)
SIGNED_IN = (LOGIN, OK, OK, OK)
OTHER_EMPLOYERS = (LOGIN, 403, 404, 403)  # an employer's object, seen by another employer
OTHER_SEEKERS = (LOGIN, 404, 403, 403)  # a seeker's object, seen by another seeker

ROLES = ("anonymous", "seeker", "employer", "organiser")

MATRIX = {
    # public pages and API
    ("main.index", "GET"): PUBLIC,
    ("main.healthz", "GET"): PUBLIC,
    ("positions.index", "GET"): PUBLIC,
    ("positions.detail", "GET"): PUBLIC,
    ("static", "GET"): PUBLIC,
    ("api-docs.openapi_json", "GET"): PUBLIC,
    ("api_positions.list_positions", "GET"): PUBLIC,
    ("api_positions.get_position", "GET"): PUBLIC,
    ("api_occupations.lookup", "GET"): PUBLIC,
    # accounts
    ("auth.register", "GET"): PUBLIC,
    ("auth.register", "POST"): PUBLIC,
    ("auth.login", "GET"): PUBLIC,
    ("auth.login", "POST"): PUBLIC,
    ("auth.logout", "POST"): PUBLIC,
    ("auth.change_password", "GET"): SIGNED_IN,
    ("auth.change_password", "POST"): SIGNED_IN,
    ("auth.tokens", "GET"): SIGNED_IN,
    ("auth.confirm", "GET"): SIGNED_IN,
    ("auth.confirm", "POST"): SIGNED_IN,
    ("api_auth.confirm", "POST"): SIGNED_IN,
    ("auth.tokens", "POST"): SIGNED_IN,
    ("auth.delete_token", "POST"): (LOGIN, 404, 404, 404),
    ("api_auth.register", "POST"): PUBLIC,
    ("api_auth.login", "POST"): PUBLIC,
    ("api_auth.logout", "POST"): PUBLIC,
    ("api_auth.me", "GET"): SIGNED_IN,
    ("api_auth.new_token", "POST"): SIGNED_IN,
    # 长辈版 (适老化 mode): the switch works for everyone; the account API needs a sign-in
    ("display.settings", "GET"): PUBLIC,
    ("display.switch", "POST"): PUBLIC,
    ("api_display.get_display", "GET"): SIGNED_IN,
    ("api_display.put_display", "PUT"): SIGNED_IN,
    # seekers
    ("seekers.home", "GET"): SEEKER_ONLY,
    ("seekers.profile", "GET"): SEEKER_ONLY,
    ("seekers.profile", "POST"): SEEKER_ONLY,
    ("seekers.export", "GET"): SEEKER_ONLY,
    ("seekers.delete", "GET"): SEEKER_ONLY,
    ("seekers.delete", "POST"): SEEKER_ONLY,
    ("api_seekers.get_profile", "GET"): SEEKER_ONLY,
    ("api_seekers.put_profile", "PUT"): SEEKER_ONLY,
    ("api_seekers.export", "GET"): SEEKER_ONLY,
    ("api_seekers.delete_me", "DELETE"): SEEKER_ONLY,
    # applications
    ("applications.apply", "POST"): SEEKER_ONLY,
    ("applications.mine", "GET"): SEEKER_ONLY,
    ("applications.withdraw", "POST"): OTHER_SEEKERS,
    ("applications.applicants", "GET"): OTHER_EMPLOYERS,
    ("applications.employer_detail", "GET"): OTHER_EMPLOYERS,
    ("applications.change_status", "POST"): OTHER_EMPLOYERS,
    ("api_applications.apply", "POST"): SEEKER_ONLY,
    ("api_applications.mine", "GET"): SEEKER_ONLY,
    ("api_applications.withdraw", "POST"): OTHER_SEEKERS,
    ("api_applications.applicants", "GET"): OTHER_EMPLOYERS,
    ("api_applications.employer_detail", "GET"): OTHER_EMPLOYERS,
    ("api_applications.change_status", "POST"): OTHER_EMPLOYERS,
    # employers
    ("employers.dashboard", "GET"): EMPLOYER_ONLY,
    ("employers.profile", "GET"): EMPLOYER_ONLY,
    ("employers.profile", "POST"): EMPLOYER_ONLY,
    ("employers.positions", "GET"): EMPLOYER_ONLY,
    ("employers.export_positions", "GET"): EMPLOYER_ONLY,
    ("employers.new_position", "GET"): EMPLOYER_ONLY,
    ("employers.new_position", "POST"): EMPLOYER_ONLY,
    ("employers.position_detail", "GET"): OTHER_EMPLOYERS,
    ("employers.edit_position", "GET"): OTHER_EMPLOYERS,
    ("employers.edit_position", "POST"): OTHER_EMPLOYERS,
    ("employers.publish_position", "POST"): OTHER_EMPLOYERS,
    ("employers.close_position", "POST"): OTHER_EMPLOYERS,
    ("api_employer.get_profile", "GET"): EMPLOYER_ONLY,
    ("api_employer.put_profile", "PUT"): EMPLOYER_ONLY,
    ("api_employer.list_positions", "GET"): EMPLOYER_ONLY,
    ("api_employer.create_position", "POST"): EMPLOYER_ONLY,
    ("api_employer.get_position", "GET"): OTHER_EMPLOYERS,
    ("api_employer.patch_position", "PATCH"): OTHER_EMPLOYERS,
    ("api_employer.publish_position", "POST"): OTHER_EMPLOYERS,
    ("api_employer.close_position", "POST"): OTHER_EMPLOYERS,
    # organisers
    ("organiser.console", "GET"): ORGANISER_ONLY,
    ("organiser.employers", "GET"): ORGANISER_ONLY,
    ("organiser.employer_review", "GET"): ORGANISER_ONLY,
    ("organiser.verify_employer", "POST"): ORGANISER_ONLY,
    ("organiser.reject_employer", "POST"): ORGANISER_ONLY,
    ("organiser.held_positions", "GET"): ORGANISER_ONLY,
    ("organiser.position_review", "GET"): ORGANISER_ONLY,
    ("organiser.approve_position", "POST"): ORGANISER_ONLY,
    ("organiser.reject_position", "POST"): ORGANISER_ONLY,
    ("organiser.audit_log", "GET"): ORGANISER_ONLY,
    ("organiser.designate_public_welfare", "POST"): ORGANISER_ONLY,
    ("organiser.post_for_employer", "GET"): ORGANISER_ONLY,
    ("organiser.post_for_employer", "POST"): ORGANISER_ONLY,
    ("api_organiser.designate_public_welfare", "POST"): ORGANISER_ONLY,
    ("api_organiser.post_for_employer", "POST"): ORGANISER_ONLY,
    ("organiser.rules", "GET"): ORGANISER_ONLY,
    ("organiser.rules", "POST"): ORGANISER_ONLY,
    ("api_organiser.employers", "GET"): ORGANISER_ONLY,
    ("api_organiser.verify_employer", "POST"): ORGANISER_ONLY,
    ("api_organiser.reject_employer", "POST"): ORGANISER_ONLY,
    ("api_organiser.held_positions", "GET"): ORGANISER_ONLY,
    ("api_organiser.approve_position", "POST"): ORGANISER_ONLY,
    ("api_organiser.reject_position", "POST"): ORGANISER_ONLY,
    ("api_organiser.audit_log", "GET"): ORGANISER_ONLY,
    ("api_organiser.stats", "GET"): ORGANISER_ONLY,
    ("api_organiser.rules", "GET"): ORGANISER_ONLY,
    ("api_organiser.add_rule", "POST"): ORGANISER_ONLY,
}

# Each feature lists its own routes in tests/access/<feature>.py: ENTRIES = {(endpoint, method):
# expectation}, and optionally ids(app, ctx) -> {url argument: value} creating the objects its
# URLs need (ctx holds the world below: owner employer, published position, seeker_owner…).
ACCESS_DIR = Path(__file__).parent / "access"
FEATURES = []
for _path in sorted(ACCESS_DIR.glob("*.py")):
    _spec = importlib.util.spec_from_file_location(f"access_{_path.stem}", _path)
    _mod = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_mod)
    FEATURES.append(_mod)
    MATRIX.update(_mod.ENTRIES)

# Routes that end or delete the session run last so they do not sign the role out early.
LAST = {"auth.logout", "api_auth.logout"}


def app_routes(app) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_is_listed_in_the_matrix(app):
    routes = app_routes(app)
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert not missing, f"routes missing from the access matrix: {missing}"
    assert not stale, f"matrix lists routes that no longer exist: {stale}"


@pytest.fixture
def world(app, make_user, make_employer, make_position):
    from jobfair.models import ApiToken, Application

    owner = make_employer()
    published = make_position(employer=owner)
    held = make_position(employer=owner, status="held", title="仓库管理员")
    pending = make_employer(status="pending")
    seeker_owner = make_user()
    with app.app_context(), writing():
        application = Application(position_id=published.id, seeker_id=seeker_owner.id)
        token = ApiToken(user_id=seeker_owner.id, name="t", token_hash="x" * 64, prefix="jf_x")
        db.session.add_all([application, token])
        db.session.commit()
        ids = {"application_id": application.id, "token_id": token.id}
    ids.update(employer_id=pending.id, position_id=published.id, held_position_id=held.id)
    ctx = {
        "owner": owner,
        "published": published,
        "held": held,
        "pending_employer": pending,
        "seeker_owner": seeker_owner,
        "make_user": make_user,
        "make_employer": make_employer,
        "make_position": make_position,
    }
    for feature in FEATURES:
        if hasattr(feature, "ids"):
            ids.update(feature.ids(app, ctx))

    clients = {"anonymous": app.test_client()}
    for role, user in (
        ("seeker", make_user()),
        ("employer", make_employer().user),
        ("organiser", make_user(role="organiser")),
    ):
        clients[role] = app.test_client()
        sign_in(clients[role], user)
    return ids, clients


def build_url(app, endpoint: str, ids: dict) -> str:
    from flask import url_for

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {}
    for arg in rule.arguments:
        if arg == "filename":
            values[arg] = "css/app.css"
        elif arg == "position_id" and endpoint.startswith(("organiser.", "api_organiser.")):
            values[arg] = ids["held_position_id"]
        else:
            values[arg] = ids[arg]
    with app.test_request_context():
        return url_for(endpoint, **values)


def check(expected, resp, is_api: bool) -> bool:
    status = resp.status_code
    if status >= 500:
        return False
    to_login = status == 302 and "/login" in resp.headers.get("Location", "")
    if expected == LOGIN:
        return status == 401 if is_api else to_login
    if expected == OK:
        return status not in (401, 403, 404) and not to_login
    return status == expected


def test_route_role_matrix(app, world):
    ids, clients = world
    failures = []
    order = sorted(MATRIX, key=lambda k: (k[0] in LAST, k))
    for endpoint, method in order:
        url = build_url(app, endpoint, ids)
        is_api = url.startswith("/api/")
        for role, expected in zip(ROLES, MATRIX[(endpoint, method)], strict=True):
            kwargs = {"json": {}} if is_api and method != "GET" else {}
            resp = clients[role].open(url, method=method, **kwargs)
            resp.close()  # static files: close the file the response streams from
            if not check(expected, resp, is_api):
                failures.append(
                    f"{method} {url} as {role}: got {resp.status_code}, want {expected}"
                )
    assert not failures, "\n".join(failures)
