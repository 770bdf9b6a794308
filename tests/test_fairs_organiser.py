"""Fairs, organiser side: create/edit/publish/close with Chinese validation, booth review,
live-session scheduling, registration list, audit log — through pages and the API."""

from datetime import timedelta

import pytest
from conftest import sign_in

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import AuditLog, Booth, Fair, FairRegistration, LiveSession
from jobfair.models.common import utcnow


def local(dt):
    """Naive UTC -> the Beijing-time string a datetime-local input sends."""
    return (dt + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def organiser(app, make_user, client):
    user = make_user(role="organiser", name="市就业中心")
    sign_in(client, user)
    return user


def fair_form(**over):
    start = utcnow() + timedelta(days=3)
    data = {
        "title": "2027 年春风行动线上招聘会",
        "theme": "送岗位、送服务",
        "description": "面向农村转移劳动力。",
        "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=8)),
        "capacity": "500",
        "eligibility_group": "",
        "groups": ["rural_migrant", "urban_hardship"],
    }
    data.update(over)
    return data


def fairs(app):
    with app.app_context():
        return db.session.scalars(db.select(Fair).order_by(Fair.id)).all()


def test_organiser_creates_edits_publishes_and_closes_a_fair(app, client, organiser):
    resp = client.post("/organiser/fairs/new", data=fair_form())
    assert resp.status_code == 302
    [fair] = fairs(app)
    assert fair.status == "draft" and fair.capacity == 500
    assert sorted(g.group for g in fair.groups) == ["rural_migrant", "urban_hardship"]
    # Beijing 09:xx input is stored as UTC, shown back in Beijing time.
    page = client.get(f"/organiser/fairs/{fair.id}").get_data(as_text=True)
    assert "草稿" in page and "2027 年春风行动线上招聘会" in page
    # Drafts are not public.
    assert client.get(f"/fairs/{fair.id}").status_code == 404

    resp = client.post(
        f"/organiser/fairs/{fair.id}/edit",
        data=fair_form(title="2027 年春风行动专场", eligibility_group="graduate", capacity=""),
    )
    assert resp.status_code == 302
    [fair] = fairs(app)
    assert fair.title == "2027 年春风行动专场" and fair.capacity is None
    assert fair.eligibility_group == "graduate" and "graduate" in fair.group_codes

    assert client.post(f"/organiser/fairs/{fair.id}/publish").status_code == 302
    assert fairs(app)[0].status == "published"
    assert "2027 年春风行动专场" in client.get("/fairs").get_data(as_text=True)

    assert client.post(f"/organiser/fairs/{fair.id}/close").status_code == 302
    assert fairs(app)[0].status == "closed"
    resp = client.post(f"/organiser/fairs/{fair.id}/edit", data=fair_form())
    assert resp.status_code == 409 and "已关闭的招聘会不能修改" in resp.get_data(as_text=True)

    with app.app_context():
        actions = db.session.scalars(db.select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions == ["fair.create", "fair.update", "fair.publish", "fair.close"]


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"title": "招聘"}, "名称至少 4 个字"),
        ({"title": "长" * 101}, "不能超过 100 个字"),
        ({"capacity": "0"}, "报名人数上限：应在 1 到 1000000 之间"),
        ({"capacity": "很多"}, "应为整数"),
        ({"starts_at": "明天上午"}, "时间格式应为"),
        ({"ends_at": ""}, "此项必填"),
        ({"eligibility_group": "martian"}, "不是可选的值"),
    ],
)
def test_fair_form_validation_in_chinese(app, client, organiser, over, message):
    resp = client.post("/organiser/fairs/new", data=fair_form(**over))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert message in body
    assert fairs(app) == []


def test_end_must_be_after_start(app, client, organiser):
    start = utcnow() + timedelta(days=2)
    resp = client.post(
        "/organiser/fairs/new", data=fair_form(starts_at=local(start), ends_at=local(start))
    )
    assert resp.status_code == 422
    assert "结束时间应晚于开始时间" in resp.get_data(as_text=True)
    # The form is re-rendered with what was typed.
    assert "送岗位、送服务" in resp.get_data(as_text=True)


