"""GET /api/v1/positions without credentials is answered before Flask's request cycle
(jobfair/api/anonymous_search.py): the same status, headers and bytes as through the view,
for plain and hostile queries alike; anything with credentials goes through Flask."""

import pytest
from conftest import sign_in
from flask import request_started

QUERIES = [
    "",
    "q=焊工",
    "q=%E7%84%8A%E5%B7%A5&district=%E6%B1%9F%E5%AE%81%E5%8C%BA",
    "q=电焊&page=2&page_size=1",
    "q=叉车司机&district=江宁区&salary=5000",
    "q=江宁 叉车",
    "q=开叉车&daily_pay=true&work_form=full_time",
    "q=普工&group=veteran&channel=enterprise&occupation=6",
    "q=焊工&page=999",
    "q=焊工&page_size=500",
    "q=焊工&q=叉车",
    "q=%20%20&district=",
    "q=<script>alert(1)</script>",
    "q=" + "焊" * 300,
    "q=焊工%00",
    "q=%E7%84",
    "salary=abc",
    "salary=-1",
    "page=0",
    "district=火星区",
    "pay_unit=week",
    "daily_pay=maybe",
    "unknown=1&q=焊工",
    "q=%ZZ&page=1",
]


@pytest.fixture
def positions(make_employer, make_position):
    emp = make_employer(name="南京宁钢精工机械有限公司")
    make_position(employer=emp, title="电焊工（二保焊）", occupation_code="6-18-02-04")
    make_position(
        employer=emp, title="叉车司机", district="江宁区", salary_min=5000, salary_max=7000
    )
    make_position(employer=emp, title="普工", groups=("veteran",))


def answer(client, path):
    resp = client.get(path)
    return resp.status_code, sorted(resp.headers.items()), resp.data


def through_flask(app):
    """Count the requests Flask's request cycle handles."""
    seen = []

    def count(sender, **extra):
        seen.append(1)

    request_started.connect(count, app)
    return seen, lambda: request_started.disconnect(count, app)


@pytest.mark.parametrize("query", QUERIES)
def test_the_same_answer_as_through_flask(app, client, positions, monkeypatch, query):
    path = "/api/v1/positions?" + query
    fast = answer(client, path)
    monkeypatch.setitem(app.config, "SEARCH_FAST_PATH", False)
    assert answer(client, path) == fast


def test_plain_searches_skip_flask_and_the_rest_do_not(app, client, positions, monkeypatch):
    seen, stop = through_flask(app)
    try:
        resp = client.get("/api/v1/positions?q=电焊&page=1")
        assert resp.status_code == 200
        assert resp.get_json()["items"][0]["title"] == "电焊工（二保焊）"
        assert seen == []
        # Errors get Flask's own answer, with the Chinese message.
        resp = client.get("/api/v1/positions?salary=abc")
        assert resp.status_code == 422 and "error" in resp.get_json()
        assert seen == [1]
        client.head("/api/v1/positions")
        assert len(seen) == 2
        client.get("/api/v1/positions", headers={"Authorization": "Bearer nothing"})
        assert len(seen) == 3
        monkeypatch.setitem(app.config, "RATELIMIT_APPLICATION", "100 per minute")
        client.get("/api/v1/positions?q=焊工")
        assert len(seen) == 4
    finally:
        stop()


def test_a_signed_in_search_goes_through_flask_and_stays_private(app, client, positions, make_user):
    sign_in(client, make_user(role="seeker"))
    seen, stop = through_flask(app)
    try:
        resp = client.get("/api/v1/positions?q=焊工")
    finally:
        stop()
    assert seen == [1]
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.get_json()["items"][0]["title"] == "电焊工（二保焊）"


def test_https_behind_the_proxy_gets_hsts_on_the_fast_path(app, client, positions):
    resp = client.get("/api/v1/positions?q=焊工", base_url="https://localhost")
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=")
    assert resp.headers["Vary"] == "Cookie"
    assert "frame-ancestors" in resp.headers["Content-Security-Policy"]


@pytest.mark.parametrize("raw", ["q=\xff\xfe", "q=\xe7\x84"])
def test_raw_bytes_that_are_not_utf8_get_a_chinese_400_not_a_500(client, raw):
    # As a client sends them unencoded (WSGI gives the raw bytes as Latin-1 text).
    for headers in ({}, {"Cookie": "a=1"}):
        resp = client.get(
            "/api/v1/positions", environ_overrides={"QUERY_STRING": raw}, headers=headers
        )
        assert resp.status_code == 400
        assert "无法识别的字符" in resp.get_json()["error"]["message"]
    resp = client.get("/positions", environ_overrides={"QUERY_STRING": raw})
    assert resp.status_code == 400 and "无法识别的字符" in resp.get_data(as_text=True)
