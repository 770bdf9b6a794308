"""到场: explicit online join, QR / code check-in on site, once per person and fair."""

import re

from conftest import sign_in

from jobfair.database import writing
from jobfair.extensions import db


def _registered(app, client, make_seeker, fair_id):
    seeker = make_seeker()
    sign_in(client, seeker)
    assert client.post(f"/api/v1/fairs/{fair_id}/registration").status_code == 201
    return seeker


def _attendance(app, fair_id):
    from jobfair.models import FairAttendance

    with app.app_context():
        return list(db.session.scalars(db.select(FairAttendance).filter_by(fair_id=fair_id)))


def test_opening_the_fair_is_not_attending_but_joining_is_once(app, client, make_fair, make_seeker):
    fair_id = make_fair()
    seeker = make_seeker()
    sign_in(client, seeker)
    refused = client.post(f"/api/v1/fairs/{fair_id}/attendance")
    assert refused.status_code == 409 and "请先报名" in refused.get_json()["error"]["message"]
    client.post(f"/api/v1/fairs/{fair_id}/registration")
    page = client.get(f"/fairs/{fair_id}").data.decode()
    assert "进入会场（线上参会）" in page
    assert _attendance(app, fair_id) == []  # opening the page records nothing
    first = client.post(f"/api/v1/fairs/{fair_id}/attendance").get_json()
    again = client.post(f"/fairs/{fair_id}/attend")
    assert first["first_time"] is True and again.status_code == 302
    rows = _attendance(app, fair_id)
    assert len(rows) == 1 and rows[0].online_at is not None and rows[0].onsite_at is None
    assert "已到场" in client.get(f"/fairs/{fair_id}").data.decode()
    assert client.get(f"/api/v1/fairs/{fair_id}").get_json()["attended"] is True


def test_upcoming_fair_cannot_be_entered_yet(client, make_fair, make_seeker):
    fair_id = make_fair(start=24)
    seeker = make_seeker()
    sign_in(client, seeker)
    client.post(f"/api/v1/fairs/{fair_id}/registration")
    resp = client.post(f"/api/v1/fairs/{fair_id}/attendance")
    assert resp.status_code == 409 and "还没有开始" in resp.get_json()["error"]["message"]


def test_qr_check_in_by_organiser_and_booth_staff_only(
    app, client, make_fair, make_seeker, make_user, make_employer, signed_in
):
    from jobfair.models import Booth

    fair_id = make_fair()
    _registered(app, client, make_seeker, fair_id)
    code = client.get(f"/api/v1/fairs/{fair_id}/checkin-code").get_json()
    body = {"code": code["code"]}
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{8}", code["code"])
    assert code["url"].endswith(f"/fairs/{fair_id}/checkin?code={code['code']}")
    page = client.get(f"/fairs/{fair_id}/checkin-code").data.decode()
    assert "<svg" in page and code["code"][:4] in page

    # Another seeker cannot check people in, nor can an employer without a booth here.
    other = signed_in(make_seeker())
    assert other.post(f"/api/v1/fairs/{fair_id}/checkins", json=body).status_code == 403
    no_booth = make_employer()
    stranger = signed_in(no_booth.user)
    assert stranger.post(f"/api/v1/fairs/{fair_id}/checkins", json=body).status_code == 403

    booth_employer = make_employer()
    with app.app_context(), writing():
        db.session.add(Booth(fair_id=fair_id, employer_id=booth_employer.id, status="approved"))
        db.session.commit()
    staff = signed_in(booth_employer.user)
    wrong = staff.post(f"/api/v1/fairs/{fair_id}/checkins", json={"code": "AAAA2222"})
    assert wrong.status_code == 422 and "签到码不正确" in wrong.get_json()["error"]["message"]
    # The scanned QR opens the page with the code filled in; staff confirm.
    opened = staff.get(f"/fairs/{fair_id}/checkin?code={code['code']}").data.decode()
    assert f'value="{code["code"]}"' in opened
    done = staff.post(f"/fairs/{fair_id}/checkin", data={"code": code["code"].lower()})
    assert done.status_code == 200 and "签到成功" in done.data.decode()
    organiser = signed_in(make_user(role="organiser"))
    repeat = organiser.post(f"/api/v1/fairs/{fair_id}/checkins", json={"code": code["code"]})
    assert repeat.status_code == 200 and repeat.get_json()["first_time"] is False
    assert "1390000" not in repeat.get_data(as_text=True)
    rows = _attendance(app, fair_id)
    assert len(rows) == 1 and rows[0].onsite_at is not None
    listing = organiser.get(f"/organiser/fairs/{fair_id}/registrations").data.decode()
    assert "现场签到" in listing
    api = organiser.get(f"/api/v1/fairs/{fair_id}/registrations").get_json()
    assert api["items"][0]["onsite_at"] is not None and api["items"][0]["online_at"] is None


def test_check_in_and_online_join_are_one_attendance(
    app, client, make_fair, make_seeker, make_user, signed_in
):
    fair_id = make_fair()
    _registered(app, client, make_seeker, fair_id)
    code = client.get(f"/api/v1/fairs/{fair_id}/checkin-code").get_json()["code"]
    client.post(f"/api/v1/fairs/{fair_id}/attendance")
    signed_in(make_user(role="organiser")).post(
        f"/api/v1/fairs/{fair_id}/checkins", json={"code": code}
    )
    rows = _attendance(app, fair_id)
    assert len(rows) == 1 and rows[0].online_at and rows[0].onsite_at


def test_joining_a_booth_queue_counts_as_attending(app, world, signed_in):
    seeker = world.seekers[0]
    client = signed_in(seeker)
    assert _attendance(app, world.fair_id) == []
    resp = client.post(f"/api/v1/live/booths/{world.booth_id}/queue")
    assert resp.status_code in (200, 201), resp.get_json()
    rows = _attendance(app, world.fair_id)
    assert [r.seeker_user_id for r in rows] == [seeker.id] and rows[0].online_at is not None
