"""Headless Chromium: announcements posted while the seeker's page was closed appear when it
reopens — on 我的排队 and on the fair's lobby (beyond the five the lobby renders)."""

from conftest import World
from test_live_browser import _signed_in, browser, live_server  # noqa: F401  (fixtures)


def _announce(organiser, base: str, fair_id: int, text: str) -> None:
    organiser.goto(f"{base}/live/console/{fair_id}")
    organiser.get_by_label("公告内容（不超过 500 字）").fill(text)
    organiser.get_by_role("button", name="发布公告").click()
    organiser.wait_for_load_state()
    assert "公告已发布" in organiser.content()


def test_announcement_posted_while_the_page_was_closed_appears_on_reopening(
    live_server,  # noqa: F811  (the fixture imported above)
    browser,  # noqa: F811
    world: World,
):
    base = live_server
    seeker = _signed_in(browser, base, world.seekers[0])
    organiser = _signed_in(browser, base, world.organiser, width=1000)

    seeker.goto(f"{base}/fairs/{world.fair_id}/booths/{world.booth_id}")
    seeker.get_by_role("button", name="排队洽谈").click()
    seeker.wait_for_url("**/live/queues")
    # No rep is at the booth yet: the queue says so instead of promising a time.
    state = seeker.locator("[data-entry]").inner_text()
    assert "目前没有招聘人员在线" in state and "预计等待" not in state

    _announce(organiser, base, world.fair_id, "9:30 起各展位开始叫号")
    seeker.get_by_text("9:30 起各展位开始叫号").wait_for()

    # The seeker leaves 我的排队; meanwhile the organiser posts again.
    seeker.goto(f"{base}/positions")
    _announce(organiser, base, world.fair_id, "11:00 增开一场直播带岗")
    seeker.goto(f"{base}/live/queues")
    missed = seeker.locator("[data-announcements] li", has_text="11:00 增开一场直播带岗")
    missed.wait_for()
    assert "新" in missed.inner_text()  # marked as new since the last visit
    seen = seeker.locator("[data-announcements] li", has_text="9:30 起各展位开始叫号")
    assert "新" not in seen.inner_text()


def test_the_lobby_shows_every_announcement_missed_not_only_the_last_five(
    live_server,  # noqa: F811  (the fixture imported above)
    browser,  # noqa: F811
    world: World,
):
    base = live_server
    seeker = _signed_in(browser, base, world.seekers[1])
    organiser = _signed_in(browser, base, world.organiser, width=1000)
    _announce(organiser, base, world.fair_id, "第 0 条：欢迎参加")
    seeker.goto(f"{base}/fairs/{world.fair_id}")
    seeker.locator(".live-lobby").get_by_text("第 0 条：欢迎参加").wait_for()

    seeker.goto(f"{base}/positions")  # the lobby is closed while seven more are posted
    for i in range(1, 8):
        _announce(organiser, base, world.fair_id, f"第 {i} 条：离开期间的公告")
    seeker.goto(f"{base}/fairs/{world.fair_id}")
    lobby = seeker.locator(".live-lobby")
    lobby.get_by_text("第 1 条：离开期间的公告").wait_for()
    items = lobby.locator("[data-announcements] li")
    lobby.get_by_text("第 7 条：离开期间的公告").wait_for()
    texts = items.all_inner_texts()
    # All seven missed, in the order they were posted, each marked 新 (the lobby itself
    # renders only the last five).
    assert [t.split("第 ")[1][0] for t in texts] == [str(i) for i in range(1, 8)]
    assert all(t.startswith("新") for t in texts)
