"""Passwords, server-side login sessions, API tokens, access decorators and response headers."""

import contextlib
import functools
import hashlib
import secrets
from datetime import timedelta
from functools import wraps
from urllib.parse import unquote, urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app, g, has_app_context, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import bindparam, select

from jobfair import events
from jobfair.database import set_write_intent, writing
from jobfair.errors import DomainError
from jobfair.extensions import csrf, db, login_manager
from jobfair.models.common import utcnow
from jobfair.models.user import ApiToken, LoginSession, User, UserStatus
from jobfair.validation import (
    JSON_MAX_BYTES,
    SINGLE_LINE_CONTROL_RE,
    json_lone_surrogate,
    json_too_deep,
)

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
            confirmed_at=utcnow(),  # the password was just typed
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


# The login session and its user in one statement, built once: every page and socket event
# runs it (building a statement per call costs more than the lookup).
_USER_BY_LOGIN = (
    select(User, LoginSession)
    .join(LoginSession, LoginSession.user_id == User.id)
    .filter(LoginSession.token_hash == bindparam("token_hash"), User.id == bindparam("user_id"))
)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    token = session.get("sid")
    if not token or not user_id.isdigit():
        return None
    found = db.session.execute(
        _USER_BY_LOGIN, {"token_hash": token_digest(token), "user_id": int(user_id)}
    ).first()
    if found is None:
        return None
    user, row = found
    now = utcnow()
    if now - row.created_at > current_app.config["PERMANENT_SESSION_LIFETIME"]:
        return None
    idle = timedelta(minutes=int(current_app.config["SESSION_IDLE_MINUTES"]))
    if now - row.last_seen_at > idle:
        # Idle too long: the row goes, so the cookie is dead even if it comes back later.
        _end_rows([row.id])
        return None
    if user.status != UserStatus.ACTIVE:
        return None
    if now - row.last_seen_at > SEEN_RESOLUTION:
        # At most one write a minute per session keeps the idle clock without a write per
        # request; its own short transaction, so a GET's read transaction is not upgraded.
        g.touch_login_session = row.id
    g.login_session = row
    return user


def signed_in() -> bool:
    """current_user.is_authenticated, without loading anyone for a request that carries no
    credentials at all (no session or remember cookie, no Authorization header): the public
    pages and API answer many such requests, and loading the anonymous user costs time."""
    if "_login_user" not in g:
        cookies = request.cookies
        config = current_app.config
        if (
            config["SESSION_COOKIE_NAME"] not in cookies
            and config.get("REMEMBER_COOKIE_NAME", "remember_token") not in cookies
            and "Authorization" not in request.headers
        ):
            return False
    return current_user.is_authenticated


# The idle clock is kept to this resolution (see _load_user).
SEEN_RESOLUTION = timedelta(minutes=1)


def _end_rows(ids: list[int]) -> None:
    db.session.execute(db.delete(LoginSession).where(LoginSession.id.in_(ids)))
    db.session.commit()
    _close_sockets(ids)


def _touch_session() -> None:
    row_id = g.pop("touch_login_session", None)
    if row_id is None:
        return
    db.session.rollback()
    with writing():
        db.session.execute(
            db.update(LoginSession).where(LoginSession.id == row_id).values(last_seen_at=utcnow())
        )
        db.session.commit()


# --- re-authentication for sensitive actions -------------------------------------------

REAUTH_MESSAGE = "为保护个人信息，请先重新输入密码确认是本人操作。"
CONTACT_REAUTH_MESSAGE = (
    "修改联系电话前需要确认是本人操作：请先打开“确认身份”页面（/account/confirm）"
    "输入密码，再回来保存。"
)


def require_confirmed_contact_change(confirmed: bool, old: str | None, new: str | None):
    """A stored phone number is replaced only after the password was re-typed (a first
    number, or the same one, needs nothing)."""
    if old and new is not None and new != old and not confirmed:
        raise DomainError(
            CONTACT_REAUTH_MESSAGE,
            code="reauth_required",
            status=403,
            fields={"phone": "请先确认身份"},
        )


def recently_confirmed() -> bool:
    """True if this browser session typed the password within REAUTH_MINUTES.

    Personal access tokens never count: a token cannot export personal data or change
    contact details.
    """
    if g.get("auth_via_token") or not current_user.is_authenticated:
        return False
    row = g.get("login_session")
    if row is None or row.confirmed_at is None:
        return False
    window = timedelta(minutes=int(current_app.config["REAUTH_MINUTES"]))
    return utcnow() - row.confirmed_at <= window


def confirm_password(user: User, password: str) -> None:
    """Re-type the password: opens the re-authentication window for this browser session."""
    row = g.get("login_session")
    if row is None or not verify_password(user, password or ""):
        raise DomainError(
            "密码不正确。",
            code="invalid_credentials",
            status=422,
            fields={"password": "密码不正确"},
        )
    row.confirmed_at = utcnow()
    db.session.commit()


def require_recent_password() -> None:
    if not recently_confirmed():
        raise DomainError(REAUTH_MESSAGE, code="reauth_required", status=403)


