"""Employer position management: drafts, publishing rules, discrimination hold, ownership."""

from datetime import date, timedelta

import pytest
from conftest import sign_in

from jobfair.extensions import db
from jobfair.models import Position

XSS = "<script>alert(1)</script>"


def position_data(**overrides):
    data = {
        "title": "电焊工",
        "description": "负责钢结构件焊接，熟练使用二氧化碳保护焊。",
        "requirements": "持焊工证，身体健康，持健康证上岗。",
        "occupation_code": "6-18-02-04",
        "salary_min": 6000,
        "salary_max": 9000,
        "headcount": 3,
        "district": "江宁区",
        "address": "江宁区示例路 8 号",
        "education": "junior",
        "work_form": "full_time",
        "channel": "enterprise",
        "welcomed_groups": ["veteran", "rural_migrant"],
    }
    data.update(overrides)
    return data


def form_data(**overrides):
    data = position_data(**overrides)
    groups = data.pop("welcomed_groups")
    data = {k: str(v) for k, v in data.items()}
    data["welcomed_groups"] = groups
    return data


def snapshot(app):
    """Every position's mutable state, to prove a refused request changed nothing."""
    with app.app_context():
        return [
            (p.id, p.employer_id, p.title, p.status, p.salary_min, p.salary_max, p.updated_at)
            for p in db.session.scalars(db.select(Position).order_by(Position.id))
        ]


def load(app, position_id):
    with app.app_context():
        pos = db.session.get(Position, position_id)
        db.session.expunge(pos)
        return pos


@pytest.fixture
def verified(make_employer, client):
    emp = make_employer(status="verified")
    sign_in(client, emp.user)
    return emp


def create(client, **overrides):
    resp = client.post("/api/v1/employer/positions", json=position_data(**overrides))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_pending_employer_can_draft_but_not_publish(app, client, make_employer):
    emp = make_employer(status="pending")
    sign_in(client, emp.user)
    resp = client.post("/employer/positions/new", data=form_data())
    assert resp.status_code == 302
    pos_id = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    assert load(app, pos_id).status == "draft"
    resp = client.post(f"/employer/positions/{pos_id}/publish")
    assert resp.status_code == 403
    assert "单位通过审核后才能发布岗位" in resp.get_data(as_text=True)
    resp = client.post(f"/api/v1/employer/positions/{pos_id}/publish")
    assert resp.status_code == 403
    assert resp.get_json()["error"]["message"] == "单位通过审核后才能发布岗位。"
    assert load(app, pos_id).status == "draft"


def test_rejected_employer_cannot_publish_either(app, client, make_employer):
    emp = make_employer(status="rejected")
    sign_in(client, emp.user)
    pos = create(client)
    assert client.post(f"/api/v1/employer/positions/{pos['id']}/publish").status_code == 403


def test_publish_clean_position(app, client, verified):
    pos = create(client)
    assert pos["status"] == "draft" and pos["welcomed_groups"] == ["rural_migrant", "veteran"]
    stored = load(app, pos["id"])
    assert "焊工" in stored.search_tokens.split() and "焊接" in stored.search_tokens.split()
    resp = client.post(f"/api/v1/employer/positions/{pos['id']}/publish")
    body = resp.get_json()
    assert resp.status_code == 200 and body["status"] == "published"
    assert body["published_at"] and body["review_flags"] == []  # 持健康证 / 身体健康 pass
    assert client.post(f"/api/v1/employer/positions/{pos['id']}/publish").status_code == 409


def test_position_page_offers_applicants_and_talent_as_buttons(client, verified):
    """They were bare 20 px links beside big buttons: hard to tap on a phone."""
    pos = create(client)
    page = client.get(f"/employer/positions/{pos['id']}").get_data(as_text=True)
    assert f'<a class="button" href="/employer/positions/{pos["id"]}/talent">推荐人才</a>' in page


HELD_CASES = [
    ("requirements", "限男性，能吃苦耐劳", "限男性", "性别"),
    ("title", "前台接待（女士优先）", "女士优先", "性别"),
    ("requirements", "只招汉族", "只招汉族", "民族"),
    ("description", "限本地户籍，南京户口优先", "限本地户籍", "户籍/地域"),
    ("requirements", "已婚已育，三年内不生育", "已婚已育", "婚育"),
    ("requirements", "乙肝携带者勿扰", "乙肝携带者勿扰", "健康"),
    ("requirements", "无宗教信仰", "无宗教信仰", "宗教"),
]


