"""Demo data: `flask seed` loads the seed/ files idempotently, in volume, searchable, usable."""

import json
from collections import Counter

from sqlalchemy import func, select, text

from jobfair.extensions import db
from jobfair.matching.text import segment_query
from jobfair.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    AuditLog,
    Employer,
    Position,
    PositionGroup,
    SeekerGroup,
    SeekerOccupation,
    SeekerProfile,
    User,
)
from jobfair.models.common import Channel, PriorityGroup, WorkForm
from jobfair.seeding import SEED_DIR

DEMO_PASSWORD = "jobfair-demo-2026"
TABLES = (
    User,
    Employer,
    Position,
    PositionGroup,
    SeekerProfile,
    SeekerOccupation,
    SeekerGroup,
    Application,
    ApplicationEvent,
    AuditLog,
)


def counts() -> dict[str, int]:
    return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) for m in TABLES}


def seed(runner) -> str:
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    return result.output


def search_titles(term: str) -> list[str]:
    """Published positions the database full-text index returns for a query."""
    tokens = segment_query(term)
    if db.engine.dialect.name == "sqlite":
        sql = (
            "SELECT p.title FROM positions_fts JOIN positions p ON p.id = positions_fts.rowid "
            "WHERE positions_fts MATCH :q AND p.status = 'published'"
        )
        q = " ".join(f'"{t}"' for t in tokens)
    else:
        sql = (
            "SELECT title FROM positions "
            "WHERE search_vector @@ to_tsquery('simple', :q) AND status = 'published'"
        )
        q = " & ".join(tokens)
    return list(db.session.scalars(text(sql), {"q": q}))


def test_seed_twice_changes_nothing_and_has_the_promised_volume(app, runner):
    first = seed(runner)
    assert "演示账号" in first and DEMO_PASSWORD in first
    for login in ("13900000001", "13900000002", "13900000003"):
        assert login in first
    with app.app_context():
        before = counts()
    second = seed(runner)
    assert "新增 0" in second
    with app.app_context():
        assert counts() == before

        employers = db.session.scalars(select(Employer)).all()
        assert len(employers) >= 30
        status = Counter(e.status for e in employers)
        assert status["pending"] >= 2 and status["rejected"] == 1
        rejected = next(e for e in employers if e.status == "rejected")
        assert rejected.review_reason
        decisions = Counter(a.action for a in db.session.scalars(select(AuditLog)))
        assert decisions["employer.verify"] == status["verified"]
        assert decisions["employer.reject"] == 1

        positions = db.session.scalars(select(Position)).all()
        assert len(positions) >= 300
        assert len({p.occupation_code for p in positions}) >= 40
        assert {p.channel for p in positions} == set(Channel)
        assert {p.work_form for p in positions} == set(WorkForm)
        by_status = Counter(p.status for p in positions)
        assert by_status["published"] >= 250 and by_status["draft"] and by_status["closed"]
        held = [p for p in positions if p.status == "held"]
        assert len(held) >= 2 and all(p.review_flags for p in held)
        assert any(f["phrase"] == "限男性" for p in held for f in p.review_flags)
        assert all(p.search_tokens for p in positions)
        unverified = {e.id for e in employers if e.status != "verified"}
        assert all(p.status == "draft" for p in positions if p.employer_id in unverified)
        assert sum(1 for p in positions if p.groups) >= 200

        seekers = db.session.scalars(select(SeekerProfile)).all()
        assert len(seekers) >= 200
        groups = {g for s in seekers for g in s.group_codes}
        assert groups == set(PriorityGroup)
        assert all(s.group_consent and s.group_consent_at for s in seekers if s.groups)
        assert any(not s.groups for s in seekers)

        apps = db.session.scalars(select(Application)).all()
        assert len(apps) >= 150
        assert {a.status for a in apps} == set(ApplicationStatus)
        for a in apps:
            assert a.events[0].from_status is None and a.events[0].to_status == "submitted"
            assert a.events[-1].to_status == a.status
            assert a.position.status in ("published", "closed")


def test_demo_accounts_log_in_and_have_something_to_show(app, runner, client, login):
    seed(runner)
    with app.app_context():
        demo_employer = db.session.scalar(
            select(Employer)
            .join(User, Employer.user_id == User.id)
            .where(User.phone == "13900000002")
        )
        assert demo_employer.is_verified
        statuses = set(
            db.session.scalars(
                select(Application.status)
                .join(Position, Application.position_id == Position.id)
                .where(Position.employer_id == demo_employer.id)
            )
        )
        assert statuses == set(ApplicationStatus)
        seeker = db.session.scalar(select(User).where(User.phone == "13900000003"))
        assert db.session.scalar(select(SeekerProfile).filter_by(user_id=seeker.id))
        assert db.session.scalar(
            select(func.count()).select_from(Application).filter_by(seeker_id=seeker.id)
        )
        organiser = db.session.scalar(select(User).where(User.phone == "13900000001"))
        assert organiser.role == "organiser" and not organiser.must_change_password

    for phone, page in (
        ("13900000001", "/organiser"),
        ("13900000002", "/employer"),
        ("13900000003", "/me"),
    ):
        resp = login(client, phone, DEMO_PASSWORD)
        assert resp.status_code == 302, (phone, resp.get_data(as_text=True)[:300])
        assert client.get(page).status_code == 200, phone
        client.post("/logout")


def test_demo_searches_find_what_a_person_expects(app, runner):
    seed(runner)
    with app.app_context():
        for term in ("焊工", "电焊"):
            titles = search_titles(term)
            assert len(titles) >= 5, term
            assert all("焊" in t for t in titles), (term, titles)
        forklift = search_titles("叉车司机")
        assert len(forklift) >= 5 and all("叉车" in t for t in forklift), forklift
        care = search_titles("养老护理")
        assert "养老护理员" in care and sum("护理" in t for t in care) >= 5, care
        fishery = search_titles("渔业")
        assert len(fishery) >= 5, fishery
        assert any("护渔员" in t for t in fishery) and "河蟹养殖员" in fishery, fishery


def test_seed_files_are_consistent_and_clean(app):
    from jobfair import moderation, reference
    from jobfair.employers.services import INDUSTRIES, SIZES, is_valid_credit_code

    data = {
        name: json.loads((SEED_DIR / f"{name}.json").read_text(encoding="utf-8"))
        for name in ("employers", "positions", "seekers")
    }
    with app.test_request_context():
        districts = set(reference.districts())
        codes = [e["credit_code"] for e in data["employers"]]
        assert len(set(codes)) == len(codes) and all(map(is_valid_credit_code, codes))
        for e in data["employers"]:
            assert e["district"] in districts and e["industry"] in INDUSTRIES
            assert e["size"] in SIZES and e["email"].endswith("@example.com")
        keys = [(p["employer"], p["title"]) for p in data["positions"]]
        assert len(set(keys)) == len(keys)
        for p in data["positions"]:
            flags = moderation.check_fields(
                {k: p[k] for k in ("title", "description", "requirements")}
            )
            # Only the positions deliberately held for review carry discriminatory wording.
            assert bool(flags) == (p["status"] == "held"), (p["title"], flags)
        logins = [s["login"] for s in data["seekers"]]
        assert len(set(logins)) == len(logins)
        phones = [s["phone"] for s in data["seekers"]] + [e["login"] for e in data["employers"]]
        assert all(ph.startswith(("1390000", "1370000")) for ph in phones)
