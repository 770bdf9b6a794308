"""创业扶持: a start-up case with 返乡入乡创业, 创业担保贷款 whose interest subsidy comes from the
policy catalogue's rule, its review, a mentor, follow-ups, registration (一次性创业补贴) and the
report's sums."""

import csv
import io
from datetime import date, timedelta

import pytest
from conftest import credit_code, run_together, tabs

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import AuditLog, Mentor, Notification, StartupCase, StartupLoan

PLAN = {
    "business_name": "长根水产鲜货店",
    "business_kind": "individual",
    "sector": "水产品零售",
    "district": "六合区",
    "plan": "在菜市场租摊位卖本地鱼虾蟹",
    "returning_home": True,
}
LOAN = {
    "amount": 200000,
    "term_months": 36,
    "guarantee": "fund",
    "bank": "六合农商银行",
    "annual_rate": "3.45",
}


@pytest.fixture
def person(make_priority_seeker):
    return make_priority_seeker(name="唐长根", groups=("retired_fisher",), district="六合区")


@pytest.fixture
def worker(make_worker):
    return make_worker(districts=("六合区",))


@pytest.fixture
def startup(person, signed_in):
    client = signed_in(person)
    resp = client.post("/api/v1/startups", json=PLAN)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def test_seeker_opens_a_start_up_case_with_the_returning_home_flag(app, person, signed_in):
    client = signed_in(person)
    form = {k: ("1" if v is True else str(v)) for k, v in PLAN.items()}
    resp = client.post("/startups/mine", data=form)
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "长根水产鲜货店" in page and "返乡入乡创业" in page and "筹备中" in page
    assert "一次性创业补贴" in page  # the policy's words, from the catalogue
    again = client.post("/api/v1/startups", json=PLAN)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "startup_exists"
    bad = client.post("/api/v1/startups", json={**PLAN, "district": "火星区"})
    assert bad.status_code == 422


def test_loan_interest_subsidy_is_computed_by_the_policy_rule(app, person, startup, signed_in):
    client = signed_in(person)
    resp = client.post(f"/api/v1/startups/{startup}/loans", json=LOAN)
    assert resp.status_code == 201
    loan = resp.get_json()
    # 200,000 × 3.45% × 100% × 36 / 12 = 20,700 (demo catalogue: cap 300,000, rate ≤ 3.45%)
    assert loan["interest_subsidy"] == 20700
    assert "贴息 100%" in loan["subsidy_basis"] and loan["policy_code"] == "loan_interest"
    # one live application per start-up
    second = client.post(f"/api/v1/startups/{startup}/loans", json=LOAN)
    assert second.status_code == 409 and "在办" in second.get_json()["error"]["message"]
    bad = client.post(
        f"/api/v1/startups/{startup}/loans",
        json={**LOAN, "annual_rate": "三点四五", "guarantee": "guarantor"},
    )
    assert bad.status_code == 422
    fields = bad.get_json()["error"]["fields"]
    assert "年利率" in fields["annual_rate"] and fields["guarantor"] == "选择反担保时请填写保证人。"


def test_above_the_cap_only_the_capped_principal_and_rate_are_subsidised(
    app, person, startup, signed_in
):
    client = signed_in(person)
    loan = client.post(
        f"/api/v1/startups/{startup}/loans",
        json={**LOAN, "amount": 400000, "annual_rate": "4.35"},
    ).get_json()
    # min(400,000, 300,000) × min(4.35%, 3.45%) × 36 / 12 = 31,050
    assert loan["interest_subsidy"] == 31050


def test_twenty_simultaneous_loan_applications_make_one(app, person, startup):
    results = run_together(
        tabs(app, person, 20),
        lambda c: c.post(f"/api/v1/startups/{startup}/loans", json=LOAN).status_code,
        first=f"/api/v1/startups/{startup}",
    )
    assert sorted(results, key=str) == sorted([201] + [409] * 19, key=str), results
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(StartupLoan.id))) == 1


