"""Zero-employment households: deadline and escalation (frozen clock), auto-close on a
recorded hire or placement, and the referral-round rule (≥3 rounds of ≥3 positions)."""

from datetime import UTC, date, datetime

import time_machine
from conftest import bj_today, sign_in

from jobfair.extensions import db


def _household(client, members, identified_on, district="六合区", deadline_days=None):
    body = {
        "district": district,
        "label": "龙袍街道某社区 3 组",
        "identified_on": identified_on,
        "members": members,
    }
    if deadline_days:
        body["deadline_days"] = deadline_days
    resp = client.post("/api/v1/casework/households", json=body)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def _row(app, household_id):
    from jobfair.models import Household

    with app.app_context():
        return db.session.get(Household, household_id)


def test_household_escalates_only_after_the_deadline_with_a_frozen_clock(app, client, make_worker):
    supervisor = make_worker(districts=(), supervisor=True, name="督导")
    worker = make_worker(districts=("六合区",))
    with time_machine.travel(datetime(2026, 3, 1, 2, 0, tzinfo=UTC), tick=False):
        sign_in(client, worker)
        hh = _household(
            client, [{"name": "陈某", "relation": "户主"}], "2026-03-01", deadline_days=30
        )
        assert hh["deadline"] == "2026-03-31" and hh["open"] and not hh["overdue"]

    from jobfair.casework import households

    with (
        time_machine.travel(datetime(2026, 3, 31, 2, 0, tzinfo=UTC), tick=False),
        app.app_context(),
    ):
        assert households.escalate_overdue() == 0  # the last day is still in time
        assert households.household_summary()["overdue"] == 0

    with time_machine.travel(datetime(2026, 4, 1, 2, 0, tzinfo=UTC), tick=False):
        sign_in(client, worker)
        with app.app_context():
            assert households.household_summary() == {
                "open": 1,
                "closed_this_month": 0,
                "overdue": 1,
                "escalated": 0,
            }
        # Loading the casework home escalates lazily.
        assert client.get("/casework").status_code == 200
        row = _row(app, hh["id"])
        assert row.escalated_at == datetime(2026, 4, 1, 2, 0)
        with app.app_context():
            assert households.escalate_overdue() == 0  # only once
            assert households.household_summary()["escalated"] == 1
            from jobfair.models import AuditLog

            actions = db.session.scalars(
                db.select(AuditLog.action).filter_by(object_type="household", object_id=hh["id"])
            ).all()
            assert "casework.household_escalate" in actions
            try:
                from jobfair.models import Notification
            except ImportError:
                Notification = None
            if Notification is not None:
                notes = db.session.scalars(
                    db.select(Notification).filter_by(user_id=supervisor.id)
                ).all()
                assert [n.title for n in notes] == ["零就业家庭超期未清零"]
                assert notes[0].link == f"/casework/households/{hh['id']}"
        page = client.get(f"/casework/households/{hh['id']}").get_data(as_text=True)
        assert "已超期 1 天" in page and "督办" in page


def test_cli_escalates_overdue_households(app, client, make_worker, runner):
    worker = make_worker(districts=("六合区",))
    with time_machine.travel(datetime(2026, 5, 1, 2, 0, tzinfo=UTC), tick=False):
        sign_in(client, worker)
        hh = _household(client, [{"name": "陈某"}], "2026-03-01", deadline_days=10)
        result = runner.invoke(args=["casework", "escalate"])
        assert result.exit_code == 0, result.output
        assert "1" in result.output
    assert _row(app, hh["id"]).escalated_at is not None


def test_household_closes_when_a_member_is_hired_through_the_employer_pipeline(
    app, client, make_priority_seeker, make_worker, make_position
):
    worker = make_worker(districts=("六合区",))
    member = make_priority_seeker(
        "汤建华", groups=("zero_employment_household",), district="六合区"
    )
    sign_in(client, worker)
    hh = _household(
        client,
        [{"name": "汤建华", "relation": "户主", "seeker_phone": member.phone}, {"name": "汤母"}],
        bj_today().isoformat(),
    )
    case = client.post("/api/v1/casework/cases", json={"seeker_id": member.id}).get_json()

    pos = make_position()
    seeker_client = sign_in(app.test_client(), member)
    app_id = seeker_client.post(f"/api/v1/positions/{pos.id}/applications").get_json()["id"]
    employer_client = sign_in(app.test_client(), pos.employer.user)
    for status in ("viewed", "interview"):
        resp = employer_client.post(
            f"/api/v1/employer/applications/{app_id}/status", json={"status": status}
        )
        assert resp.status_code == 200
    assert _row(app, hh["id"]).closed_on is None  # an interview is not a job

    resp = employer_client.post(
        f"/api/v1/employer/applications/{app_id}/status", json={"status": "hired"}
    )
    assert resp.status_code == 200
    assert _row(app, hh["id"]).closed_on is None  # 录用 is an offer; work has not started

    resp = employer_client.post(
        f"/api/v1/employer/applications/{app_id}/status", json={"status": "onboarded"}
    )
    assert resp.status_code == 200
    row = _row(app, hh["id"])
    assert row.closed_on == bj_today() and row.closed_reason.startswith("成员就业登记：")
    from jobfair.casework import households
    from jobfair.models import CaseFile

    with app.app_context():
        assert households.household_summary()["closed_this_month"] == 1
        assert households.household_summary()["open"] == 0
        assert db.session.get(CaseFile, case["id"]).status == "employed"
        assert db.session.get(CaseFile, case["id"]).outcome == "platform_hire"


