"""Applications: apply, duplicate, withdraw, re-apply, and the employer pipeline with its history."""

from datetime import date, timedelta

from conftest import sign_in
from flask import render_template_string

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import Application, ApplicationEvent, Position, User


def application_rows(app, position_id=None):
    with app.app_context():
        q = db.select(Application).order_by(Application.id)
        if position_id:
            q = q.filter_by(position_id=position_id)
        rows = db.session.scalars(q).all()
        out = [
            (
                a.id,
                a.status,
                a.note,
                [(e.from_status, e.to_status) for e in a.events],
            )
            for a in rows
        ]
        return out


def test_seeker_applies_with_a_note_and_sees_it_in_my_applications(
    client, app, make_seeker, make_position
):
    seeker = make_seeker()
    pos = make_position()
    sign_in(client, seeker)
    resp = client.post(f"/positions/{pos.id}/apply", data={"note": "下周可到岗"})
    assert resp.status_code == 302
    assert application_rows(app) == [(1, "submitted", "下周可到岗", [(None, "submitted")])]
    page = client.get("/me/applications").get_data(as_text=True)
    assert "电焊工" in page and pos.employer.name in page and "新投递" in page


def test_duplicate_application_is_a_clear_409(client, app, make_seeker, make_position):
    seeker = make_seeker()
    pos = make_position()
    sign_in(client, seeker)
    assert client.post(f"/api/v1/positions/{pos.id}/applications", json={}).status_code == 201
    resp = client.post(f"/api/v1/positions/{pos.id}/applications", json={"note": "再投一次"})
    assert resp.status_code == 409
    err = resp.get_json()["error"]
    assert err["code"] == "already_applied" and "已投递" in err["message"]
    # The HTML form tells the person the same thing.
    resp = client.post(f"/positions/{pos.id}/apply", data={}, follow_redirects=True)
    assert "你已投递过该岗位（已投递）" in resp.get_data(as_text=True)
    assert len(application_rows(app)) == 1


def test_apply_without_body_works_and_note_is_limited(client, make_seeker, make_position):
    sign_in(client, make_seeker())
    pos = make_position()
    resp = client.post(f"/api/v1/positions/{pos.id}/applications", json={"note": "字" * 501})
    assert resp.status_code == 422
    resp = client.post(f"/api/v1/positions/{pos.id}/applications", json={"role": "employer"})
    assert resp.status_code == 422
    resp = client.post(f"/api/v1/positions/{pos.id}/applications")
    assert resp.status_code == 201 and resp.get_json()["status_label"] == "新投递"


def test_incomplete_profile_is_sent_to_the_profile_first(client, app, make_user, make_position):
    seeker = make_user()
    pos = make_position()
    sign_in(client, seeker)
    resp = client.post(f"/positions/{pos.id}/apply", data={"note": ""})
    assert resp.status_code == 302 and "/me/profile" in resp.headers["Location"]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "投递前请先在求职资料中填写姓名和手机号" in page
    resp = client.post(f"/api/v1/positions/{pos.id}/applications", json={})
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "profile_incomplete"
    assert application_rows(app) == []


def test_only_open_positions_take_applications(client, app, make_seeker, make_position):
    sign_in(client, make_seeker())
    draft = make_position(status="draft")
    held = make_position(status="held")
    closed = make_position(status="closed")
    expired = make_position(deadline=date.today() - timedelta(days=1))
    last_day = make_position(deadline=date.today())
    for pos in (draft, held):
        assert client.post(f"/api/v1/positions/{pos.id}/applications").status_code == 404
        assert client.post(f"/positions/{pos.id}/apply").status_code == 404
    for pos in (closed, expired):
        resp = client.post(f"/api/v1/positions/{pos.id}/applications")
        assert resp.status_code == 409 and "停止招聘" in resp.get_json()["error"]["message"]
    assert client.post("/api/v1/positions/999999/applications").status_code == 404
    assert client.post(f"/api/v1/positions/{last_day.id}/applications").status_code == 201
    assert len(application_rows(app)) == 1