def test_case_worker_reviews_the_loan_and_each_step_is_told_and_logged(
    app, person, worker, make_worker, startup, signed_in
):
    loan_id = (
        signed_in(person).post(f"/api/v1/startups/{startup}/loans", json=LOAN).get_json()["id"]
    )
    staff = signed_in(worker)
    stranger = signed_in(make_worker(districts=("江宁区",)))
    url = f"/api/v1/startups/loans/{loan_id}/decision"
    assert stranger.post(url, json={"decision": "approve"}).status_code == 403
    no_reason = staff.post(url, json={"decision": "reject"})
    assert (
        no_reason.status_code == 422
        and no_reason.get_json()["error"]["message"] == "不通过时请填写理由。"
    )
    assert staff.post(url, json={"decision": "disburse"}).status_code == 409  # not approved yet
    assert staff.post(url, json={"decision": "approve"}).get_json()["status"] == "approved"
    assert staff.post(url, json={"decision": "approve"}).status_code == 409
    day = (date.today() - timedelta(days=1)).isoformat()
    out = staff.post(url, json={"decision": "disburse", "disbursed_on": day}).get_json()
    assert (out["status"], out["disbursed_on"]) == ("disbursed", day)
    assert staff.post(url, json={"decision": "settle"}).get_json()["status"] == "settled"
    # a settled loan no longer blocks a new application
    assert signed_in(person).post(f"/api/v1/startups/{startup}/loans", json=LOAN).status_code == 201
    with app.app_context():
        actions = set(
            db.session.scalars(db.select(AuditLog.action).where(AuditLog.object_id == loan_id))
        )
        assert {"startup.loan_approve", "startup.loan_disburse", "startup.loan_settle"} <= actions
        titles = set(db.session.scalars(db.select(Notification.title).filter_by(user_id=person.id)))
        assert "创业担保贷款申请已放款" in titles


def test_mentor_is_assigned_within_their_districts_and_number_of_cases(
    app, person, worker, make_priority_seeker, startup, signed_in
):
    staff = signed_in(worker)
    mentor = staff.post(
        "/api/v1/startups/mentors",
        json={"name": "李秀兰", "expertise": "水产养殖", "districts": ["六合区"], "max_cases": 1},
    ).get_json()
    far = staff.post(
        "/api/v1/startups/mentors", json={"name": "赵志远", "districts": ["江宁区"]}
    ).get_json()
    refused = staff.post(f"/api/v1/startups/{startup}/mentor", json={"mentor_id": far["id"]})
    assert refused.status_code == 422 and "不服务六合区" in refused.get_json()["error"]["message"]
    done = staff.post(f"/api/v1/startups/{startup}/mentor", json={"mentor_id": mentor["id"]})
    assert done.status_code == 200 and done.get_json()["mentor"]["name"] == "李秀兰"
    # the mentor's one place is taken: a second case must pick someone else
    other = make_priority_seeker(name="陈俊", groups=("rural_migrant",), district="六合区")
    second = signed_in(other).post("/api/v1/startups", json={**PLAN, "business_name": "陈家农场"})
    full = staff.post(
        f"/api/v1/startups/{second.get_json()['id']}/mentor", json={"mentor_id": mentor["id"]}
    )
    assert full.status_code == 422 and full.get_json()["error"]["code"] == "mentor_full"
    # the person sees their mentor and is told
    mine = signed_in(person).get("/api/v1/startups/mine").get_json()
    assert mine["mentor"]["name"] == "李秀兰"
    with app.app_context():
        assert db.session.scalar(
            db.select(Notification.id).filter_by(
                user_id=person.id, title="已为你安排创业导师：李秀兰"
            )
        )


def test_registration_and_follow_ups(app, person, worker, startup, signed_in):
    from jobfair import events
    from jobfair.startups import facts

    staff = signed_in(worker)
    url = f"/api/v1/startups/{startup}/registration"
    bad = staff.post(url, json={"credit_code": "91320100123456789X", "registered_on": "2026-01-01"})
    assert bad.status_code == 422 and "统一社会信用代码" in bad.get_json()["error"]["message"]
    heard = []

    def listener(sender, **kw):
        heard.append(kw["seeker_id"])

    events.startup_registered.connect(listener)
    try:
        day = date.today() - timedelta(days=200)
        ok = staff.post(
            url,
            json={
                "credit_code": credit_code(777),
                "registered_on": day.isoformat(),
                "employees": 2,
            },
        )
    finally:
        events.startup_registered.disconnect(listener)
    assert ok.status_code == 200, ok.get_json()
    body = ok.get_json()
    assert body["status"] == "registered" and body["months_operating"] >= 6
    assert body["startup_grant"]["value"] == 5000.0
    assert heard == [person.id]
    with app.app_context():
        business = facts.registered_business(person.id)
        assert business.returning_home is True and business.months_operating(date.today()) >= 6
        note = db.session.scalar(
            db.select(Notification.body).filter_by(user_id=person.id, title="创业项目已登记注册")
        )
        assert "一次性创业补贴" in note and "5,000.00元" in note
    page = signed_in(person).get(f"/startups/{startup}").get_data(as_text=True)
    assert "可以申请一次性创业补贴" in page

    follow = staff.post(
        f"/api/v1/startups/{startup}/follow-ups",
        json={
            "followed_on": date.today().isoformat(),
            "channel": "visit",
            "operating": "operating",
            "employees": 3,
            "summary": "生意稳定，新招一名帮工",
        },
    )
    assert follow.status_code == 201 and follow.get_json()["employees"] == 3
    seen = signed_in(person).get(f"/api/v1/startups/{startup}").get_json()
    assert seen["follow_ups"][0]["operating_label"] == "正常经营"
    assert "summary" not in seen["follow_ups"][0]  # visit notes are for staff
    with app.app_context():
        raw = db.session.execute(db.text("SELECT summary FROM startup_follow_ups")).scalar()
        assert "帮工" not in raw


