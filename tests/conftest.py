"""Fixtures: an app on a fresh database per test, clients, makers and a login helper.

SQLite by default; set JOBFAIR_TEST_DATABASE_URL to run the same tests on PostgreSQL
(scripts/run_tests.py does that with a fresh database when a server is reachable).
"""

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from jobfair import create_app
from jobfair.database import writing
from jobfair.extensions import db

PG_URL = os.environ.get("JOBFAIR_TEST_DATABASE_URL", "")
KEEP_TABLES = {"occupations", "alembic_version"}
PASSWORD = "correct horse battery"


def _migrate(url: str, instance: Path) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "INSTANCE": str(instance)})
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """Migrate once per run; each test then gets a copy (SQLite) or truncated tables (PG)."""
    if PG_URL:
        _migrate(PG_URL, tmp_path_factory.mktemp("pg"))
        return PG_URL
    base = tmp_path_factory.mktemp("db") / "template.sqlite"
    _migrate("sqlite:///" + str(base), base.parent)
    return base


@pytest.fixture
def db_url(migrated, tmp_path):
    if PG_URL:
        engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            names = [
                r[0]
                for r in conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                )
                if r[0] not in KEEP_TABLES
            ]
            if names:
                conn.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return PG_URL
    target = tmp_path / "test.sqlite"
    shutil.copy(migrated, target)
    return "sqlite:///" + str(target)


@pytest.fixture
def app_config(db_url):
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": db_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        "SECRET_KEY": "test-secret",
    }


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    from jobfair.extensions import limiter

    with app.app_context():
        limiter.reset()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """make_user(role="seeker", login=None, password=PASSWORD, **fields) -> User."""
    from jobfair.models import User
    from jobfair.security import hash_password

    counter = {"n": 0}
    hashed = hash_password(PASSWORD)

    def make(role="seeker", login=None, password=PASSWORD, **fields):
        counter["n"] += 1
        if login is None:
            login = f"1390000{counter['n']:04d}"
        kw = {"phone": login} if login.isdigit() else {"email": login}
        with app.app_context(), writing():
            user = User(
                role=role,
                name=fields.pop("name", f"用户{counter['n']}"),
                password_hash=hashed if password == PASSWORD else hash_password(password),
                **kw,
                **fields,
            )
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
        return user

    return make


@pytest.fixture
def login():
    """login(client, user_or_login, password=PASSWORD) -> response of the login POST."""

    def do(client, user, password=PASSWORD):
        name = user if isinstance(user, str) else (user.phone or user.email)
        return client.post("/login", data={"login": name, "password": password})

    return do
