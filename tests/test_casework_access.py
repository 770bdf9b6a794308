"""Who may see case files and priority-group status, and the audit trail of every view."""

from datetime import timedelta

import pytest
from conftest import bj_today, sign_in

from jobfair.extensions import db


@pytest.fixture
def case_world(app, make_priority_seeker, make_worker):
    """A 江宁区 case file opened by its district worker; workers of 鼓楼区 and a supervisor."""
    jiangning = make_worker(districts=("江宁区",), name="江宁工作人员")
    gulou = make_worker(districts=("鼓楼区",), name="鼓楼工作人员")
    supervisor = make_worker(districts=(), supervisor=True, name="督导")
    seeker = make_priority_seeker("许大海", groups=("retired_fisher",), district="江宁区")
    client = sign_in(app.test_client(), jiangning)
    resp = client.post(
        "/api/v1/casework/cases", json={"seeker_id": seeker.id, "needs": "想在家附近做保安"}
    )
    assert resp.status_code == 201
    return {
        "case_id": resp.get_json()["id"],
        "jiangning": jiangning,
        "gulou": gulou,
        "supervisor": supervisor,
        "seeker": seeker,
    }


def _audit(app, action="casework.case_view"):
    from jobfair.models import AuditLog

    with app.app_context():
        return [
            (r.actor_id, r.object_id, r.detail.get("reason"))
            for r in db.session.scalars(db.select(AuditLog).filter_by(action=action))
        ]


def test_district_worker_opens_a_file_with_a_reason_and_it_is_audited(app, case_world):
    w = case_world
    client = sign_in(app.test_client(), w["jiangning"])
    url = f"/casework/cases/{w['case_id']}"

    page = client.get(url).get_data(as_text=True)
    assert "请选择查看事由" in page and "许大海" not in page
    assert _audit(app) == []

    page = client.get(url, query_string={"reason": "other"}).get_data(as_text=True)
    assert "选择“其他”时请填写具体事由" in page and "许大海" not in page

    page = client.get(url, query_string={"reason": "follow_up"}).get_data(as_text=True)
    assert "许大海" in page and "想在家附近做保安" in page
    assert _audit(app) == [(w["jiangning"].id, w["case_id"], "日常跟踪帮扶")]

    # The reason holds for this visit: the next view needs no new choice but is logged too.
    assert "许大海" in client.get(url).get_data(as_text=True)
    assert len(_audit(app)) == 2

    api = client.get(f"/api/v1/casework/cases/{w['case_id']}")
    assert api.status_code == 422 and api.get_json()["error"]["code"] == "reason_required"
    api = client.get(
        f"/api/v1/casework/cases/{w['case_id']}",
        query_string={"reason": "other", "reason_text": "核对培训补贴名单"},
    )
    assert api.status_code == 200 and api.get_json()["seeker"]["name"] == "许大海"
    assert _audit(app)[-1][2] == "其他：核对培训补贴名单"


def test_other_district_worker_and_plain_organiser_get_403_in_chinese(app, make_user, case_world):
    w = case_world
    url = f"/casework/cases/{w['case_id']}"
    api = f"/api/v1/casework/cases/{w['case_id']}?reason=follow_up"

    gulou = sign_in(app.test_client(), w["gulou"])
    resp = gulou.get(url + "?reason=follow_up")
    assert resp.status_code == 403 and "江宁区" in resp.get_data(as_text=True)
    assert gulou.get(api).status_code == 403
    assert w["seeker"].phone not in resp.get_data(as_text=True)
    # Lists only show the worker's own districts.
    assert gulou.get("/api/v1/casework/cases").get_json()["items"] == []

    plain = sign_in(app.test_client(), make_user(role="organiser"))
    for path in (url, "/casework/cases", "/casework/households", "/casework/fishers"):
        resp = plain.get(path)
        assert resp.status_code == 403
        assert "只有负责该区的个案工作人员" in resp.get_data(as_text=True)
    resp = plain.get(api)
    assert resp.status_code == 403
    assert resp.get_json()["error"]["message"].startswith("只有负责该区的个案工作人员")
    assert _audit(app) == []

    supervisor = sign_in(app.test_client(), w["supervisor"])
    assert supervisor.get(api).status_code == 200
    assert [a[0] for a in _audit(app)] == [w["supervisor"].id]


def test_employers_never_see_case_files(app, make_employer, case_world):
    employer = sign_in(app.test_client(), make_employer().user)
    for path in (
        f"/casework/cases/{case_world['case_id']}?reason=follow_up",
        "/casework/cases",
        "/casework/targets",
        f"/api/v1/casework/cases/{case_world['case_id']}?reason=follow_up",
        "/api/v1/casework/cases/export?reason=report&format=csv",
    ):
        assert employer.get(path).status_code == 403, path