def test_start_up_report_sums(app, make_priority_seeker, signed_in, make_user):
    """Three cases in two districts; sums worked out by hand."""
    today = date.today()
    specs = [("六合区", True, True, 3), ("六合区", False, False, 0), ("高淳区", True, True, 2)]
    people = [make_priority_seeker(name=f"创业者{i}", district=s[0]) for i, s in enumerate(specs)]
    with app.app_context(), writing():
        m = Mentor(name="王立群", districts=[])
        db.session.add(m)
        db.session.flush()
        rows = []
        for i, (district, returning, registered, employees) in enumerate(specs):
            seeker = people[i]
            case = StartupCase(
                seeker_id=seeker.id,
                district=district,
                business_name=f"项目{i}",
                returning_home=returning,
                mentor_id=m.id if i != 1 else None,
                status="registered" if registered else "preparing",
                credit_code=credit_code(900 + i) if registered else None,
                registered_on=today - timedelta(days=10) if registered else None,
                employees=employees,
            )
            db.session.add(case)
            rows.append(case)
        db.session.flush()
        for case, amount, status, subsidy in (
            (rows[0], 150000, "disbursed", 10350),
            (rows[1], 50000, "submitted", 5175),
            (rows[2], 100000, "settled", 6900),
        ):
            db.session.add(
                StartupLoan(
                    startup_id=case.id,
                    amount=amount,
                    term_months=24,
                    guarantee="fund",
                    bank="测试银行",
                    annual_rate_bp=345,
                    interest_subsidy=subsidy,
                    status=status,
                    disbursed_on=today - timedelta(days=5) if status != "submitted" else None,
                )
            )
        db.session.commit()
    org = signed_in(make_user(role="organiser"))
    data = org.get("/api/v1/startups/report").get_json()
    by = {r["label"]: r["counts"] for r in data["districts"]}
    assert by["六合区"] == {
        "opened": 2,
        "returning": 1,
        "mentored": 1,
        "registered": 1,
        "jobs": 3,
        "loans_applied": 2,
        "loans_disbursed": 1,
        "loan_amount": 150000,
        "interest_subsidy": 10350,
    }
    assert data["total"]["loan_amount"] == 250000
    assert data["total"]["interest_subsidy"] == 17250
    assert data["total"]["jobs"] == 5 and data["total"]["returning"] == 2
    raw = org.get("/startups/report.csv").get_data().decode("utf-8-sig")
    rows_csv = list(csv.reader(io.StringIO(raw)))
    total = next(r for r in rows_csv if r and r[0] == "合计")
    assert total[1:] == ["3", "2", "2", "2", "5", "3", "2", "250000", "17250"]
    api_csv = org.get("/api/v1/startups/report?format=csv")
    assert "startups.csv" in api_csv.headers["Content-Disposition"]
    assert api_csv.get_data().decode("utf-8-sig") == raw
    bad = org.get("/api/v1/startups/report?start=2026-02-30")
    assert bad.status_code == 422 and bad.get_json()["error"]["fields"] == {
        "start": "日期格式不正确"
    }


def test_case_worker_works_the_case_through_the_pages(app, person, worker, startup, signed_in):
    staff = signed_in(worker)
    mentor = staff.post(
        "/startups/mentors", data={"name": "王立群", "expertise": "开业指导", "active": "1"}
    )
    assert mentor.status_code == 302
    with app.app_context():
        mentor_id = db.session.scalar(db.select(Mentor.id).filter_by(name="王立群"))
    page = staff.get(f"/startups/{startup}").get_data(as_text=True)
    assert "唐长根" in page and "安排创业导师" in page
    staff.post(f"/startups/{startup}/mentor", data={"mentor_id": mentor_id})
    form = {**{k: str(v) for k, v in LOAN.items()}, "annual_rate": "3.45%"}
    assert staff.post(f"/startups/{startup}/loans", data=form).status_code == 302
    bad = staff.post(
        f"/startups/{startup}/register",
        data={"credit_code": "123", "registered_on": date.today().isoformat()},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "统一社会信用代码应为 18 位" in bad
    page = staff.get(f"/startups/{startup}").get_data(as_text=True)
    assert "王立群" in page and "20,700 元" in page and "已提交，待审核" in page
    listing = staff.get("/startups?returning=1").get_data(as_text=True)
    assert "长根水产鲜货店" in listing
