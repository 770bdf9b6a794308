"""Scheduled interviews: arranged by the employer, answered by the seeker, in the calendar,
reminded before they start, and every timeline entry attributed to whoever wrote it."""

import re
import threading
from datetime import timedelta

import pytest
from conftest import World, sign_in

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.formatting import fmt_dt


def _client(app, user):
    c = app.test_client()
    sign_in(c, user)
    return c


def _local(dt) -> str:
    return fmt_dt(dt, "%Y-%m-%dT%H:%M")


@pytest.fixture
def applied(app, make_seeker, make_employer, make_position):
    """An employer, its position and a seeker's application to it."""
    from jobfair.models import Application, ApplicationEvent

    employer = make_employer(name="南京宁钢精工机械有限公司")
    position = make_position(employer=employer, title="电焊工（二保焊）")
    seeker = make_seeker(name="周建军")
    with app.app_context(), writing():
        a = Application(position_id=position.id, seeker_id=seeker.id, note="有焊工证")
        a.events = [ApplicationEvent(to_status="submitted", actor_id=seeker.id)]
        db.session.add(a)
        db.session.commit()
        app_id = a.id
    return employer, position, seeker, app_id


def _plan(**over):
    from jobfair.models.common import utcnow

    base = {
        "starts_at": _local(utcnow() + timedelta(days=2)),
        "minutes": "40",
        "mode": "onsite",
        "place": "江宁区宁钢路 18 号人事部",
        "contact_name": "孙立新",
        "contact_phone": "13900002000",
        "note": "请带身份证",
    }
    base.update(over)
    return base


