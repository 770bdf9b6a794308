"""The policy catalogue: the demo city's file, the public list and API, replacing the file
with history kept, and the pure amount rules."""

import copy
import io
import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from conftest import sign_in

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.policies import catalogue, rules
from jobfair.policies.rules import Fact, compute_amount

CONTRACT_NAMES = [
    "一次性吸纳就业补贴",
    "社会保险补贴",
    "灵活就业社会保险补贴",
    "稳岗返还",
    "以工代训补贴",
    "职业技能培训补贴",
    "就业见习补贴",
    "公益性岗位补贴",
    "一次性创业补贴",
    "创业担保贷款贴息",
    "失业保险金",
    "失业补助金",
]


def seed_data() -> dict:
    return catalogue.read_seed("320100")


def test_demo_city_file_holds_every_policy_the_contract_names():
    cat = catalogue.parse(seed_data())
    names = [p.name for p in cat.policies]
    for name in CONTRACT_NAMES:
        assert name in names
    codes = [p.code for p in cat.policies]
    assert len(set(codes)) == len(codes)
    by_name = {p.name: p for p in cat.policies}
    assert by_name["一次性吸纳就业补贴"].for_ == "employer"
    assert by_name["灵活就业社会保险补贴"].for_ == "seeker"
    assert by_name["职业技能培训补贴"].for_ == "seeker"
    for p in cat.policies:
        assert p.conditions and p.how_to_apply and p.basis and p.amount["text"]
        assert "演示" in p.amount["text"] or "演示" in p.basis  # demo amounts are marked


def test_a_broken_file_is_refused_with_every_problem_named():
    data = seed_data()
    data["policies"][0]["for"] = "everyone"
    data["policies"][1]["conditions"][0]["fact"] = "shoe_size"
    data["policies"][2]["amount"]["kind"] = "lottery"
    data["policies"][3]["code"] = data["policies"][4]["code"]
    with pytest.raises(catalogue.CatalogueError) as err:
        catalogue.parse(data)
    text = "；".join(err.value.problems)
    assert "for 应为 seeker 或 employer" in text
    assert "shoe_size" in text
    assert "lottery" in text
    assert "重复" in text


def test_amount_rules_compute_exact_sums():
    f = {"hire_months": Fact(14), "training_cost": Fact(3000), "ui_paid_last_year": Fact(12345.67)}
    assert compute_amount({"kind": "fixed", "amount": 5000}, {}).value == Decimal("5000.00")
    assert compute_amount({"kind": "per_person", "rate": 1000}, {}).value == Decimal("1000.00")
    per_month = {"kind": "per_month", "rate": 800, "months_fact": "hire_months", "max_months": 12}
    assert compute_amount(per_month, f).value == Decimal("9600.00")  # capped at 12 months
    assert compute_amount(per_month, {}).value is None
    assert compute_amount(per_month, {}).missing == ("hire_months",)
    pct = {"kind": "percent_of", "percent": 80, "base_fact": "training_cost", "cap": 2000}
    assert compute_amount(pct, f).value == Decimal("2000.00")  # 2400 capped
    assert compute_amount(pct, {"training_cost": Fact(1500)}).value == Decimal("1200.00")
    retention = {
        "kind": "percent_of",
        "percent": 30,
        "base_fact": "ui_paid_last_year",
        "percent_when": [{"fact": "small_firm", "equals": True, "percent": 60}],
    }
    assert compute_amount(retention, f).value == Decimal("3703.70")
    small = {**f, "small_firm": Fact(True)}
    assert compute_amount(retention, small).value == Decimal("7407.40")
    loan = {
        "kind": "loan_interest",
        "max_principal": 300000,
        "rate_cap": 3.45,
        "share_percent": 100,
        "max_term_months": 36,
    }
    facts = {"loan_amount": Fact(200000), "loan_rate": Fact(3.95), "loan_term_months": Fact(24)}
    # 200,000 × 3.45% (the cap, not 3.95%) × 100% × 24 / 12 = 13,800
    assert compute_amount(loan, facts).value == Decimal("13800.00")
    facts["loan_amount"] = Fact(500000)  # principal capped at 300,000
    assert compute_amount(loan, facts).value == Decimal("20700.00")
    tiered = {
        "kind": "tiered_months",
        "rate": 1800,
        "tiers_fact": "insured_years",
        "tiers": [[1, 12], [5, 18], [10, 24]],
    }
    assert compute_amount(tiered, {"insured_years": Fact(7)}).value == Decimal("32400.00")
    assert compute_amount(tiered, {"insured_years": Fact(0.5)}).value == Decimal("0.00")


