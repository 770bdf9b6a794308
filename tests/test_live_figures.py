"""直播带岗 figures: 观看人次, peak concurrent viewers, questions, 达成意向 marked by reps and
applications from the room — per session and per fair, on the console and in the report."""

import pytest
from conftest import World, ack, sign_in

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.live import broadcasts

S, B, LOBBY = "/session", "/booth", "/lobby"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LIVE_COUNTS_DELAY": 0}


def http(app, user):
    c = app.test_client()
    sign_in(c, user)
    return c


def room_application(world: World, sock) -> int:
    """The organiser (host) pins the welding position; a seeker applies from the card."""
    host = sock(world.organiser, S)
    ack(host, S, "join", session_id=world.session_id)
    pin = ack(host, S, "pin", session_id=world.session_id, position_id=world.position_ids[0])
    seeker = sock(world.seekers[0], S)
    ack(seeker, S, "join", session_id=world.session_id)
    applied = ack(seeker, S, "apply", pin_id=pin["pin"]["id"])
    assert applied["ok"], applied
    return applied["application_id"]


def test_views_count_openings_not_reconnects(app, world: World, sock):
    a, b = http(app, world.seekers[0]), http(app, world.seekers[1])
    for c in (a, a, b):
        assert c.get(f"/live/sessions/{world.session_id}").status_code == 200
    viewer = sock(world.seekers[0], S)
    for _ in range(3):  # a page's socket rejoining after drops
        ack(viewer, S, "join", session_id=world.session_id)
    org = http(app, world.organiser)
    got = org.get(f"/api/v1/live/sessions/{world.session_id}/figures").get_json()
    assert (got["views"], got["viewers"]) == (3, 2)


def test_peak_concurrent_viewers_is_kept_after_they_leave(app, world: World, sock):
    viewers = [sock(s, S) for s in world.seekers[:3]]
    for v in viewers:
        ack(v, S, "join", session_id=world.session_id)
    assert broadcasts.drain()
    for v in viewers[:2]:
        v.disconnect(S)
    assert broadcasts.drain()
    org = http(app, world.organiser)
    got = org.get(f"/api/v1/live/sessions/{world.session_id}/figures").get_json()
    assert got["peak"] == 3 and got["peak_at"]
    fair = org.get(f"/api/v1/live/fairs/{world.fair_id}/figures").get_json()
    assert fair["totals"]["peak"] == 3  # three seekers at the fair at once


def test_record_peak_keeps_the_highest_of_racing_writers(app):
    from jobfair.live.figures import record_peak
    from jobfair.models.live_figures import LivePeak

    with app.app_context(), writing():
        assert record_peak("fair", 99, 5)
        assert not record_peak("fair", 99, 4)
        assert record_peak("fair", 99, 7)
        assert not record_peak("fair", 99, 0)
        assert db.session.get(LivePeak, ("fair", 99)).peak == 7


def test_questions_applications_and_intents(app, world: World, sock):
    application_id = room_application(world, sock)
    asker = sock(world.seekers[1], S)
    ack(asker, S, "join", session_id=world.session_id)
    for i in range(2):
        ack(asker, S, "ask", session_id=world.session_id, client_id=f"q{i}", body=f"问题{i}")
    rep = http(app, world.rep)
    listed = rep.get(f"/api/v1/live/room-applications?session_id={world.session_id}").get_json()
    assert [r["application_id"] for r in listed] == [application_id]
    assert listed[0]["seeker"] == "李**" and listed[0]["intent"] is False  # masked
    assert rep.put(f"/api/v1/live/applications/{application_id}/intent").status_code == 200
    assert rep.put(f"/api/v1/live/applications/{application_id}/intent").status_code == 200
    org = http(app, world.organiser)
    got = org.get(f"/api/v1/live/sessions/{world.session_id}/figures").get_json()
    assert (got["questions"], got["applications"], got["intents"]) == (2, 1, 1)
    # Only the position's own employer marks: another employer and the seeker cannot.
    other = http(app, world.other_employer.user)
    assert other.put(f"/api/v1/live/applications/{application_id}/intent").status_code == 404
    seeker = http(app, world.seekers[0])
    assert seeker.put(f"/api/v1/live/applications/{application_id}/intent").status_code == 403
    assert other.get("/api/v1/live/room-applications").get_json() == []
    # A colleague (an extra rep of the same employer) may take the mark back.
    colleague = http(app, world.rep2)
    assert colleague.delete(f"/api/v1/live/applications/{application_id}/intent").status_code == 204
    assert colleague.delete(f"/api/v1/live/applications/{application_id}/intent").status_code == 404
    got = org.get(f"/api/v1/live/sessions/{world.session_id}/figures").get_json()
    assert got["intents"] == 0
    from jobfair.models import AuditLog

    with app.app_context():
        actions = list(
            db.session.scalars(
                db.select(AuditLog.action).filter_by(object_id=application_id).order_by(AuditLog.id)
            )
        )
    assert actions == ["live.intent_mark", "live.intent_unmark"]


def test_only_room_applications_can_be_marked(app, world: World, make_position):
    from jobfair.models import Application

    with app.app_context(), writing():
        plain = Application(position_id=world.position_ids[0], seeker_id=world.seekers[2].id)
        db.session.add(plain)
        db.session.commit()
        plain_id = plain.id
    rep = http(app, world.rep)
    assert rep.put(f"/api/v1/live/applications/{plain_id}/intent").status_code == 404


def test_reps_mark_from_the_pages_and_figures_reach_console_and_report(app, world: World, sock):
    application_id = room_application(world, sock)
    rep = http(app, world.rep)
    room = rep.get(f"/live/sessions/{world.session_id}").get_data(as_text=True)
    assert "直播间投递与达成意向" in room and "标记达成意向" in room
    desk = rep.get(f"/live/booths/{world.booth_id}/desk").get_data(as_text=True)
    assert f'data-application="{application_id}"' in desk
    resp = rep.post(
        f"/live/applications/{application_id}/intent",
        data={"action": "mark", "next": f"/live/sessions/{world.session_id}"},
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith(
        f"/live/sessions/{world.session_id}"
    )
    assert "已达成意向" in rep.get(f"/live/sessions/{world.session_id}").get_data(as_text=True)
    org = http(app, world.organiser)
    console = org.get(f"/live/console/{world.fair_id}").get_data(as_text=True)
    assert "直播带岗数据" in console and 'data-figure="intents">1<' in console
    report = org.get(f"/reports/fairs/{world.fair_id}/summary").get_data(as_text=True)
    assert "直播带岗" in report and "达成意向" in report
    csv_text = org.get(f"/reports/fairs/{world.fair_id}/results.csv").data.decode("utf-8-sig")
    assert "【直播带岗】" in csv_text
    assert "直播场次,观看人次,观看人数,最高同时在线,提问数,直播间投递,达成意向" in csv_text
    row = next(line for line in csv_text.splitlines() if line.startswith("直播带岗：智能制造专场"))
    assert row.endswith(",1,1")  # one application from the room, one 达成意向
    assert "李建国" not in csv_text  # no person in the report


def test_figures_are_for_organisers_and_hosts(app, world: World):
    seeker = http(app, world.seekers[0])
    assert seeker.get(f"/api/v1/live/sessions/{world.session_id}/figures").status_code == 403
    assert seeker.get(f"/api/v1/live/fairs/{world.fair_id}/figures").status_code == 403
    rep = http(app, world.rep)
    assert rep.get(f"/api/v1/live/fairs/{world.fair_id}/figures").status_code == 403