def test_only_seekers_apply(client, app, make_user, make_position):
    pos = make_position()
    assert client.post(f"/positions/{pos.id}/apply").status_code == 302  # to login
    assert client.post(f"/api/v1/positions/{pos.id}/applications").status_code == 401
    sign_in(client, make_user(role="employer"))
    assert client.post(f"/positions/{pos.id}/apply").status_code == 403
    assert client.post(f"/api/v1/positions/{pos.id}/applications").status_code == 403
    assert application_rows(app) == []


def test_withdraw_and_reapply_reopens_the_same_application(client, app, make_seeker, make_position):
    sign_in(client, make_seeker())
    pos = make_position()
    app_id = client.post(f"/api/v1/positions/{pos.id}/applications").get_json()["id"]
    resp = client.post(f"/me/applications/{app_id}/withdraw", follow_redirects=True)
    assert "已撤回投递" in resp.get_data(as_text=True)
    assert application_rows(app)[0][1] == "withdrawn"
    # Withdrawing twice is refused and changes nothing.
    resp = client.post(f"/api/v1/me/applications/{app_id}/withdraw")
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "already_withdrawn"
    # Applying again reopens the same row as 新投递, with a history entry.
    resp = client.post(f"/api/v1/positions/{pos.id}/applications", json={"note": "重新考虑了"})
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["id"] == app_id and body["status"] == "submitted"
    assert [h["to_status"] for h in body["history"]] == ["submitted", "withdrawn", "submitted"]
    assert application_rows(app) == [
        (
            app_id,
            "submitted",
            "重新考虑了",
            [(None, "submitted"), ("submitted", "withdrawn"), ("withdrawn", "submitted")],
        )
    ]
    # And a second reapply is a duplicate again.
    assert client.post(f"/api/v1/positions/{pos.id}/applications").status_code == 409


# --- the employer pipeline -----------------------------------------------------------------


def set_status(client, app_id, status, note="", api=False):
    if api:
        return client.post(
            f"/api/v1/employer/applications/{app_id}/status", json={"status": status, "note": note}
        )
    return client.post(
        f"/employer/applications/{app_id}/status", data={"status": status, "note": note}
    )


def test_pipeline_moves_through_every_status_and_the_seeker_follows_it(
    app, make_seeker, make_employer, make_position
):
    seeker = make_seeker(intro="持焊工证，八年经验。")
    emp = make_employer()
    pos = make_position(employer=emp)
    s, e = app.test_client(), app.test_client()
    sign_in(s, seeker)
    sign_in(e, emp.user)
    app_id = s.post(f"/api/v1/positions/{pos.id}/applications", json={"note": "盼复"}).get_json()[
        "id"
    ]

    listing = e.get(f"/employer/positions/{pos.id}/applicants").get_data(as_text=True)
    assert "李建国" in listing and "新投递" in listing
    # Opening a new application marks it 已查看 and shows the full contact details.
    page = e.get(f"/employer/applications/{app_id}").get_data(as_text=True)
    assert seeker.phone in page and "持焊工证" in page and "盼复" in page
    assert application_rows(app)[0][1] == "viewed"
    e.get(f"/employer/applications/{app_id}")  # opening again writes nothing more
    assert len(application_rows(app)[0][3]) == 2

    resp = set_status(e, app_id, "interview", "周三上午 9 点到江宁厂区面试")
    assert resp.status_code == 302
    resp = set_status(e, app_id, "hired", api=True)
    assert resp.status_code == 200 and resp.get_json()["status_label"] == "录用"
    resp = set_status(e, app_id, "onboarded", api=True)
    assert resp.get_json()["next_statuses"] == []

    mine = s.get("/me/applications").get_data(as_text=True)
    for text in ("已入职", "邀请面试", "周三上午 9 点到江宁厂区面试", "已查看", "用人单位"):
        assert text in mine
    items = s.get("/api/v1/me/applications").get_json()["items"]
    history = items[0]["history"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        (None, "submitted"),
        ("submitted", "viewed"),
        ("viewed", "interview"),
        ("interview", "hired"),
        ("hired", "onboarded"),
    ]
    assert all(h["created_at"] for h in history)
    assert history[2]["note"] == "周三上午 9 点到江宁厂区面试" and history[2]["by"] == "employer"
    # A finished application can no longer be withdrawn.
    assert s.post(f"/api/v1/me/applications/{app_id}/withdraw").status_code == 409