def test_invitation_to_acceptance_with_ics_and_attributed_timeline(app, applied):
    from jobfair.models import Notification

    employer, position, seeker, app_id = applied
    emp, me = _client(app, employer.user), _client(app, seeker)
    resp = emp.post(f"/employer/applications/{app_id}/interviews", data=_plan())
    assert resp.status_code == 302
    page = me.get("/me/interviews").get_data(as_text=True)
    assert "南京宁钢精工机械有限公司" in page and "江宁区宁钢路 18 号人事部" in page
    # The seeker reads the state about themselves; the employer's page keeps its own words.
    assert "孙立新 13900002000" in page and "待你确认" in page and "待求职者确认" not in page
    emp_page = emp.get(f"/employer/applications/{app_id}").get_data(as_text=True)
    assert "待求职者确认" in emp_page
    iv_id = int(re.search(r'data-interview="(\d+)"', page).group(1))

    # The seeker accepts; the employer hears of it.
    resp = me.post(f"/me/interviews/{iv_id}/respond", data={"action": "accept"})
    assert resp.status_code == 302
    page = me.get("/me/interviews").get_data(as_text=True)
    assert "已确认参加" in page
    with app.app_context():
        titles = db.session.scalars(
            db.select(Notification.title).filter_by(user_id=employer.user.id, kind="interview")
        ).all()
    assert any("周建军确认参加面试" in t for t in titles)

    ics = me.get(f"/interviews/{iv_id}.ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    body = ics.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and "END:VCALENDAR\r\n" in body
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:面试：南京宁钢精工机械有限公司 · 电焊工（二保焊）" in unfolded
    assert "LOCATION:江宁区宁钢路 18 号人事部" in unfolded and "STATUS:CONFIRMED" in unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    # DTEND is 40 minutes after DTSTART.
    start = re.search(r"DTSTART:(\d{8}T\d{4})", unfolded).group(1)
    end = re.search(r"DTEND:(\d{8}T\d{4})", unfolded).group(1)
    assert int(end[-4:-2]) * 60 + int(end[-2:]) - int(start[-4:-2]) * 60 - int(start[-2:]) in (
        40,
        40 - 24 * 60,
    )

    # Timeline: the employer's arrangement and the seeker's acceptance, each attributed.
    detail = emp.get(f"/employer/applications/{app_id}").get_data(as_text=True)
    assert "安排面试" in detail and "确认参加面试" in detail
    assert "用人单位写道：" in detail and "已确认参加" in detail
    mine = me.get("/me/applications").get_data(as_text=True)
    assert "我的附言：有焊工证" in mine  # the seeker's own words stay theirs
    api = me.get("/api/v1/me/applications").get_json()["items"][0]
    kinds = [(h["kind"], h["by"]) for h in api["history"]]
    assert ("interview_proposed", "employer") in kinds and ("interview_accepted", "seeker") in kinds
    assert api["origin"] == "seeker"


def test_ask_for_another_time_then_the_employer_answers(app, applied):
    from jobfair.models.common import utcnow

    employer, _position, seeker, app_id = applied
    emp, me = _client(app, employer.user), _client(app, seeker)
    iv = emp.post("/api/v1/interviews", json={"application_id": app_id, **_plan()}).get_json()
    assert iv["status"] == "proposed" and iv["revision"] == 0

    no_time = me.post(f"/api/v1/interviews/{iv['id']}/respond", json={"action": "reschedule"})
    assert no_time.status_code == 422 and "方便的时间" in no_time.get_json()["error"]["message"]
    asked = me.post(
        f"/api/v1/interviews/{iv['id']}/respond",
        json={"action": "reschedule", "message": "周四下午都可以"},
    ).get_json()
    assert asked["status"] == "reschedule" and asked["seeker_reply"] == "周四下午都可以"
    # The seeker cannot accept a time they asked to change.
    assert me.post(f"/api/v1/interviews/{iv['id']}/accept").status_code == 404
    refused = me.post(f"/api/v1/interviews/{iv['id']}/respond", json={"action": "accept"})
    assert refused.status_code == 409

    new_time = utcnow() + timedelta(days=4)
    changed = emp.post(
        f"/api/v1/interviews/{iv['id']}/reschedule",
        json=_plan(
            starts_at=_local(new_time), mode="video_link", video_url="https://meet.example.cn/r/88"
        ),
    ).get_json()
    assert changed["status"] == "proposed" and changed["revision"] == 2
    assert changed["video_url"] == "https://meet.example.cn/r/88" and changed["place"] == ""
    ics = me.get(f"/api/v1/interviews/{iv['id']}/ics").get_data(as_text=True)
    assert "SEQUENCE:2" in ics and "URL:https://meet.example.cn/r/88" in ics
    mine = me.get("/me/interviews").get_data(as_text=True)
    assert "meet.example.cn/r/88" in mine and "待你确认" in mine
    hist = me.get("/api/v1/me/applications").get_json()["items"][0]["history"]
    entry = next(h for h in hist if h["kind"] == "interview_reschedule")
    assert entry["by"] == "seeker" and entry["note"] == "周四下午都可以"


def test_bad_arrangements_are_refused_and_nothing_is_written(app, applied):
    from jobfair.models import Application, ScheduledInterview
    from jobfair.models.common import utcnow

    employer, _position, _seeker, app_id = applied
    emp = _client(app, employer.user)
    cases = [
        (_plan(place=""), "place"),
        (_plan(starts_at=_local(utcnow() - timedelta(hours=1))), "starts_at"),
        (_plan(mode="video_link", video_url="javascript:alert(1)"), "video_url"),
        (_plan(mode="video_link", video_url="https://a.cn/x\r\nBEGIN:VEVENT"), "video_url"),
        (_plan(contact_phone="abc"), "contact_phone"),
        (_plan(minutes="5"), "minutes"),
        (_plan(mode="pigeon"), "mode"),
    ]
    for data, field in cases:
        resp = emp.post("/api/v1/interviews", json={"application_id": app_id, **data})
        assert resp.status_code == 422, (field, resp.get_json())
        assert field in resp.get_json()["error"]["fields"], field
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ScheduledInterview.id))) == 0
        assert db.session.get(Application, app_id).status == "submitted"
    # A page submit says what is wrong, in Chinese.
    page = emp.post(
        f"/employer/applications/{app_id}/interviews", data=_plan(place=""), follow_redirects=True
    ).get_data(as_text=True)
    assert "现场面试请填写面试地点" in page


def test_a_refused_page_arrangement_keeps_what_was_typed(app, applied):
    """A missing time used to redirect to a fresh form: the note and place were typed again."""
    employer, _position, _seeker, app_id = applied
    emp = _client(app, employer.user)
    resp = emp.post(
        f"/employer/applications/{app_id}/interviews",
        data=_plan(starts_at="", place="江宁区宁钢路 18 号三楼", note="请带技能证书"),
    )
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "面试时间" in page and 'id="iv-starts_at-error"' in page
    assert 'value="江宁区宁钢路 18 号三楼"' in page and "请带技能证书</textarea>" in page


def test_the_employer_reads_the_calendar_button_in_plain_words(app, applied):
    employer, _position, _seeker, app_id = applied
    emp = _client(app, employer.user)
    assert emp.post(f"/employer/applications/{app_id}/interviews", data=_plan()).status_code == 302
    for url in (f"/employer/applications/{app_id}", "/employer/interviews"):
        page = emp.get(url).get_data(as_text=True)
        assert "加入日历（.ics）" in page and "日历文件" not in page, url


