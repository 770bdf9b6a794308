"""Subsidy applications: known facts filled in, missing ones asked; review (return, resubmit,
approve, reject) to payment; one live claim per person, policy and period, also under 20
simultaneous attempts; every decision audit-logged."""

from datetime import date

import pytest
from conftest import run_together, sign_in, tabs
from sqlalchemy.exc import IntegrityError

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import AuditLog, Notification, SubsidyApplication, SubsidyPayment

N = 20


@pytest.fixture
def hired(app, make_priority_seeker, make_employer, make_position, make_hire):
    """An employer with one onboarded, verified 就业困难人员 (full-time, so insured)."""
    from jobfair.models import EmploymentRegistration

    employer = make_employer(size="20-99人")
    position = make_position(employer=employer)
    person = make_priority_seeker(name="王秀英", groups=("urban_hardship",))
    make_hire(person, position, status="onboarded")
    with app.app_context():
        reg = db.session.scalar(db.select(EmploymentRegistration).filter_by(seeker_id=person.id))
        return employer, person, reg.id


def actions(app) -> list[str]:
    with app.app_context():
        return [a.action for a in db.session.scalars(db.select(AuditLog).order_by(AuditLog.id))]


def test_employer_application_through_review_to_payment(app, hired, make_user):
    employer, person, hire_id = hired
    emp = sign_in(app.test_client(), employer.user)
    form = emp.get(f"/api/v1/subsidies/form/hire_once?subject_id={hire_id}").get_json()
    assert form["subject"].startswith("王*")
    assert [a["key"] for a in form["ask"]] == ["hire_contract_ok"]  # the one fact not on record
    states = {c["text"][:6]: c["state"] for c in form["conditions"]}
    assert states["单位已在平台"] == "met"

    # Missing facts are asked for, by name.
    resp = emp.post("/api/v1/subsidies", json={"policy_code": "hire_once", "subject_id": hire_id})
    assert resp.status_code == 422
    assert resp.get_json()["error"]["code"] == "facts_missing"
    assert "hire_contract_ok" in resp.get_json()["error"]["fields"]
    # A fact the platform records cannot be stated (group status is never askable).
    resp = emp.post(
        "/api/v1/subsidies",
        json={
            "policy_code": "hire_once",
            "subject_id": hire_id,
            "facts": {"hire_groups": ["veteran"]},
        },
    )
    assert resp.status_code == 422
    # Stating "no" is a clear refusal.
    resp = emp.post(
        "/api/v1/subsidies",
        json={
            "policy_code": "hire_once",
            "subject_id": hire_id,
            "facts": {"hire_contract_ok": "否"},
        },
    )
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "not_eligible"

    resp = emp.post(
        "/api/v1/subsidies",
        json={
            "policy_code": "hire_once",
            "subject_id": hire_id,
            "facts": {"hire_contract_ok": True},
            "note": "合同期限三年",
        },
    )
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    app_id = body["id"]
    assert body["status"] == "submitted" and body["amount"] == "1000.00"
    assert body["period"] == "once" and body["district"] == "江宁区"
    shown = {f["key"]: f for f in body["facts"]}
    assert shown["hire_groups"]["value"] == "已核对（不向单位显示）"
    assert shown["hire_contract_ok"]["source"] == "申请人填报"

    organiser = sign_in(app.test_client(), make_user(role="organiser"))
    # Returning needs a reason.
    assert (
        organiser.post(
            f"/api/v1/subsidies/{app_id}/decision", json={"action": "return"}
        ).status_code
        == 422
    )
    resp = organiser.post(
        f"/api/v1/subsidies/{app_id}/decision",
        json={"action": "return", "reason": "请上传劳动合同首页和签字页"},
    )
    assert resp.get_json()["status"] == "returned"
    # A payment before approval is refused.
    assert (
        organiser.post(f"/api/v1/subsidies/{app_id}/payments", json={"reference": "X1"}).status_code
        == 409
    )
    resp = emp.post(
        f"/api/v1/subsidies/{app_id}/resubmit",
        json={"facts": {"hire_contract_ok": True}, "note": "已上传合同"},
    )
    assert resp.status_code == 200 and resp.get_json()["status"] == "submitted"
    resp = organiser.post(f"/api/v1/subsidies/{app_id}/decision", json={"action": "approve"})
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "approved"
    assert resp.get_json()["approved_amount"] == "1000.00"
    # Approving twice is a conflict, not a second decision.
    assert (
        organiser.post(
            f"/api/v1/subsidies/{app_id}/decision", json={"action": "approve"}
        ).status_code
        == 409
    )

    too_much = organiser.post(
        f"/api/v1/subsidies/{app_id}/payments", json={"amount": "1200", "reference": "P-1"}
    )
    assert too_much.status_code == 422
    first = organiser.post(
        f"/api/v1/subsidies/{app_id}/payments",
        json={"amount": "400.00", "paid_on": date.today().isoformat(), "reference": "NJ-2026-001"},
    )
    assert first.status_code == 201 and first.get_json()["status"] == "approved"
    assert first.get_json()["paid_amount"] == "400.00"
    again = organiser.post(
        f"/api/v1/subsidies/{app_id}/payments", json={"amount": "1", "reference": "NJ-2026-001"}
    )
    assert again.status_code == 409  # the same 凭证号 twice
    rest = organiser.post(f"/api/v1/subsidies/{app_id}/payments", json={"reference": "NJ-2026-002"})
    assert rest.status_code == 201
    done = rest.get_json()
    assert done["status"] == "paid" and done["paid_amount"] == "1000.00"
    assert [p["amount"] for p in done["payments"]] == ["400.00", "600.00"]
    assert [e["action"] for e in done["events"]] == [
        "submit",
        "return",
        "resubmit",
        "approve",
        "pay",
        "pay",
    ]
    assert actions(app) == [
        "casework.employment_register",
        "subsidy.submit",
        "subsidy.return",
        "subsidy.resubmit",
        "subsidy.approve",
        "subsidy.pay",
        "subsidy.pay",
    ]
    with app.app_context():
        titles = [
            n.title
            for n in db.session.scalars(
                db.select(Notification).filter_by(user_id=employer.user.id, kind="subsidy")
            )
        ]
    assert any("需要补正" in t for t in titles) and any("已拨付" in t for t in titles)
    # The same person cannot be claimed again for this policy.
    dup = emp.post(
        "/api/v1/subsidies",
        json={
            "policy_code": "hire_once",
            "subject_id": hire_id,
            "facts": {"hire_contract_ok": True},
        },
    )
    assert dup.status_code == 409 and dup.get_json()["error"]["code"] == "already_claimed"
    # The seeker it was for does not see the employer's application.
    seeker = sign_in(app.test_client(), person)
    assert seeker.get(f"/api/v1/subsidies/{app_id}").status_code == 404


