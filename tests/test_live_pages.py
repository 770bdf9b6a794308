"""Live pages work without JavaScript: room, queue, desk, chat with invite, console."""

import re

import pytest
from conftest import World, sign_in

from jobfair.extensions import db


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LIVE_COUNTS_DELAY": 0}


def _client(app, user):
    c = app.test_client()
    sign_in(c, user)
    return c


def test_queue_call_chat_and_invite_without_javascript(app, world: World):
    seeker = _client(app, world.seekers[0])
    rep = _client(app, world.rep)

    resp = seeker.post(f"/live/booths/{world.booth_id}/queue", follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert (
        "已加入排队" in page
        and "南京宁钢精工机械有限公司" in page
        and "第 <strong data-place>1</strong> 位" in page
    )

    desk = rep.get(f"/live/booths/{world.booth_id}/desk").get_data(as_text=True)
    assert "李建国" in desk and "机电一体化" in desk

    resp = rep.post(f"/live/booths/{world.booth_id}/call")
    assert resp.status_code == 302
    chat_url = resp.headers["Location"]
    chat_id = int(re.search(r"/live/chats/(\d+)", chat_url).group(1))

    mine = seeker.get("/live/queues").get_data(as_text=True)
    assert f"/live/chats/{chat_id}" in mine and "进入面谈" in mine
    page = seeker.get(f"/live/chats/{chat_id}").get_data(as_text=True)
    assert "一对一面谈" in page and "结束面谈并记录" not in page

    resp = rep.post(
        f"/live/chats/{chat_id}/end",
        data={
            "notes": "有五年焊工经验",
            "rating": "4",
            "next_step": "interview",
            "position_id": str(world.position_ids[0]),
        },
        follow_redirects=True,
    )
    assert "面谈已结束，记录已保存" in resp.get_data(as_text=True)
    apps = seeker.get("/me/applications").get_data(as_text=True)
    assert "电焊工（二保焊）" in apps and "邀请面试" in apps


def test_another_employer_cannot_open_the_desk_or_the_chat(app, world: World, make_user):
    seeker = _client(app, world.seekers[0])
    seeker.post(f"/live/booths/{world.booth_id}/queue")
    other = _client(app, world.other_employer.user)
    assert other.get(f"/live/booths/{world.booth_id}/desk").status_code == 404
    rep = _client(app, world.rep)
    chat_id = int(
        rep.post(f"/live/booths/{world.booth_id}/call").headers["Location"].rsplit("/", 1)[1]
    )
    assert other.get(f"/live/chats/{chat_id}").status_code == 404
    another_seeker = _client(app, world.seekers[1])
    assert another_seeker.get(f"/live/chats/{chat_id}").status_code == 404
    assert another_seeker.post(f"/live/chats/{chat_id}/end", data={}).status_code == 403


def test_session_room_reads_without_javascript(app, world: World):
    from jobfair.live import chat
    from jobfair.models import User

    with app.app_context():
        user = db.session.get(User, world.seekers[1].id)
        chat.send_session_message(user, world.session_id, "x1", "<b>请问有夜班吗</b>")
    seeker = _client(app, world.seekers[0])
    page = seeker.get(f"/live/sessions/{world.session_id}").get_data(as_text=True)
    assert "直播带岗：智能制造专场" in page
    assert "https://live.example.cn/room/123" in page
    assert "&lt;b&gt;请问有夜班吗&lt;/b&gt;" in page and "<b>请问有夜班吗" not in page
    assert app.test_client().get(f"/live/sessions/{world.session_id}").status_code == 302


def test_console_announces_pins_and_ends_session(app, world: World):
    org = _client(app, world.organiser)
    page = org.get(f"/live/console/{world.fair_id}").get_data(as_text=True)
    assert "现场控制台" in page and "电焊工（二保焊）" in page
    url = f"/live/console/{world.fair_id}/action"
    resp = org.post(url, data={"action": "announce", "client_id": "f1", "body": "13:00 开始直播"})
    assert resp.status_code == 302
    org.post(url, data={"action": "announce", "client_id": "f1", "body": "13:00 开始直播"})
    org.post(url, data={"action": "pin", "position_id": str(world.position_ids[0])})
    page = org.get(f"/live/console/{world.fair_id}").get_data(as_text=True)
    assert page.count("13:00 开始直播") == 1 and "取消置顶" in page
    resp = org.post(
        url,
        data={"action": "session_ended", "session_id": str(world.session_id)},
        follow_redirects=True,
    )
    assert "直播已结束" in resp.get_data(as_text=True)
    # Pinning another employer's position that has no booth in the fair is refused.
    seeker = _client(app, world.seekers[0])
    assert seeker.get(f"/live/console/{world.fair_id}").status_code == 403


def test_announcements_from_an_earlier_day_name_the_day():
    """The fair lobby listed 09:10 (yesterday) above 00:40 (today) as if time ran backwards."""
    from datetime import UTC, datetime, timedelta

    from jobfair.formatting import LOCAL_TZ, hhmm

    now = datetime.now(UTC).replace(tzinfo=None)
    assert re.fullmatch(r"\d\d:\d\d", hhmm(now))
    yesterday = now - timedelta(days=1)
    local = yesterday.replace(tzinfo=UTC).astimezone(LOCAL_TZ)
    assert hhmm(yesterday) == f"{local.month}月{local.day}日 {local:%H:%M}"