def test_household_closes_on_a_placement(app, client, make_priority_seeker, make_worker):
    worker = make_worker(districts=("六合区",))
    member = make_priority_seeker("戴宁", groups=("zero_employment_household",), district="六合区")
    sign_in(client, worker)
    hh = _household(client, [{"name": "戴宁", "seeker_phone": member.phone}], "2026-01-05")
    resp = client.post(
        "/api/v1/casework/placements",
        json={
            "seeker_id": member.id,
            "employer_name": "六合区某农业合作社",
            "job_title": "分拣工",
            "placed_on": bj_today().isoformat(),
            "evidence": "合作社出具用工证明",
        },
    )
    assert resp.status_code == 201
    assert _row(app, hh["id"]).closed_reason == "成员就业登记：六合区某农业合作社"


def test_unknown_member_phone_is_refused(client, make_worker):
    sign_in(client, make_worker(districts=("六合区",)))
    resp = client.post(
        "/api/v1/casework/households",
        json={
            "district": "六合区",
            "label": "某户",
            "identified_on": "2026-01-05",
            "members": [{"name": "某人", "seeker_phone": "13999999999"}],
        },
    )
    assert resp.status_code == 422
    assert "没有对应的求职者账号" in resp.get_json()["error"]["message"]


def test_referral_rounds_need_three_published_positions_each(
    app, client, make_worker, make_position
):
    sign_in(client, make_worker(districts=("六合区",)))
    hh = _household(client, [{"name": "陈某"}], "2026-01-05")
    p1 = make_position()
    p2 = make_position(employer=p1.employer, title="包装工")
    p3 = make_position(employer=p1.employer, title="叉车司机")
    held = make_position(employer=p1.employer, title="仓库管理员", status="held")
    url = f"/api/v1/casework/households/{hh['id']}/referrals"
    today = bj_today().isoformat()

    resp = client.post(url, json={"referred_on": today, "position_ids": [p1.id, p2.id, p2.id]})
    assert resp.status_code == 422
    assert resp.get_json()["error"]["message"] == "每轮至少推荐 3 个不同的适合岗位。"

    resp = client.post(url, json={"referred_on": today, "position_ids": [p1.id, p2.id, held.id]})
    assert resp.status_code == 422 and "未在招聘中" in resp.get_json()["error"]["message"]

    for n in (1, 2, 3):
        resp = client.post(url, json={"referred_on": today, "position_ids": [p1.id, p2.id, p3.id]})
        assert resp.status_code == 201 and resp.get_json()["round_no"] == n
        detail = client.get(f"/api/v1/casework/households/{hh['id']}").get_json()
        assert detail["rounds"] == n and detail["rounds_ok"] is (n == 3)

    # The HTML form reports the rule in Chinese.
    resp = client.post(
        f"/casework/households/{hh['id']}/referrals",
        data={"referred_on": today, "position_ids": [str(p1.id)]},
        follow_redirects=True,
    )
    assert "每轮至少推荐 3 个不同的适合岗位。" in resp.get_data(as_text=True)


def test_referrals_stop_once_the_household_is_closed(app, client, make_worker, make_position):
    sign_in(client, make_worker(districts=("六合区",)))
    hh = _household(client, [{"name": "陈某"}], "2026-01-05")
    from jobfair.models import Household

    with app.app_context():
        row = db.session.get(Household, hh["id"])
        row.closed_on = date(2026, 2, 1)
        db.session.commit()
    p1 = make_position()
    ids = [p1.id] + [make_position(employer=p1.employer, title=t).id for t in ("甲", "乙")]
    resp = client.post(
        f"/api/v1/casework/households/{hh['id']}/referrals",
        json={"referred_on": "2026-02-02", "position_ids": ids},
    )
    assert resp.status_code == 422 and "清零" in resp.get_json()["error"]["message"]
