"""Demo data: `flask seed` loads the seed/ files idempotently, in volume, searchable, usable."""

import ast
import json
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

from jobfair.extensions import db
from jobfair.matching.text import segment_query
from jobfair.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    AuditLog,
    Employer,
    Fair,
    Household,
    LiveSession,
    OutcomeRecord,
    Position,
    PositionGroup,
    SeekerGroup,
    SeekerOccupation,
    SeekerProfile,
    UnemploymentRegistration,
    User,
)
from jobfair.models.common import Channel, PriorityGroup, WorkForm, utcnow
from jobfair.models.policy import PolicyCatalogue, SubsidyApplication, SubsidyStatus
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

        # Outcome states: 认定 and 本人申报, 登记 records, a reversed hire that re-opened its
        # household, a walk-in with paper consent.
        rows = db.session.scalars(select(SeekerGroup)).all()
        assert any(g.verified_on for g in rows) and any(not g.verified_on for g in rows)
        assert any(s.consent_note for s in seekers)
        kinds = Counter(r.kind for r in db.session.scalars(select(OutcomeRecord)))
        assert kinds["employment"] >= 20 and kinds["reversal"] >= 1
        assert kinds["household_cleared"] >= 2 and kinds["household_reopened"] >= 1
        assert db.session.scalar(select(func.count()).select_from(UnemploymentRegistration))
        households = db.session.scalars(select(Household)).all()
        assert any(h.closed_on for h in households) and any(h.reopened_count for h in households)

        apps = db.session.scalars(select(Application)).all()
        assert len(apps) >= 150
        assert {a.status for a in apps} == set(ApplicationStatus)
        for a in apps:
            assert a.events[0].from_status is None and a.events[0].to_status == "submitted"
            assert a.events[-1].to_status == a.status
            assert a.position.status in ("published", "closed")

        # Policies: the demo city's file stored once; subsidy applications in every state.
        assert db.session.scalar(select(func.count()).select_from(PolicyCatalogue)) == 1
        subsidies = db.session.scalars(select(SubsidyApplication)).all()
        assert {s.status for s in subsidies} == set(SubsidyStatus)
        assert all(s.amount_fen and s.events for s in subsidies)
        assert all(s.paid_fen == s.approved_fen for s in subsidies if s.status == "paid")


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

    # The demo alerts have something new on the first daily run, and only on the first.
    first = runner.invoke(args=["alerts", "send"])
    assert first.exit_code == 0 and "待发送提醒 3 个：已发送 3 个" in first.output, first.output
    assert "已发送 0 个" in runner.invoke(args=["alerts", "send"]).output

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
            # Only the positions deliberately held for review carry discriminatory wording;
            # the one other held position is a 公益性岗位 waiting for the organiser's review.
            welfare = p["channel"] == "public_welfare"
            assert bool(flags) == (p["status"] == "held" and not welfare), (p["title"], flags)
            if p["status"] == "held" and welfare:
                assert [f["field"] for f in p["review_flags"]] == ["channel"]
        logins = [s["login"] for s in data["seekers"]]
        assert len(set(logins)) == len(logins)
        phones = [s["phone"] for s in data["seekers"]] + [e["login"] for e in data["employers"]]
        assert all(ph.startswith(("1390000", "1370000")) for ph in phones)


# --- believability: what a person looking at the demo would notice ---------------------------
BEIJING = ZoneInfo("Asia/Shanghai")
OPENS, CLOSES = time(9, 0), time(17, 0)
# Age on leaving school: 小学 12–14, 初中 15–17, 高中/中专 18–20, 大专 21–23, 本科 22–24, 硕士 25–27.
SCHOOL_AGE = {
    "primary": 12,
    "junior": 15,
    "senior": 18,
    "college": 21,
    "bachelor": 22,
    "master": 25,
}


def beijing(utc_naive: datetime) -> datetime:
    return utc_naive.replace(tzinfo=UTC).astimezone(BEIJING)


def test_fairs_and_sessions_start_in_beijing_working_hours(app, runner):
    seed(runner)
    with app.app_context():
        now = utcnow()
        fairs = db.session.scalars(select(Fair)).all()
        sessions = db.session.scalars(select(LiveSession)).all()
        assert len(fairs) >= 4 and len(sessions) >= 5
        for f in fairs:
            assert beijing(f.starts_at).time() == OPENS, (f.title, beijing(f.starts_at))
            assert beijing(f.ends_at).time() == CLOSES, (f.title, beijing(f.ends_at))
        for s in sessions:
            start = beijing(s.starts_at)
            assert OPENS <= start.time() < CLOSES, (s.title, start)
            assert s.fair.starts_at <= s.starts_at < s.fair.ends_at, s.title
            assert (s.status == "live") == (s.starts_at <= now < s.ends_at), (s.title, s.status)
        assert any(f.phase(now) == "ongoing" for f in fairs)
        assert any(f.phase(now) == "upcoming" for f in fairs)


