"""Fairs, booths: an employer applies choosing its own published positions, the organiser
approves or declines with a reason the employer sees, and the booth can be edited."""

import pytest
from conftest import sign_in

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import AuditLog, Booth


@pytest.fixture
def fair_id(make_fair):
    return make_fair(start=24, hours=48)  # opens tomorrow, for two days


@pytest.fixture
def employer(make_employer):
    return make_employer(name="南京宁钢精工机械有限公司")


@pytest.fixture
def organiser_client(app, make_user):
    c = app.test_client()
    sign_in(c, make_user(role="organiser"))
    return c


def booth_row(app):
    with app.app_context():
        booth = db.session.scalars(db.select(Booth)).one()
        return booth.id, booth.status, booth.position_ids, booth.decline_reason


def test_apply_approve_and_the_booth_appears_on_the_fair_page(
    app, client, fair_id, employer, make_position, organiser_client
):
    welder = make_position(employer=employer, title="电焊工")
    make_position(employer=employer, title="叉车司机")
    sign_in(client, employer.user)
    form = client.get(f"/employer/fairs/{fair_id}/booth").get_data(as_text=True)
    assert "电焊工" in form and "叉车司机" in form

    resp = client.post(
        f"/employer/fairs/{fair_id}/booth",
        data={"position_ids": [str(welder.id)], "intro": "欢迎技术工人", "chat_minutes": "15"},
    )
    assert resp.status_code == 302
    booth_id, status, positions, _ = booth_row(app)
    assert status == "pending" and positions == [welder.id]
    # Pending booths are not public.
    assert "南京宁钢精工" not in app.test_client().get(f"/fairs/{fair_id}").get_data(as_text=True)
    assert client.get("/employer/fairs").get_data(as_text=True).count("待审核") >= 1

    review = organiser_client.get(f"/organiser/booths/{booth_id}").get_data(as_text=True)
    assert "电焊工" in review and "南京宁钢精工机械有限公司" in review
    assert organiser_client.post(f"/organiser/booths/{booth_id}/approve").status_code == 302
    assert booth_row(app)[1] == "approved"
    page = app.test_client().get(f"/fairs/{fair_id}").get_data(as_text=True)
    assert "南京宁钢精工机械有限公司" in page and "电焊工" in page and "叉车司机" not in page
    with app.app_context():
        assert db.session.scalars(db.select(AuditLog.action)).all() == ["booth.approve"]


def test_decline_needs_a_reason_and_the_employer_sees_it_then_reapplies(
    app, client, fair_id, employer, make_position, organiser_client
):
    pos = make_position(employer=employer)
    sign_in(client, employer.user)
    client.post(f"/employer/fairs/{fair_id}/booth", data={"position_ids": [str(pos.id)]})
    booth_id = booth_row(app)[0]

    resp = organiser_client.post(f"/organiser/booths/{booth_id}/decline", data={"reason": " "})
    assert resp.status_code == 422
    assert "请填写未通过的原因" in resp.get_data(as_text=True)
    assert booth_row(app)[1] == "pending"

    reason = "展示岗位与本场面向群体不符，请调整后重新申请。"
    resp = organiser_client.post(f"/organiser/booths/{booth_id}/decline", data={"reason": reason})
    assert resp.status_code == 302
    assert booth_row(app)[1:] == ("declined", [pos.id], reason)
    with app.app_context():
        log = db.session.scalars(db.select(AuditLog)).one()
        assert log.action == "booth.decline" and log.detail["reason"] == reason

    mine = client.get("/employer/fairs").get_data(as_text=True)
    assert "未通过" in mine and reason in mine
    assert reason in client.get("/api/v1/fairs/booths/mine").get_json()[0]["decline_reason"]
    # Editing a declined booth leads to re-applying; re-applying sends it back to review.
    assert client.get(f"/employer/booths/{booth_id}/edit").status_code == 302
    assert reason in client.get(f"/employer/fairs/{fair_id}/booth").get_data(as_text=True)
    client.post(f"/employer/fairs/{fair_id}/booth", data={"position_ids": [str(pos.id)]})
    assert booth_row(app)[1:] == ("pending", [pos.id], "")


def test_only_own_published_positions_can_be_shown(
    app, client, fair_id, employer, make_employer, make_position
):
    own = make_position(employer=employer)
    draft = make_position(employer=employer, status="draft", title="草稿岗位")
    other = make_position(employer=make_employer(), title="别家岗位")
    sign_in(client, employer.user)
    page = client.get(f"/employer/fairs/{fair_id}/booth").get_data(as_text=True)
    assert "草稿岗位" not in page and "别家岗位" not in page

    for ids in ([str(draft.id)], [str(other.id)], [str(own.id), str(other.id)]):
        resp = client.post(f"/employer/fairs/{fair_id}/booth", data={"position_ids": ids})
        assert resp.status_code == 422
        assert "只能展示本单位招聘中的岗位" in resp.get_data(as_text=True)
    resp = client.post(f"/employer/fairs/{fair_id}/booth", data={"position_ids": []})
    assert resp.status_code == 422 and "请至少选择一个" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(Booth)).all() == []

    api = client.post(f"/api/v1/fairs/{fair_id}/booth", json={"position_ids": [other.id]})
    assert api.status_code == 422
    assert api.get_json()["error"]["fields"]["position_ids"]
    api = client.post(f"/api/v1/fairs/{fair_id}/booth", json={"position_ids": [own.id]})
    assert api.status_code == 201 and api.get_json()["status"] == "pending"
    again = client.post(f"/api/v1/fairs/{fair_id}/booth", json={"position_ids": [own.id]})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "booth_exists"


