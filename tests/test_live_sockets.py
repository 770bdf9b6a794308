"""Socket.IO events of the live layer: rights, persistence, backfill, idempotency, limits."""

import pytest
import socketio
from conftest import World, ack, error_code, events, sign_in

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.live.realtime import Packet

S, B, LOBBY, C = "/session", "/booth", "/lobby", "/console"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LIVE_COUNTS_DELAY": 0}


# --- connecting ------------------------------------------------------------------------------


def test_anonymous_sees_lobby_counts_only(world: World, sock):
    anon = sock(None, LOBBY)
    assert anon.is_connected(LOBBY)
    result = ack(anon, LOBBY, "join", fair_id=world.fair_id)
    assert result["ok"] and {b["booth_id"] for b in result["counts"]["booths"]} >= {world.booth_id}
    assert error_code(ack(anon, LOBBY, "apply", pin_id=1)) == "unauthorized"
    for ns in (S, B, C, "/"):
        assert not sock(None, ns).is_connected(ns)


def test_cross_origin_socket_is_refused(world: World, sock):
    evil = sock(world.seekers[0], S, headers={"Origin": "http://evil.example"})
    assert not evil.is_connected(S)
    same = sock(world.seekers[0], S, headers={"Origin": "http://localhost"})
    assert same.is_connected(S)


def test_console_is_for_organisers(world: World, sock):
    assert not sock(world.seekers[0], C).is_connected(C)
    assert not sock(world.rep, C).is_connected(C)
    org = sock(world.organiser, C)
    assert ack(org, C, "join", fair_id=world.fair_id)["ok"]


# --- live session: chat, backfill, idempotency, limits ---------------------------------------


def test_chat_is_stored_then_broadcast_and_escaped_by_being_plain(world: World, sock):
    a, b = sock(world.seekers[0], S), sock(world.seekers[1], S)
    for c in (a, b):
        assert ack(c, S, "join", session_id=world.session_id)["ok"]
    b.get_received(S)
    sent = ack(a, S, "send", session_id=world.session_id, client_id="m1", body=" <img src=x> 你好 ")
    assert sent["ok"] and sent["message"]["body"] == "<img src=x> 你好"
    got = events(b, S, "message")
    assert [m["id"] for m in got] == [sent["message"]["id"]]
    assert got[0]["author"] == "李**"  # no form of address chosen: the masked name, never 同学


def test_reconnect_backfill_gets_exactly_the_missed_messages(world: World, sock):
    talker, reader = sock(world.seekers[0], S), sock(world.seekers[1], S)
    ack(talker, S, "join", session_id=world.session_id)
    joined = ack(reader, S, "join", session_id=world.session_id)
    first = ack(talker, S, "send", session_id=world.session_id, client_id="a0", body="第一条")
    last_seen = first["message"]["seq"]
    reader.disconnect(S)
    missed = [
        ack(talker, S, "send", session_id=world.session_id, client_id=f"a{i}", body=f"错过{i}")[
            "message"
        ]
        for i in range(1, 4)
    ]
    # Numbers run on without holes within the room, so a client notices a missed one.
    assert [m["seq"] for m in missed] == [last_seen + 1, last_seen + 2, last_seen + 3]
    reader.connect(S)
    back = ack(reader, S, "join", session_id=world.session_id, last_seq=last_seen)
    assert [m["id"] for m in back["messages"]] == [m["id"] for m in missed]
    assert [m["body"] for m in back["messages"]] == ["错过1", "错过2", "错过3"]
    assert joined["ok"] and back["more_messages"] is False


