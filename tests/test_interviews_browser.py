"""Headless Chromium: a scheduled interview from invitation to acceptance with its .ics, a rep
with two concurrent chats, and a 推荐人才 invitation reaching the seeker."""

import re
from datetime import timedelta

import pytest
from conftest import World
from live_server import CHROMIUM
from test_live_browser import _signed_in, browser, live_server  # noqa: F401

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.formatting import fmt_dt

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="no chromium"),
]


def _told(page, text: str) -> None:
    """Wait until the page announced a live notification with this title."""
    page.wait_for_function(
        "t => (document.getElementById('notification-live') || {}).textContent"
        " && document.getElementById('notification-live').textContent.includes(t)",
        arg=text,
    )


def _queue_and_call(seeker, rep, base, world, seeker_name):
    seeker.goto(f"{base}/fairs/{world.fair_id}/booths/{world.booth_id}")
    seeker.get_by_role("button", name="排队洽谈").click()
    seeker.wait_for_url("**/live/queues")
    rep.goto(f"{base}/live/booths/{world.booth_id}/desk")
    assert seeker_name in rep.content()
    rep.get_by_role("button", name="叫下一位").click()
    rep.wait_for_url("**/live/chats/*")


def test_scheduled_interview_from_invitation_to_acceptance_with_ics(
    live_server,  # noqa: F811
    browser,  # noqa: F811
    world: World,
    app,
):
    from jobfair.models.common import utcnow

    base = live_server
    seeker = _signed_in(browser, base, world.seekers[0])
    rep = _signed_in(browser, base, world.rep, width=1000)
    _queue_and_call(seeker, rep, base, world, "李建国")

    when = utcnow() + timedelta(days=2)
    rep.get_by_label("下一步").select_option("interview")
    rep.get_by_label("邀请面试的岗位").select_option(label="电焊工（二保焊）")
    rep.get_by_label("面试时间（北京时间）").fill(fmt_dt(when, "%Y-%m-%dT%H:%M"))
    rep.get_by_label("面试方式").select_option("onsite")
    rep.get_by_label("面试地点（现场面试必填）").fill("江宁区宁钢路 18 号二楼人事部")
    rep.get_by_label("联系人").fill("孙立新")
    rep.get_by_label("联系电话").fill("13900002000")
    rep.get_by_role("button", name="结束面谈").click()
    rep.wait_for_url("**/desk")
    assert "面试邀请已发给求职者" in rep.content()

    # The seeker finds it among the notifications, opens 我的面试 and accepts.
    seeker.goto(base + "/notifications")
    assert "南京宁钢精工机械有限公司邀请你面试" in seeker.content()
    seeker.goto(base + "/me/interviews")
    card = seeker.locator("[data-interview]").first
    assert "江宁区宁钢路 18 号二楼人事部" in card.inner_text()
    assert fmt_dt(when) in card.inner_text() and "孙立新 13900002000" in card.inner_text()
    card.get_by_role("button", name="确认参加").click()
    seeker.wait_for_load_state()
    assert "已确认参加" in seeker.locator("[data-interview-status]").first.inner_text()

    with seeker.expect_download() as info:
        seeker.locator("[data-interview]").first.get_by_role(
            "link", name="加入日历（.ics）"
        ).click()
    download = info.value
    assert re.fullmatch(r"interview-\d+\.ics", download.suggested_filename)
    with open(download.path(), encoding="utf-8") as fh:
        ics = fh.read().replace("\r\n ", "")
    assert "BEGIN:VEVENT" in ics and "STATUS:CONFIRMED" in ics
    assert "LOCATION:江宁区宁钢路 18 号二楼人事部" in ics
    assert "DTSTART:" + when.strftime("%Y%m%dT%H%M") in ics

    # The rep sees the acceptance; the seeker's timeline credits each side with its words.
    rep.goto(base + "/employer/interviews")
    assert "已确认参加" in rep.content()
    seeker.goto(base + "/me/applications")
    text = seeker.content()
    assert "招聘方发起（求职者未投递）" in text and "我的附言" not in text


