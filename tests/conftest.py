"""Fixtures: one app reused on a database emptied before each test, clients, makers, sign-in.

SQLite by default; set JOBFAIR_TEST_DATABASE_URL to run the database tests on PostgreSQL
(scripts/run_tests.py does that with a fresh database when a server is reachable).

Speed: the database is migrated once per run and emptied with DELETE before each test (back to
what the migrations left: occupations, the match-index stamp row; ids restart at 1). The app
is built once and reused by the following tests that ask for the same config; its config and
lazily created per-app state are put back after each test. A test that builds another app
(create_app rebinds the global Socket.IO server, limiter storage…) makes the next test build
a fresh one. Tests using the database are marked `db`; the PostgreSQL pass runs only those.
"""

import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, insert, select, text

from jobfair import create_app
from jobfair.database import writing
from jobfair.extensions import db, limiter, socketio

PG_URL = os.environ.get("JOBFAIR_TEST_DATABASE_URL", "")
KEEP_TABLES = {"occupations", "alembic_version"}  # reference data written by the migrations
SEEDED_TABLES = {"match_index_state"}  # emptied, then given back the row the migrations wrote
PASSWORD = "correct horse battery"
DB_FIXTURE = "db_url"  # every fixture touching the test database depends on it


def pytest_collection_modifyitems(items):
    for item in items:
        if DB_FIXTURE in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


def _engine_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


class TestDatabase:
    """The migrated test database and how to put it back to the migrated state."""

    __test__ = False

    def __init__(self, url: str):
        self.url = url
        self.engine = create_engine(_engine_url(url))
        # Children first, so DELETE never trips a foreign key.
        self.tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
        with self.engine.connect() as conn:
            self.seeded = {
                t: [dict(r) for r in conn.execute(select(t)).mappings()]
                for t in self.tables
                if t.name in SEEDED_TABLES
            }
            self.sequences = []
            if self.engine.dialect.name == "postgresql":
                self.sequences = (
                    conn.execute(
                        text(
                            "SELECT s.oid::regclass::text FROM pg_class s "
                            "JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i') "
                            "JOIN pg_class t ON t.oid = d.refobjid "
                            "WHERE s.relkind = 'S' AND t.relname = ANY(:names)"
                        ),
                        {"names": [t.name for t in self.tables]},
                    )
                    .scalars()
                    .all()
                )

    def reset(self) -> None:
        """Empty every table but the reference data; ids start at 1 again.

        DELETE rather than TRUNCATE: on PostgreSQL a TRUNCATE of ~50 tables rewrites each
        one's files and costs ~50x more than deleting the few rows a test wrote.
        """
        quote = self.engine.dialect.identifier_preparer.quote
        with self.engine.begin() as conn:
            deletes = [f"DELETE FROM {quote(t.name)}" for t in self.tables]  # noqa: S608
            if self.engine.dialect.name == "postgresql":  # one round trip
                conn.exec_driver_sql("; ".join(deletes))
            else:
                for statement in deletes:
                    conn.exec_driver_sql(statement)
            for table, rows in self.seeded.items():
                if rows:
                    conn.execute(insert(table), rows)
            if self.sequences:
                conn.execute(
                    text("SELECT setval(s, 1, false) FROM unnest(CAST(:seqs AS regclass[])) s"),
                    {"seqs": self.sequences},
                )


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def test_database(tmp_path_factory):
    """Migrated once per run: the PostgreSQL database given, else a SQLite file."""
    url = PG_URL or "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
    _migrate(url)
    database = TestDatabase(url)
    yield database
    database.engine.dispose()


@pytest.fixture
def db_url(test_database):
    """The test database's URL, emptied for this test."""
    test_database.reset()
    return test_database.url


@pytest.fixture
def app_config(db_url):
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": db_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        "SECRET_KEY": "test-secret",
    }


class AppCache:
    """The last app built, reused while the config asked for is the same and no other app
    has been built since (create_app rebinds process-wide extension state to the new app)."""

    def __init__(self):
        self.app = self.key = self.server = None
        self.config: dict = {}
        self.extensions: dict = {}

    def get(self, config: dict):
        key = repr(sorted(config.items()))
        if self.app is None or key != self.key or socketio.server is not self.server:
            self.close()
            app = create_app(config)
            self.app, self.key, self.server = app, key, socketio.server
            self.config = dict(app.config)
            self.extensions = dict(app.extensions)
        return self.app

    def after_test(self) -> None:
        """Put back what a test may have changed: config, per-app caches, sessions, limits."""
        from jobfair.live import broadcasts
        from jobfair.positions import cache

        app = self.app
        broadcasts.drain()  # coalesced live updates still running in background threads
        with app.app_context():
            db.session.remove()
        app.config.clear()
        app.config.update(self.config)
        app.extensions.clear()  # drops what was made on first use: match index, search cache
        app.extensions.update(self.extensions)
        cache.invalidate()

    def close(self) -> None:
        if self.app is not None:
            close_app(self.app)
        self.app = None


