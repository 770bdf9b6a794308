"""Figures an official can sign (issue 11), with frozen clocks: a self-declared status counts
nowhere until 认定; deleting an account or withdrawing consent leaves a closed month as it
was; a reversed hire re-opens its household and adds a correcting record."""

from datetime import UTC, datetime

import time_machine
from conftest import PASSWORD, sign_in

from jobfair.extensions import db


def at(y, m, d):
    return time_machine.travel(datetime(y, m, d, 2, 0, tzinfo=UTC), tick=False)


def figures(client, kind, until=None, year=2026):
    url = f"/api/v1/casework/figures?kind={kind}&year={year}"
    if until:
        url += f"&until={until}"
    resp = client.get(url)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def target(client, worker, kind, district="六合区", goal=5):
    resp = client.post(
        "/api/v1/casework/targets",
        json={
            "year": 2026,
            "district": district,
            "kind": kind,
            "goal": goal,
            "worker_id": worker.id,
        },
    )
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def done(client, target_id):
    return client.get(f"/api/v1/casework/targets/{target_id}").get_json()["progress"]["done"]


def onboard(app, seeker, position):
    """The employer's pipeline through to 已入职, as the employer does it."""
    c = sign_in(app.test_client(), seeker)
    app_id = c.post(f"/api/v1/positions/{position.id}/applications").get_json()["id"]
    employer = sign_in(app.test_client(), position.employer.user)
    for status in ("viewed", "interview", "hired", "onboarded"):
        resp = employer.post(
            f"/api/v1/employer/applications/{app_id}/status", json={"status": status}
        )
        assert resp.status_code == 200, resp.get_json()
    return employer


def test_a_self_declared_status_moves_no_target_until_verified(
    app, client, make_worker, make_priority_seeker, make_position
):
    with at(2026, 3, 2):
        worker = make_worker(districts=("六合区",))
        sign_in(client, worker)
        hardship = target(client, worker, "hardship")
        declared = make_priority_seeker("自报甲", district="六合区", verified=False)
        onboard(app, declared, make_position(title="保洁员"))
        assert done(client, hardship) == 0  # 本人申报 is a request, not a status
        assert figures(client, "new_employment")["total"] == 1  # still a new job

        # A self-declared fisher is not on the 百日攻坚 roster until 认定.
        fisher = make_priority_seeker(
            "渔民乙", groups=("retired_fisher",), district="六合区", verified=False
        )
        page = client.get("/casework/fishers").get_data(as_text=True)
        assert "渔民乙" not in page

        later = make_priority_seeker("自报丙", district="六合区", verified=False)
        for who, group, evidence in (
            (later, "urban_hardship", "hardship_decision"),
            (fisher, "retired_fisher", "fishing_exit"),
        ):
            resp = client.post(
                f"/api/v1/casework/seekers/{who.id}/statuses",
                json={"group": group, "evidence_type": evidence, "evidence_note": "决定书 2026-08"},
            )
            assert resp.status_code == 201, resp.get_json()
            assert resp.get_json()["source"] == "verified"
        assert "渔民乙" in client.get("/casework/fishers").get_data(as_text=True)
        onboard(app, later, make_position(title="绿化工"))
        assert done(client, hardship) == 1  # the verified one only

        # Only a case worker of the seeker's district may record a 认定.
        other = sign_in(app.test_client(), make_worker(districts=("鼓楼区",)))
        resp = other.post(
            f"/api/v1/casework/seekers/{declared.id}/statuses",
            json={"group": "urban_hardship", "evidence_type": "other", "evidence_note": "x"},
        )
        assert resp.status_code == 403


def test_deleting_an_account_or_withdrawing_consent_leaves_a_closed_month_unchanged(
    app, client, make_worker, make_priority_seeker, make_position
):
    with at(2026, 3, 10):
        worker = make_worker(districts=("六合区",))
        sign_in(client, worker)
        hardship = target(client, worker, "hardship")
        leaver = make_priority_seeker("注销者", district="六合区")
        withdrawer = make_priority_seeker("撤回者", district="六合区")
        pos = make_position()
        onboard(app, leaver, pos)
        onboard(app, withdrawer, pos)
        march = figures(client, "hardship", until="2026-03-31")
        assert march["total"] == 2 and march["months"][2]["done"] == 2

    with at(2026, 4, 3):
        sign_in(client, worker)  # a new day's login (sessions expire when idle)
        me = sign_in(app.test_client(), leaver)
        assert me.delete("/api/v1/me", json={"password": PASSWORD}).status_code in (200, 204)
        them = sign_in(app.test_client(), withdrawer)
        resp = them.put("/api/v1/me/profile", json={"group_consent": False, "groups": []})
        assert resp.status_code == 200, resp.get_json()

        assert figures(client, "hardship", until="2026-03-31") == march  # closed month
        assert figures(client, "hardship")["total"] == 2  # and no drop this month either
        assert done(client, hardship) == 2
        page = client.get(f"/casework/targets/{hardship}").get_data(as_text=True)
        assert "账号已注销或已撤回同意" in page and "注销者" not in page


