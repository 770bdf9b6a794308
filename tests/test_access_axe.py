"""axe-core in a real Chromium: every page, each role, both display modes, 375 and 1280 px;
and a seeker's main tasks in 长辈版 (适老化 mode) on a phone.

The pages are not listed by hand: each role starts from every GET route of the app that takes
no parameter and follows the links it finds (one URL per route), over the demo data that
`flask seed` loads, so pages added later are checked without editing this file. axe-core
comes from npm (a devDependency, `make install-test`) and is injected by the test.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import close_app
from live_server import BROWSER_MARKS, chromium, serving
from werkzeug.exceptions import HTTPException

from jobfair import create_app

ROOT = Path(__file__).resolve().parent.parent
AXE_PATHS = (ROOT / "node_modules/axe-core/axe.min.js", ROOT / "static/vendor/axe.min.js")
AXE = next((p for p in AXE_PATHS if p.exists()), None)
DEMO_PASSWORD = "jobfair-demo-2026"
ROLES = {
    "anonymous": None,
    "seeker": "13900000003",
    "employer": "13900000002",
    "organiser": "13900000001",
}
PHONE = {"width": 375, "height": 667}
DESK = {"width": 1280, "height": 900}
# Not pages: downloads, the API, files, and leaving the session.
SKIP_PREFIXES = ("/api/", "/static/", "/healthz", "/socket.io")
SKIP_ENDPOINTS = {"auth.logout", "seekers.export"}
SKIP_WORDS = ("export", "download", "poster", ".png", ".svg", ".csv", ".xlsx", ".ics")
MAX_PAGES_PER_ROLE = 150

pytestmark = [
    *BROWSER_MARKS,
    pytest.mark.skipif(AXE is None, reason="axe-core is missing: run `make install-test`"),
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The app with the demo data (`flask seed`) on its own SQLite file, served over HTTP."""
    from flask_migrate import upgrade

    url = "sqlite:///" + str(tmp_path_factory.mktemp("axe") / "demo.sqlite")
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "axe-test",
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    with serving(app) as server:
        yield app, f"http://127.0.0.1:{server.server_port}"
    close_app(app)


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def new_context(browser, base: str, *, elder: bool | None, viewport=PHONE):
    """A browser context; elder True/False: this device chose that mode, None: never chose."""
    ctx = browser.new_context(viewport=viewport, locale="zh-CN")
    # Injected by Playwright into every document, past the page's CSP (it is never served).
    ctx.add_init_script(path=str(AXE))
    if elder is not None:
        ctx.add_cookies([{"name": "jf_elder", "value": "1" if elder else "0", "url": base}])
    return ctx