def test_one_open_arrangement_per_application_even_when_clicked_at_once(app, applied):
    from jobfair.models import ScheduledInterview

    employer, _position, _seeker, app_id = applied
    results = []

    def go():
        c = _client(app, employer.user)
        results.append(
            c.post("/api/v1/interviews", json={"application_id": app_id, **_plan()}).status_code
        )

    threads = [threading.Thread(target=go) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201] + [409] * 5
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ScheduledInterview.id))) == 1


def test_strangers_cannot_see_or_answer(app, applied, make_seeker, make_employer):
    employer, _position, seeker, app_id = applied
    emp = _client(app, employer.user)
    iv = emp.post("/api/v1/interviews", json={"application_id": app_id, **_plan()}).get_json()
    other_seeker = _client(app, make_seeker(name="王芳"))
    other_emp = _client(app, make_employer(name="别家单位有限公司").user)
    assert other_seeker.get(f"/interviews/{iv['id']}.ics").status_code == 404
    assert (
        other_seeker.post(
            f"/api/v1/interviews/{iv['id']}/respond", json={"action": "accept"}
        ).status_code
        == 404
    )
    assert other_emp.get(f"/api/v1/interviews/{iv['id']}").status_code == 404
    assert other_emp.post(f"/api/v1/interviews/{iv['id']}/cancel", json={}).status_code == 404
    assert (
        other_emp.post("/api/v1/interviews", json={"application_id": app_id, **_plan()}).status_code
        == 404
    )
    # The employer cannot answer for the seeker.
    assert (
        emp.post(f"/api/v1/interviews/{iv['id']}/respond", json={"action": "accept"}).status_code
        == 403
    )


def test_reminder_goes_out_once_through_the_scheduled_job(app, applied):
    from jobfair.interviews.jobs import send_interview_reminders
    from jobfair.jobs.schedule import by_name
    from jobfair.models import Notification, ScheduledInterview
    from jobfair.models.common import utcnow

    employer, _position, seeker, app_id = applied
    emp, me = _client(app, employer.user), _client(app, seeker)
    iv = emp.post("/api/v1/interviews", json={"application_id": app_id, **_plan()}).get_json()
    me.post(f"/api/v1/interviews/{iv['id']}/respond", json={"action": "accept"})
    entry = by_name("interview-reminders")
    assert entry.task == "jobfair.interviews.jobs.send_interview_reminders" and entry.pass_now
    with app.app_context(), writing():
        starts = db.session.get(ScheduledInterview, iv["id"]).starts_at
        far = (starts - timedelta(hours=5)).isoformat()
        assert send_interview_reminders(far) == 0  # too early
        near = (starts - timedelta(minutes=90)).isoformat()
        assert send_interview_reminders(near) == 1
        assert send_interview_reminders(near) == 0  # once
        reminders = db.session.scalars(
            db.select(Notification).filter(Notification.title.like("面试提醒%"))
        ).all()
        assert sorted(n.user_id for n in reminders) == sorted([seeker.id, employer.user.id])
        assert all(n.created_at <= utcnow() for n in reminders)
    # A new time resets the reminder.
    later = utcnow() + timedelta(days=3)
    emp.post(f"/api/v1/interviews/{iv['id']}/reschedule", json=_plan(starts_at=_local(later)))
    with app.app_context(), writing():
        starts = db.session.get(ScheduledInterview, iv["id"]).starts_at
        assert send_interview_reminders((starts - timedelta(minutes=30)).isoformat()) == 1


def test_cancelled_interview_cancels_the_calendar_entry(app, applied):
    employer, _position, seeker, app_id = applied
    emp, me = _client(app, employer.user), _client(app, seeker)
    iv = emp.post("/api/v1/interviews", json={"application_id": app_id, **_plan()}).get_json()
    done = emp.post(f"/api/v1/interviews/{iv['id']}/cancel", json={"reason": "岗位已招满"})
    assert done.get_json()["status"] == "cancelled"
    ics = me.get(f"/interviews/{iv['id']}.ics").get_data(as_text=True)
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics
    page = me.get("/me/applications").get_data(as_text=True)
    assert "招聘方已取消" in page and "岗位已招满" in page
    # A new arrangement may follow a cancelled one.
    again = emp.post("/api/v1/interviews", json={"application_id": app_id, **_plan()})
    assert again.status_code == 201


