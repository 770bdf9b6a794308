"""The list of API blueprints; each API module appends its own."""

from flask_smorest import Blueprint

blueprints: list[Blueprint] = []


def api_blueprint(name: str, url_prefix: str, description: str) -> Blueprint:
    from jobfair.api import check_csrf

    bp = Blueprint(name, name, url_prefix=url_prefix, description=description)
    bp.before_request(check_csrf)
    blueprints.append(bp)
    return bp


def json_body() -> dict:
    """The request's JSON object, or a clear 400."""
    from flask import request

    from jobfair.errors import DomainError

    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError("请求体应为 JSON 对象。", code="bad_request", status=400)
    return data