def test_backfill_pages_through_a_gap_longer_than_one_page(app, world: World, sock, monkeypatch):
    from jobfair.live import queries
    from jobfair.models import LiveMessage

    monkeypatch.setattr(queries, "BACKFILL_LIMIT", 4)
    monkeypatch.setattr(queries.messages_after, "__defaults__", (4,))
    with app.app_context():
        for i in range(11):
            db.session.add(
                LiveMessage(
                    room_kind="session",
                    room_id=world.session_id,
                    user_id=world.seekers[0].id,
                    client_id=f"long-{i}",
                    body=f"第{i}条",
                )
            )
        db.session.commit()
    reader = sock(world.seekers[1], S)
    page = ack(reader, S, "join", session_id=world.session_id, last_seq=0)
    got = [m["body"] for m in page["messages"]]
    while page.get("more_messages", page.get("more")):
        after = page["messages"][-1]["seq"]
        page = ack(reader, S, "backfill", session_id=world.session_id, after_seq=after)
        got += [m["body"] for m in page["messages"]]
    assert got == [f"第{i}条" for i in range(11)]


def test_resend_with_same_client_id_is_stored_once(app, world: World, sock):
    from jobfair.models import LiveMessage

    a, b = sock(world.seekers[0], S), sock(world.seekers[1], S)
    ack(a, S, "join", session_id=world.session_id)
    ack(b, S, "join", session_id=world.session_id)
    b.get_received(S)
    one = ack(a, S, "send", session_id=world.session_id, client_id="same-1", body="只发一次")
    two = ack(a, S, "send", session_id=world.session_id, client_id="same-1", body="只发一次")
    assert one["message"]["id"] == two["message"]["id"]
    assert len(events(b, S, "message")) == 1
    with app.app_context():
        assert db.session.query(LiveMessage).filter_by(client_id="same-1").count() == 1


def test_rate_limit_and_length_limit_answer_in_chinese(world: World, sock):
    a = sock(world.seekers[0], S)
    ack(a, S, "join", session_id=world.session_id)
    for i in range(5):
        assert ack(a, S, "send", session_id=world.session_id, client_id=f"r{i}", body="刷屏")["ok"]
    a.get_received(S)
    sixth = ack(a, S, "send", session_id=world.session_id, client_id="r5", body="刷屏")
    assert error_code(sixth) == "rate_limited" and "10 秒最多 5 条" in sixth["error"]["message"]
    assert events(a, S, "live_error")[0]["code"] == "rate_limited"
    b = sock(world.seekers[1], S)
    too_long = ack(b, S, "send", session_id=world.session_id, client_id="l1", body="字" * 501)
    assert error_code(too_long) == "invalid" and "500" in too_long["error"]["message"]
    assert (
        error_code(ack(b, S, "send", session_id=world.session_id, client_id="l2", body="   "))
        == "invalid"
    )
    assert (
        error_code(ack(b, S, "send", session_id=world.session_id, client_id="", body="x"))
        == "bad_request"
    )


def test_questions_votes_and_answers(world: World, sock):
    asker, voter = sock(world.seekers[0], S), sock(world.seekers[1], S)
    host, rep = sock(world.organiser, S), sock(world.rep, S)
    for c in (asker, voter, host, rep):
        ack(c, S, "join", session_id=world.session_id)
    q = ack(asker, S, "ask", session_id=world.session_id, client_id="q1", body="包住宿吗？")[
        "question"
    ]
    assert (
        error_code(ack(rep, S, "ask", session_id=world.session_id, client_id="q2", body="?"))
        == "forbidden"
    )
    voted = ack(voter, S, "vote", question_id=q["id"])
    assert voted["question"]["votes"] == 1
    assert error_code(ack(voter, S, "vote", question_id=q["id"])) == "already_voted"
    assert error_code(ack(asker, S, "vote", question_id=q["id"])) == "own_question"
    assert error_code(ack(voter, S, "answer", question_id=q["id"])) == "forbidden"
    host.get_received(S)
    assert ack(host, S, "answer", question_id=q["id"])["question"]["answered"] is True
    assert events(asker, S, "question")[-1]["answered"] is True


