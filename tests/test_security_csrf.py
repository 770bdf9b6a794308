"""CSRF protection on forms and cookie-authenticated API writes; security headers."""

import re

import pytest
from conftest import PASSWORD


@pytest.fixture
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_form_post_without_token_is_refused(csrf_app, make_user):
    make_user(login="13812341111")
    client = csrf_app.test_client()
    resp = client.post("/login", data={"login": "13812341111", "password": PASSWORD})
    assert resp.status_code == 400
    assert "页面已过期" in resp.get_data(as_text=True)
    token = csrf_from(client.get("/login").get_data(as_text=True))
    resp = client.post(
        "/login", data={"login": "13812341111", "password": PASSWORD, "csrf_token": token}
    )
    assert resp.status_code == 302


def test_api_write_with_cookie_needs_csrf_header(csrf_app, make_user):
    make_user(login="13812341112")
    client = csrf_app.test_client()
    resp = client.post("/api/v1/auth/login", json={"login": "13812341112", "password": PASSWORD})
    assert resp.status_code == 400
    assert resp.get_json()["error"]["code"] == "csrf_failed"
    token = re.search(
        r'name="csrf-token" content="([^"]+)"', client.get("/login").get_data(as_text=True)
    ).group(1)
    resp = client.post(
        "/api/v1/auth/login",
        json={"login": "13812341112", "password": PASSWORD},
        headers={"X-CSRFToken": token},
    )
    assert resp.status_code == 200
    resp = client.post("/api/v1/auth/tokens", json={"name": "x"})
    assert resp.status_code == 400


def test_security_headers_on_pages_json_and_errors(client):
    for path in ("/", "/login", "/api/v1/openapi.json", "/no-such-page", "/api/v1/nothing"):
        resp = client.get(path)
        csp = resp.headers["Content-Security-Policy"]
        assert "object-src 'none'" in csp and "script-src 'self'" in csp
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_unknown_api_route_is_json_404_in_chinese(client):
    resp = client.get("/api/v1/nothing")
    assert resp.status_code == 404
    assert resp.get_json()["error"]["message"] == "页面或数据不存在。"
