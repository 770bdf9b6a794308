"""Extension objects, created without an app and bound in create_app."""

from functools import partial, wraps

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

from jobfair.config import ROOT
from jobfair.crypto import init_crypto
from jobfair.database import configure_engine


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
socketio = SocketIO()

# Endpoints with no rate limit of their own (the public search API, the busiest of all):
# Flask-Limiter's per-request work is skipped for them, unless an app-wide limit is set
# (RATELIMIT_DEFAULT / RATELIMIT_APPLICATION / RATELIMIT_META), which then applies as usual.
UNLIMITED_ENDPOINTS: set[str] = set()


def app_wide_limits(config) -> bool:
    """Whether an operator set a limit for every request (then it applies to these too)."""
    return bool(
        config.get("RATELIMIT_DEFAULT")
        or config.get("RATELIMIT_APPLICATION")
        or config.get("RATELIMIT_META")
    )


@limiter.request_filter
def _nothing_to_limit() -> bool:
    return request.endpoint in UNLIMITED_ENDPOINTS and not app_wide_limits(current_app.config)


def init_extensions(app: Flask) -> None:
    init_crypto(app)  # before the database: encrypted columns need the keys
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    _limiter_passes_by_unlimited(app)


def _limiter_passes_by_unlimited(app: Flask) -> None:
    """Flask-Limiter's own hooks (check before, headers after, context reset at teardown) are
    not called for a request its filter above exempts: for such a request they do nothing but
    cost about a tenth of a search. Every other request goes through them unchanged."""

    if not app.config["RATELIMIT_ENABLED"]:
        return  # it hooked in nothing

    def owned(fn) -> bool:
        return getattr(fn, "__self__", None) is limiter or (
            isinstance(fn, partial) and fn.args[:1] == (limiter,)
        )

    def passing(hook, kind: str):
        if kind == "after":

            @wraps(hook)
            def after(response):
                return response if _nothing_to_limit() else hook(response)

            return after

        @wraps(hook)
        def other(*args):
            return None if _nothing_to_limit() else hook(*args)

        return other

    for kind, funcs in (
        ("before", app.before_request_funcs),
        ("after", app.after_request_funcs),
        ("teardown", app.teardown_request_funcs),
    ):
        hooks = funcs.get(None, [])
        found = [i for i, fn in enumerate(hooks) if owned(fn)]
        if len(found) != 1:  # a Flask-Limiter release that hooks in differently: look again
            raise RuntimeError(f"Flask-Limiter registered {len(found)} {kind}-request hooks")
        hooks[found[0]] = passing(hooks[found[0]], kind)