@pytest.fixture(scope="session")
def app_cache():
    cache = AppCache()
    yield cache
    cache.close()


@pytest.fixture
def app(app_config, app_cache):
    app = app_cache.get(app_config)
    with app.app_context():
        limiter.reset()
    yield app
    app_cache.after_test()


def close_app(app) -> None:
    """Close an app's database connections (an engine left to the garbage collector with
    pooled connections is a ResourceWarning on PostgreSQL)."""
    from jobfair.live import broadcasts

    broadcasts.drain()  # background live updates may still hold a connection
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def make_app(app_config):
    """make_app(**overrides) -> another app on the test database (another process, other
    settings), closed after the test."""
    made = []

    def make(**overrides):
        made.append(create_app({**app_config, **overrides}))
        return made[-1]

    yield make
    for other in made:
        close_app(other)


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
    with app.app_context():
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
    """Sign a test client in as the login view does, without posting the login form.

    Every test signs in this way except those about logging in itself (auth, rate limits,
    rep accounts, demo accounts, the browser and multi-process tests), which use `login`.
    """
    import secrets

    from jobfair.models import LoginSession
    from jobfair.models.common import utcnow
    from jobfair.security import token_digest

    token = secrets.token_urlsafe(32)
    with client.application.app_context(), writing():
        db.session.add(
            LoginSession(
                user_id=user.id,
                token_hash=token_digest(token),
                user_agent="test",
                confirmed_at=utcnow(),  # as start_session: the password was just typed
            )
        )
        db.session.commit()
    with client.session_transaction() as sess:
        sess.permanent = True
        sess["sid"] = token
        sess["_user_id"] = str(user.id)
        sess["_fresh"] = True
    return client


def tabs(app, user, n: int) -> list:
    """n test clients sharing one signed-in session, like the tabs of one browser."""
    cookie = sign_in(app.test_client(), user).get_cookie("session").value
    out = []
    for _ in range(n):
        c = app.test_client()
        c.set_cookie("session", cookie)
        out.append(c)
    return out


def run_together(clients, fn, first: str | None = None) -> list:
    """fn(client) in one thread per client, all released at once by a barrier. Each client
    reads the page `first` beforehand (a browser has the page open). Results in client order;
    an exception stands in its place, for the caller's assertion to report."""
    barrier = threading.Barrier(len(clients))
    results: list = [None] * len(clients)

    def worker(i, c):
        if first:
            c.get(first)
        barrier.wait()
        try:
            results[i] = fn(c)
        except Exception as err:  # noqa: BLE001 - returned, never swallowed
            results[i] = err

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def signed_in(app):
    """signed_in(user) -> a new test client signed in as user."""

    def make(user):
        return sign_in(app.test_client(), user)

    return make


@pytest.fixture
def login():
    """login(client, user_or_login, password=PASSWORD) -> response of the real login POST."""

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


@pytest.fixture
def search(app):
    """search(**query) -> SearchResult: the position search as the list page runs it."""
    from jobfair.positions.search import parse_filters, search_positions

    def run(**args):
        with app.app_context():
            filters = parse_filters({k: str(v) for k, v in args.items()})
            result = search_positions(filters, filters["page"], filters["page_size"])
            db.session.remove()
        return result

    return run


# --- seekers, case workers, hires, fairs ---------------------------------------------------------

WELDER_PROFILE = {  # a seeker the matching recommends the default make_position (电焊工, 江宁区) to
    "name": "周建军",
    "skills": "电焊、氩弧焊、二保焊",
    "experience": "在工程机械厂做了十年电焊工，熟悉钢结构焊接。",
    "desired_occupations": ["6-18-02-04"],
    "districts": ["江宁区"],
}


@pytest.fixture
def seeker_defaults():
    """The profile make_seeker saves unless told otherwise; a module may override this."""
    return {"name": "李建国"}


@pytest.fixture
def make_seeker(app, make_user, seeker_defaults):
    """make_seeker(name=None, **profile) -> seeker User (detached).

    The profile is saved through the profile service, as the seeker's own form does
    (validation, matching index); the phone on the profile is the login.
    """
    from jobfair.models import User
    from jobfair.seekers import services

    def make(name=None, **profile):
        user = make_user()
        data = {**seeker_defaults, "phone": user.phone, **profile}
        if name is not None:
            data["name"] = name
        with app.app_context(), writing():
            services.save_profile(db.session.get(User, user.id), data)
        return user

    return make


