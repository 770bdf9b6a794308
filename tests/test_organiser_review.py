"""Organiser console: employer verification, held-position review, audit log, figures."""

import pytest
from conftest import sign_in

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import (
    Application,
    AuditLog,
    Employer,
    Position,
    SeekerGroup,
    SeekerProfile,
)

XSS = "<script>alert(1)</script>"


@pytest.fixture
def organiser(make_user, client):
    user = make_user(role="organiser", name="王组织")
    sign_in(client, user)
    return user


def audit_rows(app):
    with app.app_context():
        return [
            (r.actor_id, r.action, r.object_type, r.object_id, r.detail)
            for r in db.session.scalars(db.select(AuditLog).order_by(AuditLog.id))
        ]


def employer_state(app, employer_id):
    with app.app_context():
        e = db.session.get(Employer, employer_id)
        return e.status, e.review_reason


def position_state(app, position_id):
    with app.app_context():
        p = db.session.get(Position, position_id)
        return p.status, p.review_note, p.published_at


def held_position(make_position, employer=None, **fields):
    values = {
        "requirements": "限男性，能吃苦耐劳",
        "review_flags": [
            {"phrase": "限男性", "category": "性别", "field": "requirements", "rule": "限男性"}
        ],
    }
    values.update(fields)
    return make_position(employer=employer, status="held", **values)


def test_verify_employer_is_audited(app, client, organiser, make_employer):
    emp = make_employer(status="pending", name="南京待审核有限公司")
    page = client.get("/organiser/employers").get_data(as_text=True)
    assert "南京待审核有限公司" in page
    resp = client.post(f"/organiser/employers/{emp.id}/verify")
    assert resp.status_code == 302
    assert employer_state(app, emp.id)[0] == "verified"
    (row,) = audit_rows(app)
    assert row[:4] == (organiser.id, "employer.verify", "employer", emp.id)
    assert row[4]["previous_status"] == "pending" and row[4]["name"] == "南京待审核有限公司"
    # A second decision on the same employer is refused and not logged.
    assert client.post(f"/organiser/employers/{emp.id}/verify").status_code == 409
    assert len(audit_rows(app)) == 1


def test_reject_employer_needs_reason_and_employer_sees_it(app, client, organiser, make_employer):
    emp = make_employer(status="pending")
    resp = client.post(f"/organiser/employers/{emp.id}/reject", data={"reason": "  "})
    assert resp.status_code == 422 and "请填写驳回原因" in resp.get_data(as_text=True)
    assert employer_state(app, emp.id) == ("pending", "")
    assert audit_rows(app) == []
    resp = client.post(
        f"/organiser/employers/{emp.id}/reject", data={"reason": "营业执照名称与填写不一致"}
    )
    assert resp.status_code == 302
    assert employer_state(app, emp.id) == ("rejected", "营业执照名称与填写不一致")
    (row,) = audit_rows(app)
    assert row[1] == "employer.reject" and row[4]["reason"] == "营业执照名称与填写不一致"
    assert row[4]["previous_status"] == "pending"
    other = app.test_client()
    sign_in(other, emp.user)
    assert "营业执照名称与填写不一致" in other.get("/employer").get_data(as_text=True)


def test_api_employer_queue_and_decisions(app, client, organiser, make_employer):
    a = make_employer(status="pending")
    b = make_employer(status="pending")
    make_employer(status="verified")
    body = client.get("/api/v1/organiser/employers?status=pending").get_json()
    assert [e["id"] for e in body["items"]] == [a.id, b.id] and body["total"] == 2
    resp = client.post(f"/api/v1/organiser/employers/{a.id}/verify")
    assert resp.status_code == 200 and resp.get_json()["status"] == "verified"
    resp = client.post(f"/api/v1/organiser/employers/{b.id}/reject", json={})
    assert resp.status_code == 422
    resp = client.post(
        f"/api/v1/organiser/employers/{b.id}/reject", json={"reason": "材料不全", "status": "x"}
    )
    assert resp.status_code == 422 and employer_state(app, b.id)[0] == "pending"
    resp = client.post(f"/api/v1/organiser/employers/{b.id}/reject", json={"reason": "材料不全"})
    assert resp.status_code == 200 and resp.get_json()["review_reason"] == "材料不全"
    assert client.post("/api/v1/organiser/employers/99999/verify").status_code == 404
    assert [r[1] for r in audit_rows(app)] == ["employer.verify", "employer.reject"]


def test_approve_held_position(app, client, organiser, make_position, make_employer):
    emp = make_employer(status="verified")
    pos = held_position(make_position, employer=emp)
    page = client.get("/organiser/positions/held").get_data(as_text=True)
    assert "限男性" in page
    resp = client.post(
        f"/organiser/positions/{pos.id}/approve", data={"note": "装卸重体力，女职工禁忌劳动范围"}
    )
    assert resp.status_code == 302
    status, note, published_at = position_state(app, pos.id)
    assert status == "published" and published_at is not None
    (row,) = audit_rows(app)
    assert row[1:4] == ("position.approve", "position", pos.id)
    assert row[4]["phrases"] == ["限男性"] and row[4]["previous_status"] == "held"
    # The approved phrase does not hold the position again when the employer edits it.
    other = app.test_client()
    sign_in(other, emp.user)
    resp = other.patch(f"/api/v1/employer/positions/{pos.id}", json={"headcount": 5})
    assert resp.get_json()["status"] == "published"
    resp = other.patch(f"/api/v1/employer/positions/{pos.id}", json={"description": "已婚优先"})
    assert resp.get_json()["status"] == "held"


