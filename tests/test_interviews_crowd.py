"""Reps who work a crowd: concurrent chats, invitations from 推荐人才 and the fair's
registrations, the after-fair survey in the report, positions pinned from a list."""

import re
from datetime import timedelta

import pytest
from conftest import WELDER_PROFILE, World, ack, events, sign_in

from jobfair.database import writing
from jobfair.extensions import db

B = "/booth"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LIVE_COUNTS_DELAY": 0}


def _client(app, user):
    c = app.test_client()
    sign_in(c, user)
    return c


def _set_booth(app, booth_id, **values):
    from jobfair.models import Booth

    with app.app_context(), writing():
        booth = db.session.get(Booth, booth_id)
        for k, v in values.items():
            setattr(booth, k, v)
        db.session.commit()


# --- concurrent chats ------------------------------------------------------------------------


def test_a_rep_holds_two_chats_and_sees_both(app, world: World, sock):
    seekers = [sock(s, B) for s in world.seekers[:3]]
    for s in seekers:
        assert ack(s, B, "join_queue", booth_id=world.booth_id)["ok"]
    rep = sock(world.rep, B)
    first = ack(rep, B, "call_next", booth_id=world.booth_id)
    second = ack(rep, B, "call_next", booth_id=world.booth_id)
    assert first["ok"] and second["ok"] and first["chat"]["id"] != second["chat"]["id"]
    third = ack(rep, B, "call_next", booth_id=world.booth_id)
    assert third["ok"] is False and third["error"]["code"] == "rep_busy"
    assert "2 场面谈" in third["error"]["message"]
    # Both seekers talk with the rep at once; each hears only their own chat.
    for i, s in enumerate(seekers[:2]):
        chat_id = (first, second)[i]["chat"]["id"]
        assert ack(s, B, "open_chat", chat_id=chat_id)["ok"]
        s.get_received(B)
    rep.get_received(B)
    ack(rep, B, "chat_send", chat_id=first["chat"]["id"], client_id="a", body="第一位您好")
    ack(rep, B, "chat_send", chat_id=second["chat"]["id"], client_id="b", body="第二位您好")
    assert [m["body"] for m in events(seekers[0], B, "chat_message")] == ["第一位您好"]
    assert [m["body"] for m in events(seekers[1], B, "chat_message")] == ["第二位您好"]
    # The desk lists the rep's chats; each chat page links to the other.
    desk = ack(rep, B, "desk", booth_id=world.booth_id)["desk"]
    assert [c["id"] for c in desk["my_chats"]] == [first["chat"]["id"], second["chat"]["id"]]
    assert desk["max_chats"] == 2
    http = _client(app, world.rep)
    page = http.get(f"/live/booths/{world.booth_id}/desk").get_data(as_text=True)
    assert "我的面谈（<span data-my-count>2</span>/2）" in page and "已满" in page
    chat_page = http.get(f"/live/chats/{first['chat']['id']}").get_data(as_text=True)
    assert f'data-other-chat="{second["chat"]["id"]}"' in chat_page
    # Ending one frees a place.
    assert ack(rep, B, "end_chat", chat_id=first["chat"]["id"])["ok"]
    assert ack(rep, B, "call_next", booth_id=world.booth_id)["ok"]


def test_the_booth_sets_how_many_chats(app, world: World):
    _set_booth(app, world.booth_id, max_chats=1)
    for s in world.seekers[:2]:
        _client(app, s).post(f"/live/booths/{world.booth_id}/queue")
    rep = _client(app, world.rep)
    assert "/live/chats/" in rep.post(f"/live/booths/{world.booth_id}/call").headers["Location"]
    page = rep.post(f"/live/booths/{world.booth_id}/call", follow_redirects=True)
    assert "你已有 1 场面谈在进行" in page.get_data(as_text=True)


def test_booth_form_keeps_the_chat_limit_in_range(app, world: World):
    owner = _client(app, world.rep)
    base = {"position_ids": world.position_ids, "intro": "", "chat_minutes": 10}
    bad = owner.patch(f"/api/v1/fairs/booths/{world.booth_id}", json={**base, "max_chats": 9})
    assert bad.status_code == 422 and "max_chats" in bad.get_json()["error"]["fields"]
    ok = owner.patch(f"/api/v1/fairs/booths/{world.booth_id}", json={**base, "max_chats": 3})
    assert ok.status_code == 200 and ok.get_json()["max_chats"] == 3


