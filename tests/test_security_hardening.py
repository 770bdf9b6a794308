"""Issue 14: what a hostile-input, session and proxy corpus broke, each fixed at its root."""

from datetime import timedelta

import pytest
from conftest import PASSWORD, sign_in

from jobfair.extensions import db
from jobfair.models import ApiToken, LoginSession, User
from jobfair.models.common import utcnow
from jobfair.security import safe_next

# --- 1. open redirect after login ----------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "/\n/evil.example",
        "/%09/evil.example",
        "/%2F/evil.example",
        "/%2f%2fevil.example",
        "/%252F/evil.example",
        "//evil.example",
        "/\\evil.example",
        "/%5Cevil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        " /evil",
        "/ /evil.example",
        "/\x00/evil.example",
    ],
)
def test_next_refuses_anything_a_browser_reads_as_another_site(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/me", "/positions?q=%E7%84%8A%E5%B7%A5&page=2", "/a/b#c"])
def test_next_keeps_ordinary_paths(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("raw", ["/%09/evil.example", "/%0a/evil.example", "/%0d%0a/x"])
def test_login_with_control_characters_in_next_goes_home(client, make_user, raw):
    make_user(login="13812341111")
    resp = client.post("/login?next=" + raw, data={"login": "13812341111", "password": PASSWORD})
    assert resp.status_code == 302
    location = resp.headers["Location"]
    assert "evil" not in location and "\t" not in location and location.endswith("/me")


# --- 2. unauthenticated 500s ---------------------------------------------------------------


@pytest.mark.parametrize("payload", ["[1, 2]", '"text"', "42", "null", "true"])
def test_login_with_a_json_body_that_is_not_an_object_is_a_400(client, payload):
    resp = client.post(
        "/api/v1/auth/login", data=payload, headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == 400
    assert resp.get_json()["error"]["message"] == "请求体应为 JSON 对象。"


@pytest.mark.parametrize("url", ["/api/v1/auth/login", "/api/v1/auth/register", "/login"])
def test_deeply_nested_json_is_a_400_not_a_recursion_error(client, url):
    body = "[" * 10000 + "]" * 10000
    resp = client.post(url, data=body, headers={"Content-Type": "application/json"})
    assert resp.status_code == 400
    assert "嵌套" in (resp.get_json()["error"]["message"] if resp.is_json else resp.text)


def test_json_within_the_depth_limit_still_works(client, make_user):
    make_user(login="13812341112")
    resp = client.post(
        "/api/v1/auth/login",
        json={"login": "13812341112", "password": PASSWORD, "x": [[[[1]]]]},
    )
    # The nested field is an unknown one: a clear 422, parsed fine.
    assert resp.status_code == 422


def test_nul_bytes_are_stripped_from_names_and_refused_in_token_names(app, client):
    resp = client.post(
        "/api/v1/auth/register",
        json={"login": "13812341113", "password": PASSWORD, "name": "王\x00小\x07明"},
    )
    assert resp.status_code == 202
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(phone="13812341113"))
        assert user.name == "王小明"
    client.post("/api/v1/auth/login", json={"login": "13812341113", "password": PASSWORD})
    resp = client.post("/api/v1/auth/tokens", json={"name": "ci\x00bot"})
    assert resp.status_code == 422 and "令牌名称" in resp.get_json()["error"]["message"]
    resp = client.post("/api/v1/auth/tokens", json={"name": ["a list"]})
    assert resp.status_code == 422
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0


def test_nul_in_a_query_string_is_a_422(client):
    resp = client.get("/api/v1/positions", query_string={"q": "焊工\x00"})
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "control_characters"


# --- 3. enumeration and business rate limits -----------------------------------------------


def test_registration_is_rate_limited_per_address(app):
    client = app.test_client()
    codes = [
        client.post(
            "/register", data={"login": f"1381234{i:04d}", "password": PASSWORD}
        ).status_code
        for i in range(6)
    ]
    assert codes == [302] * 5 + [429]
    resp = client.post("/api/v1/auth/register", json={"login": "13812349999", "password": PASSWORD})
    assert resp.status_code == 429 and resp.headers.get("Retry-After")
    other = app.test_client()
    resp = other.post(
        "/register",
        data={"login": "13812349998", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.9.9.9"},
    )
    assert resp.status_code == 302  # another address has its own count


def test_applications_resume_views_exports_and_tokens_are_limited(app, world):
    app.config.update(
        APPLY_LIMIT="1 per hour",
        RESUME_VIEW_LIMIT="2 per day",
        EXPORT_LIMIT="1 per hour",
        TOKEN_LIMIT="1 per hour",
    )
    seeker = sign_in(app.test_client(), world.seekers[1])
    first = seeker.post(f"/api/v1/positions/{world.position_ids[0]}/applications", json={})
    assert first.status_code == 201
    again = seeker.post(f"/api/v1/positions/{world.position_ids[1]}/applications", json={})
    assert again.status_code == 429 and again.headers.get("Retry-After")

    assert seeker.get("/api/v1/me/export").status_code == 200
    assert seeker.get("/me/export").status_code == 429  # page and API share the count

    assert seeker.post("/api/v1/auth/tokens", json={"name": "a"}).status_code == 201
    assert seeker.post("/account/tokens", data={"name": "b"}).status_code == 429

    employer = sign_in(app.test_client(), world.rep)
    app_id = first.get_json()["id"]
    codes = [employer.get(f"/api/v1/employer/applications/{app_id}").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


# --- 4. re-authentication ------------------------------------------------------------------


def _age_confirmation(app, user, minutes=11):
    with app.app_context():
        db.session.execute(
            db.update(LoginSession)
            .filter_by(user_id=user.id)
            .values(confirmed_at=utcnow() - timedelta(minutes=minutes))
        )
        db.session.commit()


def test_personal_data_export_needs_the_password_retyped(app, make_user, login):
    user = make_user(login="13812341114")
    client = app.test_client()
    login(client, user)
    assert client.get("/api/v1/me/export").status_code == 200  # just signed in
    _age_confirmation(app, user)
    resp = client.get("/api/v1/me/export")
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "reauth_required"
    page = client.get("/me/export")
    assert page.status_code == 302 and "/account/confirm" in page.headers["Location"]
    wrong = client.post("/api/v1/auth/confirm", json={"password": "not the password"})
    assert wrong.status_code == 422
    assert client.get("/api/v1/me/export").status_code == 403
    resp = client.post("/account/confirm", data={"password": PASSWORD, "next": "/me/export"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/me/export")
    assert client.get("/me/export").status_code == 200


def test_an_api_token_cannot_export_personal_data(app, make_user, login):
    user = make_user(login="13812341115")
    client = app.test_client()
    login(client, user)
    token = client.post("/api/v1/auth/tokens", json={"name": "脚本"}).get_json()["token"]
    resp = app.test_client().get("/api/v1/me/export", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "reauth_required"


def test_changing_a_stored_phone_number_needs_the_password_retyped(app, make_seeker):
    seeker = make_seeker(name="赵立")
    client = sign_in(app.test_client(), seeker)
    _age_confirmation(app, seeker)
    resp = client.put("/api/v1/me/profile", json={"phone": "13912340000"})
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "reauth_required"
    assert client.put("/api/v1/me/profile", json={"major": "机电"}).status_code == 200
    assert client.post("/api/v1/auth/confirm", json={"password": PASSWORD}).status_code == 204
    resp = client.put("/api/v1/me/profile", json={"phone": "13912340000"})
    assert resp.status_code == 200 and resp.get_json()["phone"] == "13912340000"


def test_employer_contact_phone_change_needs_the_password_retyped(app, make_employer):
    from test_employers_profile import profile_form

    emp = make_employer(status="verified")
    client = sign_in(app.test_client(), emp.user)
    _age_confirmation(app, emp.user)
    form = profile_form(name=emp.name, credit_code=emp.credit_code, contact_phone="13912340001")
    resp = client.post("/employer/profile", data=form)
    assert resp.status_code == 403 and "确认身份" in resp.get_data(as_text=True)


def test_case_file_export_with_full_phones_needs_the_password_retyped(app, make_worker):
    worker = make_worker()
    client = sign_in(app.test_client(), worker)
    _age_confirmation(app, worker)
    resp = client.get("/api/v1/casework/cases/export?format=csv&reason=report")
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "reauth_required"
    page = client.get("/casework/cases/export?format=csv&reason=report")
    assert "/account/confirm" in page.headers["Location"]
    client.post("/account/confirm", data={"password": PASSWORD})
    assert client.get("/api/v1/casework/cases/export?format=csv&reason=report").status_code == 200


# --- 5. cookies, idle timeout, staff passwords ---------------------------------------------


def test_secure_cookie_is_named_host_prefixed(make_app, make_user, login):
    secure = make_app(SESSION_COOKIE_SECURE=True)
    user = make_user(login="13812341116")
    client = secure.test_client()
    resp = client.post(
        "/login",
        data={"login": "13812341116", "password": PASSWORD},
        base_url="https://localhost",
    )
    cookie = resp.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
    assert client.get("/me", base_url="https://localhost").status_code == 200
    assert user


def test_idle_session_ends(app, make_user, login):
    user = make_user(login="13812341117")
    client = app.test_client()
    login(client, user)
    assert client.get("/me").status_code == 200
    with app.app_context():
        db.session.execute(
            db.update(LoginSession)
            .filter_by(user_id=user.id)
            .values(
                last_seen_at=utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
            )
        )
        db.session.commit()
    resp = client.get("/me")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(LoginSession.id))) == 0


def test_activity_keeps_the_session_alive(app, make_user, login):
    user = make_user(login="13812341118")
    client = app.test_client()
    login(client, user)
    idle = app.config["SESSION_IDLE_MINUTES"]
    with app.app_context():
        db.session.execute(
            db.update(LoginSession)
            .filter_by(user_id=user.id)
            .values(last_seen_at=utcnow() - timedelta(minutes=idle - 1))
        )
        db.session.commit()
    assert client.get("/me").status_code == 200
    with app.app_context():
        seen = db.session.scalar(db.select(LoginSession.last_seen_at))
        assert utcnow() - seen < timedelta(minutes=1)


@pytest.mark.parametrize(("role", "ok"), [("seeker", True), ("employer", False)])
def test_employer_passwords_need_twelve_characters(app, client, role, ok):
    client.post("/register", data={"login": "13812341119", "password": "ten chars!", "role": role})
    with app.app_context():
        made = db.session.scalar(db.select(User).filter_by(phone="13812341119"))
    assert (made is not None) is ok


def test_organiser_cannot_change_to_a_short_password(app, make_user):
    organiser = make_user(role="organiser", login="13812341120")
    client = sign_in(app.test_client(), organiser)
    resp = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "elevenchars"}
    )
    assert "至少 12 位" in resp.get_data(as_text=True)


# --- 6. behind a proxy ---------------------------------------------------------------------


def test_hsts_goes_out_behind_a_trusted_tls_proxy(make_app, client):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    assert "Strict-Transport-Security" not in client.get("/", headers=forwarded).headers
    proxied = make_app(PROXY_HOPS=1).test_client()
    resp = proxied.get("/", headers=forwarded)
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_socket_origin_is_checked_against_the_public_url(make_app, world, sock):
    from jobfair.live.realtime import allowed_origins

    spoof = {"HTTP_HOST": "localhost", "HTTP_X_FORWARDED_HOST": "evil.example"}
    same_host = allowed_origins(make_app())
    assert not same_host("http://evil.example", spoof)
    assert same_host("http://localhost", spoof)
    public = allowed_origins(make_app(PUBLIC_URL="https://jobs.example.gov.cn/"))
    assert public("https://jobs.example.gov.cn", spoof)
    assert not public("http://localhost", spoof) and not public("http://evil.example", spoof)
    evil = sock(
        world.seekers[0],
        "/session",
        headers={"Origin": "http://evil.example", "X-Forwarded-Host": "evil.example"},
    )
    assert not evil.is_connected("/session")


# --- 9. whole numbers ----------------------------------------------------------------------


@pytest.mark.parametrize("headcount", [1.5, "1.5", "2.0x", True])
def test_fractional_headcount_is_refused_in_chinese(app, make_employer, headcount):
    from test_positions_manage import position_data

    client = sign_in(app.test_client(), make_employer().user)
    resp = client.post("/api/v1/employer/positions", json=position_data(headcount=headcount))
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["fields"]["headcount"] == "应为整数（不能有小数）。"
    assert "招聘人数" in error["message"]


# --- checklist items without a test elsewhere ----------------------------------------------


def test_long_and_cjk_passwords_work_exactly_and_are_never_truncated(app, client):
    password = "我的密码是一句很长的话🙂" + "x" * 80  # 92 characters, far past 72 bytes
    resp = client.post("/register", data={"login": "13812341121", "password": password})
    assert resp.status_code == 302
    ok = app.test_client().post("/login", data={"login": "13812341121", "password": password})
    assert ok.status_code == 302
    for wrong in (password[:-1], password[:72], password[:-1] + "y"):
        resp = app.test_client().post("/login", data={"login": "13812341121", "password": wrong})
        assert resp.status_code == 401


def test_session_ends_twelve_hours_after_sign_in_even_when_active(app, make_user, login):
    user = make_user(login="13812341122")
    client = app.test_client()
    login(client, user)
    with app.app_context():
        db.session.execute(
            db.update(LoginSession)
            .filter_by(user_id=user.id)
            .values(created_at=utcnow() - app.config["PERMANENT_SESSION_LIFETIME"] - timedelta(1))
        )
        db.session.commit()
    assert client.get("/me").status_code == 302


def test_an_unexpected_error_is_a_generic_500_without_details(make_app):
    broken = make_app()

    @broken.route("/api/v1/_boom")
    def boom():
        raise RuntimeError("SELECT secret FROM users /srv/app.py")

    resp = broken.test_client().get("/api/v1/_boom")
    assert resp.status_code == 500
    body = resp.get_data(as_text=True)
    assert resp.get_json()["error"]["code"] == "server_error"
    assert "SELECT" not in body and "app.py" not in body and "Traceback" not in body
