"""Headless Chromium plays 直播带岗 streams in the page: HLS through hls.js, FLV through
mpegts.js, both from a second local server (another origin, as a streaming CDN is), and says
so in plain words when a stream is down. The streams are tiny H.264/AAC files made with ffmpeg
(tests/fixtures/streams/README.md): Debian's Chromium plays H.264 through Media Source
Extensions, which the test checks first."""

import os
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import PASSWORD, World
from werkzeug.serving import make_server

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
    server = _serve(make_server("127.0.0.1", 0, app, threaded=True))
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
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