def test_a_reversed_hire_reopens_its_household_and_adds_a_correcting_record(
    app, client, make_worker, make_priority_seeker, make_position
):
    from jobfair.models import Household, Notification, OutcomeRecord

    with at(2026, 3, 2):
        worker = make_worker(districts=("六合区",))
        sign_in(client, worker)
        cleared = target(client, worker, "households_cleared", goal=2)
        member = make_priority_seeker(
            "汤建华", groups=("zero_employment_household",), district="六合区"
        )
        hh = client.post(
            "/api/v1/casework/households",
            json={
                "district": "六合区",
                "label": "六合区雄州街道 汤家",
                "identified_on": "2026-02-20",
                "members": [{"name": "汤建华", "relation": "户主", "seeker_phone": member.phone}],
            },
        ).get_json()
        pos = make_position()
        onboard(app, member, pos)
        with app.app_context():
            assert db.session.get(Household, hh["id"]).closed_on is not None
        assert done(client, cleared) == 1
        assert figures(client, "new_employment")["total"] == 1

    with at(2026, 4, 10):
        sign_in(client, worker)  # a new day's logins (sessions expire when idle)
        employer = sign_in(app.test_client(), pos.employer.user)
        reg_id = employer.get("/api/v1/employments").get_json()["items"][0]["id"]
        # Nobody else may end it: another seeker gets a 404.
        stranger = sign_in(app.test_client(), make_priority_seeker("路人", district="六合区"))
        body = {"ended_on": "2026-04-08", "reason": "合同解除"}
        assert stranger.post(f"/api/v1/employments/{reg_id}/end", json=body).status_code == 404
        resp = employer.post(f"/api/v1/employments/{reg_id}/end", json=body)
        assert resp.status_code == 200, resp.get_json()
        assert resp.get_json()["ended_by"] == "用人单位"
        assert employer.post(f"/api/v1/employments/{reg_id}/end", json=body).status_code == 409

        with app.app_context():
            row = db.session.get(Household, hh["id"])
            assert row.closed_on is None and row.reopened_count == 1
            notes = db.session.scalars(
                db.select(Notification.title).filter_by(user_id=worker.id)
            ).all()
            assert "零就业家庭重新回到未清零" in notes
            corrections = db.session.scalars(
                db.select(OutcomeRecord).where(OutcomeRecord.corrects_id.is_not(None))
            ).all()
            assert sorted(r.kind for r in corrections) == ["household_reopened", "reversal"]
            assert {r.occurred_on.isoformat() for r in corrections} == {"2026-04-08"}
        # March stays as reported; April carries the correction.
        march = figures(client, "new_employment", until="2026-03-31")
        assert march["total"] == 1
        year = figures(client, "new_employment")
        assert year["total"] == 0 and year["months"][3]["done"] == -1
        assert done(client, cleared) == 0


def test_offer_withdrawn_before_start_records_nothing_and_the_seeker_can_end_a_job(
    app, client, make_worker, make_priority_seeker, make_position
):
    from jobfair.models import EmploymentRegistration, OutcomeRecord

    with at(2026, 5, 6):
        worker = make_worker(districts=("六合区",))
        seeker = make_priority_seeker("求职者丁", district="六合区")
        pos = make_position()
        me = sign_in(app.test_client(), seeker)
        app_id = me.post(f"/api/v1/positions/{pos.id}/applications").get_json()["id"]
        employer = sign_in(app.test_client(), pos.employer.user)
        for status in ("viewed", "interview", "hired", "rejected"):
            employer.post(f"/api/v1/employer/applications/{app_id}/status", json={"status": status})
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count()).select_from(OutcomeRecord)) == 0

        sign_in(client, worker)
        resp = client.post(
            f"/api/v1/casework/seekers/{seeker.id}/employments",
            json={
                "employer_name": "六合区某物业公司",
                "job_title": "保安",
                "started_on": "2026-05-04",
                "contract_type": "part_time",
                "work_form": "part_time",
                "social_insurance": False,
                "source": "follow_up",
                "evidence_note": "回访时本人出示用工协议",
            },
        )
        assert resp.status_code == 201, resp.get_json()
        # Part-time without social insurance does not count (the rules table).
        assert figures(client, "new_employment")["total"] == 0

        page = me.get("/me/employments").get_data(as_text=True)
        assert "六合区某物业公司" in page and "登记离职" in page
        reg_id = resp.get_json()["id"]
        resp = me.post(
            f"/employments/{reg_id}/end",
            data={"ended_on": "2026-05-05", "reason": "时间冲突"},
            follow_redirects=True,
        )
        assert "离职已登记" in resp.get_data(as_text=True)
        with app.app_context():
            reg = db.session.get(EmploymentRegistration, reg_id)
            assert reg.ended_role == "seeker" and reg.end_reason == "时间冲突"


