"""The list of API blueprints (each API module appends its own), their CSRF rule, JSON bodies."""

import http
from copy import deepcopy

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


def query_arguments(schema):
    """Document query parameters exactly as @bp.arguments(schema, location="query") does, for
    a view that parses them itself (parse_query, or a faster equivalent)."""

    def decorator(view):
        view._apidoc = deepcopy(getattr(view, "_apidoc", {}))
        docs = view._apidoc.setdefault("arguments", {})
        docs.setdefault("parameters", []).append(
            {"in": "query", "required": True, "schema": schema}
        )
        status = Blueprint.ARGUMENTS_PARSER.DEFAULT_VALIDATION_STATUS
        docs.setdefault("responses", {})[status] = http.HTTPStatus(status).name
        return view

    return decorator


def parse_query(schema) -> dict:
    """The query string loaded by schema as @bp.arguments loads it (422 with the messages)."""
    return Blueprint.ARGUMENTS_PARSER.parse(schema, request, location="query")