def test_edit_shown_positions_while_approved_and_closed_positions_disappear(
    app, client, fair_id, employer, make_position
):
    a = make_position(employer=employer, title="电焊工")
    b = make_position(employer=employer, title="数控车工")
    with app.app_context(), writing():
        from jobfair.models import BoothPosition

        booth = Booth(fair_id=fair_id, employer_id=employer.id, status="approved")
        booth.position_links = [BoothPosition(position_id=a.id)]
        db.session.add(booth)
        db.session.commit()
        booth_id = booth.id
    sign_in(client, employer.user)
    resp = client.post(
        f"/employer/booths/{booth_id}/edit",
        data={"position_ids": [str(a.id), str(b.id)], "chat_minutes": "8"},
    )
    assert resp.status_code == 302
    assert booth_row(app)[1:3] == ("approved", [a.id, b.id])
    resp = client.patch(f"/api/v1/fairs/booths/{booth_id}", json={"chat_minutes": 61})
    assert resp.status_code == 422 and "chat_minutes" in resp.get_json()["error"]["fields"]
    resp = client.patch(f"/api/v1/fairs/booths/{booth_id}", json={"position_ids": [b.id]})
    assert resp.status_code == 200 and [p["id"] for p in resp.get_json()["positions"]] == [b.id]

    # Closing a position takes it off the public booth page.
    with app.app_context(), writing():
        from jobfair.models import Position

        db.session.get(Position, b.id).status = "closed"
        db.session.commit()
    page = app.test_client().get(f"/fairs/{fair_id}/booths/{booth_id}").get_data(as_text=True)
    assert "数控车工" not in page and "暂无在招岗位" in page


def test_unverified_employers_and_other_roles_cannot_apply(
    app, client, fair_id, make_employer, make_position, make_user
):
    pending = make_employer(status="pending")
    pos = make_position(employer=pending)
    sign_in(client, pending.user)
    resp = client.post(f"/api/v1/fairs/{fair_id}/booth", json={"position_ids": [pos.id]})
    assert resp.status_code == 403 and "通过认证后" in resp.get_json()["error"]["message"]
    seeker = app.test_client()
    sign_in(seeker, make_user())
    assert seeker.post(f"/api/v1/fairs/{fair_id}/booth", json={}).status_code == 403
    assert seeker.get(f"/employer/fairs/{fair_id}/booth").status_code == 403


def test_another_employers_booth_is_not_found(app, client, fair_id, make_employer, make_position):
    owner = make_employer()
    pos = make_position(employer=owner)
    with app.app_context(), writing():
        booth = Booth(fair_id=fair_id, employer_id=owner.id, status="pending")
        db.session.add(booth)
        db.session.commit()
        booth_id = booth.id
    sign_in(client, make_employer().user)
    assert client.get(f"/employer/booths/{booth_id}/edit").status_code == 404
    data = {"position_ids": [str(pos.id)]}
    assert client.post(f"/employer/booths/{booth_id}/edit", data=data).status_code == 404
    assert client.patch(f"/api/v1/fairs/booths/{booth_id}", json={}).status_code == 404
    # An unapproved booth is not public either.
    assert app.test_client().get(f"/fairs/{fair_id}/booths/{booth_id}").status_code == 404


def test_api_organiser_approve_decline(app, fair_id, employer, make_position, organiser_client):
    pos = make_position(employer=employer)
    c = app.test_client()
    sign_in(c, employer.user)
    booth_id = c.post(f"/api/v1/fairs/{fair_id}/booth", json={"position_ids": [pos.id]}).get_json()[
        "id"
    ]
    apps = organiser_client.get(f"/api/v1/fairs/{fair_id}/booth-applications?status=pending")
    assert [b["id"] for b in apps.get_json()] == [booth_id]
    resp = organiser_client.post(f"/api/v1/fairs/booths/{booth_id}/decline", json={})
    assert resp.status_code == 422
    resp = organiser_client.post(
        f"/api/v1/fairs/booths/{booth_id}/decline", json={"reason": "岗位信息不完整"}
    )
    assert resp.get_json()["status"] == "declined"
    assert c.get("/api/v1/fairs/booths/mine").get_json()[0]["decline_reason"] == "岗位信息不完整"
    resp = organiser_client.post(f"/api/v1/fairs/booths/{booth_id}/approve")
    assert resp.status_code == 200 and resp.get_json()["status"] == "approved"
    detail = app.test_client().get(f"/api/v1/fairs/{fair_id}").get_json()
    assert [b["id"] for b in detail["booths"]] == [booth_id]
    assert "decline_reason" not in detail["booths"][0]
    assert c.post(f"/api/v1/fairs/booths/{booth_id}/approve").status_code == 403
