"""The list of API blueprints (each API module appends its own), their CSRF rule, JSON bodies,
and the query parameters several APIs read the same way (dates, period reports)."""

from collections.abc import Callable
from datetime import date

from flask import current_app, g, request
from flask_login import current_user
from flask_smorest import Blueprint

from jobfair.errors import DomainError
from jobfair.extensions import csrf
from jobfair.reports.downloads import download
from jobfair.validation import body

blueprints: list[Blueprint] = []


def check_csrf():
    """Cookie-authenticated writes need the CSRF header; Bearer-token clients do not."""
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and current_app.config.get(
        "WTF_CSRF_ENABLED", True
    ):
        _ = current_user.is_authenticated  # load the user (sets g.auth_via_token)
        if not g.get("auth_via_token"):
            csrf.protect()


def api_blueprint(name: str, url_prefix: str, description: str) -> Blueprint:
    bp = Blueprint(name, name, url_prefix=url_prefix, description=description)
    bp.before_request(check_csrf)
    blueprints.append(bp)
    return bp


def json_body() -> dict:
    """The request's JSON object, or a clear 400."""
    data = request.get_json(silent=True)
    body(data)
    return data


def query_date(key: str) -> date | None:
    """A YYYY-MM-DD date from the query string (None when absent), or a clear 422."""
    raw = request.args.get(key) or ""
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise DomainError(
            "日期格式应为 YYYY-MM-DD。", code="validation_error", fields={key: "日期格式不正确"}
        ) from None


PERIOD_REPORT_PARAMS = [
    {"name": "start", "in": "query", "schema": {"type": "string", "format": "date"}},
    {"name": "end", "in": "query", "schema": {"type": "string", "format": "date"}},
    {
        "name": "format",
        "in": "query",
        "schema": {"type": "string", "enum": ["json", "csv", "xlsx"], "default": "json"},
    },
]


def period_report(
    build: Callable[[date | None, date | None], dict],
    tables: Callable[[dict], list],
    stem: str,
    ascii_stem: str,
):
    """A report over ?start=&end= as JSON, or its tables as CSV / Excel with ?format=."""
    data = build(query_date("start"), query_date("end"))
    fmt = request.args.get("format", "json")
    if fmt in ("csv", "xlsx"):
        return download(tables(data), stem, fmt, ascii_stem=ascii_stem)
    return data