def test_capacity_cannot_drop_below_registrations(app, client, organiser, make_user):
    client.post("/organiser/fairs/new", data=fair_form())
    [fair] = fairs(app)
    with app.app_context(), writing():
        for _ in range(3):
            u = make_user()
            db.session.add(FairRegistration(fair_id=fair.id, seeker_user_id=u.id))
        db.session.commit()
    resp = client.post(f"/organiser/fairs/{fair.id}/edit", data=fair_form(capacity="2"))
    assert resp.status_code == 422
    assert "不能小于已报名人数（3 人）" in resp.get_data(as_text=True)


def test_publishing_a_fair_that_is_over_is_refused(app, client, organiser):
    past = utcnow() - timedelta(days=3)
    client.post(
        "/organiser/fairs/new",
        data=fair_form(starts_at=local(past), ends_at=local(past + timedelta(hours=2))),
    )
    [fair] = fairs(app)
    client.post(f"/organiser/fairs/{fair.id}/publish")
    assert fairs(app)[0].status == "draft"
    assert "结束时间已过" in client.get(f"/organiser/fairs/{fair.id}").get_data(as_text=True)


@pytest.fixture
def published_fair(app, organiser):
    with app.app_context(), writing():
        now = utcnow()
        fair = Fair(
            title="高校毕业生云招聘专场",
            status="published",
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=1),
            created_by=organiser.id,
        )
        db.session.add(fair)
        db.session.commit()
        return fair.id


def test_schedule_live_session_with_host_stream_and_presenting_employers(
    app, client, organiser, published_fair, make_employer, make_user
):
    approved, pending = make_employer(), make_employer()
    with app.app_context(), writing():
        db.session.add_all(
            [
                Booth(fair_id=published_fair, employer_id=approved.id, status="approved"),
                Booth(fair_id=published_fair, employer_id=pending.id, status="pending"),
            ]
        )
        db.session.commit()
    start = utcnow() + timedelta(hours=2)
    form = {
        "title": "直播带岗：智能制造专场",
        "description": "企业 HR 在线讲岗",
        "host_user_id": str(organiser.id),
        "stream_url": "https://live.example.cn/hls/room1.m3u8",
        "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=1)),
        "employer_ids": [str(approved.id)],
    }
    url = f"/organiser/fairs/{published_fair}/sessions/new"
    page = client.get(url).get_data(as_text=True)
    assert approved.name in page and pending.name not in page  # only approved booths offered

    bad = client.post(url, data=dict(form, stream_url="javascript:alert(1)"))
    assert bad.status_code == 422 and "http:// 或 https://" in bad.get_data(as_text=True)
    bad = client.post(url, data=dict(form, employer_ids=[str(pending.id)]))
    assert bad.status_code == 422 and "已通过展位的单位" in bad.get_data(as_text=True)
    seeker = make_user()
    bad = client.post(url, data=dict(form, host_user_id=str(seeker.id)))
    assert bad.status_code == 422 and "主持人须为组织方账号" in bad.get_data(as_text=True)
    bad = client.post(url, data=dict(form, ends_at=form["starts_at"]))
    assert bad.status_code == 422 and "结束时间应晚于开始时间" in bad.get_data(as_text=True)

    assert client.post(url, data=form).status_code == 302
    with app.app_context():
        [ls] = db.session.scalars(db.select(LiveSession)).all()
        assert ls.employer_ids == [approved.id] and ls.status == "scheduled"
        ls_id = ls.id
    public = client.get(f"/fairs/{published_fair}").get_data(as_text=True)
    assert "直播带岗：智能制造专场" in public and "未开始" in public

    edit = f"/organiser/fairs/{published_fair}/sessions/{ls_id}/edit"
    assert client.post(edit, data=dict(form, title="直播带岗：改期")).status_code == 302
    with app.app_context(), writing():
        db.session.get(LiveSession, ls_id).status = "live"
        db.session.commit()
    resp = client.post(f"/organiser/fairs/{published_fair}/sessions/{ls_id}/delete")
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(LiveSession, ls_id) is not None  # a live session is not deleted
        assert db.session.get(LiveSession, ls_id).title == "直播带岗：改期"