# --- invitations -----------------------------------------------------------------------------


@pytest.fixture
def seeker_defaults():
    return WELDER_PROFILE  # a welder in 江宁区, who fits the welding position below


@pytest.fixture
def talent(app, make_seeker, make_employer, make_position):
    employer = make_employer(name="南京宁钢精工机械有限公司")
    position = make_position(employer=employer, title="电焊工（二保焊）")
    shy = make_seeker(name="赵隐身", discoverable=False)
    open_ = make_seeker(name="周建军", discoverable=True)
    return employer, position, open_, shy


def test_talent_invitation_reaches_the_seeker_who_then_applies(app, talent):
    from jobfair.models import Application, Notification

    employer, position, seeker, _shy = talent
    emp, me = _client(app, employer.user), _client(app, seeker)
    page = emp.get(f"/employer/positions/{position.id}/talent").get_data(as_text=True)
    assert "周**" in page and "周建军" not in page and "邀请投递" in page
    resp = emp.post(
        f"/employer/positions/{position.id}/talent/invite",
        data={"seeker_id": seeker.id, "kind": "apply"},
        follow_redirects=True,
    )
    assert "邀请已发出。求职者接受后，你就能看到对方的完整资料。" in resp.get_data(as_text=True)
    again = emp.post(
        "/api/v1/invitations",
        json={"seeker_id": seeker.id, "kind": "apply", "position_id": position.id},
    )
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_invited"
    listed = emp.get("/api/v1/invitations").get_json()["items"][0]
    assert listed["seeker"]["name"] != "周建军" and listed["status"] == "pending"

    with app.app_context():
        n = db.session.scalar(
            db.select(Notification).filter_by(user_id=seeker.id, kind="invitation")
        )
        assert n.title == "南京宁钢精工机械有限公司邀请你投递“电焊工（二保焊）”"
    mine = me.get("/me/invitations").get_data(as_text=True)
    assert "南京宁钢精工机械有限公司" in mine and "接受并投递" in mine
    inv_id = int(re.search(r'data-invitation="(\d+)"', mine).group(1))
    resp = me.post(f"/me/invitations/{inv_id}/answer", data={"action": "accept"})
    assert resp.headers["Location"].endswith("/me/applications")
    with app.app_context():
        a = db.session.scalar(db.select(Application).filter_by(seeker_id=seeker.id))
        assert a.origin == "invitation" and a.position_id == position.id
    listed = emp.get("/api/v1/invitations").get_json()["items"][0]
    assert listed["seeker"]["name"] == "周建军" and listed["status"] == "accepted"
    assert "应邀投递" in me.get("/me/applications").get_data(as_text=True)
    twice = me.post(f"/api/v1/invitations/{inv_id}/answer", json={"action": "decline"})
    assert twice.status_code == 409


def test_only_discoverable_or_registered_seekers_can_be_invited(app, talent, make_employer):
    employer, position, seeker, shy = talent
    emp = _client(app, employer.user)
    hidden = emp.post(
        "/api/v1/invitations",
        json={"seeker_id": shy.id, "kind": "apply", "position_id": position.id},
    )
    assert hidden.status_code == 404
    other = _client(app, make_employer(name="别家单位有限公司").user)
    stranger = other.post(
        "/api/v1/invitations",
        json={"seeker_id": seeker.id, "kind": "apply", "position_id": position.id},
    )
    assert stranger.status_code == 404
    assert other.post("/api/v1/invitations/1/cancel").status_code == 404
    long = emp.post(
        "/api/v1/invitations",
        json={
            "seeker_id": seeker.id,
            "kind": "apply",
            "position_id": position.id,
            "message": "字" * 201,
        },
    )
    assert long.status_code == 422