def test_host_pins_and_seekers_apply_without_leaving(app, world: World, sock, make_position):
    outside = make_position(title="不在本场的岗位")
    host, seeker, rep = sock(world.organiser, S), sock(world.seekers[0], S), sock(world.rep, S)
    for c in (host, seeker, rep):
        ack(c, S, "join", session_id=world.session_id)
    pos = world.position_ids[0]
    assert (
        error_code(ack(seeker, S, "pin", session_id=world.session_id, position_id=pos))
        == "forbidden"
    )
    assert (
        error_code(ack(host, S, "pin", session_id=world.session_id, position_id=outside.id))
        == "not_in_fair"
    )
    pin = ack(host, S, "pin", session_id=world.session_id, position_id=pos)["pin"]
    assert events(seeker, S, "pins")[-1]["pins"][0]["position"]["title"] == "电焊工（二保焊）"
    assert error_code(ack(rep, S, "apply", pin_id=pin["id"])) == "forbidden"
    applied = ack(seeker, S, "apply", pin_id=pin["id"])
    assert applied["ok"] and applied["application_id"]
    assert error_code(ack(seeker, S, "apply", pin_id=pin["id"])) == "already_applied"
    counters = ack(seeker, S, "join", session_id=world.session_id)["counters"]
    assert counters["applications"] == 1 and counters["viewers_total"] == 3
    assert ack(host, S, "unpin", pin_id=pin["id"])["ok"]
    assert events(seeker, S, "pins")[-1]["pins"] == []


# --- booth queues and 1:1 chats --------------------------------------------------------------


def test_queue_rules_for_seekers(app, world: World, sock, make_user):
    s = sock(world.seekers[0], B)
    first = ack(s, B, "join_queue", booth_id=world.booth_id)
    again = ack(s, B, "join_queue", booth_id=world.booth_id)
    assert (
        first["created"] and not again["created"] and first["entry"]["id"] == again["entry"]["id"]
    )
    ack(s, B, "join_queue", booth_id=world.other_booth_id)
    ack(s, B, "join_queue", booth_id=world.extra_booth_ids[0])
    fourth = ack(s, B, "join_queue", booth_id=world.extra_booth_ids[1])
    assert (
        error_code(fourth) == "too_many_queues" and "最多同时排 3 个" in fourth["error"]["message"]
    )
    stranger = make_user(role="seeker")
    not_registered = ack(sock(stranger, B), B, "join_queue", booth_id=world.booth_id)
    assert error_code(not_registered) == "not_registered"
    assert (
        error_code(ack(sock(world.rep, B), B, "join_queue", booth_id=world.booth_id)) == "forbidden"
    )
    second = sock(world.seekers[1], B)
    entry = ack(second, B, "join_queue", booth_id=world.booth_id)["entry"]
    # Nobody serves this booth: the place is given, no time is promised.
    assert entry["place"] == 2 and entry["reps_online"] == 0 and entry["wait_minutes"] is None
    assert error_code(ack(s, B, "leave_queue", entry_id=entry["id"])) == "not_found"
    s.get_received(B)
    assert ack(s, B, "leave_queue", entry_id=first["entry"]["id"])["ok"]
    assert ack(second, B, "watch_queues")["entries"][0]["place"] == 1


def test_rep_rights_at_the_desk(world: World, sock):
    seeker = sock(world.seekers[0], B)
    ack(seeker, B, "join_queue", booth_id=world.booth_id)
    other = sock(world.other_employer.user, B)
    assert error_code(ack(other, B, "desk", booth_id=world.booth_id)) == "not_found"
    assert error_code(ack(other, B, "call_next", booth_id=world.booth_id)) == "not_found"
    assert error_code(ack(seeker, B, "call_next", booth_id=world.booth_id)) == "forbidden"
    assert error_code(ack(seeker, B, "desk", booth_id=world.booth_id)) == "forbidden"
    rep2 = sock(world.rep2, B)  # an extra rep account of the same employer
    desk = ack(rep2, B, "desk", booth_id=world.booth_id)["desk"]
    assert desk["queue"][0]["profile"]["name"] == "李建国"
    assert 0 < desk["queue"][0]["score"] <= 100  # match score against the booth's positions