def test_reject_held_position_back_to_draft_with_note(
    app, client, organiser, make_position, make_employer
):
    emp = make_employer(status="verified")
    pos = held_position(make_position, employer=emp)
    resp = client.post(f"/organiser/positions/{pos.id}/reject", data={"note": ""})
    assert resp.status_code == 422 and position_state(app, pos.id)[0] == "held"
    resp = client.post(
        f"/api/v1/organiser/positions/{pos.id}/reject", json={"note": "请删除性别限制"}
    )
    assert resp.status_code == 200 and resp.get_json()["status"] == "draft"
    assert position_state(app, pos.id)[:2] == ("draft", "请删除性别限制")
    assert [r[1] for r in audit_rows(app)] == ["position.reject"]
    assert client.post(f"/api/v1/organiser/positions/{pos.id}/approve").status_code == 409
    other = app.test_client()
    sign_in(other, emp.user)
    page = other.get(f"/employer/positions/{pos.id}").get_data(as_text=True)
    assert "请删除性别限制" in page and '<mark class="flagged">限男性</mark>' in page


def test_api_held_list_and_approve(app, client, organiser, make_position):
    pos = held_position(make_position)
    body = client.get("/api/v1/organiser/positions/held").get_json()
    assert [p["id"] for p in body["items"]] == [pos.id]
    assert body["items"][0]["review_flags"][0]["phrase"] == "限男性"
    resp = client.post(f"/api/v1/organiser/positions/{pos.id}/approve", json={"status": "x"})
    assert resp.status_code == 422 and position_state(app, pos.id)[0] == "held"
    resp = client.post(f"/api/v1/organiser/positions/{pos.id}/approve")
    assert resp.status_code == 200 and resp.get_json()["status"] == "published"


def test_review_page_escapes_text_then_marks_phrases(client, organiser, make_position):
    pos = held_position(
        make_position,
        title=XSS + "搬运工",
        requirements='限男性 <img src=x onerror=alert(1)> "引号"',
    )
    for url in (f"/organiser/positions/{pos.id}", "/organiser/positions/held", "/organiser"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;搬运工" in page
    page = client.get(f"/organiser/positions/{pos.id}").get_data(as_text=True)
    assert (
        '<mark class="flagged">限男性</mark> &lt;img src=x onerror=alert(1)&gt; &#34;引号&#34;'
        in page
    )


def test_stats_count_consenting_seekers_channels_and_applications(
    app, client, organiser, make_user, make_position
):
    seekers = [make_user(role="seeker") for _ in range(3)]
    with app.app_context(), writing():
        for user, consent, groups in (
            (seekers[0], True, ["veteran", "graduate"]),
            (seekers[1], True, ["veteran"]),
            (seekers[2], False, ["veteran", "retired_fisher"]),  # no consent: not counted
        ):
            profile = SeekerProfile(user_id=user.id, name="求职者", group_consent=consent)
            profile.groups = [SeekerGroup(group=g) for g in groups]
            db.session.add(profile)
        db.session.commit()
    p1 = make_position(channel="public_welfare")
    make_position(channel="public_welfare")
    make_position(channel="trainee")
    make_position(channel="trainee", status="draft")  # not published: not counted
    with app.app_context(), writing():
        db.session.add(Application(position_id=p1.id, seeker_id=seekers[0].id, status="submitted"))
        db.session.add(Application(position_id=p1.id, seeker_id=seekers[1].id, status="interview"))
        db.session.commit()
    stats = client.get("/api/v1/organiser/stats").get_json()
    assert stats["seekers_by_group"]["veteran"] == 2
    assert stats["seekers_by_group"]["graduate"] == 1
    assert stats["seekers_by_group"]["retired_fisher"] == 0
    assert stats["positions_by_channel"] == {
        "public_sector": 0,
        "trainee": 1,
        "enterprise": 0,
        "grassroots": 0,
        "public_welfare": 2,
    }
    assert stats["applications_by_status"]["submitted"] == 1
    assert stats["applications_by_status"]["interview"] == 1
    assert stats["applications_by_status"]["hired"] == 0
    page = client.get("/organiser").get_data(as_text=True)
    assert '<span class="num">2</span>退役军人' in page
    assert '<span class="num">2</span>公益性岗位兜底安置' in page


def test_audit_page_lists_decisions(app, client, organiser, make_employer):
    emp = make_employer(status="pending", name="南京记录测试有限公司")
    client.post(f"/organiser/employers/{emp.id}/reject", data={"reason": "请补充材料"})
    page = client.get("/organiser/audit").get_data(as_text=True)
    assert "驳回单位审核" in page and "南京记录测试有限公司" in page and "请补充材料" in page
    assert "王组织" in page
    body = client.get("/api/v1/organiser/audit").get_json()
    assert body["items"][0]["action"] == "employer.reject"


@pytest.mark.parametrize("role", ["seeker", "employer"])
def test_other_roles_are_refused(client, make_user, role):
    sign_in(client, make_user(role=role))
    for url in ("/organiser", "/organiser/employers", "/organiser/audit", "/organiser/rules"):
        assert client.get(url).status_code == 403
    assert client.get("/api/v1/organiser/stats").status_code == 403
    assert client.post("/api/v1/organiser/employers/1/verify").status_code == 403


def test_anonymous_is_sent_to_login(client):
    resp = client.get("/organiser")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert client.get("/api/v1/organiser/stats").status_code == 401
