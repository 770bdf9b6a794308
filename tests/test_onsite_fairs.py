"""On-site fairs: a kiosk registration and QR check-ins show up in the fair's funnel; booth
QR codes; a walk-in claims the account on their own phone."""

import re

import pytest
from conftest import sign_in

from jobfair.database import writing
from jobfair.extensions import db


@pytest.fixture
def fair(app, make_fair, make_employer, make_position):
    """An ongoing fair with an approved booth showing a published position."""
    from jobfair.models import Booth, BoothPosition
    from jobfair.models.common import utcnow

    fair_id = make_fair(title="2027 年社区就业服务站现场招聘会")
    emp = make_employer(name="南京江宁物流有限公司")
    pos = make_position(
        employer=emp,
        title="仓库装卸工",
        pay_unit="day",
        salary_min=200,
        salary_max=240,
        daily_pay=True,
    )
    with app.app_context(), writing():
        booth = Booth(fair_id=fair_id, employer_id=emp.id, status="approved", decided_at=utcnow())
        booth.position_links = [BoothPosition(position_id=pos.id)]
        db.session.add(booth)
        db.session.commit()
        return {"id": fair_id, "booth_id": booth.id, "employer": emp, "position": pos}


def _funnel(client, fair_id):
    data = client.get(f"/api/v1/reports/funnel?fair={fair_id}").get_json()
    return {s["key"]: s["count"] for s in data["stages"]}


WALK_IN = {
    "name": "陈阿四",
    "phone": "13812345678",
    "birth_year": 1971,
    "residence_district": "江宁区",
    "residence_street": "谷里街道",
    "consent_note": "2027-03-01 纸质同意书 第 0012 号，存现场服务台档案盒",
}