def test_call_chat_both_ways_and_invite_to_interview(app, world: World, sock):
    from jobfair.models import Application

    seeker, rep = sock(world.seekers[0], B), sock(world.rep, B)
    ack(seeker, B, "join_queue", booth_id=world.booth_id)
    ack(rep, B, "desk", booth_id=world.booth_id)
    seeker.get_received(B)
    chat = ack(rep, B, "call_next", booth_id=world.booth_id)["chat"]
    called = events(seeker, B, "called")
    assert called and called[0]["id"] == chat["id"] and called[0]["chat_minutes"] == 10
    opened = ack(seeker, B, "open_chat", chat_id=chat["id"])
    assert opened["ok"] and opened["messages"] == []
    rep.get_received(B)
    ack(seeker, B, "chat_send", chat_id=chat["id"], client_id="s1", body="您好，我有焊工证")
    assert events(rep, B, "chat_message")[0]["body"] == "您好，我有焊工证"
    ack(rep, B, "chat_send", chat_id=chat["id"], client_id="r1", body="请问能上夜班吗？")
    assert events(seeker, B, "chat_message")[-1]["body"] == "请问能上夜班吗？"
    outsider = sock(world.seekers[1], B)
    assert error_code(ack(outsider, B, "open_chat", chat_id=chat["id"])) == "not_found"
    assert (
        error_code(ack(outsider, B, "chat_send", chat_id=chat["id"], client_id="o", body="hi"))
        == "not_found"
    )
    assert error_code(ack(seeker, B, "end_chat", chat_id=chat["id"])) == "forbidden"
    bad = ack(rep, B, "end_chat", chat_id=chat["id"], rating=5)
    assert error_code(bad) == "invalid" and "1–4" in bad["error"]["message"]
    ended = ack(
        rep,
        B,
        "end_chat",
        chat_id=chat["id"],
        notes="沟通顺畅",
        rating=4,
        next_step="interview",
        position_id=world.position_ids[0],
    )
    assert ended["ok"]
    assert events(seeker, B, "chat_ended")[-1]["next_step"] == "interview"
    with app.app_context():
        application = db.session.query(Application).filter_by(seeker_id=world.seekers[0].id).one()
        assert application.status == "interview"
        assert application.position_id == world.position_ids[0]
        from jobfair.models import Notification

        kinds = db.session.scalars(
            db.select(Notification.kind).filter_by(user_id=world.seekers[0].id)
        ).all()
        assert "application_status" in kinds  # the seeker hears of the invitation
    assert (
        error_code(ack(seeker, B, "chat_send", chat_id=chat["id"], client_id="late", body="x"))
        == "chat_ended"
    )
    assert ack(seeker, B, "watch_queues")["entries"] == []


def test_handover_to_another_rep_of_the_same_employer(world: World, sock):
    seeker, rep, rep2 = sock(world.seekers[0], B), sock(world.rep, B), sock(world.rep2, B)
    ack(seeker, B, "join_queue", booth_id=world.booth_id)
    chat = ack(rep, B, "call_next", booth_id=world.booth_id)["chat"]
    stranger = world.other_employer.user.id
    refused = ack(
        rep, B, "end_chat", chat_id=chat["id"], next_step="handover", handed_to_user_id=stranger
    )
    assert error_code(refused) == "invalid"
    rep2.get_received(B)
    done = ack(
        rep,
        B,
        "end_chat",
        chat_id=chat["id"],
        next_step="handover",
        handed_to_user_id=world.rep2.id,
    )
    assert done["ok"]
    assigned = events(rep2, B, "chat_assigned")
    assert assigned and assigned[0]["rep_id"] == world.rep2.id
    assert ack(seeker, B, "open_chat", chat_id=assigned[0]["id"])["ok"]
    assert ack(rep2, B, "chat_send", chat_id=assigned[0]["id"], client_id="h1", body="我接着聊")[
        "ok"
    ]
    assert (
        error_code(ack(rep, B, "chat_send", chat_id=assigned[0]["id"], client_id="h2", body="x"))
        == "not_found"
    )