def test_seeker_application_amount_confirmed_by_the_organiser(app, make_priority_seeker, make_user):
    from jobfair.models import EmploymentRegistration

    seeker = make_priority_seeker(groups=("urban_hardship",))
    with app.app_context(), writing():
        db.session.add(
            EmploymentRegistration(
                seeker_id=seeker.id,
                employer_name="个体经营（家政服务）",
                started_on=date(2026, 1, 5),
                contract_type="flexible",
                work_form="flexible",
                source="placement",
                end_reason="",
                ended_role="",
            )
        )
        db.session.commit()
    client = sign_in(app.test_client(), seeker)
    resp = client.post(
        "/api/v1/subsidies",
        json={"policy_code": "flexible_insurance", "facts": {"flexible_insurance_months": 14}},
    )
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["amount"] == "6000.00"  # 500 × 12 (the yearly cap), not × 14
    organiser = sign_in(app.test_client(), make_user(role="organiser"))
    resp = organiser.post(
        f"/api/v1/subsidies/{body['id']}/decision",
        json={"action": "approve", "facts": {"flexible_insurance_months": 10}},
    )
    assert resp.status_code == 200
    assert resp.get_json()["approved_amount"] == "5000.00"  # recomputed by the rule
    facts = {f["key"]: f for f in resp.get_json()["facts"]}
    assert facts["flexible_insurance_months"]["source"] == "工作人员核定"
    # An organiser cannot change what the platform records.
    assert organiser.post(
        f"/api/v1/subsidies/{body['id']}/decision",
        json={"action": "approve", "facts": {"groups": []}},
    ).status_code in (409, 422)