@pytest.mark.parametrize(
    "clock", ["03:00", "08:59", "09:00", "09:10", "12:45", "16:59", "17:00", "23:30"]
)
def test_the_on_air_session_is_live_only_in_working_hours(clock):
    from jobfair.fairs.demo import Calendar
    from jobfair.seeding import read_seed

    spec = read_seed("fairs")
    local = datetime.combine(date(2026, 12, 7), time.fromisoformat(clock), tzinfo=BEIJING)
    now = local.astimezone(UTC).replace(tzinfo=None)
    current = next(f for f in spec["fairs"] if f.get("campaign") == "current")
    on_air = next(s for s in current["sessions"] if s.get("on_air"))
    calendar = Calendar(spec, now)
    first = calendar.first_day(current)
    starts, status = calendar.session(first, on_air)
    ends = starts + timedelta(minutes=on_air["minutes"])
    assert OPENS <= beijing(starts).time() < CLOSES, beijing(starts)
    working = OPENS <= local.time() < CLOSES
    assert status == ("live" if working else "scheduled")
    if working:
        assert starts <= now < ends and now - starts <= timedelta(minutes=50)
    else:
        assert starts > now and starts - now < timedelta(hours=25)
    fair_starts, fair_ends = calendar.window(first, current["days"])
    assert fair_starts <= now < fair_ends and fair_starts <= starts < fair_ends


@pytest.mark.parametrize(
    ("today", "current", "following", "following_starts"),
    [
        ("2026-12-06", "2026 年冬季线上招聘会", "2027 年春风行动线上招聘会", "2027-01-11"),
        ("2027-01-01", "2026 年冬季线上招聘会", "2027 年春风行动线上招聘会", "2027-01-11"),
        ("2027-02-20", "2027 年春风行动线上招聘会", "2027 年春季线上招聘会", "2027-04-12"),
        (
            "2027-07-15",
            "2027 年百日千万招聘专项行动线上专场",
            "2027 年金秋招聘月线上专场",
            "2027-09-13",
        ),
    ],
)
def test_campaign_fairs_are_named_after_when_they_run(today, current, following, following_starts):
    from jobfair.fairs.demo import Calendar
    from jobfair.seeding import read_seed

    spec = read_seed("fairs")
    local = datetime.combine(date.fromisoformat(today), time(10, 0), tzinfo=BEIJING)
    calendar = Calendar(spec, local.astimezone(UTC).replace(tzinfo=None))
    by_kind = {f["campaign"]: f for f in spec["fairs"] if "campaign" in f}
    first = calendar.first_day(by_kind["current"])
    assert calendar.title_and_theme(by_kind["current"], first)[0] == current
    first = calendar.first_day(by_kind["next"])
    assert calendar.title_and_theme(by_kind["next"], first)[0] == following
    assert first.isoformat() == following_starts and first.weekday() == 0


def test_seeded_campaign_names_match_their_dates(app, runner):
    from jobfair.seeding import read_seed

    campaigns = read_seed("fairs")["campaigns"]
    seed(runner)
    with app.app_context():
        for f in db.session.scalars(select(Fair)):
            start = beijing(f.starts_at)
            year = re.search(r"(\d{4}) 年", f.title)
            if year:
                assert int(year.group(1)) == start.year, (f.title, start)
            for c in campaigns:
                name = c["title"].removeprefix("{year} 年")
                if f.title.endswith(name):
                    assert start.month in c["months"], (f.title, start)


def _seekers() -> list[dict]:
    return json.loads((SEED_DIR / "seekers.json").read_text(encoding="utf-8"))