def test_seeker_in_a_chat_elsewhere_is_passed_over_and_keeps_place(world: World, sock):
    busy, next_one = sock(world.seekers[0], B), sock(world.seekers[1], B)
    ack(busy, B, "join_queue", booth_id=world.other_booth_id)
    ack(busy, B, "join_queue", booth_id=world.booth_id)
    ack(next_one, B, "join_queue", booth_id=world.booth_id)
    other_rep = sock(world.other_employer.user, B)
    ack(other_rep, B, "call_next", booth_id=world.other_booth_id)  # busy is now in a chat
    rep = sock(world.rep, B)
    desk = ack(rep, B, "desk", booth_id=world.booth_id)["desk"]
    assert [q["busy"] for q in desk["queue"]] == [True, False]
    chat = ack(rep, B, "call_next", booth_id=world.booth_id)["chat"]
    assert chat["seeker_id"] == world.seekers[1].id
    mine = {e["booth_id"]: e for e in ack(busy, B, "watch_queues")["entries"]}
    assert mine[world.booth_id]["status"] == "waiting" and mine[world.booth_id]["place"] == 1


# --- announcements, moderation, sessions -----------------------------------------------------


def test_announcement_reaches_lobby_session_and_queue(world: World, sock):
    lobby, room, queue = sock(None, LOBBY), sock(world.seekers[1], S), sock(world.seekers[0], B)
    ack(lobby, LOBBY, "join", fair_id=world.fair_id)
    ack(room, S, "join", session_id=world.session_id)
    ack(queue, B, "join_queue", booth_id=world.booth_id)
    for c, ns in ((lobby, LOBBY), (room, S), (queue, B)):
        c.get_received(ns)
    org = sock(world.organiser, C)
    seeker_console = ack(sock(world.seekers[0], LOBBY), LOBBY, "join", fair_id=world.fair_id)
    assert seeker_console["ok"]
    assert (
        error_code(ack(org, C, "announce", fair_id=world.fair_id, client_id="a1", body=""))
        == "invalid"
    )
    sent = ack(
        org, C, "announce", fair_id=world.fair_id, client_id="a1", body="下午两点增加直播场次"
    )
    assert sent["ok"]
    for c, ns in ((lobby, LOBBY), (room, S), (queue, B)):
        assert [a["body"] for a in events(c, ns, "announcement")] == ["下午两点增加直播场次"]
    again = sock(None, LOBBY)
    back = ack(again, LOBBY, "join", fair_id=world.fair_id)
    assert back["announcements"][-1]["id"] == sent["announcement"]["id"]
    # A lobby that had everything up to the one before gets exactly the one it missed.
    seq = sent["announcement"]["seq"]
    back = ack(sock(None, LOBBY), LOBBY, "join", fair_id=world.fair_id, announcement_seq=seq - 1)
    assert [a["id"] for a in back["announcements"]] == [sent["announcement"]["id"]]
    page = ack(again, LOBBY, "announcements", fair_id=world.fair_id, after_seq=seq - 1)
    assert [a["body"] for a in page["announcements"]] == ["下午两点增加直播场次"]