def test_live_chat_invitation_is_the_reps_doing_not_the_seekers(app, world: World):
    from jobfair.models import Application, ScheduledInterview
    from jobfair.models.common import utcnow

    seeker, rep = _client(app, world.seekers[0]), _client(app, world.rep)
    seeker.post(f"/live/booths/{world.booth_id}/queue")
    chat_id = int(
        rep.post(f"/live/booths/{world.booth_id}/call").headers["Location"].rsplit("/", 1)[1]
    )
    page = rep.get(f"/live/chats/{chat_id}").get_data(as_text=True)
    assert "面试安排" in page and 'name="starts_at"' in page
    resp = rep.post(
        f"/live/chats/{chat_id}/end",
        data={
            "next_step": "interview",
            "position_id": str(world.position_ids[0]),
            **_plan(starts_at=_local(utcnow() + timedelta(days=1)), place="江宁区宁钢路 18 号"),
        },
        follow_redirects=True,
    )
    assert "面试邀请已发给求职者" in resp.get_data(as_text=True)
    with app.app_context():
        a = db.session.scalar(db.select(Application).filter_by(seeker_id=world.seekers[0].id))
        assert a.origin == "employer" and a.note == "" and a.status == "interview"
        iv = db.session.scalar(db.select(ScheduledInterview).filter_by(application_id=a.id))
        assert iv.chat_id == chat_id and iv.created_by == world.rep.id
    mine = seeker.get("/me/applications").get_data(as_text=True)
    assert "我的附言" not in mine and "直播面谈中由招聘方邀请面试" not in mine
    assert "你没有投递过这个岗位" in mine
    assert "招聘方发起（求职者未投递）" in mine and "新投递</strong>" not in mine
    assert "江宁区宁钢路 18 号" in mine and "确认参加" in mine


def test_live_chat_with_a_bad_time_keeps_the_chat_open(app, world: World):
    from jobfair.models import InterviewChat

    seeker, rep = _client(app, world.seekers[0]), _client(app, world.rep)
    seeker.post(f"/live/booths/{world.booth_id}/queue")
    chat_id = int(
        rep.post(f"/live/booths/{world.booth_id}/call").headers["Location"].rsplit("/", 1)[1]
    )
    resp = rep.post(
        f"/live/chats/{chat_id}/end",
        data={
            "next_step": "interview",
            "position_id": str(world.position_ids[0]),
            **_plan(starts_at="2020-01-01T09:00"),
        },
        follow_redirects=True,
    )
    assert "面试时间应晚于现在" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(InterviewChat, chat_id).ended_at is None


def test_the_seekers_open_tabs_hear_of_the_invitation_and_others_do_not(
    app, applied, make_seeker, sock
):
    from conftest import events

    employer, _position, seeker, app_id = applied
    tab = sock(seeker, "/")
    stranger = sock(make_seeker(name="王芳"), "/")
    tab.get_received("/")
    stranger.get_received("/")
    emp = _client(app, employer.user)
    iv = emp.post("/api/v1/interviews", json={"application_id": app_id, **_plan()}).get_json()
    titles = [n["title"] for n in events(tab, "/", "notification")]
    assert "南京宁钢精工机械有限公司邀请你面试" in titles
    assert events(stranger, "/", "notification") == []
    # The employer's tab hears the seeker's answer.
    emp_tab = sock(employer.user, "/")
    emp_tab.get_received("/")
    _client(app, seeker).post(
        f"/api/v1/interviews/{iv['id']}/respond",
        json={"action": "reschedule", "message": "周五上午可以"},
    )
    pushed = events(emp_tab, "/", "notification")
    assert pushed and pushed[0]["title"] == "周建军申请改期" and "周五上午可以" in pushed[0]["body"]


def test_text_cannot_forge_calendar_lines(app, applied):
    employer, _position, seeker, app_id = applied
    emp = _client(app, employer.user)
    place = "3 楼\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:假的, 面试; 取消"
    iv = emp.post(
        "/api/v1/interviews", json={"application_id": app_id, **_plan(place=place)}
    ).get_json()
    lines = _client(app, seeker).get(f"/interviews/{iv['id']}.ics").get_data(as_text=True)
    lines = lines.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    assert not any(line.startswith("SUMMARY:假的") for line in lines)
    unfolded = "\r\n".join(lines).replace("\r\n ", "")
    assert "LOCATION:3 楼\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:假的\\, 面试\\; 取消" in unfolded


