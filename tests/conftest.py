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


def sign_in(client, user):
    """Sign a test client in as the login view does, minus the deliberately slow argon2 check.

    The real login (with the password check) is covered by the auth tests and `login` below.
    """
    import secrets

    from jobfair.models import LoginSession
    from jobfair.security import token_digest

    token = secrets.token_urlsafe(32)
    with client.application.app_context(), writing():
        db.session.add(
            LoginSession(user_id=user.id, token_hash=token_digest(token), user_agent="test")
        )
        db.session.commit()
    with client.session_transaction() as sess:
        sess.permanent = True
        sess["sid"] = token
        sess["_user_id"] = str(user.id)
        sess["_fresh"] = True
    return client


@pytest.fixture
def login():
    """login(client, user_or_login, password=PASSWORD) -> response of the login POST."""

    def do(client, user, password=PASSWORD):
        name = user if isinstance(user, str) else (user.phone or user.email)
        return client.post("/login", data={"login": name, "password": password})

    return do


def credit_code(n: int) -> str:
    """A valid 统一社会信用代码 (GB 32100 check character) built from a number."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    body = "91320100" + f"{n:09d}"
    total = sum(alphabet.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + alphabet[(31 - total % 31) % 31]


@pytest.fixture
def make_employer(app, make_user):
    """make_employer(status="verified", name=None, **fields) -> Employer (detached)."""
    from jobfair.models import Employer

    counter = {"n": 0}

    def make(status="verified", name=None, user=None, **fields):
        counter["n"] += 1
        user = user or make_user(role="employer")
        with app.app_context(), writing():
            emp = Employer(
                user_id=user.id,
                name=name or f"南京测试单位{counter['n']}有限公司",
                credit_code=fields.pop("credit_code", credit_code(counter["n"])),
                industry=fields.pop("industry", "制造业"),
                size=fields.pop("size", "100-499人"),
                district=fields.pop("district", "江宁区"),
                address=fields.pop("address", "江宁区测试路1号"),
                contact_name=fields.pop("contact_name", "王经理"),
                contact_phone=fields.pop("contact_phone", "13700001111"),
                status=status,
                **fields,
            )
            db.session.add(emp)
            db.session.commit()
            db.session.refresh(emp)
            db.session.expunge(emp)
        emp.user = user
        return emp

    return make


@pytest.fixture
def make_position(app, make_employer):
    """make_position(employer=None, status="published", **fields) -> Position (detached)."""
    from jobfair.matching.text import segment_for_index
    from jobfair.models import Occupation, Position, PositionGroup
    from jobfair.models.common import utcnow

    def make(employer=None, status="published", groups=(), **fields):
        employer = employer or make_employer()
        with app.app_context(), writing():
            values = {
                "title": "电焊工",
                "description": "负责钢结构焊接，熟练使用二氧化碳保护焊。",
                "requirements": "持焊工证优先",
                "occupation_code": "6-18-02-04",
                "salary_min": 6000,
                "salary_max": 9000,
                "headcount": 3,
                "district": "江宁区",
                "address": "江宁区测试路1号",
                "education": "none",
                "work_form": "full_time",
                "channel": "enterprise",
            }
            values.update(fields)
            occ = db.session.get(Occupation, values["occupation_code"])
            pos = Position(
                employer_id=employer.id,
                status=status,
                published_at=utcnow() if status == "published" else None,
                search_tokens=segment_for_index(
                    values["title"],
                    values["description"],
                    values["requirements"],
                    occ.name if occ else "",
                ),
                **values,
            )
            pos.groups = [PositionGroup(group=g) for g in groups]
            db.session.add(pos)
            db.session.commit()
            db.session.refresh(pos)
            pos_id = pos.id
            db.session.expunge_all()
        pos.id = pos_id
        pos.employer = employer
        return pos

    return make
