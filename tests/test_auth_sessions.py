"""Sessions end for real, passwords are hashed well, organisers come only from the CLI."""

import pytest
from conftest import PASSWORD

from jobfair import create_app
from jobfair.crypto import DEV_BLIND_INDEX_KEY, DEV_DATA_KEYS
from jobfair.extensions import db
from jobfair.models import LoginSession, User


def test_password_is_stored_with_argon2id(client, app):
    client.post("/register", data={"login": "a@example.com", "password": PASSWORD})
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email="a@example.com"))
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


def test_only_testing_apps_hash_passwords_cheaply():
    """Production keeps argon2-cffi's strong parameters; the suite's cheap ones need TESTING."""
    from argon2.profiles import RFC_9106_LOW_MEMORY

    from jobfair.security import FAST_HASHER, STRONG_HASHER, password_hasher

    memory_db = {
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "DATA_KEYS": DEV_DATA_KEYS,
        "BLIND_INDEX_KEY": DEV_BLIND_INDEX_KEY,
    }
    production = create_app({**memory_db, "SECRET_KEY": "s" * 32})
    with production.app_context():
        hasher = password_hasher()
    assert hasher is STRONG_HASHER and production.config["PASSWORD_HASHER"] == "strong"
    assert hasher.time_cost >= RFC_9106_LOW_MEMORY.time_cost
    assert hasher.memory_cost >= RFC_9106_LOW_MEMORY.memory_cost
    assert hasher.type == RFC_9106_LOW_MEMORY.type  # argon2id
    with pytest.raises(RuntimeError, match="PASSWORD_HASHER"):
        create_app({**memory_db, "SECRET_KEY": "s" * 32, "PASSWORD_HASHER": "fast"})

    testing = create_app({**memory_db, "TESTING": True})
    with testing.app_context():
        assert password_hasher() is FAST_HASHER
    # The parameters travel in the hash: accounts made under tests verify anywhere.
    assert STRONG_HASHER.verify(FAST_HASHER.hash(PASSWORD), PASSWORD)


def test_short_and_common_passwords_are_refused(client, app):
    resp = client.post("/register", data={"login": "13812340000", "password": "1234567"})
    assert "密码至少 8 位" in resp.get_data(as_text=True)
    resp = client.post("/register", data={"login": "13812340000", "password": "password"})
    assert "太常见" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(User).filter_by(phone="13812340000")) is None


def test_a_bad_number_and_a_short_password_are_named_together(client, app):
    """A mistyped number used to hide the too-short password until the next try."""
    resp = client.post("/register", data={"name": "王海生", "login": "1390000", "password": "123"})
    page = resp.get_data(as_text=True)
    assert "手机号或邮箱格式不正确" in page and "密码太短" in page and "密码至少 8 位" in page
    assert 'value="王海生"' in page and 'value="1390000"' in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_registration_does_not_reveal_a_taken_number(app, client, make_user):
    """Issue 14: a 409 "already registered" told anyone which numbers have accounts."""
    owner = make_user(login="13812340001")
    taken = client.post("/register", data={"login": "13812340001", "password": PASSWORD})
    other = app.test_client()
    free = other.post("/register", data={"login": "13812340009", "password": PASSWORD})
    assert taken.status_code == free.status_code == 302
    assert taken.headers["Location"] == free.headers["Location"]
    assert client.get("/me").status_code == other.get("/me").status_code == 302  # not signed in
    assert client.get("/login").get_data(as_text=True).count("已受理") == 1
    assert other.get("/login").get_data(as_text=True).count("已受理") == 1
    api_taken = app.test_client().post(
        "/api/v1/auth/register", json={"login": "13812340001", "password": PASSWORD}
    )
    api_free = app.test_client().post(
        "/api/v1/auth/register", json={"login": "13812340008", "password": PASSWORD}
    )
    assert api_taken.status_code == api_free.status_code == 202
    assert api_taken.get_json() == api_free.get_json()
    with app.app_context():
        from jobfair.models import Notification

        notes = db.session.scalars(db.select(Notification).filter_by(user_id=owner.id)).all()
        assert len(notes) == 2 and "注册" in notes[0].title  # the owner is told in the account
        assert db.session.scalar(db.select(User).filter_by(phone="13812340009")) is not None


def test_password_change_ends_other_sessions(app, make_user, login):
    user = make_user(login="13812340002")
    a, b = app.test_client(), app.test_client()
    login(a, user)
    login(b, user)
    assert b.get("/me").status_code == 200
    resp = a.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "a brand new secret"},
    )
    assert resp.status_code == 302
    assert a.get("/me").status_code == 200  # the browser that changed it stays signed in
    assert b.get("/me").status_code == 302  # the other one is signed out
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(LoginSession.id))) == 1


def test_wrong_current_password_changes_nothing(client, app, make_user, login):
    user = make_user(login="13812340003")
    login(client, user)
    resp = client.post(
        "/account/password", data={"current_password": "not it at all", "new_password": "x" * 12}
    )
    assert "当前密码不正确" in resp.get_data(as_text=True)
    client.post("/logout")
    assert login(client, user).status_code == 302


def test_session_cookie_is_httponly_and_lax(client, make_user, login):
    resp = login(client, make_user())
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_organiser_only_from_cli_and_must_change_password(client, runner, app):
    resp = client.post(
        "/register", data={"login": "13812340004", "password": PASSWORD, "role": "organiser"}
    )
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(phone="13812340004"))
        assert user is None or user.role == "seeker"
    result = runner.invoke(args=["users", "create-organiser", "13812340005", "--name", "王科长"])
    assert result.exit_code == 0, result.output
    password = result.output.strip().split("初始密码：")[1].split("（")[0]
    resp = client.post("/login", data={"login": "13812340005", "password": password})
    assert resp.status_code == 302 and "/account/password" in resp.headers["Location"]
    assert client.get("/organiser").status_code == 302  # forced to change the password first
    client.post(
        "/account/password", data={"current_password": password, "new_password": "new secret 2026"}
    )
    assert client.get("/organiser").status_code == 200


def test_no_account_exists_on_a_fresh_database(app):
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_refuses_to_start_with_development_secret_outside_debug(db_url):
    with pytest.raises(RuntimeError, match="secret key"):
        create_app({"SQLALCHEMY_DATABASE_URI": db_url})


def test_api_token_authenticates_and_skips_csrf(app, make_user, login):
    user = make_user(login="13812340006")
    browser = app.test_client()
    login(browser, user)
    token = browser.post("/api/v1/auth/tokens", json={"name": "对接"}).get_json()["token"]
    other = app.test_client()
    resp = other.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200 and resp.get_json()["id"] == user.id
    resp = other.get("/api/v1/auth/me", headers={"Authorization": "Bearer jf_wrong"})
    assert resp.status_code == 401
    assert resp.get_json()["error"]["code"] == "unauthorized"
