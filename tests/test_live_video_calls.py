"""1:1 video calls: signalling over Socket.IO between the two parties of a booth chat only,
checked payloads, ICE servers from configuration (a coturn login per user), the call page
and its API."""

import base64
import hashlib
import hmac

import pytest
from conftest import World, ack, error_code, events, sign_in

from jobfair.live import calls

B, CALL = "/booth", "/call"
OFFER = "v=0\r\no=- 46117 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
CANDIDATE = {
    "candidate": "candidate:1 1 udp 2122260223 192.0.2.10 54400 typ host",
    "sdpMid": "0",
    "sdpMLineIndex": 0,
    "usernameFragment": "abcd",
}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LIVE_COUNTS_DELAY": 0}


def _chat(world: World, sock) -> int:
    seeker, rep = sock(world.seekers[0], B), sock(world.rep, B)
    ack(seeker, B, "join_queue", booth_id=world.booth_id)
    ack(rep, B, "desk", booth_id=world.booth_id)
    return ack(rep, B, "call_next", booth_id=world.booth_id)["chat"]["id"]


def _signals(client, type_=None):
    got = events(client, CALL, "call_signal")
    return [s for s in got if type_ is None or s["type"] == type_]


def test_the_two_parties_exchange_signals_and_nobody_else_hears(world: World, sock, make_user):
    chat_id = _chat(world, sock)
    seeker, rep = sock(world.seekers[0], CALL), sock(world.rep, CALL)
    joined = ack(seeker, CALL, "join", kind="chat", id=chat_id)
    assert joined["ok"] and joined["call"]["kind"] == "chat" and joined["call"]["id"] == chat_id
    assert joined["call"]["ice_servers"] == []  # nothing configured: direct connections only
    assert ack(rep, CALL, "join", kind="chat", id=chat_id)["ok"]
    assert _signals(seeker, "present")  # the seeker learns that the rep is here

    # Outsiders: another seeker, a colleague rep of the same employer, another employer's
    # rep and the organiser. None can join, send or hear anything of this call.
    outsiders = [
        sock(world.seekers[1], CALL),
        sock(world.rep2, CALL),
        sock(world.other_employer.user, CALL),
        sock(world.organiser, CALL),
    ]
    for o in outsiders:
        assert error_code(ack(o, CALL, "join", kind="chat", id=chat_id)) == "not_found"
        sent = ack(o, CALL, "signal", kind="chat", id=chat_id, type="offer", sdp=OFFER)
        assert error_code(sent) == "not_found"
        o.get_received(CALL)

    assert ack(rep, CALL, "signal", kind="chat", id=chat_id, type="ring")["ok"]
    assert ack(seeker, CALL, "signal", kind="chat", id=chat_id, type="accept")["ok"]
    assert ack(rep, CALL, "signal", kind="chat", id=chat_id, type="offer", sdp=OFFER)["ok"]
    sent = ack(rep, CALL, "signal", kind="chat", id=chat_id, type="candidate", candidate=CANDIDATE)
    assert sent["ok"]
    got = _signals(seeker)
    assert [s["type"] for s in got] == ["ring", "offer", "candidate"]
    assert got[1]["sdp"] == OFFER and got[2]["candidate"] == CANDIDATE
    assert all(s["kind"] == "chat" and s["id"] == chat_id for s in got)
    assert [s["type"] for s in _signals(rep)] == ["accept"]  # nobody hears their own
    for o in outsiders:
        assert o.get_received(CALL) == []

    # A stranger's signal about a chat they are not in never reaches the parties either.
    stranger = sock(make_user(role="seeker"), CALL)
    assert error_code(ack(stranger, CALL, "signal", kind="chat", id=chat_id, type="ring"))
    assert error_code(ack(stranger, CALL, "join", kind="interview", id=chat_id)) == "not_found"
    assert _signals(seeker) == [] and _signals(rep) == []