def test_seekers_tell_different_stories():
    seekers = _seekers()
    stories = [s["experience"] for s in seekers]
    assert len(set(stories)) > 0.9 * len(stories)
    assert len({s["name"] for s in seekers}) > 0.95 * len(seekers)
    for group in ("zero_employment_household", "retired_fisher", "urban_hardship", "graduate"):
        told = [s["experience"] for s in seekers if group in s["groups"]]
        assert len(set(told)) == len(told), group
        openings = Counter(t.split("，")[0] for t in told)
        assert openings.most_common(1)[0][1] <= max(2, len(told) // 4), (group, openings)
    zero = [s["experience"] for s in seekers if "zero_employment_household" in s["groups"]]
    assert sum("饭店" in t for t in zero) <= len(zero) // 4, zero


def test_education_fits_the_birth_year_and_the_story():
    this_year = date.today().year
    for s in _seekers():
        who = (s["login"], s["birth_year"], s["education"], s["graduated"], s["experience"])
        age = s["graduated"] - s["birth_year"]
        assert SCHOOL_AGE[s["education"]] <= age <= SCHOOL_AGE[s["education"]] + 2, who
        assert s["graduated"] <= this_year, who
        if s["education"] == "primary":
            assert s["birth_year"] < 1985, who  # nine years of school are compulsory
        story = s["experience"]
        for said in re.findall(r"(\d{4}) (?:年[^，。\d]{0,12}毕业|届)", story):
            assert int(said) == s["graduated"], who
        for year in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", story):
            assert s["graduated"] <= int(year) <= this_year, who


def test_demo_records_refer_to_each_other_consistently():
    from jobfair.seeding import read_seed

    seekers = {s["login"]: s for s in _seekers()}
    employers = {e["login"]: e for e in read_seed("employers")}
    casework = read_seed("casework")
    for hh in casework["households"]:
        head = hh["members"][0]
        assert head["relation"] == "户主" and hh["label"].endswith(head["name"][0] + "家"), hh
        for m in hh["members"]:
            if m["login"]:
                seeker = seekers[m["login"]]
                assert seeker["name"] == m["name"], (hh["label"], m, seeker["name"])
                assert "zero_employment_household" in seeker["groups"], m
                assert seeker["residence_district"] == hh["district"], hh["label"]
    for case in casework["cases"]:
        seeker = seekers[case["seeker"]]
        assert seeker["groups"] and seeker["group_consent"], case["seeker"]
        if case["worker"] == "district":
            assert seeker["residence_district"] in casework["district_worker"]["districts"], case
    # 认定, 失业登记 and 离职 name seekers that exist; a 本人申报 seeker stays unverified.
    verified = {r["seeker"] for r in casework["verifications"]["records"]}
    assert verified <= set(seekers) and all(seekers[s]["groups"] for s in verified)
    assert any(s["groups"] for login, s in seekers.items() if login not in verified)
    assert {u["seeker"] for u in casework["unemployment"]} <= set(seekers)
    # 公益性岗位 are open only to verified status: every demo applicant to one is 认定.
    positions = {(p["employer"], p["title"]): p for p in read_seed("positions")}
    welfare = {
        a["seeker"]
        for a in read_seed("applications")
        if positions[(a["employer"], a["position"])]["channel"] == "public_welfare"
    }
    assert welfare and welfare <= verified, sorted(welfare - verified)
    placed = {p["seeker"] for p in casework["placements"]}
    assert {e["seeker"] for e in casework["employment_ends"]} <= placed
    fairs = read_seed("fairs")
    for fair in fairs["fairs"]:
        for login in [*fair["approved"], fair["pending"], fair["declined"][0]]:
            assert employers[login]["status"] == "verified", login
        for session in fair["sessions"]:
            assert set(session["employers"]) <= set(employers), session["title"]
    current = next(f for f in fairs["fairs"] if f.get("campaign") == "current")
    live = read_seed("live")
    assert live["booth"] in current["approved"]
    assert live["session"] in [s["title"] for s in current["sessions"] if s.get("on_air")]
    assert fairs["rep"]["employer"] in current["approved"]
    accounts = read_seed("accounts")
    assert accounts["demo_seeker"] in seekers and accounts["demo_employer"] in employers
    assert set(read_seed("notifications")["by_login"]) <= {
        accounts["organisers"][0]["login"],
        accounts["demo_employer"],
        accounts["demo_seeker"],
    }


def test_generated_files_are_up_to_date():
    result = subprocess.run(
        [sys.executable, str(SEED_DIR / "generate.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_one_loader_with_an_explicit_list_of_feature_hooks():
    import jobfair
    from jobfair.cli import demo_hooks

    root = Path(jobfair.__file__).parent
    source = (root / "seeding.py").read_text(encoding="utf-8")
    assert "importlib" not in source
    imported = {
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert {m for m in imported if m.startswith("jobfair.")} <= {
        "jobfair.database",
        "jobfair.extensions",
        "jobfair.models",
        "jobfair.models.common",
        "jobfair.models.user",
    }
    hooks = demo_hooks()
    modules = [h.__module__ for h in hooks]
    assert sorted(modules) == sorted(
        f"jobfair.{p.parent.name}.demo" for p in root.glob("*/demo.py")
    )
    assert modules[0] == "jobfair.auth.demo" and modules.index(
        "jobfair.fairs.demo"
    ) < modules.index("jobfair.live.demo")