def test_rejection_releases_the_claim_and_withdrawal_too(app, make_priority_seeker, make_user):
    seeker = make_priority_seeker(groups=())
    from jobfair.models import UnemploymentRegistration

    with app.app_context(), writing():
        db.session.add(
            UnemploymentRegistration(
                seeker_id=seeker.id, registered_on=date(2025, 3, 1), place="江宁区就业服务中心"
            )
        )
        db.session.commit()
    client = sign_in(app.test_client(), seeker)
    body = {
        "policy_code": "unemployment_assistance",
        "facts": {"benefit_expired_or_short": "是"},
    }
    first = client.post("/api/v1/subsidies", json=body).get_json()
    assert first["amount"] == "3600.00"
    assert client.post("/api/v1/subsidies", json=body).status_code == 409
    organiser = sign_in(app.test_client(), make_user(role="organiser"))
    assert (
        organiser.post(
            f"/api/v1/subsidies/{first['id']}/decision", json={"action": "reject"}
        ).status_code
        == 422
    )  # a reason is required
    resp = organiser.post(
        f"/api/v1/subsidies/{first['id']}/decision",
        json={"action": "reject", "reason": "仍在领取失业保险金"},
    )
    assert resp.get_json()["status"] == "rejected"
    second = client.post("/api/v1/subsidies", json=body)
    assert second.status_code == 201
    withdrawn = client.post(f"/api/v1/subsidies/{second.get_json()['id']}/withdraw")
    assert withdrawn.get_json()["status"] == "withdrawn"
    assert client.post("/api/v1/subsidies", json=body).status_code == 201
    assert client.post(f"/api/v1/subsidies/{first['id']}/withdraw").status_code == 409
    assert "subsidy.reject" in actions(app) and "subsidy.withdraw" in actions(app)


def test_wrong_role_and_bad_input(app, make_priority_seeker, make_employer):
    seeker = sign_in(app.test_client(), make_priority_seeker())
    assert seeker.post("/api/v1/subsidies", json={"policy_code": "hire_once"}).status_code == 403
    assert seeker.post("/api/v1/subsidies", json={"policy_code": "nope"}).status_code == 404
    assert seeker.post("/api/v1/subsidies", json={}).status_code == 422
    resp = seeker.post(
        "/api/v1/subsidies",
        json={"policy_code": "flexible_insurance", "facts": {"flexible_insurance_months": "十"}},
    )
    assert resp.status_code == 422
    employer = sign_in(app.test_client(), make_employer().user)
    resp = employer.post("/api/v1/subsidies", json={"policy_code": "hire_once", "subject_id": 999})
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "no_hire"


def test_the_database_refuses_a_second_live_claim(app):
    def row(**kw):
        values = dict(
            policy_code="hire_once",
            policy_name="一次性吸纳就业补贴",
            period_key="once",
            applicant_role="employer",
            subject_kind="person",
            subject_id=7,
            subject_label="测试",
        )
        values.update(kw)
        return SubsidyApplication(**values)

    with app.app_context(), writing():
        for _ in range(2):
            released = row()
            db.session.add(released)
            db.session.commit()
            released.claim_open, released.status = None, "rejected"
            db.session.commit()
        db.session.add(row())
        db.session.commit()  # released claims never block
        db.session.add(row())
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.session.add(
            SubsidyPayment(application_id=1, amount_fen=0, paid_on=date.today(), reference="x")
        )
        with pytest.raises(IntegrityError):
            db.session.commit()  # CHECK amount > 0
        db.session.rollback()


def test_twenty_simultaneous_claims_for_one_person(app, hired):
    employer, _person, hire_id = hired
    clients = tabs(app, employer.user, N)

    def claim(c):
        resp = c.post(
            "/api/v1/subsidies",
            json={
                "policy_code": "hire_once",
                "subject_id": hire_id,
                "facts": {"hire_contract_ok": True},
            },
        )
        return resp.status_code, resp.get_json()

    results = run_together(clients, claim, first="/api/v1/auth/me")
    assert not [r for r in results if isinstance(r, Exception)], results
    codes = sorted(code for code, _ in results)
    assert codes == [201] + [409] * (N - 1), codes
    for code, body in results:
        if code == 409:
            assert body["error"]["code"] == "already_claimed"
            assert "不能重复申请" in body["error"]["message"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(SubsidyApplication)) == 1
        submits = db.session.scalar(
            db.select(db.func.count()).select_from(AuditLog).filter_by(action="subsidy.submit")
        )
    assert submits == 1  # nothing half-written by the 19 that lost