def test_kiosk_registration_and_qr_check_in_show_up_in_the_funnel(
    app, client, fair, make_user, make_seeker, signed_in
):
    organiser = make_user(role="organiser", name="现场工作人员")
    staff = signed_in(organiser)
    before = _funnel(staff, fair["id"])
    # 1. A walk-in without a smartphone, registered at the kiosk with a queue ticket.
    resp = staff.post(
        f"/fairs/{fair['id']}/kiosk/register", data={**WALK_IN, "booth_id": fair["booth_id"]}
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "登记成功" in page and "排队号" in page
    assert "前面还有 <strong>0</strong> 人" in page and "南京江宁物流有限公司" in page
    claim_code = re.search(r"领取码：<strong><code>(\w{4}) (\w{4})</code>", page)
    assert claim_code, page
    # 2. A registered seeker checked in at the booth by the booth's staff (QR code).
    seeker = make_seeker(name="刘洋")
    sign_in(client, seeker)
    client.post(f"/api/v1/fairs/{fair['id']}/registration")
    code = client.get(f"/api/v1/fairs/{fair['id']}/checkin-code").get_json()["code"]
    rep = signed_in(fair["employer"].user)
    done = rep.post(f"/api/v1/onsite/booths/{fair['booth_id']}/checkins", json={"code": code})
    assert done.status_code == 200 and done.get_json()["first_time"] is True
    assert done.get_json()["name"] == "刘*"
    again = rep.post(f"/fairs/{fair['id']}/booths/{fair['booth_id']}/checkin", data={"code": code})
    assert "此前已在本展位签到" in again.get_data(as_text=True)
    after = _funnel(staff, fair["id"])
    assert after["registered"] == before["registered"] + 2
    assert after["attended"] == before["attended"] + 2
    assert after["engaged"] == before["engaged"] + 2
    page = staff.get(f"/reports/funnel?fair={fair['id']}").get_data(as_text=True)
    assert "到场" in page
    from jobfair.models import FairAttendance, QueueEntry, SeekerProfile

    with app.app_context():
        rows = list(db.session.scalars(db.select(FairAttendance).filter_by(fair_id=fair["id"])))
        assert len(rows) == 2 and all(r.onsite_at and r.online_at is None for r in rows)
        profile = db.session.scalar(db.select(SeekerProfile).filter_by(phone=WALK_IN["phone"]))
        assert profile.consent_note.startswith("2027-03-01") and profile.registered_by
        assert db.session.scalar(db.select(db.func.count()).select_from(QueueEntry)) == 1


def test_walk_in_claims_the_account_once_on_their_phone(app, client, fair, make_user, signed_in):
    staff = signed_in(make_user(role="organiser"))
    out = staff.post(f"/api/v1/onsite/fairs/{fair['id']}/kiosk/registrations", json=WALK_IN)
    assert out.status_code == 201, out.get_json()
    body = out.get_json()
    assert body["ticket"] is None and "/claim?code=" in body["claim_url"]
    wrong = client.post(
        "/api/v1/onsite/claim",
        json={"phone": WALK_IN["phone"], "code": "AAAA2222", "password": "haibian-2027-xyz"},
    )
    assert wrong.status_code == 422 and "领取码" in wrong.get_json()["error"]["message"]
    page = client.post(
        "/claim",
        data={
            "phone": WALK_IN["phone"],
            "code": body["claim_code"],
            "password": "haibian-2027-xyz",
        },
    )
    assert page.status_code == 302
    assert client.get("/api/v1/auth/me").get_json()["role"] == "seeker"
    fresh = app.test_client()
    reuse = fresh.post(
        "/api/v1/onsite/claim",
        json={
            "phone": WALK_IN["phone"],
            "code": body["claim_code"],
            "password": "another-pass-2027",
        },
    )
    assert reuse.status_code == 422  # used once
    login = fresh.post(
        "/api/v1/auth/login", json={"login": WALK_IN["phone"], "password": "haibian-2027-xyz"}
    )
    assert login.status_code == 200
    dup = staff.post(f"/api/v1/onsite/fairs/{fair['id']}/kiosk/registrations", json=WALK_IN)
    assert dup.status_code == 409


def test_kiosk_refuses_non_staff_and_bad_input(
    app, client, fair, make_user, make_employer, signed_in
):
    rep = signed_in(fair["employer"].user)
    assert rep.get(f"/fairs/{fair['id']}/kiosk").status_code == 403
    staff = signed_in(make_user(role="organiser"))
    resp = staff.post(f"/fairs/{fair['id']}/kiosk/register", data={**WALK_IN, "phone": "123"})
    assert resp.status_code == 422 and "手机号格式不正确" in resp.get_data(as_text=True)
    no_consent = staff.post(
        f"/api/v1/onsite/fairs/{fair['id']}/kiosk/registrations",
        json={**WALK_IN, "consent_note": ""},
    )
    assert no_consent.status_code == 422
    from jobfair.models import User

    with app.app_context():
        assert db.session.scalar(db.select(User).filter_by(phone=WALK_IN["phone"])) is None


def test_booth_qr_opens_positions_and_records_a_visit_only_with_its_token(
    app, client, fair, make_seeker, signed_in, make_employer
):
    rep = signed_in(fair["employer"].user)
    url = rep.get(f"/api/v1/onsite/booths/{fair['booth_id']}/qr").get_json()["url"]
    token = url.split("t=")[1]
    poster = rep.get(f"/fairs/{fair['id']}/booths/{fair['booth_id']}/qr").get_data(as_text=True)
    assert "<svg" in poster
    stranger = signed_in(make_employer(name="别的单位有限公司").user)
    assert stranger.get(f"/api/v1/onsite/booths/{fair['booth_id']}/qr").status_code == 403
    page = client.get(f"/fairs/{fair['id']}/booths/{fair['booth_id']}/scan?t={token}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "仓库装卸工" in text and "200–240 元/天 · 日结" in text
    assert "排队洽谈" in text
    seeker = make_seeker(name="周建军")
    sign_in(client, seeker)  # not registered for the fair: scanning registers them
    forged = client.post(f"/api/v1/onsite/booths/{fair['booth_id']}/visits", json={"token": "x"})
    assert forged.status_code == 403
    ok = client.post(f"/api/v1/onsite/booths/{fair['booth_id']}/visits", json={"token": token})
    assert ok.status_code == 200 and ok.get_json()["first_time"] is True
    staff = signed_in(fair["employer"].user)
    from jobfair.models import FairRegistration

    with app.app_context():
        assert db.session.scalar(
            db.select(FairRegistration).filter_by(fair_id=fair["id"], seeker_user_id=seeker.id)
        )
    del staff


def test_kiosk_ticket_for_a_registered_seeker(app, client, fair, make_seeker, make_user, signed_in):
    seeker = make_seeker()
    sign_in(client, seeker)
    client.post(f"/api/v1/fairs/{fair['id']}/registration")
    code = client.get(f"/api/v1/fairs/{fair['id']}/checkin-code").get_json()["code"]
    staff = signed_in(make_user(role="organiser"))
    resp = staff.post(
        f"/api/v1/onsite/fairs/{fair['id']}/kiosk/tickets",
        json={"code": code, "booth_id": fair["booth_id"]},
    )
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["ticket"]["place"] == 1
    bad = staff.post(
        f"/fairs/{fair['id']}/kiosk/ticket", data={"code": "ZZZZ9999", "booth_id": fair["booth_id"]}
    )
    assert bad.status_code == 422 and "签到码不正确" in bad.get_data(as_text=True)
