"""The pages behind the figures: 认定 and 登记 for a seeker, a walk-in registered at the
window, the family's answers with the refusal flag, and 托底安置 in a 公益性岗位."""

from datetime import UTC, datetime

import time_machine
from conftest import sign_in

from jobfair.extensions import db


def test_case_worker_verifies_status_and_records_registrations_through_the_page(
    app, client, make_worker, make_priority_seeker
):
    with time_machine.travel(datetime(2026, 6, 1, 2, 0, tzinfo=UTC), tick=False):
        worker = make_worker(districts=("六合区",))
        seeker = make_priority_seeker("殷红梅", district="六合区", verified=False)
        sign_in(client, worker)
        page = client.get(f"/casework/seekers/{seeker.id}/records").get_data(as_text=True)
        assert "本人申报（待认定）" in page and "六合区" in page
        assert "殷红梅" in client.get("/casework/pending-verifications").get_data(as_text=True)

        resp = client.post(
            f"/casework/seekers/{seeker.id}/statuses",
            data={
                "group": "urban_hardship",
                "evidence_type": "hardship_decision",
                "evidence_note": "六合区人社局认定决定书 第 2026-031 号",
                "verified_on": "2026-05-30",
                "valid_until": "2027-05-29",
            },
            follow_redirects=True,
        )
        page = resp.get_data(as_text=True)
        assert "身份已认定" in page and "第 2026-031 号" in page and "2027-05-29" in page
        records = client.get(f"/api/v1/casework/seekers/{seeker.id}/records").get_json()
        assert records["statuses"][0]["verified_by_name"] == "个案工作人员"
        pending = client.get("/api/v1/casework/pending-verifications").get_json()["items"]
        assert all(row["seeker_id"] != seeker.id for row in pending)

        resp = client.post(
            f"/casework/seekers/{seeker.id}/unemployment",
            data={"registered_on": "2026-07-01", "place": "六合区公共就业服务中心"},
            follow_redirects=True,
        )
        assert "不能晚于今天" in resp.get_data(as_text=True)
        client.post(
            f"/casework/seekers/{seeker.id}/unemployment",
            data={"registered_on": "2026-05-02", "place": "六合区公共就业服务中心"},
        )
        resp = client.post(
            f"/casework/seekers/{seeker.id}/employments",
            data={
                "employer_name": "六合区某合作社",
                "job_title": "分拣工",
                "started_on": "2026-05-31",
                "contract_type": "fixed_term",
                "work_form": "full_time",
                "social_insurance": "true",
                "source": "placement",
                "evidence_note": "劳动合同已核验",
            },
            follow_redirects=True,
        )
        page = resp.get_data(as_text=True)
        assert "就业登记已记录" in page and "六合区某合作社" in page and "实现就业" in page
        data = client.get("/api/v1/casework/figures?kind=urban_unemployed").get_json()
        assert data["total"] == 1 and data["districts"] == {"六合区": 1}
        # A revoked 认定 makes the status a request again (past records keep their count).
        client.post(f"/casework/seekers/{seeker.id}/statuses/urban_hardship/revoke")
        page = client.get(f"/casework/seekers/{seeker.id}/records").get_data(as_text=True)
        assert "本人申报（待认定）" in page
        assert client.get("/api/v1/casework/figures?kind=hardship").get_json()["total"] == 1


def test_walk_in_fisher_is_registered_with_paper_consent_and_verified(app, client, make_worker):
    from jobfair.models import SeekerProfile, User

    worker = make_worker(districts=("六合区",))
    sign_in(client, worker)
    assert "纸质同意书" in client.get("/casework/walk-in").get_data(as_text=True)
    form = {
        "name": "丁长水",
        "phone": "13755550001",
        "residence_district": "六合区",
        "residence_street": "龙袍街道",
        "consent_note": "",
        "group": "retired_fisher",
        "evidence_type": "fishing_exit",
        "evidence_note": "渔船证书注销证明",
    }
    resp = client.post("/casework/walk-in", data=form)
    assert resp.status_code == 422 and "纸质同意书记录" in resp.get_data(as_text=True)
    form["consent_note"] = "2026-12-01 签署纸质同意书，编号 LH-0007，存龙袍街道服务站"
    resp = client.post("/casework/walk-in", data=form, follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert "纸质同意书已记录" in page and "已认定" in page and "龙袍街道" in page
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(phone="13755550001"))
        profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=user.id))
        assert profile.group_consent and "LH-0007" in profile.consent_note
        assert profile.registered_by == worker.id and profile.residence_district == "六合区"
    assert "丁长水" in client.get("/casework/fishers").get_data(as_text=True)
    # Another district's worker cannot register someone living in 六合区.
    other = sign_in(app.test_client(), make_worker(districts=("鼓楼区",)))
    resp = other.post("/casework/walk-in", data={**form, "phone": "13755550002"})
    assert resp.status_code == 403