def test_twenty_simultaneous_form_claims_by_a_seeker(app, make_priority_seeker):
    from jobfair.models import UnemploymentRegistration

    seeker = make_priority_seeker(groups=())
    with app.app_context(), writing():
        db.session.add(
            UnemploymentRegistration(
                seeker_id=seeker.id, registered_on=date(2025, 3, 1), place="江宁区就业服务中心"
            )
        )
        db.session.commit()
    clients = tabs(app, seeker, N)

    def claim(c):
        resp = c.post(
            "/subsidies/new/unemployment_assistance",
            data={"fact_benefit_expired_or_short": "true", "note": "并发"},
        )
        return resp.status_code

    results = run_together(clients, claim, first="/api/v1/auth/me")
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results) == [302] + [409] * (N - 1), results
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(SubsidyApplication)) == 1


def test_pages_apply_and_review(app, hired, make_user):
    employer, _person, hire_id = hired
    emp = sign_in(app.test_client(), employer.user)
    page = emp.get(f"/subsidies/new/hire_once?subject_id={hire_id}").get_data(as_text=True)
    assert "与其签订1年以上劳动合同" in page and 'name="fact_hire_contract_ok"' in page
    resp = emp.post("/subsidies/new/hire_once", data={"subject_id": hire_id})
    assert resp.status_code == 422
    assert "请补充填写" in resp.get_data(as_text=True)
    resp = emp.post(
        "/subsidies/new/hire_once",
        data={"subject_id": hire_id, "fact_hire_contract_ok": "true"},
        follow_redirects=True,
    )
    assert "已提交“一次性吸纳就业补贴”申请" in resp.get_data(as_text=True)
    organiser = sign_in(app.test_client(), make_user(role="organiser"))
    queue = organiser.get("/organiser/subsidies").get_data(as_text=True)
    assert "一次性吸纳就业补贴" in queue and "待审核" in queue
    with app.app_context():
        app_id = db.session.scalar(db.select(SubsidyApplication.id))
    resp = organiser.post(
        f"/organiser/subsidies/{app_id}/decision",
        data={"action": "approve", "fact_hire_contract_ok": "true"},
        follow_redirects=True,
    )
    assert "审核通过，待拨付" in resp.get_data(as_text=True)
    resp = organiser.post(
        f"/organiser/subsidies/{app_id}/payments",
        data={"amount": "1000.00", "paid_on": date.today().isoformat(), "reference": "NJ-9"},
        follow_redirects=True,
    )
    assert "已登记拨付 1,000.00元" in resp.get_data(as_text=True)
    mine = emp.get("/subsidies").get_data(as_text=True)
    assert "已拨付" in mine


def test_an_application_is_decided_under_the_catalogue_it_was_made_under(
    app, make_priority_seeker, make_user
):
    from jobfair.models import UnemploymentRegistration
    from jobfair.policies import catalogue

    seeker = make_priority_seeker(groups=())
    with app.app_context(), writing():
        db.session.add(
            UnemploymentRegistration(
                seeker_id=seeker.id, registered_on=date(2025, 3, 1), place="江宁区就业服务中心"
            )
        )
        db.session.commit()
    organiser = sign_in(app.test_client(), make_user(role="organiser"))
    data = catalogue.read_seed("320100")
    assert (
        organiser.post("/api/v1/policies/catalogue/versions", json={"content": data}).status_code
        == 201
    )
    client = sign_in(app.test_client(), seeker)
    made = client.post(
        "/api/v1/subsidies",
        json={
            "policy_code": "unemployment_assistance",
            "facts": {"benefit_expired_or_short": True},
        },
    ).get_json()
    assert made["amount"] == "3600.00"  # 600 × 6
    raised = catalogue.read_seed("320100")
    rule = next(p for p in raised["policies"] if p["code"] == "unemployment_assistance")
    rule["amount"]["rate"] = 700
    assert (
        organiser.post(
            "/api/v1/policies/catalogue/versions", json={"content": raised, "note": "提标"}
        ).status_code
        == 201
    )
    approved = organiser.post(
        f"/api/v1/subsidies/{made['id']}/decision", json={"action": "approve"}
    ).get_json()
    assert approved["approved_amount"] == "3600.00"  # the rule it was made under
    form = client.get("/api/v1/subsidies/form/unemployment_assistance").get_json()
    assert "700" in form["amount_working"]  # new applications use the new rule
