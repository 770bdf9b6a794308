"""Notification centre: notify after commit, list (unread first), mark read, ownership, badge,
application status hooks and live delivery through the live layer when it is present."""

import sys
import types

import pytest
from conftest import sign_in

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import Application, Notification, User


@pytest.fixture
def send(app):
    """send(user, title, **kw) -> id: notify() and commit, as a service would."""
    from jobfair.notifications.services import notify

    def do(user, title="测试通知", kind="system", body="", link=None):
        with app.app_context(), writing():
            n = notify(user.id, kind, title, body, link)
            db.session.commit()
            return n.id

    return do


@pytest.fixture
def emitted(monkeypatch):
    """Capture emit_to_user calls (stands in for the live layer's helper)."""
    calls = []
    import jobfair.live.realtime as realtime

    monkeypatch.setattr(
        realtime, "emit_to_user", lambda uid, event, payload: calls.append((uid, event, payload))
    )
    return calls


def test_list_shows_unread_first_and_the_badge_counts_them(app, make_user, send, signed_in):
    user = make_user()
    old = send(user, "第一条")
    send(user, "第二条")
    with app.app_context(), writing():
        db.session.get(Notification, old).read_at = db.func.now()
        db.session.commit()
    send(make_user(), "别人的通知")
    client = signed_in(user)

    html = client.get("/notifications").get_data(as_text=True)
    assert "第一条" in html and "第二条" in html and "别人的通知" not in html
    assert html.index("第二条") < html.index("第一条")  # unread first
    assert "data-notification-count>1<" in html  # nav badge

    data = client.get("/api/v1/notifications").get_json()
    assert [n["title"] for n in data["items"]] == ["第二条", "第一条"]
    assert data["unread"] == 1 and data["total"] == 2
    assert client.get("/api/v1/notifications/unread-count").get_json() == {"unread": 1}
    assert [
        n["title"] for n in client.get("/api/v1/notifications?unread=1").get_json()["items"]
    ] == ["第二条"]


def test_mark_one_and_all_read(app, make_user, send, signed_in):
    user = make_user()
    a = send(user, "岗位推送", link="/positions")
    send(user, "投递进度")
    send(user, "系统通知")
    client = signed_in(user)
    resp = client.post(f"/notifications/{a}/read", data={"open": "1"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/positions")
    assert client.get("/api/v1/notifications/unread-count").get_json()["unread"] == 2

    resp = client.post("/notifications/read-all")
    assert resp.status_code == 302
    assert "已将 2 条通知标为已读" in client.get("/notifications").get_data(as_text=True)
    assert client.get("/api/v1/notifications").get_json()["unread"] == 0
    html = client.get("/notifications").get_data(as_text=True)
    assert "data-notification-badge hidden" in html


def test_api_mark_read(app, make_user, send, signed_in):
    user = make_user()
    nid = send(user)
    client = signed_in(user)
    data = client.post(f"/api/v1/notifications/{nid}/read").get_json()
    assert data["read"] is True and data["read_at"]
    send(user, "再一条")
    assert client.post("/api/v1/notifications/read-all").get_json() == {"marked": 1, "unread": 0}


def test_another_users_notification_is_404(app, make_user, send, signed_in):
    owner, other = make_user(), make_user()
    nid = send(owner)
    client = signed_in(other)
    assert client.post(f"/notifications/{nid}/read").status_code == 404
    assert client.post(f"/api/v1/notifications/{nid}/read").status_code == 404
    assert client.post("/api/v1/notifications/99999/read").status_code == 404
    with app.app_context():
        assert db.session.get(Notification, nid).read_at is None


def test_notification_centre_requires_login(client):
    assert client.get("/notifications").status_code == 302
    assert client.get("/api/v1/notifications").status_code == 401


def test_mark_read_needs_csrf(app, make_user, send):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user()
    nid = send(user)
    client = app.test_client()
    sign_in(client, user)
    assert client.post(f"/notifications/{nid}/read").status_code == 400
    assert client.post(f"/api/v1/notifications/{nid}/read").status_code == 400
    with app.app_context():
        assert db.session.get(Notification, nid).read_at is None


def test_links_must_stay_inside_the_site(app, make_user):
    from jobfair.notifications.services import notify

    user = make_user()
    with app.app_context():
        for bad in ("https://evil.example/", "//evil.example", "javascript:alert(1)"):
            with pytest.raises(ValueError):
                notify(user.id, "system", "x", link=bad)
        db.session.rollback()


def test_delivered_live_after_commit_and_never_on_rollback(app, make_user, emitted):
    from jobfair.notifications.services import notify

    user = make_user()
    with app.app_context(), writing():
        notify(user.id, "system", "不会送达")
        db.session.flush()
        db.session.rollback()
        assert emitted == []
        notify(user.id, "system", "送达", "正文", "/me")
        assert emitted == []  # not before the commit
        db.session.commit()
    assert len(emitted) == 1
    uid, event, payload = emitted[0]
    assert (uid, event, payload["title"], payload["link"]) == (
        user.id,
        "notification",
        "送达",
        "/me",
    )
    assert payload["id"] and payload["read"] is False


def test_delivery_without_the_live_layer_keeps_the_notification(app, make_user, monkeypatch):
    from jobfair.notifications.services import notify

    monkeypatch.setitem(sys.modules, "jobfair.live.realtime", types.ModuleType("empty"))
    user = make_user()
    with app.app_context(), writing():
        notify(user.id, "system", "离线也保存")
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count(Notification.id))) == 1


def test_application_flow_notifies_employer_and_seeker(
    app, make_user, make_employer, make_position, signed_in, emitted
):
    from jobfair.seekers import services

    employer = make_employer()
    pos = make_position(employer=employer, title="电焊工")
    seeker = make_user()
    with app.app_context(), writing():
        services.save_profile(
            db.session.get(User, seeker.id), {"name": "周建军", "phone": seeker.phone}
        )
    seeker_client, employer_client = signed_in(seeker), signed_in(employer.user)

    assert seeker_client.post(f"/positions/{pos.id}/apply", data={"note": ""}).status_code == 302
    data = employer_client.get("/api/v1/notifications").get_json()
    assert [n["title"] for n in data["items"]] == ["收到新投递：电焊工"]
    assert data["items"][0]["link"] == f"/employer/positions/{pos.id}/applicants"

    with app.app_context():
        app_id = db.session.scalar(db.select(Application.id))
    employer_client.get(f"/employer/applications/{app_id}")  # opening marks it 已查看
    resp = employer_client.post(
        f"/employer/applications/{app_id}/status",
        data={"status": "interview", "note": "周三上午面试"},
    )
    assert resp.status_code == 302
    items = seeker_client.get("/api/v1/notifications").get_json()["items"]
    assert [n["title"] for n in items] == ["你收到了面试邀请", "用人单位已查看你的投递"]
    assert "周三上午面试" in items[0]["body"] and employer.name in items[0]["body"]
    assert {(e[0], e[1]) for e in emitted} == {
        (employer.user.id, "notification"),
        (seeker.id, "notification"),
    }


def test_demo_notifications_are_idempotent(app, make_user):
    from datetime import datetime

    from jobfair.notifications.demo import seed_demo

    seeker = make_user(login="13900000003")
    with app.app_context():
        assert seed_demo(datetime(2026, 3, 1)) == {"站内通知": 3}
        assert seed_demo(datetime(2026, 3, 2)) == {"站内通知": 0}
        rows = db.session.scalars(db.select(Notification).filter_by(user_id=seeker.id)).all()
        assert len(rows) == 3 and sum(n.read_at is None for n in rows) == 2
