"""The subsidy report's sums against figures worked out by hand, its CSV and Excel files,
and the chart with its table on the organiser dashboard."""

import csv
import io
from datetime import datetime

import pytest
from conftest import sign_in
from openpyxl import load_workbook

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import SubsidyApplication


@pytest.fixture
def year_2025(app, make_user, make_employer):
    """Eight applications; five count for 2025 (see each comment)."""
    p1, p2, p3, p4 = (make_user(name=n) for n in ("甲", "乙", "丙", "丁"))
    e1 = make_employer(district="江宁区")
    e2 = make_employer(district="六合区")

    def add(code, person, employer, district, status, approved, paid, decided):
        return SubsidyApplication(
            policy_code=code,
            policy_name={
                "hire_once": "一次性吸纳就业补贴",
                "social_insurance": "社会保险补贴",
                "flexible_insurance": "灵活就业社会保险补贴",
                "skills_training": "职业技能培训补贴",
            }[code],
            period_key="2025",
            applicant_role="employer" if employer else "seeker",
            employer_id=employer.id if employer else None,
            subject_kind="person",
            subject_id=person.id,
            person_id=person.id,
            subject_label=person.name,
            district=district,
            status=status,
            claim_open=None if status == "rejected" else True,
            amount_fen=approved,
            approved_fen=approved if status in ("approved", "paid") else None,
            paid_fen=paid,
            decided_at=decided,
        )

    rows = [
        # March (Beijing): paid in full
        add("hire_once", p1, e1, "江宁区", "paid", 100000, 100000, datetime(2025, 3, 10, 4)),
        # March: approved, nothing paid yet
        add("hire_once", p2, e1, "江宁区", "approved", 100000, 0, datetime(2025, 3, 20, 4)),
        # April: the same person again, another policy and employer, half paid
        add(
            "social_insurance",
            p1,
            e2,
            "六合区",
            "approved",
            480000,
            240000,
            datetime(2025, 4, 2, 4),
        ),
        # 17:00 UTC on 30 April is 01:00 on 1 May in Beijing: May
        add(
            "flexible_insurance",
            p3,
            None,
            "鼓楼区",
            "paid",
            300000,
            300000,
            datetime(2025, 4, 30, 17),
        ),
        # 20:00 UTC on 31 Dec 2024 is 1 January 2025 in Beijing: counts, January
        add(
            "skills_training", p3, None, "鼓楼区", "approved", 144000, 0, datetime(2024, 12, 31, 20)
        ),
        # not counted: rejected; still waiting; decided in 2026 Beijing time
        add("social_insurance", p4, e2, "六合区", "rejected", 100000, 0, datetime(2025, 3, 5, 4)),
        add("hire_once", p4, e1, "江宁区", "submitted", 100000, 0, None),
        add("social_insurance", p2, e1, "江宁区", "approved", 80000, 0, datetime(2025, 12, 31, 17)),
    ]
    with app.app_context(), writing():
        db.session.add_all(rows)
        db.session.commit()


def test_sums_match_the_hand_computed_figures(app, year_2025):
    from jobfair.policies import reports

    with app.app_context():
        data = reports.report(2025)
    # Five applications; people 甲 乙 丙 (甲 and 丙 twice); employers 1 and 2.
    assert data["total"] == {
        "applications": 5,
        "people": 3,
        "employers": 2,
        "approved": "11240.00",  # 1000 + 1000 + 4800 + 3000 + 1440
        "paid": "6400.00",  # 1000 + 0 + 2400 + 3000 + 0
    }
    by_policy = {p["code"]: p for p in data["by_policy"]}
    assert by_policy["hire_once"] == {
        "code": "hire_once",
        "name": "一次性吸纳就业补贴",
        "applications": 2,
        "people": 2,
        "employers": 1,
        "approved": "2000.00",
        "paid": "1000.00",
    }
    assert by_policy["social_insurance"]["approved"] == "4800.00"
    assert by_policy["flexible_insurance"]["employers"] == 0
    assert by_policy["skills_training"]["paid"] == "0.00"
    by_district = {d["district"]: d for d in data["by_district"]}
    assert by_district["鼓楼区"] == {
        "district": "鼓楼区",
        "applications": 2,
        "people": 1,
        "employers": 0,
        "approved": "4440.00",
        "paid": "3000.00",
    }
    assert by_district["江宁区"]["approved"] == "2000.00"
    assert by_district["六合区"]["people"] == 1
    months = {m["month"]: m for m in data["by_month"]}
    assert len(months) == 12
    assert months["2025-01"]["approved"] == "1440.00"
    assert months["2025-03"] == {
        "month": "2025-03",
        "applications": 2,
        "people": 2,
        "employers": 1,
        "approved": "2000.00",
        "paid": "1000.00",
    }
    assert months["2025-04"]["approved"] == "4800.00"
    assert months["2025-05"]["approved"] == "3000.00"
    assert months["2025-12"]["applications"] == 0
    assert sum(float(m["approved"]) for m in data["by_month"]) == 11240.0
    with app.app_context():
        only = reports.report(2025, policy="hire_once", district="江宁区")
    assert only["total"]["approved"] == "2000.00" and only["total"]["applications"] == 2
    with app.app_context():
        assert reports.report(2026)["total"]["approved"] == "800.00"


def test_downloads_and_pages(app, year_2025, make_user):
    organiser = sign_in(app.test_client(), make_user(role="organiser"))
    resp = organiser.get("/organiser/subsidies/report.csv?year=2025")
    assert resp.status_code == 200
    text = resp.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows.index(["申请数", "人数", "单位数", "核定金额（元）", "已拨付（元）"])
    assert rows[header + 1] == ["5", "3", "2", "11240.00", "6400.00"]
    assert ["一次性吸纳就业补贴", "2", "2", "1", "2000.00", "1000.00"] in rows
    resp = organiser.get("/organiser/subsidies/report.xlsx?year=2025&district=鼓楼区")
    book = load_workbook(io.BytesIO(resp.get_data()))
    sheet = book.worksheets[0]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[2][:5] == [2, 1, 0, 4440, 3000]
    api = organiser.get("/api/v1/subsidies/report?year=2025").get_json()
    assert api["total"]["approved"] == "11240.00"
    page = organiser.get("/organiser/subsidies/report?year=2025").get_data(as_text=True)
    assert 'data-chart="subsidies"' in page and "11240.00" in page
    dashboard = organiser.get("/organiser/dashboard").get_data(as_text=True)
    assert 'data-chart="subsidies"' in dashboard and "年政策补贴" in dashboard
