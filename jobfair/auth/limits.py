"""Login rate limits shared by the login page and the API: per account and per address."""

from flask import current_app, g, request

from jobfair.extensions import limiter


def login_account_key() -> str:
    """Rate-limit key for the account being tried (phone or e-mail as typed)."""
    data = request.get_json(silent=True) if request.is_json else request.form
    value = str((data or {}).get("login", "")).strip().lower()[:254]
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
