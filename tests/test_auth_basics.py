"""Registration, login and real logout."""

import re

from conftest import PASSWORD


def test_register_login_logout_cookie_replay(client, app):
    resp = client.post(
        "/register", data={"login": "13812345678", "password": PASSWORD, "role": "seeker"}
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/login")
    assert client.get("/me").status_code == 302  # registering does not sign in (see below)
    resp = client.post("/login", data={"login": "13812345678", "password": PASSWORD})
    assert client.get("/me").status_code == 200
    cookie = client.get_cookie("session").value
    client.post("/logout")
    assert client.get("/me").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    resp = replay.get("/me")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_registering_from_a_position_leads_back_to_it(app, client, make_position):
    """A newcomer who found a job, registered and signed in used to land on 我的求职 instead."""
    from urllib.parse import unquote

    position = make_position(title="保洁员")
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    register = re.search(r'href="(/register\?[^"]*)"[^>]*>注册求职者账号', page).group(1)
    register = register.replace("&amp;", "&")
    assert f"next=/positions/{position.id}" in unquote(register)
    resp = client.post(register, data={"login": "13812345670", "password": PASSWORD})
    assert resp.status_code == 302
    login = resp.headers["Location"]
    assert unquote(login).endswith(f"/login?next=/positions/{position.id}")
    resp = client.post(login, data={"login": "13812345670", "password": PASSWORD})
    assert resp.headers["Location"].endswith(f"/positions/{position.id}")
    # Elsewhere-pointing targets are dropped, as on the login page.
    resp = app.test_client().post(
        "/register?next=//evil.example", data={"login": "13812345671", "password": PASSWORD}
    )
    assert resp.headers["Location"].endswith("/login")


def test_unknown_user_and_wrong_password_look_identical(client, make_user):
    make_user(login="13811112222")
    a = client.post("/login", data={"login": "13811112222", "password": "wrong password!"})
    b = client.post("/login", data={"login": "13899998888", "password": "wrong password!"})
    assert a.status_code == b.status_code == 401

    # Only the echoed login differs; the message and page are the same.
    def normalise(resp, login):
        body = resp.get_data(as_text=True).replace(login, "X")
        return re.sub(r'(csrf[-_]token"? (?:content|value)=")[^"]+', r"\1", body)

    body_a = normalise(a, "13811112222")
    body_b = normalise(b, "13899998888")
    assert body_a == body_b
    assert "手机号/邮箱或密码不正确" in body_a


def test_eleventh_wrong_password_gets_429(client, make_user):
    make_user(login="13811113333")
    for _ in range(10):
        assert (
            client.post(
                "/login", data={"login": "13811113333", "password": "nope nope"}
            ).status_code
            == 401
        )
    resp = client.post("/login", data={"login": "13811113333", "password": "nope nope"})
    assert resp.status_code == 429
    assert "Retry-After" in resp.headers
