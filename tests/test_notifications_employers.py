"""Employers are told of the organisers' decisions and of rep changes, live and in the centre,
driven by events; each user chooses per kind: live, in the centre, and/or a daily summary."""

import threading

import pytest
from conftest import events, sign_in

from jobfair.database import writing
from jobfair.extensions import db

REP_PASSWORD = "a-rep-password-2026"


@pytest.fixture
def organiser(make_user):
    return make_user(role="organiser", name="赵主任")


def titles(app, user_id: int, *, centre_only=True) -> list[str]:
    from jobfair.models import Notification

    with app.app_context():
        q = db.select(Notification.title).filter_by(user_id=user_id).order_by(Notification.id)
        if centre_only:
            q = q.filter(Notification.in_centre.is_(True))
        return list(db.session.scalars(q))


def add_rep(app, employer, make_user, name="钱招聘"):
    from jobfair.models import EmployerRep

    rep = make_user(role="employer", name=name)
    with app.app_context(), writing():
        db.session.add(EmployerRep(employer_id=employer.id, user_id=rep.id))
        db.session.commit()
    return rep


def test_verification_result_reaches_the_owner_and_reps(
    app, client, organiser, make_employer, make_user
):
    emp = make_employer(status="pending", name="南京待审核有限公司")
    rep = add_rep(app, emp, make_user)
    other = make_employer(status="pending", name="南京另一家有限公司")
    sign_in(client, organiser)
    assert client.post(f"/api/v1/organiser/employers/{emp.id}/verify").status_code == 200
    resp = client.post(
        f"/api/v1/organiser/employers/{other.id}/reject", json={"reason": "营业执照照片不清晰"}
    )
    assert resp.status_code == 200
    assert titles(app, emp.user_id) == ["单位审核已通过"] == titles(app, rep.id)
    assert titles(app, other.user_id) == ["单位审核未通过"]
    owner = app.test_client()
    sign_in(owner, other.user)
    page = owner.get("/notifications").get_data(as_text=True)
    assert "营业执照照片不清晰" in page and "单位审核" in page


def test_a_refused_decision_tells_nobody(app, client, organiser, make_employer):
    emp = make_employer(status="verified")
    sign_in(client, organiser)
    assert client.post(f"/api/v1/organiser/employers/{emp.id}/verify").status_code == 409
    assert titles(app, emp.user_id) == []


def test_held_returned_and_approved_positions(app, client, organiser, make_employer, make_position):
    emp = make_employer()
    owner = app.test_client()
    sign_in(owner, emp.user)
    pos = make_position(employer=emp, status="draft", requirements="限男性，能吃苦耐劳")
    resp = owner.post(f"/api/v1/employer/positions/{pos.id}/publish")
    assert resp.get_json()["status"] == "held"
    assert titles(app, emp.user_id) == ["岗位待审核"]
    sign_in(client, organiser)
    client.post(f"/api/v1/organiser/positions/{pos.id}/reject", json={"note": "请删除性别限制"})
    assert titles(app, emp.user_id)[-1] == "岗位被退回，请修改"
    page = owner.get("/notifications").get_data(as_text=True)
    assert "请删除性别限制" in page and "限男性" in page
    second = make_position(employer=emp, status="draft", requirements="限男性")
    owner.post(f"/api/v1/employer/positions/{second.id}/publish")
    client.post(f"/api/v1/organiser/positions/{second.id}/approve", json={})
    assert titles(app, emp.user_id)[-1] == "岗位审核通过，已公开"


def test_booth_decisions(app, client, organiser, world):
    from jobfair.models import Booth

    with app.app_context(), writing():
        booth = db.session.get(Booth, world.other_booth_id)
        booth.status = "pending"
        db.session.commit()
    sign_in(client, organiser)
    resp = client.post(
        f"/api/v1/fairs/booths/{world.other_booth_id}/decline", json={"reason": "展位已满"}
    )
    assert resp.status_code == 200, resp.get_json()
    got = titles(app, world.other_employer.user_id)
    assert got == ["展位申请未通过"]
    client.post(f"/api/v1/fairs/booths/{world.other_booth_id}/approve")
    assert titles(app, world.other_employer.user_id)[-1] == "展位申请已通过"


def test_rep_changes_reach_the_other_people_and_the_new_rep(app, client, make_employer, make_user):
    from jobfair.models import User

    emp = make_employer()
    colleague = add_rep(app, emp, make_user, name="孙同事")
    sign_in(client, emp.user)
    phone = "13912345678"
    resp = client.post(
        "/employer/reps", data={"name": "王小凤", "phone": phone, "password": REP_PASSWORD}
    )
    assert resp.status_code == 302
    with app.app_context():
        new_rep = db.session.scalar(db.select(User).filter_by(phone=phone))
    assert titles(app, colleague.id) == ["新增招聘代表：王小凤"]
    assert titles(app, new_rep.id) == ["你已成为招聘代表"]
    assert titles(app, emp.user_id) == []  # the owner did it: no note to self
    from jobfair.models import EmployerRep

    with app.app_context():
        rep_id = db.session.scalar(db.select(EmployerRep.id).filter_by(user_id=new_rep.id))
    assert client.post(f"/employer/reps/{rep_id}/remove").status_code == 302
    assert titles(app, colleague.id)[-1] == "已移除招聘代表：王小凤"
    assert titles(app, new_rep.id) == ["你已成为招聘代表"]  # nothing more to a closed account


