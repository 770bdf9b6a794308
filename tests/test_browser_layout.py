"""Layout a person notices in a real Chromium: a 360 px phone in 长辈版 and an employer's desk.

Each check is one that broke before: a tick box squeezed to a dot beside a long label, the
favicon 404 logged on every page, a table cell that left the table grid, date-time and web
address inputs left at the browser's tiny default size.
"""

import pytest
from conftest import PASSWORD, sign_in
from live_server import BROWSER_MARKS, chromium, serving

PHONE = {"width": 360, "height": 640}
DESK = {"width": 1366, "height": 800}

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


def open_signed_in(browser, base, user, *, viewport, elder=False):
    ctx = browser.new_context(viewport=viewport, locale="zh-CN")
    ctx.add_cookies([{"name": "jf_elder", "value": "1" if elder else "0", "url": base}])
    page = ctx.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(base + "/login")
    page.get_by_label("手机号或邮箱").fill(user.phone)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return page, problems


def test_phone_in_elder_mode_profile_ticks_are_full_size_and_console_clean(
    live_server, browser, make_seeker
):
    seeker = make_seeker(name="王海生", groups=["rural_migrant"], group_consent=True)
    page, console = open_signed_in(browser, live_server, seeker, viewport=PHONE, elder=True)
    page.goto(live_server + "/me/profile")
    # A status tag that wraps is a rounded box, not a capsule whose curve cuts the text.
    tag = page.locator(".tag", has_text="本人申报，待认定")
    # Wrapped whatever the machine's fonts: on a phone with wide glyphs it wraps by itself.
    tag.evaluate("e => { e.style.maxWidth = '4em'; }")
    box = tag.bounding_box()
    radius = float(tag.evaluate("e => parseFloat(getComputedStyle(e).borderTopLeftRadius)"))
    assert box["height"] > 60 and radius < 0.3 * box["height"], (box, radius)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Every tick box keeps its size, the one beside the long 人才推荐 sentence too.
    sizes = page.eval_on_selector_all(
        "label.check input",
        "els => els.map(e => [e.name, Math.round(e.getBoundingClientRect().width)])",
    )
    assert sizes and all(w >= 28 for _, w in sizes), sizes
    # No 404 for /favicon.ico (or anything else) in the console.
    assert console == [], console


def test_phone_in_elder_mode_interview_card_gives_each_value_the_width(
    live_server, browser, client, make_seeker, make_employer, make_position
):
    """Label and value side by side left the value 5 characters a line in large type."""
    from datetime import UTC, timedelta

    from jobfair.formatting import LOCAL_TZ
    from jobfair.models.common import utcnow

    seeker = make_seeker(name="王海生")
    employer = make_employer(name="南京宁钢精工机械有限公司")
    position = make_position(employer=employer, title="电焊工（二保焊）")
    sign_in(client, seeker)
    assert client.post(f"/positions/{position.id}/apply").status_code == 302
    sign_in(client, employer.user)
    listed = client.get(f"/api/v1/employer/positions/{position.id}/applications").get_json()
    app_id = listed["items"][0]["id"]
    when = (utcnow() + timedelta(days=2)).replace(tzinfo=UTC)
    plan = {
        "application_id": app_id,
        "starts_at": when.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M"),
        "mode": "onsite",
        "place": "江宁区秣陵街道宁钢路 18 号办公楼二楼人事部",
        "contact_name": "孙立新",
        "contact_phone": "13900002000",
        "note": "请带身份证、焊工证和一支笔，现场有实操考核约 20 分钟。",
    }
    assert client.post("/api/v1/interviews", json=plan).status_code == 201

    page, _ = open_signed_in(browser, live_server, seeker, viewport=PHONE, elder=True)
    page.goto(live_server + "/me/interviews")
    card = page.locator(".interview-facts").first
    value = card.locator("dd").first.bounding_box()["width"]
    assert value >= 0.9 * card.bounding_box()["width"], value
    assert "待你确认" in page.inner_text("main")


def test_employer_desk_tables_and_interview_inputs(
    live_server, browser, client, make_employer, make_position, make_seeker
):
    employer = make_employer(name="南京宁钢精工机械有限公司")
    position = make_position(employer=employer, title="电焊工（二保焊）")
    seeker = make_seeker(name="李建国")
    sign_in(client, seeker)
    assert client.post(f"/positions/{position.id}/apply").status_code == 302

    page, console = open_signed_in(browser, live_server, employer.user, viewport=DESK)
    page.goto(live_server + "/employer/positions")
    # The 操作 cell stays a table cell: its bottom edge is the row's bottom edge.
    row, cell = page.evaluate(
        """() => { const td = document.querySelector('td.actions');
                   return [td.parentElement.getBoundingClientRect().bottom,
                           td.getBoundingClientRect().bottom]; }"""
    )
    assert abs(row - cell) < 1, (row, cell)

    page.get_by_role("link", name="投递者（1，新 1）").click()
    page.locator("table a", has_text="查看").first.click()
    page.wait_for_load_state()
    widths = {
        name: page.locator(f"#iv-{name}").bounding_box()["width"]
        for name in ("starts_at", "video_url", "place")
    }
    # The time and web-address inputs are as wide and tall as the other fields.
    assert widths["starts_at"] == widths["place"] == widths["video_url"], widths
    assert page.locator("#iv-starts_at").bounding_box()["height"] >= 44
    assert console == [], console


def test_phone_in_elder_mode_forms_and_booth_poster_fit_the_width(live_server, browser, world):
    """Date-time inputs in a grid and the poster's long web address widened the page."""
    page, console = open_signed_in(
        browser, live_server, world.organiser, viewport=PHONE, elder=True
    )
    for path in ("/organiser/fairs/new", f"/organiser/fairs/{world.fair_id}/sessions/new"):
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    page, _ = open_signed_in(browser, live_server, world.rep, viewport=PHONE, elder=True)
    page.goto(live_server + f"/fairs/{world.fair_id}/booths/{world.booth_id}/qr")
    assert "二维码地址" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
