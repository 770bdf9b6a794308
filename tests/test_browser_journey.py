"""A real headless Chromium walks the core journey: register, profile, search, apply, invite."""

import re

import pytest
from conftest import PASSWORD
from live_server import BROWSER_MARKS, chromium, serving

pytestmark = BROWSER_MARKS


@pytest.fixture
def live_server(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with serving(app) as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.fixture
def browser():
    with chromium() as b:
        yield b


def test_seeker_applies_and_employer_invites(live_server, browser, make_employer, make_position):
    employer = make_employer(name="南京宁钢精工机械有限公司")
    make_position(employer=employer, title="电焊工（二保焊）")
    make_position(
        employer=employer,
        title="仓库管理员",
        description="负责仓储收发。",
        requirements="",
        occupation_code="4-02-06-01",
    )

    seeker = browser.new_page(viewport={"width": 375, "height": 800})
    seeker.goto(live_server + "/register")
    seeker.get_by_label("姓名").fill("李建国")
    seeker.get_by_label("手机号或邮箱").fill("13912345678")
    seeker.get_by_label("密码").fill(PASSWORD)
    seeker.get_by_role("button", name="注册").click()
    # Registering does not sign in (it answers the same for a taken number): sign in next.
    seeker.wait_for_url(re.compile(r"/login"))
    seeker.get_by_label("手机号或邮箱").fill("13912345678")
    seeker.get_by_label("密码").fill(PASSWORD)
    seeker.get_by_role("button", name="登录").click()
    seeker.wait_for_load_state()
    seeker.goto(live_server + "/me/profile")

    seeker.get_by_label("手机号").fill("13912345678")
    seeker.get_by_label("技能").fill("电焊、氩弧焊")
    seeker.get_by_role("button", name="保存资料").click()
    seeker.wait_for_load_state()

    seeker.goto(live_server + "/positions")
    seeker.get_by_label("关键词").fill("焊工")
    seeker.get_by_role("button", name="搜索").click()
    seeker.wait_for_load_state()
    results = seeker.locator(".position-item")
    assert results.count() == 1
    results.get_by_role("link", name="电焊工（二保焊）").click()
    seeker.get_by_label("给用人单位的附言（选填）").fill("有焊工证，五年经验。")
    seeker.get_by_role("button", name="投递简历").click()
    seeker.wait_for_load_state()

    seeker.goto(live_server + "/me/applications")
    assert "电焊工（二保焊）" in seeker.content() and "新投递" in seeker.content()

    boss = browser.new_page(viewport={"width": 375, "height": 800})
    boss.goto(live_server + "/login")
    boss.get_by_label("手机号或邮箱").fill(employer.user.phone)
    boss.get_by_label("密码").fill(PASSWORD)
    boss.get_by_role("button", name="登录").click()
    boss.goto(live_server + "/employer/positions")
    row = boss.locator("tr", has_text="电焊工（二保焊）")
    row.get_by_role("link", name=re.compile("投递者")).click()
    boss.get_by_role("link", name="查看", exact=True).first.click()
    # The click returns once the next page is committed, maybe half parsed: wait for it whole.
    boss.wait_for_url(re.compile(r"/employer/applications/\d+"))
    boss.wait_for_load_state()
    body = boss.content()
    assert "李建国" in body and "13912345678" in body  # full contact: the seeker applied here
    boss.get_by_label("变更状态为").select_option(label="邀请面试")
    boss.get_by_role("button", name="更新状态").click()
    boss.wait_for_load_state()
    assert "邀请面试" in boss.content()

    seeker.reload()
    assert "邀请面试" in seeker.content()