def test_registration_list_counts_consented_groups_and_masks_phones(
    app, client, organiser, published_fair, make_user
):
    from jobfair.models import SeekerGroup, SeekerProfile

    with app.app_context(), writing():
        for i, (consent, groups) in enumerate([(True, ["graduate"]), (False, [])]):
            u = make_user()
            p = SeekerProfile(user_id=u.id, name=f"求职者{i}", phone=u.phone, group_consent=consent)
            p.groups = [SeekerGroup(group=g) for g in groups]
            db.session.add_all([p, FairRegistration(fair_id=published_fair, seeker_user_id=u.id)])
        db.session.commit()
    page = client.get(f"/organiser/fairs/{published_fair}/registrations").get_data(as_text=True)
    assert "求职者0" in page and "求职者1" in page
    assert "139****" in page
    assert "高校毕业生" in page
    data = client.get(f"/api/v1/fairs/{published_fair}/registrations").get_json()
    assert data["total"] == 2 and data["by_group"] == {"graduate": 1}
    assert all("****" in r["phone"] for r in data["items"])


def test_api_organiser_crud_and_permission_errors(app, client, organiser, make_user):
    start = utcnow() + timedelta(days=5)
    body = {
        "title": "退捕渔民转产就业专场",
        "starts_at": (start + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=16)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": 200,
        "groups": ["retired_fisher"],
    }
    resp = client.post("/api/v1/fairs", json=body)
    assert resp.status_code == 201, resp.get_json()
    fair = resp.get_json()
    assert fair["status"] == "draft" and fair["groups"] == ["retired_fisher"]
    assert fair["starts_at"].endswith("+00:00")

    bad = client.post("/api/v1/fairs", json=dict(body, capacity=0))
    assert bad.status_code == 422 and "capacity" in bad.get_json()["error"]["fields"]
    bad = client.post("/api/v1/fairs", json=dict(body, status="published"))
    assert bad.status_code == 422  # unknown fields refused

    resp = client.patch(f"/api/v1/fairs/{fair['id']}", json={"theme": "转产就业"})
    assert resp.status_code == 200 and resp.get_json()["theme"] == "转产就业"
    assert resp.get_json()["title"] == "退捕渔民转产就业专场"
    assert client.get(f"/api/v1/fairs/{fair['id']}").status_code == 200  # organisers see drafts
    assert client.post(f"/api/v1/fairs/{fair['id']}/publish").get_json()["status"] == "published"

    host = organiser.id
    s = client.post(
        f"/api/v1/fairs/{fair['id']}/sessions",
        json={
            "title": "渔民转产直播",
            "host_user_id": host,
            "stream_url": "https://live.example.cn/x.flv",
            "starts_at": body["starts_at"],
            "ends_at": body["ends_at"],
        },
    )
    assert s.status_code == 201 and s.get_json()["stream_kind"] == "flv"
    sid = s.get_json()["id"]
    p = client.patch(f"/api/v1/fairs/{fair['id']}/sessions/{sid}", json={"title": "渔民直播"})
    assert p.status_code == 200 and p.get_json()["title"] == "渔民直播"
    assert [x["id"] for x in client.get(f"/api/v1/fairs/{fair['id']}/sessions").get_json()] == [sid]
    assert client.delete(f"/api/v1/fairs/{fair['id']}/sessions/{sid}").status_code == 204
    assert client.get(f"/api/v1/fairs/{fair['id']}/sessions").get_json() == []
    assert client.post(f"/api/v1/fairs/{fair['id']}/close").get_json()["status"] == "closed"

    # Other roles are refused; anonymous gets 401.
    other = app.test_client()
    assert other.post("/api/v1/fairs", json=body).status_code == 401
    sign_in(other, make_user())
    resp = other.post("/api/v1/fairs", json=body)
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "forbidden"
    assert other.get("/api/v1/fairs/manage").status_code == 403
    assert client.get("/api/v1/fairs/999999999999").status_code == 404
