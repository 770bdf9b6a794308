"""Training outcomes: employment within six months of 结业, per course and per month, against
figures worked out by hand; the CSV and Excel files and the dashboard chart carry the same."""

import csv
import io
from datetime import date, datetime

import pytest
import time_machine
from conftest import sign_in
from openpyxl import load_workbook

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import Course, EmploymentRegistration, Enrolment

TODAY = date(2026, 6, 30)


@pytest.fixture
def history(app, make_user):
    """Two courses. A (Sept 2025): s1 hired 6 weeks after 结业, s6 hired during the course,
    s2 hired 7 months after (too late), s3 never; s4 未结业, s5 withdrew. B (结业 15 May 2026):
    s8 hired two weeks after, s7 not yet (window open), s9 still enrolled."""
    people = {f"s{i}": make_user() for i in range(1, 10)}
    with app.app_context(), writing():
        a = Course(
            title="家政服务员（母婴护理）",
            provider="六合区职业技能培训中心",
            district="六合区",
            skills=["母婴护理"],
            occupation_codes=[],
            hours=96,
            starts_on=date(2025, 9, 1),
            ends_on=date(2025, 9, 30),
            seats=30,
            enrolled=5,
        )
        b = Course(
            title="农村电商与直播带货",
            provider="六合区职业技能培训中心",
            district="六合区",
            skills=["直播带货"],
            occupation_codes=[],
            hours=48,
            starts_on=date(2026, 4, 1),
            ends_on=date(2026, 5, 15),
            seats=30,
            enrolled=3,
        )
        db.session.add_all([a, b])
        db.session.flush()

        def enrol(course, who, status, completed_on=None):
            db.session.add(
                Enrolment(
                    course_id=course.id,
                    seeker_id=people[who].id,
                    status=status,
                    completed_on=completed_on,
                    certificate_no=f"JN-{who}" if status == "completed" else None,
                )
            )

        for who in ("s1", "s2", "s3", "s6"):
            enrol(a, who, "completed", date(2025, 9, 30))
        enrol(a, "s4", "not_completed")
        enrol(a, "s5", "withdrawn")
        for who in ("s7", "s8"):
            enrol(b, who, "completed", date(2026, 5, 15))
        enrol(b, "s9", "enrolled")
        for who, started in (
            ("s1", date(2025, 11, 15)),
            ("s6", date(2025, 9, 20)),
            ("s2", date(2026, 5, 1)),
            ("s8", date(2026, 6, 1)),
            ("s4", date(2025, 10, 1)),  # 未结业: never counted as a training outcome
        ):
            db.session.add(
                EmploymentRegistration(
                    seeker_id=people[who].id,
                    employer_name="某公司",
                    started_on=started,
                    contract_type="fixed_term",
                    source="placement",
                )
            )
        db.session.commit()
        return {"a": a.id, "b": b.id}


def test_outcomes_per_course_and_month_match_the_hand_count(app, history):
    from jobfair.training import outcomes

    with app.app_context():
        data = outcomes.report(today=TODAY)
    by_course = {r["course_id"]: r["counts"] for r in data["courses"]}
    assert by_course[history["a"]] == {
        "enrolled": 5,
        "completed": 4,
        "not_completed": 1,
        "employed": 2,
        "not_employed": 2,
        "pending": 0,
        "rate": 50.0,
    }
    assert by_course[history["b"]] == {
        "enrolled": 3,
        "completed": 2,
        "not_completed": 0,
        "employed": 1,
        "not_employed": 0,
        "pending": 1,
        "rate": 100.0,
    }
    assert data["total"] == {
        "enrolled": 8,
        "completed": 6,
        "not_completed": 1,
        "employed": 3,
        "not_employed": 2,
        "pending": 1,
        "rate": 60.0,
    }
    months = {m["label"]: m["counts"] for m in data["months"]}
    assert (months["2025-09"]["completed"], months["2025-09"]["employed"]) == (4, 2)
    assert (months["2026-05"]["pending"], months["2026-05"]["rate"]) == (1, 100.0)
    # six months later s7's window has closed without a job: B drops to 50%
    with app.app_context():
        later = outcomes.report(today=date(2026, 12, 1))
    b = next(r for r in later["courses"] if r["course_id"] == history["b"])["counts"]
    assert (b["employed"], b["not_employed"], b["pending"], b["rate"]) == (1, 1, 0, 50.0)
    # completions from 2026 only
    with app.app_context():
        recent = outcomes.report(start=date(2026, 1, 1), today=TODAY)
    assert [r["course_id"] for r in recent["courses"]] == [history["b"]]
    assert recent["total"]["completed"] == 2


def test_outcome_page_and_files_for_organisers(app, history, make_user):
    with time_machine.travel(datetime(2026, 6, 30, 4, 0), tick=False):
        org = sign_in(app.test_client(), make_user(role="organiser"))
        seeker = sign_in(app.test_client(), make_user())
        page = org.get("/training/outcomes").get_data(as_text=True)
        assert "结业后6个月内就业" in page and "家政服务员（母婴护理）" in page
        assert "60.0%" in page
        raw = org.get("/api/v1/training/outcomes?format=csv").get_data()
        xlsx = org.get("/training/outcomes.xlsx")
        api = org.get("/api/v1/training/outcomes").get_json()
        assert seeker.get("/api/v1/training/outcomes").status_code == 403
        bad = org.get("/api/v1/training/outcomes?start=2026-13-01")
        bad_page = org.get("/training/outcomes?start=2026-13-01&end=2026-06-30")
    assert api["total"]["employed"] == 3
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    total = next(r for r in rows if r and r[0] == "合计")
    assert total[2:] == ["8", "6", "1", "3", "2", "1", "60.0"]
    assert "不含任何个人信息" in rows[1][0]
    book = load_workbook(io.BytesIO(xlsx.data))
    sheet = book.worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["合计", None, 8, 6, 1, 3, 2, 1, 60.0] in values
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.get_json()["error"]["message"]
    # On the page a malformed date is read as open, said so, and the good one kept.
    text = bad_page.get_data(as_text=True)
    assert bad_page.status_code == 200 and "已按不限处理" in text
    assert 'name="start" type="date" value=""' in text
    assert 'name="end" type="date" value="2026-06-30"' in text