@pytest.fixture
def make_priority_seeker(app, make_user):
    """make_priority_seeker(name="张三丰", groups=("urban_hardship",), district="江宁区",
    consent=True, verified=True) -> seeker User in priority groups (detached).

    The profile rows are written directly and the groups stored as given, so a test can also
    build what the profile service refuses (groups kept without consent). ``district`` is
    where the seeker lives (and the one district they wish to work in); ``verified`` records
    a 认定 of every group (2020-01-01, no end), else the groups are 本人申报.
    """
    from jobfair.models import SeekerGroup, SeekerProfile

    def make(
        name="张三丰", groups=("urban_hardship",), district="江宁区", consent=True, verified=True
    ):
        user = make_user(name=name)
        with app.app_context(), writing():
            profile = SeekerProfile(
                user_id=user.id,
                name=name,
                phone=user.phone,
                districts=[district] if district else [],
                residence_district=district or "",
                group_consent=consent,
            )
            profile.groups = [
                SeekerGroup(
                    group=g,
                    evidence_type="other" if verified else "",
                    evidence_note="测试用证明" if verified else "",
                    verified_on=date(2020, 1, 1) if verified else None,
                )
                for g in groups
            ]
            db.session.add(profile)
            db.session.commit()
        return user

    return make


@pytest.fixture
def make_worker(app, make_user):
    """make_worker(districts=("江宁区",), supervisor=False) -> organiser User with a CaseWorker."""
    from jobfair.models import CaseWorker

    def make(districts=("江宁区",), supervisor=False, name="个案工作人员"):
        user = make_user(role="organiser", name=name)
        with app.app_context(), writing():
            db.session.add(
                CaseWorker(user_id=user.id, districts=list(districts), is_supervisor=supervisor)
            )
            db.session.commit()
        return user

    return make


@pytest.fixture
def make_hire(app):
    """make_hire(seeker, position, status="hired", at=datetime) -> application id.

    Writes an application with its history the way the employer pipeline records it; an
    "onboarded" one also gets its 就业登记 (started on the day of ``at``), as 已入职 does.
    """
    from jobfair.casework import queries, registrations
    from jobfair.models import Application, ApplicationEvent

    def make(seeker, position, status="hired", at=None):
        at = at or datetime.now(UTC).replace(tzinfo=None)
        path = {
            "submitted": ["submitted"],
            "interview": ["submitted", "viewed", "interview"],
            "hired": ["submitted", "viewed", "interview", "hired"],
            "onboarded": ["submitted", "viewed", "interview", "hired", "onboarded"],
            "rejected_after_hire": ["submitted", "viewed", "interview", "hired", "rejected"],
        }[status]
        with app.app_context(), writing():
            application = Application(
                position_id=position.id, seeker_id=seeker.id, status=path[-1], created_at=at
            )
            prev = None
            for i, st in enumerate(path):
                application.events.append(
                    ApplicationEvent(
                        from_status=prev,
                        to_status=st,
                        created_at=at - timedelta(hours=len(path) - 1 - i),
                    )
                )
                prev = st
            db.session.add(application)
            db.session.flush()
            if path[-1] == "onboarded":
                registrations.register_platform_hire(application, None, queries.local_date(at))
            db.session.commit()
            return application.id

    return make


def bj_today() -> date:
    """Today in Beijing: casework dates are local calendar dates."""
    from zoneinfo import ZoneInfo

    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()


def this_year() -> int:
    return bj_today().year


@pytest.fixture
def make_fair(app):
    """make_fair(title=…, status="published", start=-1, hours=48, **fields) -> fair id.

    start and hours are in hours from now: the default fair began an hour ago.
    """
    from jobfair.models import Fair
    from jobfair.models.common import utcnow

    def make(title="2027 年春风行动线上招聘会", status="published", start=-1, hours=48, **kw):
        with app.app_context(), writing():
            now = utcnow()
            fair = Fair(
                title=title,
                status=status,
                starts_at=now + timedelta(hours=start),
                ends_at=now + timedelta(hours=start + hours),
                **kw,
            )
            db.session.add(fair)
            db.session.commit()
            return fair.id

    return make


# --- the live layer ----------------------------------------------------------------------------


@dataclass
class World:
    organiser: object
    employer: object
    rep: object  # the employer's owner account (a rep at the booth)
    rep2: object  # an extra rep account of the same employer
    other_employer: object
    seekers: list
    fair_id: int
    booth_id: int
    other_booth_id: int
    session_id: int
    position_ids: list = field(default_factory=list)
    other_position_id: int = 0
    extra_booth_ids: list = field(default_factory=list)