def test_registered_seekers_invited_before_the_fair_then_queue(app, world: World):
    from jobfair.models import Fair, QueueEntry
    from jobfair.models.common import utcnow

    with app.app_context(), writing():
        fair = db.session.get(Fair, world.fair_id)
        fair.starts_at = utcnow() + timedelta(days=1)
        fair.ends_at = utcnow() + timedelta(days=1, hours=6)
        db.session.commit()
    rep = _client(app, world.rep2)  # a booth rep, not the owner
    page = rep.get(f"/live/booths/{world.booth_id}/candidates").get_data(as_text=True)
    assert "李*" in page and "李建国" not in page and "邀请来展位" in page
    target = world.seekers[0]
    resp = rep.post(
        f"/live/booths/{world.booth_id}/candidates/invite",
        data={"seeker_id": target.id, "message": "欢迎明天来展位聊聊"},
        follow_redirects=True,
    )
    assert "邀请已发出" in resp.get_data(as_text=True)
    # Another employer's booth: not found.
    other = _client(app, world.other_employer.user)
    assert other.get(f"/live/booths/{world.booth_id}/candidates").status_code == 404

    me = _client(app, target)
    mine = me.get("/api/v1/invitations").get_json()["items"][0]
    assert mine["employer"]["name"] == "南京宁钢精工机械有限公司" and mine["kind"] == "queue"
    out = me.post(f"/api/v1/invitations/{mine['id']}/answer", json={"action": "accept"}).get_json()
    assert out["invitation"]["status"] == "accepted" and "queue_entry_id" not in out
    assert out["invitation"]["can_queue"] is False  # not on yet
    # The fair starts: one click queues.
    with app.app_context(), writing():
        fair = db.session.get(Fair, world.fair_id)
        fair.starts_at = utcnow() - timedelta(minutes=5)
        db.session.commit()
    page = me.get("/me/invitations").get_data(as_text=True)
    assert "去展位排队" in page
    resp = me.post(f"/me/invitations/{mine['id']}/queue")
    assert resp.headers["Location"].endswith("/live/queues")
    with app.app_context():
        entry = db.session.scalar(db.select(QueueEntry).filter_by(seeker_user_id=target.id))
        assert entry.booth_id == world.booth_id and entry.status == "waiting"
    desk = rep.get(f"/live/booths/{world.booth_id}/desk").get_data(as_text=True)
    assert "李建国" in desk  # accepted and queueing: the desk shows the seeker


def test_talent_invitation_to_an_ongoing_booth_queues_at_once(app, world: World):
    from jobfair.models import QueueEntry, SeekerProfile

    seeker = world.seekers[3]
    with app.app_context(), writing():
        db.session.scalar(db.select(SeekerProfile).filter_by(user_id=seeker.id)).discoverable = True
        db.session.commit()
    emp = _client(app, world.rep)
    inv = emp.post(
        "/api/v1/invitations",
        json={"seeker_id": seeker.id, "kind": "queue", "booth_id": world.booth_id},
    )
    assert inv.status_code == 201
    me = _client(app, seeker)
    out = me.post(f"/api/v1/invitations/{inv.get_json()['id']}/answer", json={"action": "accept"})
    assert out.get_json()["queue_entry_id"]
    with app.app_context():
        assert (
            db.session.scalar(db.select(QueueEntry.booth_id).filter_by(seeker_user_id=seeker.id))
            == world.booth_id
        )


# --- survey ----------------------------------------------------------------------------------


