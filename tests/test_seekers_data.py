"""Download my data and delete my account (HTML and API)."""

import json

import pytest
from conftest import PASSWORD, sign_in

from jobfair.extensions import db
from jobfair.models import (
    ApiToken,
    Application,
    ApplicationEvent,
    LoginSession,
    SeekerGroup,
    SeekerProfile,
    User,
)


@pytest.fixture
def applied(app, make_seeker, make_employer, make_position, login):
    """A seeker (with consented groups and a token) who applied; the employer has viewed it."""
    seeker = make_seeker(
        "周大海", skills="捕捞、驾船", groups=["retired_fisher"], group_consent=True
    )
    emp = make_employer()
    pos = make_position(employer=emp, title="渔业养殖工")
    s, e = app.test_client(), app.test_client()
    s.environ_base["HTTP_USER_AGENT"] = "TestBrowser/1.0"
    login(s, seeker)  # the real login form, so the session row records the browser
    app_id = s.post(
        f"/api/v1/positions/{pos.id}/applications", json={"note": "熟悉水产"}
    ).get_json()["id"]
    sign_in(e, emp.user)
    e.get(f"/employer/applications/{app_id}")
    s.post("/account/tokens", data={"name": "我的脚本"})
    return {"seeker": seeker, "client": s, "employer": e, "emp": emp, "pos": pos, "app_id": app_id}


def test_export_contains_everything_and_no_secrets(app, applied):
    s = applied["client"]
    resp = s.get("/me/export")
    assert resp.status_code == 200
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    assert resp.mimetype == "application/json"
    text = resp.get_data(as_text=True)
    data = json.loads(text)
    assert data["account"]["phone"] == applied["seeker"].phone
    assert data["profile"]["name"] == "周大海" and data["profile"]["skills"] == "捕捞、驾船"
    assert data["priority_groups"]["consent"] is True
    assert data["priority_groups"]["consent_at"]
    assert data["priority_groups"]["groups"] == [{"code": "retired_fisher", "label": "退捕渔民"}]
    [application] = data["applications"]
    assert application["position"]["title"] == "渔业养殖工"
    assert application["note"] == "熟悉水产" and application["status"] == "viewed"
    assert [h["to_status"] for h in application["history"]] == ["submitted", "viewed"]
    assert data["login_sessions"] and data["login_sessions"][0]["user_agent"] == "TestBrowser/1.0"
    assert data["login_sessions"][0]["created_at"] and data["login_sessions"][0]["last_seen_at"]
    [token] = data["api_tokens"]
    assert token["name"] == "我的脚本" and token["prefix"].startswith("jf_")
    # No password hash, no session or token hashes.
    assert "password_hash" not in text and "$argon2" not in text
    assert "token_hash" not in text
    with app.app_context():
        for row in db.session.scalars(db.select(LoginSession)):
            assert row.token_hash not in text
        for row in db.session.scalars(db.select(ApiToken)):
            assert row.token_hash not in text


def test_api_export_matches(applied):
    resp = applied["client"].get("/api/v1/me/export")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    data = resp.get_json()
    assert data["applications"][0]["history"][1]["to_label"] == "已查看"


def test_export_is_only_for_signed_in_seekers(client, make_user):
    assert client.get("/me/export").status_code == 302
    assert client.get("/api/v1/me/export").status_code == 401
    sign_in(client, make_user(role="employer"))
    assert client.get("/me/export").status_code == 403


def counts(app) -> dict:
    with app.app_context():
        return {
            m.__name__: db.session.scalar(db.select(db.func.count()).select_from(m))
            for m in (
                User,
                SeekerProfile,
                SeekerGroup,
                Application,
                ApplicationEvent,
                LoginSession,
                ApiToken,
            )
        }


def test_delete_needs_the_password_and_then_removes_everything(app, applied, login):
    s, e = applied["client"], applied["employer"]
    before = counts(app)
    other = app.test_client()
    sign_in(other, applied["seeker"])  # a second browser of the same seeker
    copied_cookie = s.get_cookie("session").value

    assert "注销账号" in s.get("/me/delete").get_data(as_text=True)
    resp = s.post("/me/delete", data={"password": "not my password"})
    assert resp.status_code == 403 and "密码不正确" in resp.get_data(as_text=True)
    assert counts(app)["User"] == before["User"]

    resp = s.post("/me/delete", data={"password": PASSWORD}, follow_redirects=True)
    assert "你的账号和全部求职数据已删除" in resp.get_data(as_text=True)
    after = counts(app)
    assert after["User"] == before["User"] - 1
    assert after["SeekerProfile"] == 0 and after["SeekerGroup"] == 0
    assert after["Application"] == 0 and after["ApplicationEvent"] == 0
    assert after["ApiToken"] == 0
    assert after["LoginSession"] == 1  # only the employer's browser remains

    # The old cookie and the other browser are signed out.
    replay = app.test_client()
    replay.set_cookie("session", copied_cookie)
    assert replay.get("/me").status_code == 302
    assert other.get("/me").status_code == 302
    assert s.get("/api/v1/me/profile").status_code == 401
    # The employer no longer sees the seeker anywhere.
    listing = e.get(f"/employer/positions/{applied['pos'].id}/applicants").get_data(as_text=True)
    assert "周大海" not in listing and "暂无投递" in listing
    assert e.get(f"/employer/applications/{applied['app_id']}").status_code == 404
    # Logging in again fails.
    assert login(app.test_client(), applied["seeker"]).status_code == 401


def test_api_delete_with_a_token(app, applied):
    s = applied["client"]
    token = s.post("/api/v1/auth/tokens", json={"name": "删除用"}).get_json()["token"]
    bearer = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert bearer.get("/api/v1/me/profile", headers=headers).status_code == 200
    resp = bearer.delete("/api/v1/me", json={"password": "wrong password"}, headers=headers)
    assert resp.status_code == 403 and counts(app)["SeekerProfile"] == 1
    resp = bearer.delete("/api/v1/me", json={}, headers=headers)
    assert resp.status_code == 422 and counts(app)["SeekerProfile"] == 1
    resp = bearer.delete("/api/v1/me", json={"password": PASSWORD}, headers=headers)
    assert resp.status_code == 204
    assert bearer.get("/api/v1/me/profile", headers=headers).status_code == 401
    assert s.get("/api/v1/me/profile").status_code == 401
    assert counts(app)["Application"] == 0


def test_employers_cannot_use_the_seeker_delete(client, app, make_user):
    employer = make_user(role="employer")
    sign_in(client, employer)
    assert client.post("/me/delete", data={"password": PASSWORD}).status_code == 403
    assert client.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 403
    with app.app_context():
        assert db.session.get(User, employer.id) is not None