def test_a_follow_up_that_finds_the_job_left_corrects_the_count(
    app, client, make_worker, make_priority_seeker, make_position, make_hire
):
    from jobfair.models import EmploymentRegistration

    with at(2026, 2, 2):
        worker = make_worker(districts=("六合区",))
        seeker = make_priority_seeker("回访者", district="六合区")
        make_hire(seeker, make_position(), status="onboarded")
    with at(2026, 3, 10):
        sign_in(client, worker)
        c = sign_in(app.test_client(), seeker)
        resp = c.post(
            "/api/v1/casework/follow-ups",
            json={"hired_on": "2026-02-02", "day_mark": 30, "still_employed": False},
        )
        assert resp.status_code in (200, 201), resp.get_json()
        with app.app_context():
            reg = db.session.scalar(db.select(EmploymentRegistration))
            assert reg.ended_on.isoformat() == "2026-03-10" and reg.ended_role == "seeker"
        data = figures(client, "new_employment")
        assert data["total"] == 0 and data["months"][1]["done"] == 1
        assert data["months"][2]["done"] == -1


def test_outcome_records_cannot_be_changed_and_the_rules_table_is_configurable(
    app, make_priority_seeker, make_position, make_hire
):
    import pytest

    from jobfair.casework import rules
    from jobfair.database import writing
    from jobfair.models import OutcomeRecord

    make_hire(make_priority_seeker("甲"), make_position(), status="onboarded")
    with app.app_context(), writing():
        rec = db.session.scalar(db.select(OutcomeRecord))
        assert len(rec.person_key) == 64 and "甲" not in rec.person_key
        rec.district = "鼓楼区"
        with pytest.raises(ValueError, match="immutable"):
            db.session.flush()
        db.session.rollback()
    with app.app_context(), writing():
        # The database refuses too, whatever writes to it.
        with pytest.raises(Exception, match="immutable"):
            db.session.execute(db.text("UPDATE outcome_records SET district = '鼓楼区'"))
        db.session.rollback()
    with app.app_context():
        from jobfair.casework.outcomes import person_key
        from jobfair.models import User

        a, b = User(phone=None, email="a@example.com"), User(phone=None, email="b@example.com")
        assert person_key(a) != person_key(b)  # e-mail logins are different people
        assert person_key(User(phone="13812345678")) == person_key(User(phone="13812345678"))
        assert rules.counts("temporary", True) is False
        assert rules.counts("part_time", False) is False and rules.counts("part_time", True)
        app.config["EMPLOYMENT_RULES"] = {"temporary": {"counts": True, "needs_insurance": True}}
        try:
            assert rules.counts("temporary", True) and not rules.counts("temporary", False)
        finally:
            app.config["EMPLOYMENT_RULES"] = ""


def test_seeker_sees_which_status_is_verified_and_records_residence(app, make_priority_seeker):
    seeker = make_priority_seeker(
        "申报者", groups=("veteran", "urban_hardship"), district="六合区", verified=False
    )
    c = sign_in(app.test_client(), seeker)
    page = c.get("/me/profile").get_data(as_text=True)
    assert "本人申报，待认定" in page and "常住街道" in page
    resp = c.put(
        "/api/v1/me/profile",
        json={
            "residence_district": "六合区",
            "residence_street": "雄州街道",
            "hukou_district": "火星区",
        },
    )
    assert resp.status_code == 422 and "hukou_district" in resp.get_json()["error"]["fields"]
    resp = c.put(
        "/api/v1/me/profile", json={"residence_street": "雄州街道", "hukou_district": "高淳区"}
    )
    data = resp.get_json()
    assert data["residence_street"] == "雄州街道" and data["hukou_district"] == "高淳区"
    assert {s["source"] for s in data["group_status"]} == {"self_declared"}
