"""Passwords, server-side login sessions, API tokens, access decorators and response headers."""

import contextlib
import functools
import hashlib
import secrets
from functools import wraps

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app, g, has_app_context, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import bindparam, select

from jobfair import events
from jobfair.database import set_write_intent
from jobfair.errors import DomainError
from jobfair.extensions import csrf, db, login_manager
from jobfair.models.common import utcnow
from jobfair.models.user import ApiToken, LoginSession, User, UserStatus

# argon2id with argon2-cffi's defaults (RFC 9106 "low memory": 3 passes over 64 MiB, 4 lanes).
STRONG_HASHER = PasswordHasher()
# Same algorithm at the lowest cost; only ever chosen for apps created with TESTING
# (config PASSWORD_HASHER = "fast", refused otherwise in load_config).
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
HASHERS = {"strong": STRONG_HASHER, "fast": FAST_HASHER}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def password_hasher() -> PasswordHasher:
    """The current app's hasher (strong unless a TESTING app chose "fast")."""
    if has_app_context():
        return current_app.extensions.get("password_hasher", STRONG_HASHER)
    return STRONG_HASHER


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verified against when the account does not exist, so both paths cost the same."""
    return hasher.hash("not-a-real-password-" + secrets.token_hex(8))


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def verify_password(user: User | None, password: str) -> bool:
    hasher = password_hasher()
    if user is None:
        with contextlib.suppress(VerificationError):
            hasher.verify(_dummy_hash(hasher), password)
        return False
    try:
        return hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- browser sessions ------------------------------------------------------------------


def start_session(user: User) -> None:
    """Log a user in: a new server-side session row; the cookie only holds its random id."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        LoginSession(
            user_id=user.id,
            token_hash=token_digest(token),
            user_agent=(request.user_agent.string or "")[:200],
        )
    )
    db.session.commit()
    session.clear()
    session.permanent = True
    session["sid"] = token
    login_user(user)


def end_session() -> None:
    """Log out this browser: the session row is deleted, so a copied cookie stops working."""
    token = session.get("sid")
    if token:
        row = LoginSession.query.filter_by(token_hash=token_digest(token)).first()
        LoginSession.query.filter_by(token_hash=token_digest(token)).delete()
        db.session.commit()
        if row is not None:
            _close_sockets([row.id])
    logout_user()
    session.clear()


def end_all_sessions(user: User, keep_current: bool = False) -> None:
    """End every session of a user (password change, suspension, deletion)."""
    q = LoginSession.query.filter_by(user_id=user.id)
    current = session.get("sid") if keep_current else None
    if current:
        q = q.filter(LoginSession.token_hash != token_digest(current))
    ended = [row.id for row in q]
    q.delete()
    _close_sockets(ended)


def _close_sockets(login_session_ids: list[int]) -> None:
    """A socket lives no longer than the login session it was opened with (the live layer
    listens for this signal)."""
    if login_session_ids:
        events.login_sessions_ended.send(None, login_session_ids=login_session_ids)


# One query for the login session and its user, built once: every page and socket event runs it
# (a statement built per call costs more than the lookup).
_USER_BY_LOGIN = (
    select(User, LoginSession.created_at)
    .join(LoginSession, LoginSession.user_id == User.id)
    .filter(LoginSession.token_hash == bindparam("token_hash"), User.id == bindparam("user_id"))
)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    token = session.get("sid")
    if not token or not user_id.isdigit():
        return None
    row = db.session.execute(
        _USER_BY_LOGIN, {"token_hash": token_digest(token), "user_id": int(user_id)}
    ).first()
    if row is None:
        return None
    user, created_at = row
    if utcnow() - created_at > current_app.config["PERMANENT_SESSION_LIFETIME"]:
        return None
    if user.status != UserStatus.ACTIVE:
        return None
    return user


@login_manager.request_loader
def _load_user_from_token(req) -> User | None:
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not req.path.startswith("/api/"):
        return None
    row = db.session.scalar(
        db.select(ApiToken).filter_by(token_hash=token_digest(header[7:].strip()))
    )
    if row is None or row.user.status != UserStatus.ACTIVE:
        return None
    g.auth_via_token = True
    return row.user


def create_api_token(user: User, name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise DomainError("请填写令牌名称（不超过 50 个字）。", fields={"name": "请填写令牌名称"})
    token = "jf_" + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(user_id=user.id, name=name, token_hash=token_digest(token), prefix=token[:8])
    )
    db.session.commit()
    return token


# --- access decorators ----------------------------------------------------------------


def role_required(*roles: str):
    """Require a signed-in user with one of the roles. Wrong role: 403; anonymous: login."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if request.path.startswith("/api/"):
                    raise DomainError("请先登录。", code="unauthorized", status=401)
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if roles and current_user.role not in roles:
                raise DomainError("没有权限执行此操作。", code="forbidden", status=403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


login_required = role_required()


# --- request hooks --------------------------------------------------------------------

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'self'; form-action 'self'"
)


def init_security(app: Flask) -> None:
    app.extensions["password_hasher"] = HASHERS[app.config["PASSWORD_HASHER"]]
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    app.permanent_session_lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    if app.config.get("SESSION_COOKIE_SECURE"):
        app.config.setdefault("SESSION_COOKIE_NAME", "__Host-session")

    @app.before_request
    def _write_intent():
        if request.method in UNSAFE_METHODS:
            g._write_token = set_write_intent(True)

    @app.teardown_request
    def _reset_write_intent(_exc):
        set_write_intent(False)

    @app.after_request
    def _headers(resp):
        h = resp.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        h.setdefault("X-Frame-Options", "SAMEORIGIN")
        if request.is_secure:
            h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if not request.path.startswith("/static/"):
            resp.vary.add("Cookie")
            if current_user.is_authenticated:
                h["Cache-Control"] = "no-store"
        return resp

    # The API checks CSRF itself: required for cookie sessions, not for Bearer tokens.
    app.extensions["csrf_exempt_api"] = True
    _ = csrf


def safe_next(target: str | None) -> str | None:
    """A ?next= target only if it stays on this site (a path, never //host or a scheme)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None
