"""The eligibility check: every demo policy judged met / not met / unknown from facts, and the
check through the API for a seeker, an employer and a case worker, from real records."""

from datetime import date, timedelta

import pytest
from conftest import sign_in

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.policies import catalogue, eligibility
from jobfair.policies.rules import Fact

CAT = catalogue.parse(catalogue.read_seed("320100"))

# For each demo policy: facts meeting every condition, the fact to break (and its breaking
# value), and the fact to leave out.
CASES = {
    "hire_once": (
        {
            "employer_verified": True,
            "hire_groups": ("graduate",),
            "hire_contract_ok": True,
            "hire_insured": True,
        },
        ("hire_groups", ()),
        "hire_contract_ok",
    ),
    "social_insurance": (
        {
            "employer_verified": True,
            "hire_groups": ("urban_hardship",),
            "hire_contract_ok": True,
            "hire_insured": True,
            "hire_months": 8,
        },
        ("hire_groups", ("graduate",)),
        "hire_insured",
    ),
    "flexible_insurance": (
        {"groups": ("urban_hardship",), "flexible_employed": True, "flexible_insurance_months": 6},
        ("flexible_employed", False),
        "flexible_insurance_months",
    ),
    "job_retention": (
        {
            "employer_verified": True,
            "layoff_rate": 2,
            "ui_paid_12_months": True,
            "ui_paid_last_year": 100000,
            "small_firm": True,
        },
        ("layoff_rate", 8),
        "ui_paid_12_months",
    ),
    "work_for_training": (
        {
            "employer_verified": True,
            "hire_insured": True,
            "on_job_training": True,
            "hire_months": 4,
        },
        ("employer_verified", False),
        "on_job_training",
    ),
    "skills_training": (
        {"groups": ("veteran",), "training_certificate": True, "training_cost": 1800},
        ("training_certificate", False),
        "training_certificate",
    ),
    "internship": (
        {
            "employer_verified": True,
            "hire_channel": "trainee",
            "hire_groups": ("graduate",),
            "hire_months": 6,
        },
        ("hire_channel", "enterprise"),
        "hire_channel",
    ),
    "public_welfare": (
        {
            "public_welfare_designated": True,
            "hire_channel": "public_welfare",
            "hire_groups": ("zero_employment_household",),
            "hire_insured": True,
            "hire_months": 5,
        },
        ("public_welfare_designated", False),
        "hire_insured",
    ),
    "startup_once": (
        {"groups": ("retired_fisher",), "business_registered": True, "business_months": 7},
        ("business_months", 3),
        "business_registered",
    ),
    "loan_interest": (
        {
            "unemployment_registered": True,
            "groups": (),
            "loan_granted": True,
            "loan_repaid_on_time": True,
            "loan_amount": 100000,
            "loan_rate": 3.0,
            "loan_term_months": 12,
        },
        ("loan_repaid_on_time", False),
        "loan_granted",
    ),
    "unemployment_benefit": (
        {"unemployment_registered": True, "insured_years": 6, "involuntary_unemployment": True},
        ("insured_years", 0.5),
        "involuntary_unemployment",
    ),
    "unemployment_assistance": (
        {"unemployment_registered": True, "benefit_expired_or_short": True},
        ("unemployment_registered", False),
        "benefit_expired_or_short",
    ),
}
AMOUNTS = {
    "hire_once": "1000.00",
    "social_insurance": "6400.00",
    "flexible_insurance": "3000.00",
    "job_retention": "60000.00",
    "work_for_training": "2000.00",
    "skills_training": "1440.00",
    "internship": "9000.00",
    "public_welfare": "10000.00",
    "startup_once": "5000.00",
    "loan_interest": "3000.00",
    "unemployment_benefit": "32400.00",
    "unemployment_assistance": "3600.00",
}


def facts(raw: dict) -> dict:
    return {k: Fact(v, "测试记录") for k, v in raw.items()}


def test_every_demo_policy_has_a_case():
    assert set(CASES) == {p.code for p in CAT.policies}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_demo_policy_met_unmet_unknown(code):
    policy = CAT.get(code)
    good, (broken_key, broken_value), missing_key = CASES[code]
    met = eligibility.evaluate(policy, facts(good))
    assert met["eligible"] is True, met["conditions"]
    assert all(c["state"] == "met" for c in met["conditions"])
    assert met["amount"]["value"] == AMOUNTS[code]

    unmet = eligibility.evaluate(policy, facts({**good, broken_key: broken_value}))
    assert unmet["eligible"] is False
    states = [c["state"] for c in unmet["conditions"]]
    assert states.count("unmet") == 1 and "unknown" not in states

    without = {k: v for k, v in good.items() if k != missing_key}
    unknown = eligibility.evaluate(policy, facts(without))
    assert unknown["eligible"] is None
    unknowns = [c for c in unknown["conditions"] if c["state"] == "unknown"]
    assert len(unknowns) == 1
    assert "可以这样确认" in unknowns[0]["why"]  # says what would settle it