def sign_in(page, base: str, login: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(base + "/login")
    page.get_by_label("手机号或邮箱").fill(login)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"{login} could not sign in"


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it is now (all rules axe runs by default)."""
    found = page.evaluate(
        """() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(
            v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(
                n => n.target.join(' ')).join(' | ')))"""
    )
    return [f"{page.url}: {v}" for v in found]


def chart_text_problems(page) -> list[str]:
    """Chart text under 14 px, or a chart without its data table."""
    found = page.evaluate(
        """() => {
            const out = [];
            document.querySelectorAll('.chart').forEach(chart => {
                if (!chart.closest('figure') || !chart.closest('figure').querySelector('table'))
                    out.push('chart ' + chart.id + ' has no data table');
                chart.querySelectorAll('svg text').forEach(t => {
                    const px = parseFloat(getComputedStyle(t).fontSize);
                    if (px < 14) out.push('chart ' + chart.id + ' text "' + t.textContent + '" ' + px + 'px');
                });
            });
            return out.slice(0, 5);
        }"""
    )
    return [f"{page.url}: {p}" for p in found]


def header_height(page) -> float:
    return page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")


# --- every page, every role, both modes ---------------------------------------------------


def crawl(app, page, base: str) -> tuple[list[str], list[str]]:
    """Visit each route once (GET routes without parameters, then the links found), checking
    each at 375 and 1280 px. Returns (visited endpoints, problems)."""
    adapter = app.url_map.bind("localhost")

    def endpoint(path: str) -> str | None:
        try:
            return adapter.match(urlsplit(path).path, method="GET")[0]
        except HTTPException:
            return None

    queue = sorted(
        r.rule
        for r in app.url_map.iter_rules()
        if "GET" in r.methods and not r.arguments and not r.rule.startswith(SKIP_PREFIXES)
    )
    seen: set[str] = set()
    final_seen: set[str] = set()
    error_page_checked = False
    visited: list[str] = []
    problems: list[str] = []
    while queue and len(visited) < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        ep = endpoint(path)
        if ep is None or ep in seen or ep in SKIP_ENDPOINTS:
            continue
        if any(w in path for w in SKIP_WORDS) or ep.startswith("api"):
            continue
        seen.add(ep)
        page.set_viewport_size(PHONE)
        response = page.goto(base + path)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        landed = endpoint(page.url)
        if response.status >= 500:
            problems.append(f"{path}: HTTP {response.status}")
            continue
        if response.status >= 400:
            # One error page per role is enough: they share a template.
            if error_page_checked:
                continue
            error_page_checked = True
        elif landed != ep and landed in final_seen:
            continue  # redirected to a page already checked (e.g. the login page)
        final_seen.add(landed)
        visited.append(ep)
        for href in page.eval_on_selector_all(
            "a[href]", "els => els.map(e => e.getAttribute('href'))"
        ):
            if href and href.startswith("/") and not href.startswith(SKIP_PREFIXES):
                queue.append(href.split("#")[0])
        problems += axe_violations(page) + chart_text_problems(page)
        page.set_viewport_size(DESK)
        problems += [p.replace(": ", " @1280: ", 1) for p in axe_violations(page)]
    return visited, problems


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_is_axe_clean(demo, browser, role, elder):
    app, base = demo
    ctx = new_context(browser, base, elder=elder)
    page = ctx.new_page()
    try:
        if ROLES[role]:
            sign_in(page, base, ROLES[role])
        page.goto(base + "/")
        assert (page.locator("html.elder").count() == 1) is elder
        # The phone header is one row in both modes: under 20 % of a 375×667 screen.
        assert header_height(page) < 0.2 * PHONE["height"]
        visited, problems = crawl(app, page, base)
    finally:
        ctx.close()
    # The crawl really covered the role's pages (a broken sign-in would visit a handful).
    assert len(visited) >= {"anonymous": 8, "seeker": 20, "employer": 25, "organiser": 50}[role]
    assert not problems, "axe-core violations:\n" + "\n".join(problems)


# --- a seeker's main tasks in 长辈版 on a phone ----------------------------------------------


def open_menu_and_go(page, name: str) -> None:
    """On a phone the links sit behind 菜单: open it, then follow the link."""
    toggle = page.get_by_role("button", name="菜单")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert page.get_by_role("button", name="收起菜单").get_attribute("aria-expanded") == "true"
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=name).click()
    page.wait_for_load_state()


def assert_clean(page) -> None:
    problems = axe_violations(page)
    assert not problems, "\n".join(problems)


def test_seeker_main_tasks_in_elder_mode_on_a_phone(demo, browser):
    app, base = demo
    ctx = new_context(browser, base, elder=None)
    page = ctx.new_page()
    try:
        page.goto(base + "/")
        assert header_height(page) < 0.2 * PHONE["height"]
        # The visible switch, named by what it does (as voice input users will say it).
        page.get_by_role("button", name="长辈版", exact=True).click()
        page.wait_for_load_state()
        assert page.locator("html.elder").count() == 1
        body_px = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert body_px >= 24
        assert header_height(page) < 0.2 * PHONE["height"]
        assert page.get_by_role("button", name="退出长辈版").is_visible()
        # The menu is folded: its links are not on screen until 菜单 is pressed.
        assert not page.get_by_role("link", name="招聘会", exact=True).first.is_visible()
        assert_clean(page)

        # Register and sign in (the device remembers the mode).
        page.goto(base + "/register")
        page.get_by_label("姓名").fill("王海生")
        page.get_by_label("手机号或邮箱").fill("13955550101")
        page.get_by_label("密码").fill("haisheng-2026-pass")
        assert_clean(page)
        page.get_by_role("button", name="注册").click()
        page.wait_for_url(re.compile(r"/login"))
        sign_in(page, base, "13955550101", "haisheng-2026-pass")
        assert page.locator("html.elder").count() == 1

        # The short menu: the few tasks a seeker needs.
        page.get_by_role("button", name="菜单").click()
        nav = page.get_by_role("navigation", name="主导航")
        names = [n.strip() for n in nav.get_by_role("link").all_inner_texts()]
        assert names[:5] == ["找岗位", "招聘会", "我的投递", "我的排队", "我的资料"]
        assert "账号安全" not in names and "我的就业登记" not in names
        nav.get_by_role("link", name="我的资料").click()
        page.wait_for_load_state()

        # Profile, with the form of address chosen by the seeker.
        page.get_by_label("手机号", exact=True).fill("13955550101")
        page.get_by_label("先生").check()
        page.get_by_label("技能").fill("驾驶船舶、捕捞、电焊")
        assert_clean(page)
        page.get_by_role("button", name="保存资料").click()
        page.wait_for_load_state()
        assert "求职资料已保存" in page.content()

        # Search and open a position.
        open_menu_and_go(page, "找岗位")
        page.get_by_label("关键词").fill("焊工")
        page.get_by_role("button", name="搜索").click()
        page.wait_for_load_state()
        assert_clean(page)
        results = page.locator(".position-item")
        assert results.count() > 0
        title = results.first.get_by_role("link").first.inner_text().strip()
        results.first.get_by_role("link").first.click()
        page.wait_for_load_state()
        assert_clean(page)

        # Apply, then follow the application.
        page.get_by_role("button", name="投递简历").click()
        page.wait_for_load_state()
        open_menu_and_go(page, "我的投递")
        assert title in page.content() and "新投递" in page.content()
        assert_clean(page)

        # Join a fair: the first one still open for registration.
        open_menu_and_go(page, "招聘会")
        assert_clean(page)
        fairs = page.locator(".fair-item h2 a, .fair-item h3 a")
        joined = False
        for i in range(fairs.count()):
            page.locator(".fair-item h2 a, .fair-item h3 a").nth(i).click()
            page.wait_for_load_state()
            button = page.get_by_role("button", name="立即报名")
            if button.count():
                assert_clean(page)
                button.click()
                page.wait_for_load_state()
                assert page.locator(".register-box .tag", has_text="已报名").count() == 1
                assert_clean(page)
                joined = True
                break
            page.go_back()
        assert joined, "no demo fair open for registration"
    finally:
        ctx.close()

    # The account remembers the mode: signing in on another device shows 长辈版 there too.
    other = new_context(browser, base, elder=None, viewport=DESK)
    page = other.new_page()
    try:
        sign_in(page, base, "13955550101", "haisheng-2026-pass")
        assert page.locator("html.elder").count() == 1
        page.get_by_role("button", name="退出长辈版").click()
        page.wait_for_load_state()
        assert page.locator("html.elder").count() == 0
    finally:
        other.close()


def test_queue_desk_and_chat_pages_are_axe_clean(demo, browser):
    """The live pages the crawl cannot reach by links alone: a seeker in 长辈版 queues at a
    booth of an ongoing fair, the rep calls them; both chat pages are checked."""
    from jobfair.extensions import db
    from jobfair.models import Booth, Employer, Fair, User
    from jobfair.models.common import utcnow

    app, base = demo
    with app.app_context():
        now = utcnow()
        rep_user = db.session.scalar(db.select(User).filter_by(phone=ROLES["employer"]))
        booth_id, fair_id = db.session.execute(
            db.select(Booth.id, Booth.fair_id)
            .join(Fair, Fair.id == Booth.fair_id)
            .join(Employer, Employer.id == Booth.employer_id)
            .filter(Employer.user_id == rep_user.id, Booth.status == "approved")
            .filter(Fair.status == "published", Fair.starts_at <= now, Fair.ends_at > now)
            .order_by(Booth.id)
            .limit(1)
        ).one()

    seeker_ctx = new_context(browser, base, elder=True)
    rep_ctx = new_context(browser, base, elder=False, viewport=DESK)
    try:
        seeker = seeker_ctx.new_page()
        sign_in(seeker, base, "13900000031")  # the walk-in seeded in 长辈版, not yet queued
        seeker.goto(f"{base}/fairs/{fair_id}")
        if seeker.get_by_role("button", name="立即报名").count():
            seeker.get_by_role("button", name="立即报名").click()
            seeker.wait_for_load_state()
        seeker.goto(f"{base}/fairs/{fair_id}/booths/{booth_id}")
        seeker.get_by_role("button", name=re.compile("排队洽谈")).click()
        seeker.wait_for_load_state()
        seeker.goto(base + "/live/queues")
        assert "会多留 3 分钟" in seeker.content()
        assert_clean(seeker)

        rep = rep_ctx.new_page()
        sign_in(rep, base, ROLES["employer"])
        rep.goto(f"{base}/live/booths/{booth_id}/desk")
        item = rep.locator(".live-desk-item", has_text="邹长福")
        assert "称呼：邹先生" in item.inner_text() and "学历：未填写" in item.inner_text()
        assert_clean(rep)
        item.get_by_role("button", name="叫这位").click()
        rep.wait_for_url(re.compile(r"/live/chats/\d+"))
        assert "这位求职者使用长辈版" in rep.content()
        assert_clean(rep)
        rep.set_viewport_size(PHONE)
        assert_clean(rep)

        seeker.goto(base + "/live/queues")
        seeker.get_by_role("link", name="进入面谈").first.click()
        seeker.wait_for_url(re.compile(r"/live/chats/\d+"))
        assert seeker.locator("[data-chat]").get_attribute("data-warn-seconds") == "180"
        assert_clean(seeker)
        seeker.set_viewport_size(DESK)
        assert_clean(seeker)
    finally:
        seeker_ctx.close()
        rep_ctx.close()
