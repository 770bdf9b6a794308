"""The Werkzeug development server in a thread, for the tests that drive a real browser.

Werkzeug 3.1's request handler closes the app's response only after draining the socket. When
the browser resets a connection (it drops an in-flight static fetch as it navigates), the drain
raises first, the file that ``send_file`` opened is never closed, and its ResourceWarning fails
whichever test is running when the garbage collector finds it. This server closes, once, every
response its handler leaves open.
"""

import contextlib
import os
import threading

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

CHROMIUM = "/usr/bin/chromium"
# Every browser-test module: marked, and skipped where Debian's Chromium is missing.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]

_RESPONSE = "jobfair.tests.response"


class _ClosedOnce:
    """A WSGI response whose close() runs at most once, by whichever caller comes first."""

    def __init__(self, app_iter):
        self.app_iter = app_iter
        self.closed = False

    def __iter__(self):
        return iter(self.app_iter)

    def close(self):
        if not self.closed:
            self.closed = True
            close = getattr(self.app_iter, "close", None)
            if close is not None:
                close()


class _Handler(WSGIRequestHandler):
    def run_wsgi(self):
        try:
            super().run_wsgi()
        finally:
            response = getattr(self, "environ", {}).pop(_RESPONSE, None)
            if response is not None:
                response.close()


@contextlib.contextmanager
def serving(app):
    """Serve app on a free local port while the block runs; yields the server."""

    def closing_app(environ, start_response):
        response = _ClosedOnce(app(environ, start_response))
        environ[_RESPONSE] = response
        return response

    server = make_server("127.0.0.1", 0, closing_app, threaded=True, request_handler=_Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium():
    """Debian's headless Chromium through Playwright, for as long as the block runs."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()
