"""The list of API blueprints (each API module appends its own), their CSRF rule, JSON bodies."""

from flask import current_app, g, request
from flask_login import current_user
from flask_smorest import Blueprint

from jobfair.extensions import csrf
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