def test_platform_video_interview_joins_only_its_two_parties_in_its_window(
    app, applied, make_seeker, sock
):
    from jobfair.models import ScheduledInterview
    from jobfair.models.common import utcnow

    employer, _position, seeker, app_id = applied
    emp = _client(app, employer.user)
    soon = _local(utcnow() + timedelta(minutes=20))
    iv = emp.post(
        "/api/v1/interviews",
        json={"application_id": app_id, **_plan(mode="platform", place="", starts_at=soon)},
    ).get_json()
    assert iv["video_room"] == f"interview:{iv['id']}"
    me = _client(app, seeker)
    # The card says the mode once: "平台视频面试 · 面试编号 N：进入视频面试".
    card = me.get("/me/interviews").get_data(as_text=True)
    assert (
        f"平台视频面试 · 面试编号 {iv['id']}：" in card and card.count("平台视频面试 · 平台") == 0
    )
    page = me.get(f"/interviews/{iv['id']}/video").get_data(as_text=True)
    assert 'data-call-kind="interview"' in page and f'data-call-id="{iv["id"]}"' in page
    assert (
        _client(app, make_seeker(name="王芳")).get(f"/interviews/{iv['id']}/video").status_code
        == 404
    )

    def join(user):
        c = sock(user, "/call")
        return c.emit(
            "join", {"kind": "interview", "id": iv["id"]}, namespace="/call", callback=True
        )

    assert join(seeker)["ok"] and join(employer.user)["ok"]
    refused = join(make_seeker(name="张伟"))
    assert refused["ok"] is False and refused["error"]["code"] == "not_found"
    # Too early: the page says when it opens and the signalling refuses.
    with app.app_context(), writing():
        row = db.session.get(ScheduledInterview, iv["id"])
        row.starts_at = utcnow() + timedelta(hours=3)
        db.session.commit()
    assert "开始前 30 分钟才能进入" in me.get(f"/interviews/{iv['id']}/video").get_data(
        as_text=True
    )
    early = join(seeker)
    assert early["ok"] is False and early["error"]["code"] == "interview_not_open"


def test_a_colleague_sees_the_video_interview_without_a_link_that_would_404(
    app, applied, make_user
):
    """Only the arranger takes the call; a colleague's card used to link to a 404 page."""
    from jobfair.models import EmployerRep
    from jobfair.models.common import utcnow

    employer, _position, _seeker, app_id = applied
    rep = make_user(role="employer", name="王小凤")
    with app.app_context(), writing():
        db.session.add(EmployerRep(employer_id=employer.id, user_id=rep.id))
        db.session.commit()
    soon = _local(utcnow() + timedelta(minutes=20))
    iv = (
        _client(app, rep)
        .post(
            "/api/v1/interviews",
            json={"application_id": app_id, **_plan(mode="platform", place="", starts_at=soon)},
        )
        .get_json()
    )
    owner = _client(app, employer.user)
    page = owner.get("/employer/interviews").get_data(as_text=True)
    assert f"/interviews/{iv['id']}/video" not in page
    assert "由安排这场面试的招聘人员在平台上接听" in page
    assert owner.get(f"/interviews/{iv['id']}/video").status_code == 404
    assert _client(app, rep).get(f"/interviews/{iv['id']}/video").status_code == 200


def test_the_employers_change_and_cancel_forms_go_back_to_the_application(app, applied):
    employer, _position, seeker, app_id = applied
    emp = _client(app, employer.user)
    iv = emp.post("/api/v1/interviews", json={"application_id": app_id, **_plan()}).get_json()
    detail = f"/employer/applications/{app_id}"
    changed = emp.post(f"/employer/interviews/{iv['id']}/change", data=_plan(minutes="60"))
    assert changed.status_code == 302 and changed.headers["Location"] == detail
    assert "新的面试安排已发给求职者" in emp.get(detail).get_data(as_text=True)
    done = emp.post(f"/employer/interviews/{iv['id']}/cancel", data={"reason": "岗位已招满"})
    assert done.status_code == 302 and done.headers["Location"] == detail
    assert "面试已取消" in emp.get(detail).get_data(as_text=True)
    # A broken rule is said on the interview list; nothing changes.
    again = emp.post(f"/employer/interviews/{iv['id']}/change", data=_plan())
    assert again.status_code == 302 and again.headers["Location"] == "/employer/interviews"
    assert "该面试安排已结束" in emp.get("/employer/interviews").get_data(as_text=True)
    assert emp.get(f"/api/v1/interviews/{iv['id']}").get_json()["status"] == "cancelled"