def fresh_login_required(view):
    """Sensitive downloads: API callers get 403 reauth_required; pages go to the confirm page."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_authenticated and not recently_confirmed():
            if request.path.startswith("/api/"):
                require_recent_password()
            return redirect(url_for("auth.confirm", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


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


def create_api_token(user: User, name) -> str:
    name = (name if isinstance(name, str) else "").strip()
    if not name or len(name) > 50 or SINGLE_LINE_CONTROL_RE.search(name):
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


SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "SAMEORIGIN"),
)


HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def response_headers(
    present: set[str], secure: bool, page: bool, private: bool
) -> list[tuple[str, str]]:
    """The headers every response gets that it does not have yet (present: the lower-cased
    names it has; a view may set its own). page: not a static file. A Vary it already has gets
    Cookie added by the caller. private (a signed-in person's response): never stored by a
    shared cache."""
    out = [(name, value) for name, value in SECURITY_HEADERS if name.lower() not in present]
    if secure and "strict-transport-security" not in present:
        out.append(HSTS)
    if page:
        if "vary" not in present:
            out.append(("Vary", "Cookie"))
        if private:
            out.append(("Cache-Control", "no-store"))
    return out


def query_may_hold_nul(raw: bytes) -> bool:
    """Whether a raw query string can decode to a NUL: only a raw NUL or %00 does."""
    return b"\x00" in raw or b"%00" in raw


def _nul_in_args() -> bool:
    """A NUL in a query value; a query string that cannot hold one is not parsed here (most
    requests)."""
    if not query_may_hold_nul(request.query_string):
        return False
    return any("\x00" in v for _, vl in request.args.lists() for v in vl)


def init_security(app: Flask) -> None:
    app.extensions["password_hasher"] = HASHERS[app.config["PASSWORD_HASHER"]]
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    app.permanent_session_lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    if app.config.get("SESSION_COOKIE_SECURE"):
        # __Host-: the browser only accepts it over HTTPS, with Path=/ and no Domain, so a
        # sibling subdomain cannot plant or overwrite it.
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"
        app.config["SESSION_COOKIE_PATH"] = "/"
        app.config["SESSION_COOKIE_DOMAIN"] = None
        app.config["REMEMBER_COOKIE_SECURE"] = True

    @app.before_request
    def _write_intent():
        if request.method in UNSAFE_METHODS:
            g._write_token = set_write_intent(True)

    @app.before_request
    def _screen_input():
        """Input no handler should see: NUL anywhere, JSON nested too deep or too large.

        The JSON body is parsed here, once, and every later reader gets the cached result.
        """
        # Bodies go through validation.Text, which strips control characters; query strings
        # and paths reach searches and filters directly.
        try:  # Werkzeug reads the raw query string as UTF-8 (curl sends typed text raw)
            request.query_string.decode()
        except UnicodeDecodeError:
            request.query_string = b""  # dropped, so the error page can link back to the page
            raise DomainError(
                "网址里有无法识别的字符，请重新输入搜索条件。", code="bad_request", status=400
            ) from None
        if "\x00" in request.path or _nul_in_args():
            raise DomainError(
                "提交的内容含有不允许的控制字符。", code="control_characters", status=422
            )
        if request.is_json and request.content_length != 0:
            raw = request.get_data(cache=True)
            if len(raw) > JSON_MAX_BYTES:
                raise DomainError("提交的内容过大。", code="payload_too_large", status=413)
            if json_too_deep(raw):
                raise DomainError("JSON 嵌套层数过多。", code="bad_request", status=400)
            if json_lone_surrogate(raw, request.get_json(silent=True)):
                raise DomainError(
                    "提交的内容含有无法识别的字符，请删除后重试。", code="bad_request", status=400
                )

    @app.teardown_request
    def _reset_write_intent(_exc):
        set_write_intent(False)

    @app.after_request
    def _keep_idle_clock(resp):
        _touch_session()
        return resp

    @app.after_request
    def _headers(resp):
        h = resp.headers
        present = {name.lower() for name, _ in h.items()}
        page = not request.path.startswith("/static/")
        if page and "vary" in present:
            resp.vary.add("Cookie")
        # Static files never load the user.
        private = page and signed_in()
        for name, value in response_headers(present, request.is_secure, page, private):
            h[name] = value
        return resp

    # The API checks CSRF itself: required for cookie sessions, not for Bearer tokens.
    app.extensions["csrf_exempt_api"] = True
    _ = csrf


def safe_next(target: str | None) -> str | None:
    """A ?next= target only if it is a same-site relative path, judged after decoding.

    Browsers drop tabs and newlines from URLs and read ``\\`` as ``/``, so ``/%09/evil`` and
    ``/%2F/evil`` are ``//evil``: any control character, backslash, scheme or host in the
    path (raw or percent-decoded) refuses the target.
    """
    if not target or len(target) > 2000:
        return None
    decoded = target
    for _ in range(3):  # double-encoding too: %252F
        decoded = unquote(decoded)
    for candidate in (target, decoded):
        if not candidate.startswith("/") or candidate.startswith("//"):
            return None
        if "\\" in candidate or any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in candidate):
            return None
        squeezed = candidate.replace(" ", "")
        if squeezed.startswith("//") or urlsplit(candidate).netloc or urlsplit(candidate).scheme:
            return None
    return target