def test_periods():
    assert rules.period_key("year", date(2026, 5, 3)) == "2026"
    assert rules.period_key("quarter", date(2026, 5, 3)) == "2026Q2"
    assert rules.period_key("month", date(2026, 1, 3)) == "2026-01"
    assert rules.previous_period("month", date(2026, 1, 3)) == "2025-12"
    assert rules.previous_period("quarter", date(2026, 2, 3)) == "2025Q4"
    assert rules.period_key("once", date(2026, 1, 3)) == "once"


def test_public_list_and_api(client):
    page = client.get("/policies")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for name in CONTRACT_NAMES:
        assert name in html
    resp = client.get("/api/v1/policies")
    assert resp.status_code == 200
    items = resp.get_json()["policies"]
    hire = next(p for p in items if p["name"] == "一次性吸纳就业补贴")
    assert hire["for"] == "employer"
    assert hire["code"] == "hire_once"
    assert any("社会保险" in c for c in hire["conditions"])
    assert hire["amount"]["rule"] == {"kind": "per_person", "rate": 1000}
    assert client.get("/api/v1/policies/hire_once").get_json()["name"] == "一次性吸纳就业补贴"
    assert client.get("/api/v1/policies/nothing").status_code == 404
    detail = client.get("/policies/skills_training").get_data(as_text=True)
    assert "培训费发票" in detail
    employer_only = client.get("/policies?who=employer").get_data(as_text=True)
    assert "稳岗返还" in employer_only and "失业保险金" not in employer_only


def test_organiser_replaces_the_file_and_history_is_kept(app, make_user):
    organiser = make_user(role="organiser")
    client = sign_in(app.test_client(), organiser)
    data = seed_data()
    changed = copy.deepcopy(data)
    changed["policies"][0]["amount"] = {"kind": "per_person", "rate": 1500, "text": "每人1500元"}
    resp = client.post(
        "/organiser/policies",
        data={"file": (io.BytesIO(json.dumps(changed).encode()), "nj.json"), "note": "提标"},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "现行为第1版" in resp.get_data(as_text=True)
    assert client.get("/api/v1/policies/hire_once").get_json()["amount"]["rule"]["rate"] == 1500
    # A broken file changes nothing and says what is wrong.
    broken = copy.deepcopy(changed)
    broken["policies"][0]["for"] = "nobody"
    resp = client.post(
        "/organiser/policies",
        data={"file": (io.BytesIO(json.dumps(broken).encode()), "bad.json")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "政策文件有误，没有更换" in resp.get_data(as_text=True)
    resp = client.post(
        "/organiser/policies",
        data={"file": (io.BytesIO(b"{not json"), "bad.json")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "不是有效的 JSON" in resp.get_data(as_text=True)
    # Through the API: version 2, then back to the content of version 1 as version 3.
    resp = client.post(
        "/api/v1/policies/catalogue/versions", json={"content": data, "note": "回调"}
    )
    assert resp.status_code == 201 and resp.get_json()["version"] == 2
    assert client.get("/api/v1/policies/hire_once").get_json()["amount"]["rule"]["rate"] == 1000
    versions = client.get("/api/v1/policies/catalogue/versions").get_json()["items"]
    assert [v["version"] for v in versions] == [2, 1]
    first = versions[1]["id"]
    resp = client.post(f"/api/v1/policies/catalogue/versions/{first}/revert", json={})
    assert resp.status_code == 201 and resp.get_json()["reverted_from"] == 1
    assert client.get("/api/v1/policies/hire_once").get_json()["amount"]["rule"]["rate"] == 1500
    bad = client.post("/api/v1/policies/catalogue/versions", json={"content": broken})
    assert bad.status_code == 422
    assert "for 应为 seeker 或 employer" in bad.get_json()["error"]["message"]
    wrong_city = copy.deepcopy(data)
    wrong_city["city_code"] = "310000"
    assert (
        client.post("/api/v1/policies/catalogue/versions", json={"content": wrong_city}).status_code
        == 422
    )
    page = client.get("/organiser/policies").get_data(as_text=True)
    assert "第3版" in page and "恢复自第1版" in page
    with app.app_context():
        from jobfair.models import AuditLog

        actions = [a.action for a in db.session.scalars(db.select(AuditLog))]
    assert actions.count("policy.catalogue_replace") == 2
    assert actions.count("policy.catalogue_revert") == 1


def test_seed_hook_stores_the_file_once(app):
    from jobfair.policies import demo

    with app.app_context(), writing():
        first = demo.seed_demo(datetime(2026, 5, 1))
        again = demo.seed_demo(datetime(2026, 5, 1))
    assert first.created == {"政策文件": 1}
    assert again.kept == {"政策文件": 1} and not again.created
