"""Headless Chromium, three people at once: a seeker queues, a rep calls and chats, the
organiser's announcement arrives, the rep invites to interview and the seeker sees 邀请面试."""

import pytest
from conftest import PASSWORD, World
from live_server import BROWSER_MARKS, chromium, serving

pytestmark = BROWSER_MARKS


@pytest.fixture
def live_server(make_app, world):
    # Werkzeug's threaded server with simple-websocket serves the Socket.IO WebSocket transport.
    app = make_app(WTF_CSRF_ENABLED=True, LIVE_COUNTS_DELAY=0)
    with serving(app) as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.fixture
def browser():
    with chromium() as b:
        yield b


def _signed_in(browser, base, user, width=375):
    page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(base + "/login")
    page.get_by_label("手机号或邮箱").fill(user.phone)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return page


def test_queue_call_chat_announce_invite(live_server, browser, world: World):
    journey(browser, live_server, world)


def journey(browser, base: str, world: World, organiser_base: str | None = None) -> None:
    """The three people's journey against a server at base (also run through nginx by
    tests/test_deploy_stack.py, with the organiser on another app process)."""
    seeker = _signed_in(browser, base, world.seekers[0])
    rep = _signed_in(browser, base, world.rep, width=1000)
    obase = organiser_base or base
    organiser = _signed_in(browser, obase, world.organiser, width=1000)

    # The seeker queues at the booth and watches their place.
    seeker.goto(f"{base}/fairs/{world.fair_id}/booths/{world.booth_id}")
    seeker.get_by_role("button", name="排队洽谈").click()
    seeker.wait_for_url("**/live/queues")
    assert "第 1 位" in seeker.locator("[data-entry]").inner_text()

    # The rep calls the next seeker; the seeker's page shows the call without a reload.
    rep.goto(f"{base}/live/booths/{world.booth_id}/desk")
    assert "李建国" in rep.content()
    rep.get_by_role("button", name="叫下一位").click()
    rep.wait_for_load_state()
    assert "/live/chats/" in rep.url, rep.locator(".flashes").inner_text()
    seeker.get_by_role("link", name="进入面谈").click()
    seeker.wait_for_url("**/live/chats/*")

    # Both write; each sees the other's message live.
    seeker.locator("[data-send] textarea").fill("您好，我有五年焊工经验")
    seeker.locator("[data-send]").get_by_role("button", name="发送").click()
    rep.locator(".live-messages").get_by_text("您好，我有五年焊工经验").wait_for()
    rep.locator("[data-send] textarea").fill("可以接受倒班吗？")
    rep.locator("[data-send]").get_by_role("button", name="发送").click()
    seeker.locator(".live-messages").get_by_text("可以接受倒班吗？").wait_for()

    # The organiser's announcement reaches the seeker in the chat.
    organiser.goto(f"{obase}/live/console/{world.fair_id}")
    organiser.get_by_label("公告内容（不超过 500 字）").fill("15:00 起增加一场直播带岗")
    organiser.get_by_role("button", name="发布公告").click()
    seeker.get_by_text("15:00 起增加一场直播带岗").wait_for()

    # The rep records the chat and invites to interview for the welding position.
    rep.get_by_label("面谈记录").fill("经验丰富，可倒班")
    rep.get_by_label("4 分").check()
    rep.get_by_label("下一步").select_option("interview")
    rep.get_by_label("邀请面试的岗位").select_option(label="电焊工（二保焊）")
    rep.get_by_role("button", name="结束面谈").click()
    rep.wait_for_url("**/desk")
    seeker.get_by_text("招聘方邀请你参加面试").wait_for()

    seeker.goto(base + "/me/applications")
    content = seeker.content()
    assert "电焊工（二保焊）" in content and "邀请面试" in content