def test_signalling_needs_a_login_and_a_joined_room(world: World, sock):
    chat_id = _chat(world, sock)
    assert not sock(None, CALL).is_connected(CALL)
    seeker = sock(world.seekers[0], CALL)
    not_joined = ack(seeker, CALL, "signal", kind="chat", id=chat_id, type="ring")
    assert error_code(not_joined) == "not_joined"


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "offer", "sdp": "<script>"},
        {"type": "offer", "sdp": "v=0" + "a" * calls.MAX_SDP},
        {"type": "candidate", "candidate": {"candidate": "x" * 2000}},
        {"type": "candidate", "candidate": {"candidate": "candidate:1", "sdpMLineIndex": "0"}},
        {"type": "candidate", "candidate": "candidate:1"},
        {"type": "media", "audio": "off", "video": True},
        {"type": "hangup", "reason": "<b>再见</b>"},
        {"type": "chat", "body": "hi"},
        {"type": "ring", "to": "x" * 100},
    ],
)
def test_bad_signals_are_refused_and_not_relayed(world: World, sock, bad):
    chat_id = _chat(world, sock)
    seeker, rep = sock(world.seekers[0], CALL), sock(world.rep, CALL)
    ack(seeker, CALL, "join", kind="chat", id=chat_id)
    ack(rep, CALL, "join", kind="chat", id=chat_id)
    seeker.get_received(CALL)
    result = ack(rep, CALL, "signal", kind="chat", id=chat_id, **bad)
    assert error_code(result) == "bad_request"
    assert "视频通话数据不正确" in result["error"]["message"]
    assert _signals(seeker) == []


def test_only_known_fields_are_relayed(world: World, sock):
    chat_id = _chat(world, sock)
    seeker, rep = sock(world.seekers[0], CALL), sock(world.rep, CALL)
    ack(seeker, CALL, "join", kind="chat", id=chat_id)
    ack(rep, CALL, "join", kind="chat", id=chat_id)
    seeker.get_received(CALL)
    sent = ack(rep, CALL, "signal", kind="chat", id=chat_id, type="media", audio=False,
               video=True, note="偷偷夹带的内容", user_id=1)  # fmt: skip
    assert sent["ok"]
    (got,) = _signals(seeker)
    assert set(got) == {"type", "audio", "video", "kind", "id", "from"}
    assert got["audio"] is False and got["video"] is True


def test_ending_the_chat_hangs_up_and_stops_the_relay(world: World, sock):
    chat_id = _chat(world, sock)
    seeker, rep = sock(world.seekers[0], CALL), sock(world.rep, CALL)
    ack(seeker, CALL, "join", kind="chat", id=chat_id)
    ack(rep, CALL, "join", kind="chat", id=chat_id)
    seeker.get_received(CALL)
    rep_booth = sock(world.rep, B)
    assert ack(rep_booth, B, "end_chat", chat_id=chat_id, next_step="none")["ok"]
    hangups = _signals(seeker, "hangup")
    assert hangups and hangups[0]["reason"] == "ended" and hangups[0]["from"] == "server"
    late = ack(rep, CALL, "signal", kind="chat", id=chat_id, type="offer", sdp=OFFER)
    assert error_code(late) == "chat_ended" and "面谈已结束" in late["error"]["message"]
    assert error_code(ack(seeker, CALL, "join", kind="chat", id=chat_id)) == "chat_ended"
    assert _signals(seeker, "offer") == []


def test_leaving_or_closing_the_page_tells_the_other_party(world: World, sock):
    chat_id = _chat(world, sock)
    seeker, rep = sock(world.seekers[0], CALL), sock(world.rep, CALL)
    ack(seeker, CALL, "join", kind="chat", id=chat_id)
    ack(rep, CALL, "join", kind="chat", id=chat_id)
    seeker.get_received(CALL)
    assert ack(rep, CALL, "leave", kind="chat", id=chat_id)["ok"]
    assert _signals(seeker, "left")
    # Left: the rep's signals are refused until they join again.
    assert error_code(ack(rep, CALL, "signal", kind="chat", id=chat_id, type="ring")) == (
        "not_joined"
    )
    ack(rep, CALL, "join", kind="chat", id=chat_id)
    seeker.get_received(CALL)
    rep.disconnect(CALL)
    assert _signals(seeker, "left")


def test_signal_flood_is_limited(world: World, sock, monkeypatch):
    chat_id = _chat(world, sock)
    rep = sock(world.rep, CALL)
    ack(rep, CALL, "join", kind="chat", id=chat_id)
    from jobfair.live.namespaces import CallNamespace

    monkeypatch.setattr(CallNamespace, "budget", calls.SignalBudget(per_minute=3))
    for _ in range(3):
        assert ack(rep, CALL, "signal", kind="chat", id=chat_id, type="ring")["ok"]
    assert error_code(ack(rep, CALL, "signal", kind="chat", id=chat_id, type="ring")) == (
        "rate_limited"
    )