def test_report_delete_mute_and_remove(app, world: World, sock):
    bad, good = sock(world.seekers[0], S), sock(world.seekers[1], S)
    ack(bad, S, "join", session_id=world.session_id)
    ack(good, S, "join", session_id=world.session_id)
    msg = ack(bad, S, "send", session_id=world.session_id, client_id="b1", body="加我微信")[
        "message"
    ]
    assert error_code(ack(bad, S, "report", message_id=msg["id"])) == "own_message"
    assert ack(good, S, "report", message_id=msg["id"], reason="广告")["ok"]
    org = sock(world.organiser, C)
    state = ack(org, C, "join", fair_id=world.fair_id)
    assert [r["message"]["body"] for r in state["reports"]] == ["加我微信"]
    assert error_code(ack(good, S, "delete", message_id=msg["id"])) == "forbidden"
    good.get_received(S)
    assert ack(org, C, "delete_message", message_id=msg["id"])["ok"]
    assert events(good, S, "message_deleted")[0]["id"] == msg["id"]
    assert ack(org, C, "refresh", fair_id=world.fair_id)["reports"] == []
    back = ack(good, S, "join", session_id=world.session_id)
    assert [m for m in back["messages"] if m["id"] == msg["id"]][0]["body"] == ""

    assert ack(
        org,
        C,
        "restrict",
        fair_id=world.fair_id,
        user_id=world.seekers[0].id,
        kind="mute",
        minutes=10,
    )["ok"]
    muted = ack(bad, S, "send", session_id=world.session_id, client_id="b2", body="再发一条")
    assert error_code(muted) == "forbidden" and "禁言" in muted["error"]["message"]
    assert (
        error_code(
            ack(
                org,
                C,
                "restrict",
                fair_id=world.fair_id,
                user_id=world.organiser.id,
                kind="ban",
                minutes=10,
            )
        )
        == "forbidden_target"
    )
    assert ack(
        org,
        C,
        "restrict",
        fair_id=world.fair_id,
        user_id=world.seekers[0].id,
        kind="ban",
        minutes=60,
    )["ok"]
    assert not bad.is_connected(S)
    again = sock(world.seekers[0], S)
    assert error_code(ack(again, S, "join", session_id=world.session_id)) == "forbidden"


def test_session_start_and_end(world: World, sock):
    viewer, org = sock(world.seekers[0], S), sock(world.organiser, C)
    ack(viewer, S, "join", session_id=world.session_id)
    viewer.get_received(S)
    bogus = ack(org, C, "session_status", session_id=world.session_id, status="paused")
    assert error_code(bogus) == "bad_request"
    assert ack(org, C, "session_status", session_id=world.session_id, status="ended")["ok"]
    assert events(viewer, S, "session_status")[0]["status"] == "ended"
    late = ack(viewer, S, "send", session_id=world.session_id, client_id="e1", body="还在吗")
    assert error_code(late) == "session_ended"
    assert (
        error_code(ack(org, C, "session_status", session_id=world.session_id, status="live"))
        == "stale_status"
    )


def test_lobby_counts_follow_queues_and_reps(world: World, sock):
    lobby = sock(None, LOBBY)
    ack(lobby, LOBBY, "join", fair_id=world.fair_id)
    rep = sock(world.rep, B)
    ack(rep, B, "desk", booth_id=world.booth_id)
    for s in world.seekers[:2]:
        ack(sock(s, B), B, "join_queue", booth_id=world.booth_id)
    counts = ack(lobby, LOBBY, "counts", fair_id=world.fair_id)["counts"]
    booth = [b for b in counts["booths"] if b["booth_id"] == world.booth_id][0]
    assert (booth["reps_online"], booth["queue_length"], booth["wait_minutes"]) == (1, 2, 20)
    rep.disconnect(B)
    booth = [
        b
        for b in ack(lobby, LOBBY, "counts", fair_id=world.fair_id)["counts"]["booths"]
        if b["booth_id"] == world.booth_id
    ][0]
    assert booth["reps_online"] == 0 and booth["wait_minutes"] is None


# --- sessions end, sockets close -------------------------------------------------------------


def test_logout_and_suspension_close_sockets(app, world: World, sock):
    from jobfair.models import User
    from jobfair.security import end_all_sessions

    http = app.test_client()
    sign_in(http, world.seekers[0])
    from jobfair.extensions import socketio

    s = socketio.test_client(app, namespace=S, flask_test_client=http)
    assert s.is_connected(S)
    http.post("/logout")
    assert not s.is_connected(S)

    other = sock(world.seekers[1], S)
    assert other.is_connected(S)
    with app.app_context(), writing():
        user = db.session.get(User, world.seekers[1].id)
        user.status = "suspended"
        end_all_sessions(user)
        db.session.commit()
    assert not other.is_connected(S)


