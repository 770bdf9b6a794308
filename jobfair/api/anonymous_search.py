"""The public search API for callers without credentials, answered outside Flask's request cycle.

GET /api/v1/positions from a caller that sends no cookie and no Authorization header (API
clients, partner sites, widgets) gets the same answer as through the Flask view
(api.positions.list_positions), bytes and headers, without the per-request work that
serves nobody here: request and session objects, the CSRF, rate-limit, login and
idle-clock hooks, each a no-op for such a request. Through Flask that work cost about as
much CPU as the search itself.

Only plainly valid requests are answered here: anything else (a cookie, a HEAD, an
app-wide rate limit, a NUL, a filter the quick parser does not accept, any error) goes
through Flask as before, which gives its usual answer and Chinese messages. A test holds
the two answers equal. JOBFAIR_SEARCH_FAST_PATH=0 turns this off.
"""

from urllib.parse import parse_qsl

from flask import Flask
from werkzeug.datastructures import MultiDict

from jobfair.errors import DomainError
from jobfair.extensions import app_wide_limits
from jobfair.positions.search import quick_filters, search_positions
from jobfair.security import query_may_hold_nul, response_headers

PATH = "/api/v1/positions"
_PRESENT = frozenset({"content-type", "content-length"})


class AnonymousSearch:
    """WSGI middleware in front of the app's own WSGI callable."""

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if (
            environ.get("PATH_INFO") == PATH
            and environ.get("REQUEST_METHOD") == "GET"
            and "HTTP_COOKIE" not in environ
            and "HTTP_AUTHORIZATION" not in environ
        ):
            body = self._answer(environ.get("QUERY_STRING", "").encode("latin-1"))
            if body is not None:
                headers = [
                    ("Content-Type", "application/json"),
                    ("Content-Length", str(len(body))),
                    *response_headers(_PRESENT, environ["wsgi.url_scheme"] == "https", True, False),
                ]
                start_response("200 OK", headers)
                return [body]
        return self.wsgi_app(environ, start_response)

    def _answer(self, raw: bytes) -> bytes | None:
        """The body Flask would send with 200 for this raw query string, or None when Flask
        should answer."""
        config = self.app.config
        if not config["SEARCH_FAST_PATH"] or app_wide_limits(config):
            return None
        if query_may_hold_nul(raw):
            return None  # Flask's input screen answers these
        try:  # as Werkzeug reads the query string: raw bytes are UTF-8
            query = raw.decode()
        except UnicodeError:
            return None  # and so does this (400)
        args = MultiDict(parse_qsl(query, keep_blank_values=True, errors="werkzeug.url_quote"))
        try:
            with self.app.app_context():
                filters = quick_filters(args)
                if filters is None:
                    return None
                return search_positions(filters, filters["page"], filters["page_size"]).body()
        except DomainError:
            return None  # e.g. a keyword too long: Flask gives the message
        except Exception:  # noqa: BLE001 - read-only, so Flask answers it again, with its error
            self.app.logger.warning("anonymous search: answered through Flask", exc_info=True)
            return None