def test_survey_after_the_fair_and_its_figures_in_the_report(app, world: World):
    from jobfair.models import Fair
    from jobfair.models.common import utcnow

    me = _client(app, world.seekers[0])
    early = me.post(f"/api/v1/fairs/{world.fair_id}/survey", json={"rating": 5, "useful": 4})
    assert early.status_code == 409 and early.get_json()["error"]["code"] == "survey_closed"
    with app.app_context(), writing():
        fair = db.session.get(Fair, world.fair_id)
        fair.starts_at = utcnow() - timedelta(hours=6)
        fair.ends_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    fair_page = me.get(f"/fairs/{world.fair_id}").get_data(as_text=True)
    assert "填写满意度调查" in fair_page
    # The hourly job tells each participant once.
    from jobfair.interviews.jobs import send_survey_invitations
    from jobfair.models import Notification

    with app.app_context(), writing():
        told = send_survey_invitations(utcnow().isoformat())
        assert told == 4 + 5  # four registered seekers, five booth employers
        assert send_survey_invitations(utcnow().isoformat()) == 0
        links = db.session.scalars(
            db.select(Notification.link).filter_by(user_id=world.seekers[0].id)
        ).all()
        assert f"/fairs/{world.fair_id}/survey" in links
    bad = me.post(f"/fairs/{world.fair_id}/survey", data={"rating": "9", "useful": "3"})
    assert bad.status_code == 422 and "提交的数据有误" in bad.get_data(as_text=True)
    ok = me.post(
        f"/fairs/{world.fair_id}/survey",
        data={"rating": "4", "useful": "3", "would_return": "true", "comment": "等的时间短"},
    )
    assert ok.status_code == 302
    twice = me.post(f"/api/v1/fairs/{world.fair_id}/survey", json={"rating": 5, "useful": 5})
    assert twice.status_code == 409
    _client(app, world.seekers[1]).post(
        f"/api/v1/fairs/{world.fair_id}/survey",
        json={"rating": 2, "useful": 1, "would_return": False},
    )
    emp = _client(app, world.rep)
    assert (
        emp.post(
            f"/api/v1/fairs/{world.fair_id}/survey", json={"rating": 5, "useful": 4}
        ).status_code
        == 201
    )
    outsider = _client(app, world.other_employer.user)
    # The other employer had a booth too; an organiser has none and may not answer.
    assert outsider.get(f"/fairs/{world.fair_id}/survey").status_code == 200
    org = _client(app, world.organiser)
    assert org.get(f"/fairs/{world.fair_id}/survey").status_code == 403
    results = org.get(f"/api/v1/fairs/{world.fair_id}/survey/results").get_json()
    assert results["seeker"]["answers"] == 2 and results["seeker"]["rating"] == 3.0
    assert results["seeker"]["would_return_pct"] == 50
    assert results["seeker"]["comments"] == ["等的时间短"]
    assert results["employer"]["answers"] == 1 and results["employer"]["rating"] == 5.0
    report = org.get(f"/reports/fairs/{world.fair_id}/summary").get_data(as_text=True)
    assert "满意度调查" in report
    row = re.search(r'data-survey-role="seeker">(.*?)</tr>', report, re.S).group(1)
    assert ">2<" in row and ">3.0<" in row and ">50%<" in row
    assert "等的时间短" not in report  # comments stay out of the printed report


# --- pins ------------------------------------------------------------------------------------


def test_host_pins_from_a_list_of_the_fairs_positions(app, world: World, make_position):
    org = _client(app, world.organiser)
    page = org.get(f"/live/sessions/{world.session_id}").get_data(as_text=True)
    assert '<select id="pin-position" name="position_id"' in page
    for pid in world.position_ids + [world.other_position_id]:
        assert f'<option value="{pid}">' in page
    assert "置顶岗位编号" not in page
    seeker = _client(app, world.seekers[0])
    assert "pin-position" not in seeker.get(f"/live/sessions/{world.session_id}").get_data(
        as_text=True
    )


def test_openapi_documents_interviews_invitations_and_survey(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    for path, method in (
        ("/api/v1/interviews", "post"),
        ("/api/v1/interviews/{interview_id}/respond", "post"),
        ("/api/v1/interviews/{interview_id}/reschedule", "post"),
        ("/api/v1/interviews/{interview_id}/ics", "get"),
        ("/api/v1/invitations", "post"),
        ("/api/v1/invitations/{invitation_id}/answer", "post"),
        ("/api/v1/booths/{booth_id}/candidates", "get"),
        ("/api/v1/fairs/{fair_id}/survey", "post"),
        ("/api/v1/fairs/{fair_id}/survey/results", "get"),
    ):
        assert method in paths[path], path
        assert paths[path][method]["summary"], path
    schema = spec["components"]["schemas"]["InterviewOut"]["properties"]
    assert "video_room" in schema and "contact_phone" in schema
