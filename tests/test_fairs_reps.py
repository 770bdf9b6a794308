"""Fairs, employer reps: the owner creates rep accounts (first login forces a password
change), reps see their employer's booths but no company pages, removal signs them out."""

from datetime import timedelta

import pytest
from conftest import PASSWORD, sign_in

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import Booth, BoothPosition, EmployerRep, Fair, LoginSession, User
from jobfair.models.common import utcnow

REP_PASSWORD = "booth-rep-2027"


@pytest.fixture
def owner(make_employer):
    return make_employer(name="南京宁钢精工机械有限公司")


@pytest.fixture
def booth_id(app, owner, make_position):
    pos = make_position(employer=owner, title="电焊工")
    with app.app_context(), writing():
        now = utcnow()
        fair = Fair(
            title="2027 年春风行动线上招聘会",
            status="published",
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=1),
        )
        db.session.add(fair)
        db.session.flush()
        booth = Booth(fair_id=fair.id, employer_id=owner.id, status="approved")
        booth.position_links = [BoothPosition(position_id=pos.id)]
        db.session.add(booth)
        db.session.commit()
        return booth.id


def create_rep(client, phone="13912345678"):
    return client.post(
        "/employer/reps", data={"name": "王小凤", "phone": phone, "password": REP_PASSWORD}
    )


def test_owner_creates_a_rep_who_must_change_password_and_lands_on_booths(
    app, client, login, owner, booth_id
):
    sign_in(client, owner.user)
    resp = create_rep(client)
    assert resp.status_code == 302
    page = client.get("/employer/reps").get_data(as_text=True)
    assert "王小凤" in page and "未修改初始密码" in page
    with app.app_context():
        rep = db.session.scalars(db.select(EmployerRep)).one()
        assert rep.employer_id == owner.id
        assert rep.user.role == "employer" and rep.user.must_change_password

    bad = create_rep(client)  # same phone again
    assert bad.status_code == 409 and "该手机号已注册" in bad.get_data(as_text=True)
    bad = client.post("/employer/reps", data={"name": "王", "phone": "123", "password": "x"})
    assert bad.status_code == 422 and "请填写 11 位手机号" in bad.get_data(as_text=True)

    rep_client = app.test_client()
    resp = login(rep_client, "13912345678", REP_PASSWORD)
    assert resp.headers["Location"].endswith("/account/password")
    rep_client.post(
        "/account/password",
        data={"current_password": REP_PASSWORD, "new_password": "a-new-rep-password-1"},
    )
    # Where an employer lands after login: reps are sent on to their booths.
    home = rep_client.get("/employer", follow_redirects=True)
    body = home.get_data(as_text=True)
    assert home.request.path == "/fairs/my-booths"
    assert "2027 年春风行动线上招聘会" in body and "南京宁钢精工机械有限公司" in body
    assert "招聘代表账号不能管理单位信息" in body
    assert rep_client.get("/api/v1/fairs/booths/mine").get_json()[0]["id"] == booth_id


def test_rep_cannot_use_company_pages_or_apis(app, owner, booth_id, make_user):
    rep_user = make_user(role="employer", name="王小凤")
    with app.app_context(), writing():
        db.session.add(EmployerRep(employer_id=owner.id, user_id=rep_user.id))
        db.session.commit()
    c = app.test_client()
    sign_in(c, rep_user)
    for url in (
        "/employer",
        "/employer/profile",
        "/employer/positions",
        "/employer/positions/new",
        "/employer/fairs",
        "/employer/reps",
        f"/employer/booths/{booth_id}/edit",
    ):
        resp = c.get(url)
        assert resp.status_code == 302, url
        assert resp.headers["Location"].endswith("/fairs/my-booths"), url
    # A rep cannot create a company of its own with its account.
    resp = c.post("/employer/profile", data={"name": "冒名单位", "credit_code": "x"})
    assert resp.status_code == 302
    with app.app_context():
        from jobfair.models import Employer

        assert db.session.scalar(db.select(Employer).filter_by(user_id=rep_user.id)) is None
    api = c.get("/api/v1/employer/profile")
    assert api.status_code == 403 and "招聘代表" in api.get_json()["error"]["message"]
    assert c.put("/api/v1/employer/profile", json={}).status_code == 403
    resp = c.patch(f"/api/v1/fairs/booths/{booth_id}", json={"chat_minutes": 5})
    assert resp.status_code == 403
    # The booth itself, and the public pages, work for the rep.
    assert c.get("/fairs/my-booths").status_code == 200
    assert c.get("/fairs").status_code == 200


def test_removed_rep_is_suspended_and_signed_out(app, client, login, owner, booth_id):
    sign_in(client, owner.user)
    create_rep(client)
    with app.app_context(), writing():
        rep = db.session.scalars(db.select(EmployerRep)).one()
        db.session.get(User, rep.user_id).must_change_password = False
        db.session.commit()
        rep_id, rep_user_id = rep.id, rep.user_id
    rep_client = app.test_client()
    login(rep_client, "13912345678", REP_PASSWORD)
    assert rep_client.get("/fairs/my-booths").status_code == 200

    assert client.post(f"/employer/reps/{rep_id}/remove").status_code == 302
    with app.app_context():
        assert db.session.get(EmployerRep, rep_id) is None
        assert db.session.get(User, rep_user_id).status == "suspended"
        assert db.session.scalar(db.select(LoginSession).filter_by(user_id=rep_user_id)) is None
    resp = rep_client.get("/fairs/my-booths")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert login(app.test_client(), "13912345678", REP_PASSWORD).status_code != 302


def test_other_employers_reps_are_not_found(app, client, owner, make_employer, make_user):
    other = make_employer()
    rep_user = make_user(role="employer")
    with app.app_context(), writing():
        rep = EmployerRep(employer_id=other.id, user_id=rep_user.id)
        db.session.add(rep)
        db.session.commit()
        rep_id = rep.id
    sign_in(client, owner.user)
    assert client.post(f"/employer/reps/{rep_id}/remove").status_code == 404
    with app.app_context():
        assert db.session.get(User, rep_user.id).status == "active"


def test_service_helpers(app, owner, booth_id, make_user, make_employer):
    from jobfair.employers import acting
    from jobfair.fairs.booths import booth_reps
    from jobfair.fairs.schedule import stream_kind

    rep_user = make_user(role="employer", name="王小凤")
    stranger = make_employer()
    seeker = make_user()
    with app.app_context(), writing():
        db.session.add(EmployerRep(employer_id=owner.id, user_id=rep_user.id))
        db.session.commit()
        rep = db.session.get(User, rep_user.id)
        own = db.session.get(User, owner.user.id)
        assert acting.employer_of(rep).id == owner.id
        assert acting.employer_of(own).id == owner.id
        assert acting.employer_of(db.session.get(User, seeker.id)) is None
        assert acting.is_rep_of(rep, owner.id) and acting.is_rep_of(own, owner.id)
        assert not acting.is_rep_of(rep, stranger.id)
        assert acting.is_extra_rep(rep) and not acting.is_extra_rep(own)
        booth = db.session.get(Booth, booth_id)
        assert [u.id for u in booth_reps(booth)] == sorted([own.id, rep.id])
        assert stream_kind("https://x.cn/live/a.m3u8?t=1") == "hls"
        assert stream_kind("https://x.cn/a.flv") == "flv"
        assert stream_kind("https://x.cn/embed/1") == "embed"


def test_owner_password_is_unchanged_by_rep_creation(app, client, login, owner):
    sign_in(client, owner.user)
    create_rep(client)
    assert login(app.test_client(), owner.user, PASSWORD).status_code == 302