INVALID_MOVES = [
    ([], "interview"),  # 新投递 cannot skip 已查看
    (["viewed"], "hired"),
    (["viewed"], "onboarded"),
    (["viewed"], "submitted"),
    (["viewed"], "viewed"),
    (["viewed", "rejected"], "interview"),
    (["viewed", "interview", "hired", "onboarded"], "rejected"),
    (["viewed"], "withdrawn"),
]


def test_invalid_transitions_are_422_and_change_nothing(
    app, make_seeker, make_employer, make_position
):
    from jobfair.applications import services
    from jobfair.models import ApplicationStatus

    seeker = make_seeker()
    emp = make_employer()
    s, e = app.test_client(), app.test_client()
    sign_in(s, seeker)
    sign_in(e, emp.user)
    for path, target in INVALID_MOVES:
        pos = make_position(employer=emp)
        app_id = s.post(f"/api/v1/positions/{pos.id}/applications").get_json()["id"]
        with app.app_context(), writing():
            user = db.session.get(User, emp.user.id)
            for step in path:
                a = db.session.get(Application, app_id)
                services._move(a, a.status, ApplicationStatus(step), user, "")
                db.session.commit()
        before = application_rows(app)
        resp = set_status(e, app_id, target, api=True)
        assert resp.status_code == 422, (path, target)
        err = resp.get_json()["error"]
        assert err["code"] == "invalid_transition"
        assert "不能把投递从" in err["message"] or "只有求职者本人" in err["message"]
        resp = set_status(e, app_id, target)
        page = resp.get_data(as_text=True)
        assert resp.status_code == 422 and ("不能把投递从" in page or "只有求职者本人" in page)
        assert application_rows(app) == before


def test_unknown_status_is_422(client, app, make_seeker, make_employer, make_position):
    seeker = make_seeker()
    emp = make_employer()
    pos = make_position(employer=emp)
    sign_in(client, seeker)
    app_id = client.post(f"/api/v1/positions/{pos.id}/applications").get_json()["id"]
    client.post("/logout")
    sign_in(client, emp.user)
    resp = set_status(client, app_id, "promoted", api=True)
    assert resp.status_code == 422
    resp = client.post(
        f"/api/v1/employer/applications/{app_id}/status", json={"status": "viewed", "x": 1}
    )
    assert resp.status_code == 422
    assert application_rows(app)[0][1] == "submitted"


def test_withdrawn_applications_cannot_be_moved_and_hide_contacts(
    app, make_seeker, make_employer, make_position
):
    seeker = make_seeker(name="赵小红", intro="我的自我介绍")
    emp = make_employer()
    pos = make_position(employer=emp)
    s, e = app.test_client(), app.test_client()
    sign_in(s, seeker)
    sign_in(e, emp.user)
    app_id = s.post(f"/api/v1/positions/{pos.id}/applications").get_json()["id"]
    assert seeker.phone in e.get(f"/employer/applications/{app_id}").get_data(as_text=True)
    assert s.post(f"/api/v1/me/applications/{app_id}/withdraw").status_code == 200
    resp = set_status(e, app_id, "interview", api=True)
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "application_withdrawn"
    assert application_rows(app)[0][1] == "withdrawn"
    # The employer still sees that it was withdrawn, but no longer the full phone or profile.
    masked = seeker.phone[:3] + "****" + seeker.phone[-4:]
    page = e.get(f"/employer/applications/{app_id}").get_data(as_text=True)
    assert "已撤回" in page and seeker.phone not in page and masked in page
    assert "我的自我介绍" not in page
    body = e.get(f"/api/v1/employer/applications/{app_id}").get_json()
    assert body["seeker"]["phone"] == masked and body["seeker"]["email"] is None
    listing = e.get(f"/api/v1/employer/positions/{pos.id}/applications").get_json()
    assert listing["items"][0]["status"] == "withdrawn"


