"""Nothing missed while away: every live page asks for what came after the last number it saw
(announcements included) when it opens or reconnects, and the notification badge is recounted."""

import pytest
from conftest import World, ack, sign_in

from jobfair.database import writing
from jobfair.extensions import db

S, B, LOBBY, C = "/session", "/booth", "/lobby", "/console"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LIVE_COUNTS_DELAY": 0}


def announce(org, fair_id: int, body: str, cid: str) -> dict:
    result = ack(org, C, "announce", fair_id=fair_id, client_id=cid, body=body)
    assert result["ok"], result
    return result["announcement"]


def test_my_queues_gets_the_announcements_posted_while_it_was_closed(world: World, sock):
    seeker = sock(world.seekers[0], B)
    ack(seeker, B, "join_queue", booth_id=world.booth_id)
    org = sock(world.organiser, C)
    seen = announce(org, world.fair_id, "上午场 10:00 开始", "a1")
    seeker.disconnect(B)  # the seeker closes 我的排队
    missed = [announce(org, world.fair_id, f"离开期间公告{i}", f"m{i}") for i in range(3)]
    seeker.connect(B)
    scope = f"fair:{world.fair_id}"
    back = ack(seeker, B, "watch_queues", announcement_seqs={scope: seen["seq"]})
    assert [a["body"] for a in back["announcements"]] == [a["body"] for a in missed]
    assert back["more_announcements"] is False
    # A page that remembers nothing (another browser) gets the recent ones, the missed included.
    fresh = ack(seeker, B, "watch_queues")
    assert [a["body"] for a in fresh["announcements"]][-3:] == [a["body"] for a in missed]
    assert fresh["announcements"][0]["body"] == "上午场 10:00 开始"


def test_the_queue_page_renders_the_fairs_announcements(world: World, sock, client):
    seeker = sock(world.seekers[0], B)
    ack(seeker, B, "join_queue", booth_id=world.booth_id)
    announce(sock(world.organiser, C), world.fair_id, "下午场请提前排队", "q1")
    sign_in(client, world.seekers[0])
    page = client.get("/live/queues").get_data(as_text=True)
    assert "下午场请提前排队" in page and f'data-scope="fair:{world.fair_id}"' in page


def test_chat_and_desk_ask_for_missed_announcements_too(world: World, sock):
    seeker = sock(world.seekers[0], B)
    ack(seeker, B, "join_queue", booth_id=world.booth_id)
    rep = sock(world.rep, B)
    desk = ack(rep, B, "desk", booth_id=world.booth_id)
    assert desk["ok"] and desk["announcements"] == []
    chat = ack(rep, B, "call_next", booth_id=world.booth_id)["chat"]
    org = sock(world.organiser, C)
    first = announce(org, world.fair_id, "第一条", "c1")
    second = announce(org, world.fair_id, "第二条", "c2")
    scope = f"fair:{world.fair_id}"
    opened = ack(
        seeker, B, "open_chat", chat_id=chat["id"], announcement_seqs={scope: first["seq"]}
    )
    assert [a["id"] for a in opened["announcements"]] == [second["id"]]
    again = ack(rep, B, "desk", booth_id=world.booth_id, announcement_seqs={scope: 0})
    assert [a["id"] for a in again["announcements"]] == [first["id"], second["id"]]


def test_booth_announcement_pages_only_for_public_fairs(app, world: World, sock):
    from jobfair.models import Fair

    seeker = sock(world.seekers[0], B)
    assert ack(seeker, B, "announcements", scope="session:1", after_seq=0)["error"]["code"] == (
        "bad_request"
    )
    with app.app_context(), writing():
        fair = db.session.get(Fair, world.fair_id)
        fair.status = "draft"
        db.session.commit()
    hidden = ack(seeker, B, "announcements", scope=f"fair:{world.fair_id}", after_seq=0)
    assert hidden["error"]["code"] == "not_found"


def test_a_long_gap_comes_in_pages(app, world: World, sock, monkeypatch):
    from jobfair.live import queries

    monkeypatch.setattr(queries.announcements_after, "__defaults__", (2,))
    org = sock(world.organiser, C)
    for i in range(5):
        announce(org, world.fair_id, f"公告{i}", f"p{i}")
    seeker = sock(world.seekers[0], B)
    ack(seeker, B, "join_queue", booth_id=world.booth_id)
    scope = f"fair:{world.fair_id}"
    first = ack(seeker, B, "watch_queues", announcement_seqs={scope: 0})
    assert [a["seq"] for a in first["announcements"]] == [1, 2] and first["more_announcements"]
    nxt = ack(seeker, B, "announcements", scope=scope, after_seq=2)
    assert [a["seq"] for a in nxt["announcements"]] == [3, 4] and nxt["more"]


def test_session_room_and_lobby_rejoin_from_the_last_number(world: World, sock):
    org = sock(world.organiser, C)
    seen = announce(org, world.fair_id, "已看过", "s1")
    missed = announce(org, world.fair_id, "没看到", "s2")
    viewer = sock(world.seekers[1], S)
    scopes = {f"fair:{world.fair_id}": seen["seq"], f"session:{world.session_id}": 0}
    joined = ack(viewer, S, "join", session_id=world.session_id, announcement_seqs=scopes)
    assert [a["id"] for a in joined["announcements"]] == [missed["id"]]
    lobby = sock(world.seekers[2], LOBBY)
    got = ack(lobby, LOBBY, "join", fair_id=world.fair_id, announcement_seq=seen["seq"])
    assert [a["id"] for a in got["announcements"]] == [missed["id"]]


def test_the_badge_is_recounted_on_every_connect(app, world: World, sock):
    from jobfair.notifications.services import notify

    root = sock(world.seekers[0], "/")
    assert ack(root, "/", "unread") == {"ok": True, "unread": 0}
    root.disconnect("/")
    with app.app_context(), writing():
        notify(world.seekers[0].id, "live", "离线时收到的通知")
        db.session.commit()
    root.connect("/")
    assert ack(root, "/", "unread")["unread"] == 1
    assert not sock(None, "/").is_connected("/")  # anonymous: no socket, no count