def test_household_answers_flag_refusals_and_open_the_public_welfare_fallback(
    app, client, make_worker, make_priority_seeker, make_position
):
    from jobfair.models import Household

    with time_machine.travel(datetime(2026, 6, 10, 2, 0, tzinfo=UTC), tick=False):
        worker = make_worker(districts=("六合区",))
        member = make_priority_seeker(
            "姚斌", groups=("zero_employment_household",), district="六合区"
        )
        sign_in(client, worker)
        hh = client.post(
            "/api/v1/casework/households",
            json={
                "district": "六合区",
                "label": "六合区横梁街道 姚家",
                "identified_on": "2026-05-01",
                "members": [{"name": "姚斌", "relation": "户主", "seeker_phone": member.phone}],
            },
        ).get_json()
        positions = [make_position(title=f"岗位{i}", district="六合区").id for i in range(3)]
        welfare = make_position(title="公益性岗位·保洁员", channel="public_welfare")
        for n in (1, 2, 3):
            resp = client.post(
                f"/api/v1/casework/households/{hh['id']}/referrals",
                json={"position_ids": positions, "referred_on": f"2026-05-0{n + 1}"},
            )
            assert resp.status_code == 201, resp.get_json()
        for n in (1, 2):
            resp = client.post(
                f"/api/v1/casework/households/{hh['id']}/referrals/{n}/answer",
                json={"answer": "declined", "answered_on": "2026-05-20"},
            )
            assert resp.status_code == 200, resp.get_json()
        data = resp.get_json()
        assert data["refusals"] == 2 and data["flagged"] is True and data["fallback_open"]
        resp = client.post(
            f"/api/v1/casework/households/{hh['id']}/referrals/3/answer",
            json={"answer": "declined_reason", "answered_on": "2026-05-20"},
        )
        assert resp.status_code == 422 and "理由" in resp.get_json()["error"]["message"]
        page = client.get(f"/casework/households/{hh['id']}").get_data(as_text=True)
        assert "已无理由拒绝 2 轮推荐" in page and "登记托底安置" in page

        # An enterprise post is not a 公益性岗位.
        body = {
            "member_id": data["members"][0]["id"],
            "position_id": positions[0],
            "started_on": "2026-06-08",
            "evidence_note": "公益性岗位安置协议",
        }
        resp = client.post(f"/api/v1/casework/households/{hh['id']}/fallback", json=body)
        assert resp.status_code == 422
        resp = client.post(
            f"/api/v1/casework/households/{hh['id']}/fallback",
            json={**body, "position_id": welfare.id},
        )
        assert resp.status_code == 201, resp.get_json()
        assert resp.get_json()["fallback"] is True
        with app.app_context():
            assert db.session.get(Household, hh["id"]).closed_on.isoformat() == "2026-06-08"


def test_supervisor_sets_the_local_refusal_rule(app, client, make_worker):
    from jobfair.casework import campaign

    supervisor = make_worker(districts=(), supervisor=True)
    sign_in(client, supervisor)
    form = {
        "campaign_start": "2026-03-01",
        "campaign_end": "2026-06-08",
        "plan_days": "30",
        "household_deadline_days": "30",
        "refusal_limit": "3",
    }
    assert client.post("/casework/settings", data=form).status_code == 302
    with app.app_context():
        assert campaign.settings()["refusal_limit"] == 3
    assert client.post("/casework/settings", data={**form, "refusal_limit": ""}).status_code == 302
    with app.app_context():
        assert campaign.settings()["refusal_limit"] == 3  # an empty box keeps the rule