def test_seeker_sees_own_file_summary_only(app, make_priority_seeker, make_position, case_world):
    w = case_world
    worker = sign_in(app.test_client(), w["jiangning"])
    pos = make_position()
    resp = worker.patch(
        f"/api/v1/casework/cases/{w['case_id']}",
        json={
            "status": "in_progress",
            "plan_paths": ["training", "transfer"],
            "worker_id": w["jiangning"].id,
        },
    )
    assert resp.status_code == 200, resp.get_json()
    resp = worker.post(
        f"/api/v1/casework/cases/{w['case_id']}/recommendations",
        json={"position_id": pos.id, "recommended_on": bj_today().isoformat()},
    )
    assert resp.status_code == 201
    worker.post(
        f"/api/v1/casework/cases/{w['case_id']}/contacts",
        json={"contact_on": bj_today().isoformat(), "channel": "phone", "summary": "内部备注"},
    )

    me = sign_in(app.test_client(), w["seeker"])
    page = me.get("/me/casework").get_data(as_text=True)
    assert "江宁工作人员" in page and "技能培训" in page and "转移务工就业" in page
    assert pos.title in page
    assert "内部备注" not in page  # contact notes stay with the case workers
    data = me.get("/api/v1/casework/me").get_json()
    assert data["case"]["worker_name"] == "江宁工作人员"
    assert "contacts" not in data["case"]
    assert _audit(app, "casework.case_self_view")[0][2] == "本人查看"

    other = sign_in(app.test_client(), make_priority_seeker("路人甲"))
    page = other.get("/me/casework").get_data(as_text=True)
    assert "你还没有帮扶档案" in page and "江宁工作人员" not in page
    assert other.get(f"/casework/cases/{w['case_id']}").status_code == 403


def test_case_file_only_for_consenting_priority_group_seekers(
    app, make_priority_seeker, make_worker
):
    worker = sign_in(app.test_client(), make_worker())
    no_consent = make_priority_seeker("甲", groups=(), consent=False)
    resp = worker.post("/api/v1/casework/cases", json={"seeker_id": no_consent.id})
    assert resp.status_code == 422 and "同意" in resp.get_json()["error"]["message"]
    other_district = make_priority_seeker("乙", district="鼓楼区")
    assert (
        worker.post("/api/v1/casework/cases", json={"seeker_id": other_district.id}).status_code
        == 403
    )
    ok = make_priority_seeker("丙")
    assert worker.post("/api/v1/casework/cases", json={"seeker_id": ok.id}).status_code == 201
    resp = worker.post("/api/v1/casework/cases", json={"seeker_id": ok.id})
    assert resp.status_code == 409


def test_supervisor_manages_case_workers_and_others_cannot(app, make_user, make_worker):
    supervisor = sign_in(app.test_client(), make_worker(districts=(), supervisor=True))
    staff = make_user(role="organiser", name="新同事")
    resp = supervisor.post(
        "/casework/workers", data={"user_id": staff.id, "districts": ["浦口区", "六合区"]}
    )
    assert resp.status_code == 302
    staff_client = sign_in(app.test_client(), staff)
    assert staff_client.get("/casework/cases").status_code == 200
    assert staff_client.get("/casework/workers").status_code == 403

    resp = supervisor.post("/casework/workers", data={"user_id": staff.id})
    assert resp.status_code == 422 and "请至少选择一个负责的区" in resp.get_data(as_text=True)


def test_follow_ups_by_worker_and_seeker_confirmation(
    app, make_priority_seeker, make_worker, make_position, make_hire
):
    from datetime import UTC, datetime

    worker_user = make_worker()
    seeker = make_priority_seeker("回访对象")
    hired_at = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=95)
    make_hire(seeker, make_position(), at=hired_at, status="onboarded")
    from jobfair.casework.queries import local_date

    hired_on = local_date(hired_at).isoformat()

    me = sign_in(app.test_client(), seeker)
    page = me.get("/me/casework").get_data(as_text=True)
    assert "我仍在这份工作" in page
    resp = me.post(
        "/me/casework/follow-ups",
        data={"hired_on": hired_on, "day_mark": "30", "still_employed": "1"},
        follow_redirects=True,
    )
    assert "感谢确认" in resp.get_data(as_text=True)
    resp = me.post(
        "/api/v1/casework/follow-ups",
        json={"hired_on": hired_on, "day_mark": 180, "still_employed": True},
    )
    assert resp.status_code == 422 and "入职满 180 天后" in resp.get_json()["error"]["message"]

    worker = sign_in(app.test_client(), worker_user)
    resp = worker.post(
        "/api/v1/casework/follow-ups",
        json={
            "seeker_id": seeker.id,
            "hired_on": hired_on,
            "day_mark": 90,
            "still_employed": False,
        },
    )
    assert resp.status_code == 201 and resp.get_json()["source"] == "case_worker"

    from jobfair.casework import followups

    with app.app_context():
        counts = followups.follow_up_counts()
    assert counts[30] == {"confirmed": 1, "still_employed": 1}
    assert counts[90] == {"confirmed": 1, "still_employed": 0}
    assert counts[180] == {"confirmed": 0, "still_employed": 0}

    other = sign_in(app.test_client(), make_worker(districts=("鼓楼区",)))
    resp = other.post(
        "/api/v1/casework/follow-ups",
        json={"seeker_id": seeker.id, "hired_on": hired_on, "day_mark": 30, "still_employed": True},
    )
    assert resp.status_code == 403
