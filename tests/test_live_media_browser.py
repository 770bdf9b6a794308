"""Headless Chromium plays 直播带岗 streams in the page: HLS through hls.js, FLV through
mpegts.js, both from a second local server (another origin, as a streaming CDN is), and says
so in plain words when a stream is down. The streams are tiny H.264/AAC files made with ffmpeg
(tests/fixtures/streams/README.md): Debian's Chromium plays H.264 through Media Source
Extensions, which the test checks first.

Then two people in a booth chat start a 1:1 video call with Chromium's fake camera and
microphone, each sees the other's picture, mutes, hangs up; and when one side refuses the
camera both are told and turned back to the text chat."""

import os
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import PASSWORD, World
from live_server import serving

from jobfair.database import writing
from jobfair.extensions import db

CHROMIUM = "/usr/bin/chromium"
STREAMS = Path(__file__).parent / "fixtures" / "streams"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


class _CorsFiles(SimpleHTTPRequestHandler):
    """Static files with the CORS header a streaming CDN sends (hls.js and mpegts.js fetch)."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".m3u8": "application/vnd.apple.mpegurl",
        ".ts": "video/mp2t",
        ".flv": "video/x-flv",
    }

    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, *args):
        pass


def _serve(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def stream_server():
    server = _serve(ThreadingHTTPServer(("127.0.0.1", 0), partial(_CorsFiles, directory=STREAMS)))
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def live_server(make_app, world):
    app = make_app(WTF_CSRF_ENABLED=True, LIVE_COUNTS_DELAY=0)
    with serving(app) as server:
        yield f"http://127.0.0.1:{server.server_port}"


ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# A fake camera (a moving test pattern) and microphone (a beep); the "fake UI" answers the
# permission question with yes.
FAKE_MEDIA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@pytest.fixture
def playwright():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        yield p


@pytest.fixture
def browser(playwright):
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS + FAKE_MEDIA)
    yield b
    b.close()


def _set_stream(app, session_id: int, url: str) -> None:
    from jobfair.models import LiveSession

    with app.app_context(), writing():
        db.session.get(LiveSession, session_id).stream_url = url
        db.session.commit()


def _seeker_page(browser, base: str, user):
    page = browser.new_context(viewport={"width": 800, "height": 900}).new_page()
    page.goto(base + "/login")
    page.get_by_label("手机号或邮箱").fill(user.phone)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return page


def _require_h264(page) -> None:
    ok = page.evaluate(
        "() => window.MediaSource && MediaSource.isTypeSupported('video/mp4; codecs=\"avc1.42E01E\"')"
    )
    if not ok:
        pytest.skip("this Chromium build cannot decode H.264 through Media Source Extensions")


def _advances(page) -> float:
    """Wait until the video has played past 1.5 s; return its position."""
    page.wait_for_function(
        "() => { const v = document.querySelector('[data-player-video]');"
        " return v && v.currentTime > 1.5; }",
        timeout=45_000,
    )
    return page.evaluate("() => document.querySelector('[data-player-video]').currentTime")


# Without Media Source Extensions (as on older iPhones) the page falls back to the browser's
# own HLS player, where it has one (Chromium 14x and later do).
NO_MSE = "delete window.MediaSource; delete window.ManagedMediaSource;"
NATIVE_HLS = "() => document.createElement('video').canPlayType('application/vnd.apple.mpegurl')"


@pytest.mark.parametrize(
    ("path", "engine"),
    [("/hls/index.m3u8", "hls.js"), ("/stream.flv", "mpegts.js"), ("/hls/index.m3u8", "native")],
)
def test_stream_plays_in_the_page(
    app, live_server, stream_server, browser, world: World, path, engine
):
    _set_stream(app, world.session_id, stream_server + path)
    page = _seeker_page(browser, live_server, world.seekers[0])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    if engine == "native":
        if not page.evaluate(NATIVE_HLS):
            pytest.skip("this Chromium build has no native HLS player")
        page.add_init_script(NO_MSE)
    else:
        _require_h264(page)
    page.goto(f"{live_server}/live/sessions/{world.session_id}")
    assert _advances(page) > 1.5, errors
    assert page.get_attribute("[data-player]", "data-engine") == engine
    assert not page.locator("[data-player-msg].is-error").is_visible()
    # Started muted (browsers only autoplay muted); one button turns the sound on.
    page.get_by_role("button", name="打开声音").click()
    assert page.evaluate("() => document.querySelector('[data-player-video]').muted") is False
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_a_stream_that_is_down_says_so(app, live_server, stream_server, browser, world: World):
    _set_stream(app, world.session_id, stream_server + "/hls/gone.m3u8")
    page = _seeker_page(browser, live_server, world.seekers[0])
    page.goto(f"{live_server}/live/sessions/{world.session_id}")
    msg = page.locator("[data-player-msg]")
    msg.get_by_text("直播暂时无法播放").wait_for(timeout=30_000)
    assert "自动重试" in msg.inner_text()
    # The link to open the stream elsewhere stays.
    assert page.get_by_role("link", name="打开直播链接").is_visible()


# --- 1:1 video calls ---------------------------------------------------------------------------


def _open_chat(app, world: World) -> int:
    """A chat the rep called the first seeker into (as call_next leaves it)."""
    from datetime import timedelta

    from jobfair.models import InterviewChat, QueueEntry
    from jobfair.models.common import utcnow

    seeker = world.seekers[0]
    with app.app_context(), writing():
        entry = QueueEntry(booth_id=world.booth_id, seeker_user_id=seeker.id, status="in_chat")
        db.session.add(entry)
        db.session.flush()
        now = utcnow()
        chat = InterviewChat(
            booth_id=world.booth_id,
            queue_entry_id=entry.id,
            seeker_user_id=seeker.id,
            rep_user_id=world.rep.id,
            started_at=now,
            ends_at=now + timedelta(minutes=10),
        )
        db.session.add(chat)
        db.session.commit()
        return chat.id


RECEIVES_VIDEO = """() => {
  const v = document.querySelector('[data-call-remote]');
  const s = v && v.srcObject;
  return !!s && s.getVideoTracks().length === 1 && s.getVideoTracks()[0].readyState === 'live'
    && v.readyState >= 2 && v.videoWidth > 0;
}"""


def _call_page(browser, base, user, chat_id):
    page = _seeker_page(browser, base, user)
    page.goto(f"{base}/live/chats/{chat_id}")
    page.get_by_role("button", name="开始视频通话").wait_for(timeout=20_000)
    return page


def test_two_people_see_each_other_mute_and_hang_up(app, live_server, browser, world: World):
    chat_id = _open_chat(app, world)
    seeker = _call_page(browser, live_server, world.seekers[0], chat_id)
    rep = _call_page(browser, live_server, world.rep, chat_id)

    rep.get_by_role("button", name="开始视频通话").click()
    rep.get_by_text("正在等待求职者接听").wait_for(timeout=20_000)
    seeker.get_by_text("招聘人员邀请您视频通话").wait_for(timeout=20_000)
    seeker.get_by_role("button", name="接听").click()

    for page in (seeker, rep):
        page.wait_for_function(RECEIVES_VIDEO, timeout=45_000)
    rep.get_by_text("正在与求职者视频通话").wait_for(timeout=20_000)
    seeker.get_by_text("正在与招聘人员视频通话").wait_for(timeout=20_000)
    # The picture keeps coming: the fake camera's frames advance on the other side.
    t0 = seeker.evaluate("() => document.querySelector('[data-call-remote]').currentTime")
    seeker.wait_for_function(
        f"() => document.querySelector('[data-call-remote]').currentTime > {t0} + 1",
        timeout=20_000,
    )

    rep.get_by_role("button", name="静音").click()
    seeker.get_by_text("招聘人员已静音").wait_for(timeout=20_000)
    assert rep.evaluate(
        "() => document.querySelector('[data-call-local]').srcObject"
        ".getAudioTracks().every(t => !t.enabled)"
    )

    seeker.get_by_role("button", name="挂断").click()
    rep.get_by_text("求职者已挂断视频通话").wait_for(timeout=20_000)
    for page in (seeker, rep):
        page.get_by_role("button", name="开始视频通话").wait_for(timeout=20_000)
        # The camera is released and the text chat is still there.
        assert page.evaluate("() => document.querySelector('[data-call-local]').srcObject") is None
        assert page.locator("[data-send] textarea").is_visible()


def test_refused_camera_falls_back_to_text_on_both_sides(
    app, live_server, browser, playwright, world: World
):
    chat_id = _open_chat(app, world)
    rep = _call_page(browser, live_server, world.rep, chat_id)
    # The seeker's browser asks for permission and the answer is no.
    refusing = playwright.chromium.launch(
        executable_path=CHROMIUM, args=ARGS + ["--use-fake-device-for-media-stream"]
    )
    try:
        seeker = _call_page(refusing, live_server, world.seekers[0], chat_id)
        rep.get_by_role("button", name="开始视频通话").click()
        seeker.get_by_role("button", name="接听").click(timeout=20_000)
        seeker.get_by_text("您没有允许本网站使用摄像头和麦克风").wait_for(timeout=30_000)
        rep.get_by_text("对方没有允许使用摄像头或麦克风，请继续用文字交流").wait_for(timeout=20_000)
        # Both are back to text: the rep's camera is off and the message box has the focus.
        assert rep.evaluate("() => document.querySelector('[data-call-local]').srcObject") is None
        assert rep.evaluate("() => document.activeElement.id") == "chat-body"
        seeker.locator("[data-send] textarea").fill("我这边摄像头用不了，我们文字聊吧")
        seeker.locator("[data-send]").get_by_role("button", name="发送").click()
        rep.locator(".live-messages").get_by_text("我们文字聊吧").wait_for(timeout=20_000)
    finally:
        refusing.close()
