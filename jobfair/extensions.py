"""Extension objects, created without an app and bound in create_app."""

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


@limiter.request_filter
def _nothing_to_limit() -> bool:
    if request.endpoint not in UNLIMITED_ENDPOINTS:
        return False
    config = current_app.config
    return not (
        config.get("RATELIMIT_DEFAULT")
        or config.get("RATELIMIT_APPLICATION")
        or config.get("RATELIMIT_META")
    )


def init_extensions(app: Flask) -> None:
    init_crypto(app)  # before the database: encrypted columns need the keys
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