def test_a_rep_with_two_concurrent_chats(live_server, browser, world: World):  # noqa: F811
    base = live_server
    first = _signed_in(browser, base, world.seekers[0])
    second = _signed_in(browser, base, world.seekers[1])
    rep = _signed_in(browser, base, world.rep, width=1000)
    _queue_and_call(first, rep, base, world, "李建国")
    chat_one = rep.url
    second.goto(f"{base}/fairs/{world.fair_id}/booths/{world.booth_id}")
    second.get_by_role("button", name="排队洽谈").click()
    second.wait_for_url("**/live/queues")
    rep.goto(f"{base}/live/booths/{world.booth_id}/desk")
    assert "还可以再叫 1 位" in rep.content()
    rep.get_by_role("button", name="叫下一位").click()
    rep.wait_for_url("**/live/chats/*")
    chat_two = rep.url
    assert chat_two != chat_one
    # The second chat's page links to the first: the rep sees both.
    nav = rep.get_by_role("navigation", name="我的其他面谈")
    assert "李建国" in nav.inner_text() and "王芳" in nav.inner_text()

    for page in (first, second):
        page.goto(base + "/live/queues")
        page.get_by_role("link", name="进入面谈").click()
        page.wait_for_url("**/live/chats/*")
    second.locator("[data-send] textarea").fill("我是第二位，会开叉车")
    second.locator("[data-send]").get_by_role("button", name="发送").click()
    rep.locator(".live-messages").get_by_text("我是第二位，会开叉车").wait_for()
    rep.locator("[data-send] textarea").fill("好的，稍等")
    rep.locator("[data-send]").get_by_role("button", name="发送").click()
    second.locator(".live-messages").get_by_text("好的，稍等").wait_for()

    rep.goto(chat_one)
    rep.locator("[data-send] textarea").fill("第一位您好，还在吗？")
    rep.locator("[data-send]").get_by_role("button", name="发送").click()
    first.locator(".live-messages").get_by_text("第一位您好，还在吗？").wait_for()
    assert "第一位您好" not in second.locator(".live-messages").inner_text()

    # The desk is full: a third call is refused in plain words.
    rep.goto(f"{base}/live/booths/{world.booth_id}/desk")
    assert "我的面谈（2/2）" in rep.locator("[data-my-chats] h2").inner_text()


def test_talent_invitation_reaches_the_seeker(live_server, browser, world: World, app):  # noqa: F811
    from jobfair.models import SeekerProfile

    target = world.seekers[1]
    with app.app_context(), writing():
        db.session.scalar(db.select(SeekerProfile).filter_by(user_id=target.id)).discoverable = True
        db.session.commit()
    base = live_server
    seeker = _signed_in(browser, base, target)
    seeker.goto(base + "/live/queues")  # a live page: its socket brings notifications
    rep = _signed_in(browser, base, world.rep, width=1000)
    rep.goto(f"{base}/employer/positions/{world.position_ids[0]}/talent")
    row = rep.locator(".match-item", has_text="王*")
    assert "王芳" not in rep.content()
    row.get_by_role("button", name="邀请投递").click()
    rep.wait_for_load_state()
    assert "邀请已发出" in rep.content()

    # The notification arrives on the seeker's open page without a reload.
    _told(seeker, "南京宁钢精工机械有限公司邀请你投递“电焊工（二保焊）”")
    # The unread badge counts it (on a phone it sits inside the collapsed 菜单).
    badge = seeker.locator("[data-notification-badge]")
    assert badge.get_attribute("hidden") is None
    assert int(seeker.locator("[data-notification-count]").inner_text()) >= 1
    seeker.goto(base + "/me/invitations")
    item = seeker.locator("[data-invitation]").first
    assert "南京宁钢精工机械有限公司" in item.inner_text()
    assert "电焊工（二保焊）" in item.inner_text()
    item.get_by_role("button", name="接受并投递").click()
    seeker.wait_for_url("**/me/applications")
    assert "应邀投递" in seeker.content() and "电焊工（二保焊）" in seeker.content()
    rep.goto(base + "/employer/invitations")
    assert "王芳" in rep.content() and "已接受" in rep.content()
