"""One domain error type, and how every entry point turns errors into clear messages."""

import re

from flask import Flask, flash, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from jobfair.extensions import db

# Chinese messages for HTTP errors raised by the framework itself.
HTTP_MESSAGES = {
    400: ("bad_request", "请求格式不正确。"),
    401: ("unauthorized", "请先登录。"),
    403: ("forbidden", "没有权限执行此操作。"),
    404: ("not_found", "页面或数据不存在。"),
    405: ("method_not_allowed", "不支持该请求方法。"),
    409: ("conflict", "数据冲突，请刷新后重试。"),
    413: ("payload_too_large", "提交的内容过大。"),
    415: ("unsupported_media_type", "不支持的内容类型。"),
    422: ("validation_error", "提交的数据有误。"),
    429: ("rate_limited", "操作过于频繁，请稍后再试。"),
    500: ("server_error", "服务器开小差了，请稍后再试。"),
}


class DomainError(Exception):
    """A rule was broken. Carries a stable code, a Chinese message and an HTTP status."""

    def __init__(
        self,
        message: str,
        code: str = "invalid",
        status: int = 422,
        fields: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.fields = fields or {}


class NotFound(DomainError):
    def __init__(self, message: str = "页面或数据不存在。"):
        super().__init__(message, code="not_found", status=404)


class Forbidden(DomainError):
    def __init__(self, message: str = "没有权限执行此操作。"):
        super().__init__(message, code="forbidden", status=403)


class Conflict(DomainError):
    def __init__(self, message: str, code: str = "conflict"):
        super().__init__(message, code=code, status=409)


def wants_json() -> bool:
    return (
        request.path.startswith("/api/")
        or request.path == "/healthz"
        or request.accept_mimetypes.best == "application/json"
    )


# The database could not be reached (a restart, a failover): nothing was saved, say so.
DB_UNAVAILABLE = "数据库暂时连不上，刚才的操作没有保存，请稍后再试。"
DB_ERRORS = (sa_exc.OperationalError, sa_exc.InterfaceError)


def flash_error(err: DomainError) -> None:
    """On a page: a broken rule is flashed for the person to put right; a missing or forbidden
    object is raised as it is (the plain 404 / 403 page), never explained."""
    if err.status in (403, 404):
        raise err
    flash(err.message, "error")


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return body


def init_errorhandlers(app: Flask) -> None:
    def render(status: int, code: str, message: str, fields=None, headers=None):
        if wants_json():
            resp = jsonify(error_body(code, message, fields))
        else:
            resp = app.make_response(
                (render_template("errors/error.html", status=status, message=message), status)
            )
        resp.status_code = status
        for k, v in (headers or {}).items():
            resp.headers[k] = v
        return resp

    @app.errorhandler(DomainError)
    def handle_domain(err: DomainError):
        db.session.rollback()
        return render(err.status, err.code, err.message, err.fields)

    @app.errorhandler(CSRFError)
    def handle_csrf(err: CSRFError):
        return render(400, "csrf_failed", "页面已过期或来源不明，请刷新页面后重试。")

    @app.errorhandler(HTTPException)
    def handle_http(err: HTTPException):
        status = err.code or 500
        code, message = HTTP_MESSAGES.get(status, ("http_error", "请求无法处理。"))
        data = getattr(err, "data", None) or {}
        fields = None
        if status == 422 and "messages" in data:
            fields = flatten_messages(data["messages"])
            message = error_summary(fields.values())
        headers = {}
        if status == 429:
            message = "操作过于频繁，请稍后再试。"
            retry = getattr(err, "retry_after", None)
            if err.get_response().headers.get("Retry-After"):
                headers["Retry-After"] = err.get_response().headers["Retry-After"]
            elif retry:
                headers["Retry-After"] = str(retry)
        if status == 405 and err.valid_methods:
            headers["Allow"] = ", ".join(err.valid_methods)
        return render(status, code, message, fields, headers)

    @app.errorhandler(sa_exc.OperationalError)
    @app.errorhandler(sa_exc.InterfaceError)
    def handle_db_down(err: Exception):
        app.logger.warning("database unavailable: %s", err)
        try:
            db.session.rollback()
        except Exception:
            db.session.remove()
        return render(503, "unavailable", DB_UNAVAILABLE, headers={"Retry-After": "5"})

    @app.errorhandler(Exception)
    def handle_unexpected(err: Exception):
        app.logger.exception("Unhandled error")
        db.session.rollback()
        code, message = HTTP_MESSAGES[500]
        return render(500, code, message)


def error_summary(messages) -> str:
    """One sentence from several field messages: each loses its own "。", the whole ends once."""
    return "提交的数据有误：" + "；".join(str(m).rstrip("。") for m in messages) + "。"


# marshmallow's own English messages, for fields declared without the Chinese helpers of
# jobfair.validation (a list's items, a nested schema, allow_none=False, a validator's
# default): every message a user reads is Chinese.
_MARSHMALLOW_MESSAGES = {
    "Missing data for required field.": "此项必填。",
    "Field may not be null.": "此项不能为空。",
    "Unknown field.": "不允许的字段。",
    "Invalid input type.": "数据格式不正确。",
    "Invalid type.": "数据格式不正确。",
    "Invalid value.": "格式不正确。",
    "Invalid input.": "格式不正确。",
    "Not a valid string.": "应为文本。",
    "Not a valid utf-8 string.": "应为文本。",
    "Not a valid integer.": "应为整数（不能有小数）。",
    "Not a valid number.": "应为数字。",
    "Number too large.": "数字过大。",
    "Special numeric values (nan or infinity) are not permitted.": "应为有限的数字。",
    "Not a valid boolean.": "应为是或否。",
    "Not a valid date.": "日期格式应为 YYYY-MM-DD。",
    "Not a valid datetime.": "日期时间格式不正确。",
    "Not a valid time.": "时间格式不正确。",
    "Not a valid list.": "应为列表。",
    "Not a valid tuple.": "应为列表。",
    "Not a valid mapping type.": "应为对象。",
    "Not a valid email address.": "邮箱格式不正确。",
    "Not a valid URL.": "网址格式不正确。",
    "String does not match expected pattern.": "格式不正确。",
}
_MARSHMALLOW_PATTERNS = [
    (
        re.compile(r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$"),
        "应在 {0} 到 {1} 之间。",
    ),
    (re.compile(r"Must be greater than or equal to (\S+)\.$"), "不能小于 {0}。"),
    (re.compile(r"Must be less than or equal to (\S+)\.$"), "不能大于 {0}。"),
    (re.compile(r"Must be greater than (\S+)\.$"), "应大于 {0}。"),
    (re.compile(r"Must be less than (\S+)\.$"), "应小于 {0}。"),
    (re.compile(r"Longer than maximum length (\d+)\.$"), "不能超过 {0} 个字。"),
    (re.compile(r"Shorter than minimum length (\d+)\.$"), "不能少于 {0} 个字。"),
    (re.compile(r"Length must be between (\d+) and (\d+)\.$"), "长度应在 {0}–{1} 个字之间。"),
    (re.compile(r"Length must be (\d+)\.$"), "长度应为 {0}。"),
    (re.compile(r"Must be one of: .*$"), "不是可选的值。"),
]
_CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese(message: str) -> str:
    """A validation message in Chinese: marshmallow's English defaults translated, ours kept."""
    if _CJK.search(message):
        return message
    if message in _MARSHMALLOW_MESSAGES:
        return _MARSHMALLOW_MESSAGES[message]
    for pattern, text in _MARSHMALLOW_PATTERNS:
        if m := pattern.match(message):
            return text.format(*m.groups())
    return "格式不正确。"


def flatten_messages(messages) -> dict[str, str]:
    """Turn marshmallow's nested messages into {"field": "first message"}, in Chinese."""
    out: dict[str, str] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v)
        elif isinstance(value, list) and value and all(isinstance(x, str) for x in value):
            out[prefix] = chinese(value[0])
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(f"{prefix}.{i}", v)
        else:
            out[prefix] = chinese(str(value))

    for location, value in (messages or {}).items():
        if location in ("json", "form", "query", "files", "headers", "cookies"):
            walk("", value)
        else:
            walk(str(location), value)
    return out