def test_decisions_arrive_live_on_open_pages(app, client, organiser, make_employer, sock):
    emp = make_employer(status="pending")
    root = sock(emp.user, "/")
    root.get_received("/")
    sign_in(client, organiser)
    client.post(f"/api/v1/organiser/employers/{emp.id}/verify")
    pushed = events(root, "/", "notification")
    assert [n["title"] for n in pushed] == ["单位审核已通过"]
    assert pushed[0]["kind"] == "employer_review" and pushed[0]["in_centre"] is True


# --- preferences -------------------------------------------------------------------------


def test_preferences_decide_live_centre_and_digest(app, client, organiser, make_employer, sock):
    from jobfair.notifications.digests import send_digests

    emp = make_employer(status="pending")
    owner = app.test_client()
    sign_in(owner, emp.user)
    got = owner.get("/api/v1/notifications/preferences").get_json()
    kinds = {i["kind"]: i for i in got["items"]}
    assert kinds["employer_review"] == {
        "kind": "employer_review",
        "label": "单位审核",
        "hint": kinds["employer_review"]["hint"],
        "live": True,
        "centre": True,
        "digest": False,
    }
    resp = owner.put(
        "/api/v1/notifications/preferences",
        json={"items": {"employer_review": {"live": False, "centre": False, "digest": True}}},
    )
    assert resp.status_code == 200
    root = sock(emp.user, "/")
    root.get_received("/")
    sign_in(client, organiser)
    client.post(f"/api/v1/organiser/employers/{emp.id}/verify")
    assert events(root, "/", "notification") == []  # not pushed
    assert titles(app, emp.user_id) == []  # not listed one by one
    assert owner.get("/api/v1/notifications/unread-count").get_json()["unread"] == 0
    assert owner.get("/api/v1/notifications/preferences").get_json()["pending_digest"] == 1
    with app.app_context(), writing():
        assert send_digests() == {"users": 1, "items": 1}
        assert send_digests() == {"users": 0, "items": 0}  # summarised once
    assert titles(app, emp.user_id) == ["每日汇总：1 条通知"]
    body = owner.get("/api/v1/notifications").get_json()["items"][0]["body"]
    assert "单位审核 1 条" in body and "单位审核已通过" in body
    assert [n["title"] for n in events(root, "/", "notification")] == ["每日汇总：1 条通知"]


def test_preferences_page_saves_and_refuses_bad_input(app, client, make_user):
    seeker = make_user()
    sign_in(client, seeker)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert "投递进度" in page and "单位审核" not in page  # a seeker's own kinds only
    resp = client.post(
        "/notifications/preferences",
        data={"application_status.centre": "on", "application_status.digest": "on"},
    )
    assert resp.status_code == 302
    row = next(
        i
        for i in client.get("/api/v1/notifications/preferences").get_json()["items"]
        if i["kind"] == "application_status"
    )
    assert (row["live"], row["centre"], row["digest"]) == (False, True, True)
    bad = client.put(
        "/api/v1/notifications/preferences",
        json={"items": {"employer_review": {"live": True, "centre": True, "digest": False}}},
    )
    assert bad.status_code in (400, 422)
    assert bad.get_json()["error"]["message"] == "不能设置这类通知：单位审核"
    bad_value = client.put(
        "/api/v1/notifications/preferences",
        json={"items": {"live": {"live": "maybe", "centre": True, "digest": False}}},
    )
    assert bad_value.status_code in (400, 422)
    assert client.put("/api/v1/notifications/preferences", json={}).status_code in (400, 422)


def test_twenty_simultaneous_summary_runs_send_one_summary(app, make_user):
    from jobfair.models import Notification
    from jobfair.notifications import preferences
    from jobfair.notifications.digests import send_digests
    from jobfair.notifications.services import notify

    users = [make_user() for _ in range(3)]
    with app.app_context(), writing():
        for u in users:
            preferences.save(u, {"application_status": {"live": 1, "centre": 1, "digest": 1}})
            for i in range(4):
                notify(u.id, "application_status", f"进度{i}")
        db.session.commit()
    results, errors = [], []

    def run():
        try:
            with app.app_context(), writing():
                results.append(send_digests())
                db.session.remove()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sum(r["items"] for r in results) == 12
    with app.app_context():
        summaries = db.session.scalar(
            db.select(db.func.count()).select_from(Notification).filter_by(kind="digest")
        )
    assert summaries == 3
    # Centre was kept on: the four are still listed one by one as well.
    assert len(titles(app, users[0].id)) == 5