def test_any_of_condition_met_by_either_part():
    policy = CAT.get("skills_training")
    by_registration = {"groups": (), "unemployment_registered": True, "training_certificate": True}
    result = eligibility.evaluate(policy, facts(by_registration))
    assert result["conditions"][0]["state"] == "met"
    assert "失业登记" in result["conditions"][0]["why"]
    neither = {"groups": (), "unemployment_registered": False, "training_certificate": True}
    assert eligibility.evaluate(policy, facts(neither))["eligible"] is False


# --- through the API, from records ----------------------------------------------------------


def _open_unemployment(app, seeker_id, days_ago=200, ended=None):
    from jobfair.models import UnemploymentRegistration

    with app.app_context(), writing():
        db.session.add(
            UnemploymentRegistration(
                seeker_id=seeker_id,
                registered_on=date.today() - timedelta(days=days_ago),
                place="江宁区公共就业服务中心",
                ended_on=ended,
                end_reason="实现就业" if ended else "",
            )
        )
        db.session.commit()


def _by_code(resp) -> dict:
    assert resp.status_code == 200, resp.get_json()
    return {p["code"]: p for p in resp.get_json()["policies"]}


def _state(policy: dict, text_part: str) -> dict:
    return next(c for c in policy["conditions"] if text_part in c["text"])


def test_seeker_check_from_records(app, make_priority_seeker):
    seeker = make_priority_seeker(groups=("urban_hardship",))
    _open_unemployment(app, seeker.id)
    client = sign_in(app.test_client(), seeker)
    got = _by_code(client.post("/api/v1/policies/check", json={}))
    assert set(got) == {p.code for p in CAT.for_role("seeker")}
    flexible = got["flexible_insurance"]
    assert _state(flexible, "就业困难人员")["state"] == "met"
    assert "认定于2020-01-01" in _state(flexible, "就业困难人员")["why"]
    assert _state(flexible, "灵活就业方式")["state"] == "unknown"  # no 就业登记 on record
    assert flexible["eligible"] is None  # never more than the facts show
    benefit = got["unemployment_benefit"]
    assert _state(benefit, "失业登记")["state"] == "met"
    assert _state(benefit, "缴费满1年")["state"] == "unknown"
    assert "社保缴费记录" in _state(benefit, "缴费满1年")["why"]
    assert not any(p["eligible"] is True for p in got.values())
    page = client.get("/policies/check").get_data(as_text=True)
    assert "灵活就业社会保险补贴" in page and "待确认" in page


def test_seeker_status_not_verified_or_not_consented_is_unknown(app, make_priority_seeker):
    declared = make_priority_seeker(groups=("veteran",), verified=False)
    client = sign_in(app.test_client(), declared)
    got = _by_code(client.post("/api/v1/policies/check", json={"codes": ["startup_once"]}))
    cond = got["startup_once"]["conditions"][0]
    assert cond["state"] == "unknown"
    assert "退役军人" in cond["why"] and "尚未认定" in cond["why"]
    no_consent = make_priority_seeker(groups=("veteran",), consent=False)
    client = sign_in(app.test_client(), no_consent)
    got = _by_code(client.post("/api/v1/policies/check", json={"codes": ["startup_once"]}))
    assert "未同意" in got["startup_once"]["conditions"][0]["why"]
    assert got["startup_once"]["conditions"][0]["state"] == "unknown"


def test_ended_registration_is_unmet(app, make_priority_seeker):
    seeker = make_priority_seeker(groups=())
    _open_unemployment(app, seeker.id, days_ago=300, ended=date.today() - timedelta(days=30))
    client = sign_in(app.test_client(), seeker)
    got = _by_code(
        client.post("/api/v1/policies/check", json={"codes": ["unemployment_assistance"]})
    )
    cond = got["unemployment_assistance"]["conditions"][0]
    assert cond["state"] == "unmet" and "已于" in cond["why"]
    assert got["unemployment_assistance"]["eligible"] is False


