"""Rate limits, all declared here: login (per account and per address) and the business limits
on registration, applications, résumé views, exports and token creation.

Counters live in RATELIMIT_STORAGE_URI (Redis when JOBFAIR_REDIS_URL is set, so every worker
shares them); the figures are settings (config.py). A limit answers 429 with Retry-After.
"""

from flask import current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from jobfair.extensions import limiter
from jobfair.validation import json_object


def login_account_key() -> str:
    """Rate-limit key for the account being tried (phone or e-mail as typed)."""
    data = json_object(request.get_json(silent=True)) if request.is_json else request.form
    value = str(data.get("login", "")).strip().lower()[:254]
    return "login-account:" + value


def login_failed(_response) -> bool:
    return bool(g.get("login_failed"))


def login_limits(view):
    """Ten failed attempts per 5 minutes per account and per address; the 11th gets 429."""
    limit = lambda: current_app.config["LOGIN_FAILURE_LIMIT"]  # noqa: E731
    view = limiter.shared_limit(limit, scope="login-ip", deduct_when=login_failed)(view)
    view = limiter.shared_limit(
        limit, scope="login-account", key_func=login_account_key, deduct_when=login_failed
    )(view)
    return view


def account_key() -> str:
    """The signed-in account (its address when anonymous: the view then refuses anyway)."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return "addr:" + (get_remote_address() or "")


def _setting(name: str):
    return lambda: current_app.config[name]


def _only_writes() -> bool:
    return request.method not in ("POST", "PUT", "PATCH", "DELETE")


def _business_limit(setting: str, scope: str, key_func=account_key, exempt_when=None):
    def decorator(view):
        return limiter.shared_limit(
            _setting(setting), scope=scope, key_func=key_func, exempt_when=exempt_when
        )(view)

    return decorator


# Registration: per address, page and API alike (counting GETs of the form too would punish
# reloads, so only submissions count).
register_limit = _business_limit(
    "REGISTER_LIMIT", "register", key_func=get_remote_address, exempt_when=_only_writes
)
# Applications: per seeker, page and API share one counter.
apply_limit = _business_limit("APPLY_LIMIT", "apply")
# Employers opening applicants' résumés (anti-scraping), page and API share one counter.
resume_view_limit = _business_limit("RESUME_VIEW_LIMIT", "resume-view")
# Downloads of personal data: my data, case files, target lists, report exports.
export_limit = _business_limit("EXPORT_LIMIT", "export")
# Personal access tokens created.
token_limit = _business_limit("TOKEN_LIMIT", "token", exempt_when=_only_writes)