def test_queue_and_chat_survive_a_restart(app, make_app, world: World, sock):
    from jobfair.extensions import socketio

    seeker, rep = sock(world.seekers[0], B), sock(world.rep, B)
    ack(seeker, B, "join_queue", booth_id=world.booth_id)
    ack(sock(world.seekers[1], B), B, "join_queue", booth_id=world.booth_id)
    chat = ack(rep, B, "call_next", booth_id=world.booth_id)["chat"]
    ack(rep, B, "chat_send", chat_id=chat["id"], client_id="before", body="重启前的消息")

    fresh = make_app()  # a new process on the same database
    http = fresh.test_client()
    sign_in(http, world.seekers[1])
    waiting = socketio.test_client(fresh, namespace=B, flask_test_client=http)
    entries = ack(waiting, B, "watch_queues")["entries"]
    assert entries[0]["status"] == "waiting" and entries[0]["place"] == 1
    http2 = fresh.test_client()
    sign_in(http2, world.seekers[0])
    talker = socketio.test_client(fresh, namespace=B, flask_test_client=http2)
    opened = ack(talker, B, "open_chat", chat_id=chat["id"])
    assert [m["body"] for m in opened["messages"]] == ["重启前的消息"]
    for c in (waiting, talker):
        c.disconnect(B)


def test_notifications_reach_every_tab_of_the_user(app, world: World, sock):
    from jobfair.live.realtime import emit_to_user

    tab1, tab2 = sock(world.seekers[0], "/"), sock(world.seekers[0], "/")
    other = sock(world.seekers[1], "/")
    with app.app_context():
        emit_to_user(world.seekers[0].id, "notification", {"title": "你有新的面试邀请"})
    for tab in (tab1, tab2):
        assert events(tab, "/", "notification") == [{"title": "你有新的面试邀请"}]
    assert events(other, "/", "notification") == []


def test_payload_must_be_an_object(world: World, sock):
    s = sock(world.seekers[0], S)
    assert error_code(s.emit("join", "not-an-object", namespace=S, callback=True)) == "bad_request"


def test_each_process_closes_sockets_whose_login_session_ended(app, world: World, sock):
    """A logout whose kick never arrived (Redis down) still closes the socket on the next
    re-check: the process looks up the login sessions behind its own sockets."""
    from jobfair.live import watch
    from jobfair.models import LoginSession

    gone, stays = sock(world.seekers[0], S), sock(world.seekers[1], S)
    assert gone.is_connected(S) and stays.is_connected(S)
    with app.app_context():
        db.session.query(LoginSession).filter_by(user_id=world.seekers[0].id).delete()
        db.session.commit()
        assert watch.sweep() >= 1
    assert not gone.is_connected(S)
    assert stays.is_connected(S)
    assert ack(stays, S, "join", session_id=world.session_id)["ok"]


def test_a_write_while_the_database_is_down_is_refused_with_a_clear_message(
    app, world: World, sock, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from jobfair.live import chat_writer

    talker = sock(world.seekers[0], S)
    ack(talker, S, "join", session_id=world.session_id)

    def down(*_a, **_kw):
        raise OperationalError("INSERT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(chat_writer, "_store", down)
    out = ack(talker, S, "send", session_id=world.session_id, client_id="down-1", body="你好")
    assert out["ok"] is False and out["error"]["code"] == "unavailable"
    assert "没有保存" in out["error"]["message"]


@pytest.mark.parametrize(
    "data",
    [
        [{"ok": True, "pins": [{"position": {"title": "焊工", "tags": ["a", 1, None]}}]}],
        [{"ok": True, "pins": [{"position": {"photo": b"\x89PNG"}}]}],
        [{"deep": [[[[bytearray(b"x")]]]]}],
        ["text", 1, 2.5, False, None],
    ],
)
def test_packets_are_searched_for_binary_as_python_socketio_does(data):
    """Bytes anywhere in a payload still go out as a binary attachment (one-pass search)."""
    assert Packet.data_is_binary(data) == socketio.packet.Packet.data_is_binary(data)
    assert Packet(2, data=data).packet_type == socketio.packet.Packet(2, data=data).packet_type