def test_employer_check_per_hire_without_naming_the_status(
    app, make_priority_seeker, make_employer, make_position, make_hire
):
    employer = make_employer(size="20-99人")
    position = make_position(employer=employer)
    hardship = make_priority_seeker(name="王秀英", groups=("urban_hardship",))
    make_hire(hardship, position, status="onboarded")
    client = sign_in(app.test_client(), employer.user)
    got = _by_code(client.post("/api/v1/policies/check", json={}))
    hire = got["hire_once"]
    assert hire["subject"].startswith("王*")  # the person, masked
    group = _state(hire, "招用的是")
    assert group["state"] == "met"
    assert "就业困难人员" not in group["why"]  # the employer never learns which status
    assert _state(hire, "缴纳社会保险")["state"] == "met"  # 全日制 hire: insured on record
    assert _state(hire, "1年以上劳动合同")["state"] == "unknown"  # term not recorded
    assert hire["eligible"] is None
    internship = got["internship"]
    assert _state(internship, "见习岗位")["state"] == "unmet"  # hired through 企业招用
    retention = got["job_retention"]
    assert _state(retention, "裁员率")["state"] == "unknown"
    welfare = got["public_welfare"]
    assert _state(welfare, "指定开发公益性岗位")["state"] == "unmet"


def test_employer_without_hires_is_told_what_would_settle_it(app, make_employer):
    employer = make_employer()
    client = sign_in(app.test_client(), employer.user)
    got = _by_code(client.post("/api/v1/policies/check", json={"codes": ["hire_once"]}))
    assert got["hire_once"]["subjects"] == []
    assert "还没有通过本平台入职的人员" in _state(got["hire_once"], "招用的是")["why"]


def test_case_worker_checks_a_seeker_of_their_district(app, make_priority_seeker, make_worker):
    from jobfair.models import AuditLog

    seeker = make_priority_seeker(groups=("retired_fisher",), district="江宁区")
    mine = sign_in(app.test_client(), make_worker(districts=("江宁区",)))
    got = mine.post("/api/v1/policies/check", json={"seeker_id": seeker.id})
    assert got.status_code == 200
    assert got.get_json()["subject"].startswith("张*")
    page = mine.get(f"/policies/check?seeker_id={seeker.id}").get_data(as_text=True)
    assert "一次性创业补贴" in page and "张*" in page
    other = sign_in(app.test_client(), make_worker(districts=("六合区",), name="另一区"))
    assert other.post("/api/v1/policies/check", json={"seeker_id": seeker.id}).status_code == 403
    with app.app_context():
        logged = db.session.scalars(
            db.select(AuditLog).filter_by(action="policy.check_for_seeker")
        ).all()
    assert [a.object_id for a in logged] == [seeker.id, seeker.id]


def test_prospects_course_and_hire(app, make_priority_seeker, make_employer, make_position):
    seeker = make_priority_seeker(groups=("urban_hardship",))
    client = sign_in(app.test_client(), seeker)
    data = client.get("/api/v1/policies/prospects").get_json()
    assert "skills_training" in [p["code"] for p in data["course"]]
    hire_codes = [p["code"] for p in data["hire"]]
    assert "social_insurance" in hire_codes and "hire_once" in hire_codes
    employer = make_employer()
    trainee = make_position(employer=employer, channel="trainee", trainee_months=6)
    emp = sign_in(app.test_client(), employer.user)
    got = emp.get(f"/api/v1/policies/hire-prospects?position_id={trainee.id}").get_json()
    codes = [p["code"] for p in got]
    assert "internship" in codes and "public_welfare" not in codes
    assert emp.get("/api/v1/policies/hire-prospects").status_code == 422


def test_hire_screen_and_home_show_what_a_hire_or_a_course_brings(
    app, make_priority_seeker, make_employer, make_position, make_hire
):
    seeker = make_priority_seeker(name="赵小燕", groups=("graduate",))
    employer = make_employer()
    trainee = make_position(employer=employer, channel="trainee", trainee_months=6)
    app_id = make_hire(seeker, trainee, status="interview")
    emp = sign_in(app.test_client(), employer.user)
    page = emp.get(f"/employer/applications/{app_id}").get_data(as_text=True)
    hints = page[page.index("data-hire-subsidies") :]
    assert "录用后可申请的补贴" in hints and "就业见习补贴" in hints
    assert "高校毕业生" not in hints  # the applicant's status is not revealed
    home = sign_in(app.test_client(), seeker).get("/me").get_data(as_text=True)
    prospects = home[home.index("data-prospects") :]
    assert "职业技能培训补贴" in prospects and "一次性吸纳就业补贴" in prospects