def _profile(user_id: int, name: str, phone: str) -> None:
    from jobfair.matching.text import segment_for_index
    from jobfair.models import SeekerProfile

    db.session.add(
        SeekerProfile(
            user_id=user_id,
            name=name,
            phone=phone,
            skills="电焊、叉车",
            major="机电一体化",
            search_tokens=segment_for_index("电焊 叉车 机电一体化"),
        )
    )


@pytest.fixture
def world(app, make_user, make_employer, make_position) -> World:
    """An ongoing fair with a booth, a live session and people (the live-layer tests)."""
    from jobfair.models import (
        Booth,
        BoothPosition,
        EmployerRep,
        Fair,
        FairRegistration,
        LiveSession,
        LiveSessionEmployer,
    )
    from jobfair.models.common import utcnow

    organiser = make_user(role="organiser", name="赵主任")
    employer = make_employer(name="南京宁钢精工机械有限公司")
    rep2 = make_user(role="employer", name="钱招聘")
    other = make_employer(name="南京另一家单位有限公司")
    p1 = make_position(employer=employer, title="电焊工（二保焊）")
    p2 = make_position(employer=employer, title="仓库管理员", occupation_code="4-02-06-01")
    p3 = make_position(employer=other, title="叉车司机")
    seekers = [make_user(role="seeker", name=n) for n in ("李建国", "王芳", "张伟", "刘洋")]
    extra_employers = [make_employer(name=f"南京展位单位{i}有限公司") for i in range(3)]
    now = utcnow()
    with app.app_context(), writing():
        fair = Fair(
            title="2026 春风行动线上招聘会",
            status="published",
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=5),
        )
        db.session.add(fair)
        db.session.flush()
        booth = Booth(fair_id=fair.id, employer_id=employer.id, status="approved", chat_minutes=10)
        other_booth = Booth(fair_id=fair.id, employer_id=other.id, status="approved")
        db.session.add_all([booth, other_booth])
        extra = [
            Booth(fair_id=fair.id, employer_id=e.id, status="approved") for e in extra_employers
        ]
        db.session.add_all(extra)
        db.session.flush()
        db.session.add_all(
            [
                BoothPosition(booth_id=booth.id, position_id=p1.id),
                BoothPosition(booth_id=booth.id, position_id=p2.id),
                BoothPosition(booth_id=other_booth.id, position_id=p3.id),
                EmployerRep(employer_id=employer.id, user_id=rep2.id),
            ]
        )
        ls = LiveSession(
            fair_id=fair.id,
            title="直播带岗：智能制造专场",
            host_user_id=organiser.id,
            stream_url="https://live.example.cn/room/123",
            starts_at=now - timedelta(minutes=10),
            ends_at=now + timedelta(hours=1),
            status="live",
        )
        db.session.add(ls)
        db.session.flush()
        db.session.add(LiveSessionEmployer(session_id=ls.id, employer_id=employer.id))
        for i, s in enumerate(seekers):
            _profile(s.id, s.name, f"1380000{i:04d}")
            db.session.add(FairRegistration(fair_id=fair.id, seeker_user_id=s.id))
        db.session.commit()
        w = World(
            organiser=organiser,
            employer=employer,
            rep=employer.user,
            rep2=rep2,
            other_employer=other,
            seekers=seekers,
            fair_id=fair.id,
            booth_id=booth.id,
            other_booth_id=other_booth.id,
            session_id=ls.id,
            position_ids=[p1.id, p2.id],
            other_position_id=p3.id,
            extra_booth_ids=[b.id for b in extra],
        )
    return w


@pytest.fixture
def sock(app):
    """sock(user, namespace) -> a Socket.IO test client signed in as user (None: anonymous)."""
    from jobfair.live import presence

    # Online counts live in the process, not the database: a socket another test left open
    # (a test client made without this fixture) must not count a rep online at this booth.
    with presence._lock:
        presence._local.clear()
        presence._memberships.clear()
    made = []

    def connect(user, namespace="/lobby", **kw):
        http = app.test_client()
        if user is not None:
            sign_in(http, user)
        client = socketio.test_client(app, namespace=namespace, flask_test_client=http, **kw)
        made.append((client, namespace))
        return client

    yield connect
    for client, namespace in made:
        if client.is_connected(namespace):
            client.disconnect(namespace)


def ack(client, ns, event, **data):
    """Emit a Socket.IO event and return the server's acknowledgement."""
    return client.emit(event, data, namespace=ns, callback=True)


def error_code(result):
    """The error code of a refused acknowledgement (fails if it was not refused)."""
    assert result["ok"] is False, result
    return result["error"]["code"]


def events(client, namespace, name=None):
    got = client.get_received(namespace)
    if name is None:
        return got
    out = []
    for e in got:
        if e["name"] == name:
            args = e["args"]
            out.append(args[0] if isinstance(args, list) else args)
    return out