def test_employer_api_lists_applicants_and_shows_full_contact(
    app, make_seeker, make_employer, make_position
):
    seeker = make_seeker(groups=["veteran"], group_consent=True)
    emp = make_employer()
    pos = make_position(employer=emp)
    s, e = app.test_client(), app.test_client()
    sign_in(s, seeker)
    sign_in(e, emp.user)
    app_id = s.post(f"/api/v1/positions/{pos.id}/applications").get_json()["id"]
    listing = e.get(f"/api/v1/employer/positions/{pos.id}/applications").get_json()
    assert listing["total"] == 1 and listing["items"][0]["seeker_name"] == "李建国"
    assert (
        e.get(f"/api/v1/employer/positions/{pos.id}/applications?status=hired").get_json()["total"]
        == 0
    )
    body = e.get(f"/api/v1/employer/applications/{app_id}").get_json()
    assert body["status"] == "viewed" and body["seeker"]["phone"] == seeker.phone
    assert body["next_statuses"] == ["interview", "rejected"]
    # Priority-group status is sensitive and never shown to employers.
    assert "groups" not in body["seeker"] and "veteran" not in str(body)
    page = e.get(f"/employer/applications/{app_id}").get_data(as_text=True)
    assert "退役军人" not in page


# --- the apply box on the public position page ---------------------------------------------


def render_box(app, position_id, user=None):
    from flask import g

    with app.test_request_context(f"/positions/{position_id}"):
        if user is not None:
            g._login_user = db.session.get(User, user.id)
        pos = db.session.get(Position, position_id)
        return render_template_string(
            '{% include "applications/_apply_box.html" ignore missing %}', position=pos
        )


def test_apply_box_for_each_kind_of_visitor(app, make_seeker, make_user, make_position):
    pos = make_position()
    closed = make_position(status="closed")
    seeker = make_seeker()
    html = render_box(app, pos.id)
    assert "登录后投递" in html and "/login?next=" in html and "<form" not in html
    html = render_box(app, pos.id, seeker)
    assert f'action="/positions/{pos.id}/apply"' in html and 'name="note"' in html
    assert 'name="csrf_token"' in html
    assert "停止招聘" in render_box(app, closed.id, seeker)
    with app.app_context(), writing():
        db.session.add(
            Application(position_id=pos.id, seeker_id=seeker.id, status="interview", note="")
        )
        db.session.commit()
    html = render_box(app, pos.id, seeker)
    assert "已投递" in html and "邀请面试" in html and "<form" not in html


def test_employer_box_shows_nothing(app, make_user, make_position):
    pos = make_position()
    html = render_box(app, pos.id, make_user(role="employer"))
    assert "<form" not in html and "投递" not in html and "apply-box" not in html
    html = render_box(app, pos.id, make_user(role="organiser"))
    assert "<form" not in html and "投递" not in html and "apply-box" not in html


def test_applicants_link_partial_counts_new_applications(
    app, make_seeker, make_employer, make_position
):
    emp = make_employer()
    pos = make_position(employer=emp)
    for name in ("甲", "乙"):
        c = app.test_client()
        sign_in(c, make_seeker(name=name))
        c.post(f"/api/v1/positions/{pos.id}/applications")
    boss = app.test_client()
    sign_in(boss, emp.user)
    html = boss.get("/employer/positions").get_data(as_text=True)
    assert f"/employer/positions/{pos.id}/applicants" in html and "投递者（2，新 2）" in html


def test_events_record_actor(app, make_seeker, make_employer, make_position):
    seeker = make_seeker()
    emp = make_employer()
    pos = make_position(employer=emp)
    s, e = app.test_client(), app.test_client()
    sign_in(s, seeker)
    sign_in(e, emp.user)
    app_id = s.post(f"/api/v1/positions/{pos.id}/applications").get_json()["id"]
    e.get(f"/employer/applications/{app_id}")
    with app.app_context():
        events = db.session.scalars(db.select(ApplicationEvent).order_by(ApplicationEvent.id)).all()
        assert [ev.actor_id for ev in events] == [seeker.id, emp.user.id]
        assert all(ev.created_at is not None for ev in events)
