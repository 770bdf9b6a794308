"""Fixtures shared by the live-layer tests: an ongoing fair with a booth, a session and people."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from jobfair.database import writing
from jobfair.extensions import db, socketio


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
def sock(app, login):
    """sock(user, namespace) -> a Socket.IO test client signed in as user (None: anonymous)."""
    made = []

    def connect(user, namespace="/lobby", **kw):
        http = app.test_client()
        if user is not None:
            resp = login(http, user)
            assert resp.status_code in (302, 303), resp.status_code
        client = socketio.test_client(app, namespace=namespace, flask_test_client=http, **kw)
        made.append((client, namespace))
        return client

    yield connect
    for client, namespace in made:
        if client.is_connected(namespace):
            client.disconnect(namespace)


@pytest.fixture(autouse=True)
def drain_live_updates(app):
    """Coalesced live updates run in background threads: let them finish before the next
    test empties the database."""
    from jobfair.live import broadcasts

    yield
    broadcasts.drain()


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
