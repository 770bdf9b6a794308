"""API: GET /api/v1/positions (filters, search, pages) and /api/v1/positions/<id>."""

import pytest
from conftest import sign_in

SUMMARY_KEYS = {
    "id",
    "title",
    "employer_id",
    "employer_name",
    "occupation_code",
    "occupation_name",
    "occupation_marks",
    "salary_min",
    "salary_max",
    "pay_unit",
    "daily_pay",
    "salary_text",
    "headcount",
    "district",
    "education",
    "work_form",
    "channel",
    "welcomed_groups",
    "deadline",
    "published_at",
}


def test_list_shape_and_search(client, make_employer, make_position):
    emp = make_employer(name="南京叉车物流有限公司")
    fork = make_position(
        employer=emp,
        title="叉车工",
        description="仓库驾驶叉车装卸",
        occupation_code="6-30-05-01",
        groups=("veteran",),
    )
    make_position(employer=emp)
    resp = client.get("/api/v1/positions?q=叉车司机")
    assert resp.status_code == 200
    data = resp.get_json()
    assert set(data) >= {"items", "total", "page", "pages"}
    assert data["total"] == 1 and data["page"] == 1 and data["pages"] == 1
    (item,) = data["items"]
    assert set(item) == SUMMARY_KEYS
    assert item["id"] == fork.id and item["employer_name"] == "南京叉车物流有限公司"
    assert (
        item["welcomed_groups"] == ["veteran"] and item["occupation_name"] == "起重装卸机械操作工"
    )
    assert "contact_phone" not in item


def test_list_filters_and_pages(client, make_employer, make_position):
    emp = make_employer()
    for _ in range(5):
        make_position(employer=emp)
    make_position(employer=emp, district="浦口区", work_form="seasonal")
    data = client.get("/api/v1/positions?page_size=4&page=2").get_json()
    assert data["total"] == 6 and data["pages"] == 2 and len(data["items"]) == 2
    assert client.get("/api/v1/positions?page=9").get_json()["items"] == []
    data = client.get("/api/v1/positions?district=浦口区&work_form=seasonal").get_json()
    assert data["total"] == 1
    data = client.get("/api/v1/positions?district=&work_form=&utm_source=wechat").get_json()
    assert data["total"] == 6  # blank filters mean "any"; unknown parameters are ignored


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("work_form=forever", "work_form"),
        ("channel=black_market", "channel"),
        ("group=aliens", "group"),
        ("district=海淀区", "district"),
        ("occupation=abc", "occupation"),
        ("salary=lots", "salary"),
        ("page=0", "page"),
        ("q=" + "焊" * 101, "q"),
    ],
)
def test_bad_filters_are_422_with_chinese_message(client, query, field):
    resp = client.get("/api/v1/positions?" + query)
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "validation_error" and field in error["fields"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])


HOSTILE = [
    "q=%27%22%5C%00",
    "q=%25%25_",
    "q=%22+OR+1%3D1",
    "q=NEAR(a+b)",
    "q=%F0%9F%98%80",
    "q=%E7%84%8A%E5%B7%A5%27%3B+DELETE+FROM+positions%3B--",
    "district=%00",
    "occupation=6%00",
    "salary=99999999999999999999999",
    "page=1e9",
    "page=99999999999999999999999",
    "page_size=-1",
]


def test_hostile_queries_are_not_server_errors(client, make_position):
    make_position()
    for query in HOSTILE:
        resp = client.get("/api/v1/positions?" + query)
        assert resp.status_code in (200, 422), (query, resp.status_code)
        assert resp.is_json
    assert client.get("/api/v1/positions").get_json()["total"] == 1


def test_detail_hides_contact_from_anonymous(client, make_user, make_position):
    pos = make_position(groups=("graduate",))
    data = client.get(f"/api/v1/positions/{pos.id}").get_json()
    assert data["title"] == "电焊工" and data["status"] == "published"
    assert data["occupation_name"] == "焊工" and data["welcomed_groups"] == ["graduate"]
    assert data["work_form_label"] == "全日制" and data["description"]
    assert "contact_phone" not in data and "contact_name" not in data
    sign_in(client, make_user(role="seeker"))
    data = client.get(f"/api/v1/positions/{pos.id}").get_json()
    assert data["contact_phone"] == "13700001111" and data["contact_name"] == "王经理"


def test_detail_with_a_bearer_token_shows_contact(app, client, make_user, make_position):
    from jobfair.security import create_api_token

    pos = make_position()
    user = make_user(role="seeker")
    with app.app_context():
        from jobfair.extensions import db
        from jobfair.models import User

        token = create_api_token(db.session.get(User, user.id), "测试")
    resp = client.get(f"/api/v1/positions/{pos.id}", headers={"Authorization": f"Bearer {token}"})
    assert resp.get_json()["contact_phone"] == "13700001111"


@pytest.mark.parametrize("status", ["draft", "held", "closed"])
def test_non_public_detail_is_404_json(client, make_employer, make_position, status):
    owner = make_employer()
    pos = make_position(employer=owner, status=status)
    resp = client.get(f"/api/v1/positions/{pos.id}")
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"
    sign_in(client, make_employer().user)
    assert client.get(f"/api/v1/positions/{pos.id}").status_code == 404
    client.post("/logout")
    sign_in(client, owner.user)
    assert client.get(f"/api/v1/positions/{pos.id}").get_json()["status"] == status


def test_missing_and_absurd_ids_are_404(client):
    for pid in ("424242", "99999999999999999999999"):
        assert client.get(f"/api/v1/positions/{pid}").status_code == 404


def test_openapi_documents_the_filters(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    op = spec["paths"]["/api/v1/positions"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert {
        "q",
        "district",
        "occupation",
        "salary",
        "work_form",
        "channel",
        "group",
        "page",
    } <= set(params)
    assert "seasonal" in params["work_form"]["schema"]["enum"]
    assert "/api/v1/positions/{position_id}" in spec["paths"]


def test_list_items_match_the_documented_schema(client, make_position):
    from jobfair.api.positions import PositionPageOut, PositionSummaryOut

    make_position(groups=("veteran",))
    data = client.get("/api/v1/positions").get_json()
    assert set(data) == set(PositionPageOut().fields)
    (item,) = data["items"]
    assert set(item) == set(PositionSummaryOut().fields)
    assert PositionSummaryOut().dump(PositionSummaryOut().load(item)) == item


def test_the_limiter_skips_only_the_unlimited_search(app):
    """The search API has no limit of its own, so Flask-Limiter's work is skipped for it;
    not when an operator sets an app-wide limit, and never for other endpoints. (Setting the
    limit for real would leak into every later test: the Limiter object is shared.)"""
    from flask import request

    from jobfair.extensions import _nothing_to_limit

    with app.test_request_context("/api/v1/positions?q=焊工"):
        assert request.endpoint == "api_positions.list_positions"
        assert _nothing_to_limit()
        for key in ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META"):
            app.config[key] = "100 per minute"
            assert not _nothing_to_limit()
            app.config[key] = ""
    with app.test_request_context("/api/v1/matching/suggest-occupations?q=焊工"):
        assert request.endpoint.startswith("api_matching.")
        assert not _nothing_to_limit()


def test_anonymous_search_is_cacheable_but_a_signed_in_one_is_not(client, make_user, make_position):
    make_position()
    resp = client.get("/api/v1/positions")
    assert "Cookie" in resp.headers["Vary"] and "no-store" not in resp.headers.get(
        "Cache-Control", ""
    )
    sign_in(client, make_user(role="seeker"))
    assert client.get("/api/v1/positions").headers["Cache-Control"] == "no-store"