def test_ice_servers_from_configuration_with_a_coturn_login_per_user(make_app, world: World, sock):
    app = make_app(
        LIVE_COUNTS_DELAY=0,
        ICE_SERVERS='[{"urls": "stun:turn.jobfair.example.cn:3478"}, "javascript:alert(1)"]',
        TURN_URLS="turn:turn.jobfair.example.cn:3478?transport=udp,turns:turn.jobfair.example.cn:5349",
        TURN_SECRET="coturn-static-auth-secret",
        TURN_TTL=600,
    )
    with app.app_context():
        # One bad entry makes the configured list invalid: it is ignored (and logged), the
        # TURN login still comes.
        servers = calls.ice_servers(world.seekers[0].id)
    assert len(servers) == 1
    turn = servers[0]
    assert turn["urls"][1] == "turns:turn.jobfair.example.cn:5349"
    expiry, uid = turn["username"].split(":")
    assert uid == str(world.seekers[0].id) and int(expiry) > 0
    expected = hmac.new(b"coturn-static-auth-secret", turn["username"].encode(), hashlib.sha1)
    assert turn["credential"] == base64.b64encode(expected.digest()).decode()
    app2 = make_app(ICE_SERVERS=[{"urls": ["stun:a.example.cn:3478"]}])
    with app2.app_context():
        assert calls.ice_servers(1) == [{"urls": ["stun:a.example.cn:3478"]}]


def test_call_api_for_the_two_parties_only(app, world: World, sock):
    chat_id = _chat(world, sock)
    url = f"/api/v1/live/chats/{chat_id}/call"
    seeker = app.test_client()
    sign_in(seeker, world.seekers[0])
    got = seeker.get(url)
    assert got.status_code == 200
    body = got.get_json()
    assert body["namespace"] == "/call" and body["kind"] == "chat" and body["id"] == chat_id
    assert body["ice_servers"] == []
    for outsider in (world.seekers[1], world.rep2, world.organiser):
        c = app.test_client()
        sign_in(c, outsider)
        resp = c.get(url)
        assert resp.status_code == 404 and "不存在" in resp.get_json()["error"]["message"]


def test_chat_page_offers_video_and_text_fallback(app, world: World, sock):
    chat_id = _chat(world, sock)
    seeker = app.test_client()
    sign_in(seeker, world.seekers[0])
    html = seeker.get(f"/live/chats/{chat_id}").get_data(as_text=True)
    assert 'data-video-call data-call-kind="chat"' in html
    assert "视频通话" in html and "video-call.js" in html
    assert "不录音、不录像" in html


def test_another_feature_registers_its_own_kind_of_call(world: World, sock, monkeypatch):
    """How scheduled interviews plug in: a resolver naming the two parties of its object."""
    from jobfair.errors import NotFound

    seeker, rep = world.seekers[2], world.rep

    def interview(user, ident):
        if ident != 7:
            raise NotFound("面试不存在。")
        return calls.CallRoom("interview", ident, (seeker.id, rep.id))

    monkeypatch.setitem(calls._KINDS, "interview", interview)
    a, b = sock(seeker, CALL), sock(rep, CALL)
    joined = ack(a, CALL, "join", kind="interview", id=7)
    assert joined["ok"] and joined["call"]["polite"] is (seeker.id > rep.id)
    assert ack(b, CALL, "join", kind="interview", id=7)["ok"]
    assert ack(b, CALL, "signal", kind="interview", id=7, type="ring")["ok"]
    assert [s["type"] for s in _signals(a)] == ["present", "ring"]
    outsider = sock(world.seekers[0], CALL)
    assert error_code(ack(outsider, CALL, "join", kind="interview", id=7)) == "not_found"
    assert error_code(ack(a, CALL, "join", kind="interview", id=8)) == "not_found"


def test_call_endpoint_is_documented(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    op = spec["paths"]["/api/v1/live/chats/{chat_id}/call"]["get"]
    assert "视频" in op["summary"] + op.get("description", "")