def test_discriminatory_text_is_held_with_flags(app, client, verified):
    for field, text, phrase, category in HELD_CASES:
        pos = create(client, **{field: text})
        body = client.post(f"/api/v1/employer/positions/{pos['id']}/publish").get_json()
        assert body["status"] == "held", text
        assert {"phrase": phrase, "category": category, "field": field} in [
            {k: f[k] for k in ("phrase", "category", "field")} for f in body["review_flags"]
        ], body["review_flags"]
        assert load(app, pos["id"]).published_at is None


def test_held_page_highlights_phrase_for_employer(client, verified):
    pos = create(client, requirements="限男性，<b>能</b>吃苦")
    resp = client.post(f"/employer/positions/{pos['id']}/publish", follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert "已提交组织方审核" in page
    assert '<mark class="flagged">限男性</mark>，&lt;b&gt;能&lt;/b&gt;吃苦' in page


def test_editing_published_position_reruns_check(app, client, verified):
    pos = create(client)
    client.post(f"/api/v1/employer/positions/{pos['id']}/publish")
    resp = client.patch(
        f"/api/v1/employer/positions/{pos['id']}", json={"requirements": "无乙肝，身体健康"}
    )
    body = resp.get_json()
    assert body["status"] == "held" and body["review_flags"][0]["phrase"] == "乙肝"
    # Cleaning the text up publishes it again without waiting for an organiser.
    resp = client.patch(
        f"/api/v1/employer/positions/{pos['id']}", json={"requirements": "身体健康"}
    )
    assert resp.get_json()["status"] == "published"


def test_html_edit_keeps_published_and_updates_search(app, client, verified):
    pos = create(client)
    client.post(f"/api/v1/employer/positions/{pos['id']}/publish")
    resp = client.post(
        f"/employer/positions/{pos['id']}/edit",
        data=form_data(title="叉车司机", occupation_code="6-30-05-01", welcomed_groups=[]),
    )
    assert resp.status_code == 302
    stored = load(app, pos["id"])
    assert stored.status == "published" and stored.title == "叉车司机"
    assert stored.occupation_code == "6-30-05-01" and stored.groups == []
    assert "叉车" in stored.search_tokens.split() and "起重" in stored.search_tokens


def test_salary_min_above_max_is_refused(app, client, verified):
    resp = client.post(
        "/api/v1/employer/positions", json=position_data(salary_min=9000, salary_max=6000)
    )
    assert resp.status_code == 422
    assert resp.get_json()["error"]["message"] == "最低月薪不能高于最高月薪。"
    resp = client.post("/employer/positions/new", data=form_data(salary_min=9000, salary_max=6000))
    assert resp.status_code == 422
    assert "最低月薪不能高于最高月薪" in resp.get_data(as_text=True)
    assert snapshot(app) == []
    pos = create(client)
    before = snapshot(app)
    resp = client.patch(f"/api/v1/employer/positions/{pos['id']}", json={"salary_min": 10000})
    assert resp.status_code == 422 and snapshot(app) == before


def test_a_reversed_pay_range_is_named_with_the_other_mistakes(app, client, verified):
    """It used to show up only after every other field was put right: a second refusal."""
    data = form_data(salary_min=9000, salary_max=6000, headcount=0, district="")
    resp = client.post("/employer/positions/new", data=data)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "招聘人数" in page and "请选择工作地点所在区" in page
    assert "最低月薪不能高于最高月薪" in page
    assert 'value="9000"' in page and snapshot(app) == []


INVALID_CASES = [
    ({"salary_min": 0}, "salary_min"),
    ({"salary_max": 1_000_001}, "salary_max"),
    ({"headcount": 0}, "headcount"),
    ({"headcount": 10_001}, "headcount"),
    ({"title": "焊" * 101}, "title"),
    ({"title": "   "}, "title"),
    ({"description": "字" * 10001}, "description"),
    ({"occupation_code": "6-00-00-00"}, "occupation_code"),
    ({"occupation_code": "9-99-99-99"}, "occupation_code"),
    ({"district": "朝阳区"}, "district"),
    ({"education": "phd_only"}, "education"),
    ({"work_form": "zero_hours"}, "work_form"),
    ({"channel": "vip"}, "channel"),
    ({"welcomed_groups": ["martians"]}, "welcomed_groups.0"),
    ({"deadline": "明天"}, "deadline"),
    ({"salary_min": "六千"}, "salary_min"),
]


def test_invalid_fields_get_field_messages(app, client, verified):
    for overrides, field in INVALID_CASES:
        resp = client.post("/api/v1/employer/positions", json=position_data(**overrides))
        assert resp.status_code == 422, overrides
        assert field in resp.get_json()["error"]["fields"], overrides
    assert snapshot(app) == []


def test_extra_fields_are_refused(app, client, verified):
    pos = create(client)
    before = snapshot(app)
    for extra in ({"status": "published"}, {"employer_id": 1}, {"is_verified": True}):
        resp = client.post("/api/v1/employer/positions", json=position_data(**extra))
        assert resp.status_code == 422
        resp = client.patch(
            f"/api/v1/employer/positions/{pos['id']}", json={"title": "改", **extra}
        )
        assert resp.status_code == 422
        resp = client.post(f"/api/v1/employer/positions/{pos['id']}/publish", json=extra)
        assert resp.status_code == 422
        assert snapshot(app) == before


def test_deadline_in_the_past_blocks_publishing(app, client, verified):
    pos = create(client, deadline=(date.today() - timedelta(days=3)).isoformat())
    resp = client.post(f"/api/v1/employer/positions/{pos['id']}/publish")
    assert resp.status_code == 422 and "deadline" in resp.get_json()["error"]["fields"]
    assert load(app, pos["id"]).status == "draft"


def test_close_and_republish(app, client, verified):
    pos = create(client)
    assert client.post(f"/api/v1/employer/positions/{pos['id']}/close").status_code == 409
    client.post(f"/api/v1/employer/positions/{pos['id']}/publish")
    resp = client.post(f"/employer/positions/{pos['id']}/close")
    assert resp.status_code == 302 and load(app, pos["id"]).status == "closed"
    assert (
        client.post(f"/api/v1/employer/positions/{pos['id']}/publish").get_json()["status"]
        == "published"
    )


def test_other_employer_gets_404_everywhere_and_nothing_changes(
    app, client, make_employer, make_position
):
    e1 = make_employer(status="verified")
    e2 = make_employer(status="verified")
    draft = make_position(employer=e1, status="draft")
    live = make_position(employer=e1, status="published")
    sign_in(client, e2.user)
    before = snapshot(app)
    for pid in (draft.id, live.id, 999999):
        assert client.get(f"/employer/positions/{pid}").status_code == 404
        assert client.get(f"/employer/positions/{pid}/edit").status_code == 404
        assert client.post(f"/employer/positions/{pid}/edit", data=form_data()).status_code == 404
        assert client.post(f"/employer/positions/{pid}/publish").status_code == 404
        assert client.post(f"/employer/positions/{pid}/close").status_code == 404
        assert client.get(f"/api/v1/employer/positions/{pid}").status_code == 404
        resp = client.patch(f"/api/v1/employer/positions/{pid}", json={"title": "被篡改"})
        assert resp.status_code == 404
        assert client.post(f"/api/v1/employer/positions/{pid}/publish").status_code == 404
        assert client.post(f"/api/v1/employer/positions/{pid}/close").status_code == 404
    assert snapshot(app) == before
    assert client.get("/api/v1/employer/positions").get_json() == []
    assert "电焊工" not in client.get("/employer/positions").get_data(as_text=True)


def test_xss_in_title_is_escaped_on_employer_pages(client, verified):
    pos = create(client, title=XSS + "焊工")
    for url in (
        "/employer/positions",
        f"/employer/positions/{pos['id']}",
        f"/employer/positions/{pos['id']}/edit",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_form_pages_render_with_occupation_picker(client, verified):
    page = client.get("/employer/positions/new").get_data(as_text=True)
    assert "data-occupation-picker" in page and 'value="6-18-02-04"' in page
    assert "js/occupation-picker.js" in page
    assert "<script>" not in page  # no inline scripts (CSP)
