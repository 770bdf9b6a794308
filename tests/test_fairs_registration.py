"""Fairs, seekers: register with capacity and eligibility rules, no duplicates, unregister,
"我的招聘会" — through pages and the API."""

from conftest import run_together, sign_in

from jobfair.extensions import db
from jobfair.models import FairRegistration, User


def registered(app, fair_id):
    with app.app_context():
        return db.session.scalars(
            db.select(FairRegistration.seeker_user_id).filter_by(fair_id=fair_id)
        ).all()


def test_register_unregister_and_my_fairs(app, client, make_fair, make_priority_seeker):
    fair_id = make_fair()
    seeker = make_priority_seeker(groups=(), district=None)
    sign_in(client, seeker)
    resp = client.post(f"/fairs/{fair_id}/register", follow_redirects=True)
    body = resp.get_data(as_text=True)
    assert "报名成功" in body and "已报名" in body and "取消报名" in body
    assert registered(app, fair_id) == [seeker.id]
    assert "2027 年春风行动线上招聘会" in client.get("/fairs/mine").get_data(as_text=True)

    again = client.post(f"/fairs/{fair_id}/register", follow_redirects=True)
    assert "你已报名本场招聘会" in again.get_data(as_text=True)
    assert registered(app, fair_id) == [seeker.id]
    api = client.post(f"/api/v1/fairs/{fair_id}/registration")
    assert api.status_code == 409 and api.get_json()["error"]["code"] == "already_registered"

    resp = client.post(f"/fairs/{fair_id}/unregister", follow_redirects=True)
    assert "已取消报名" in resp.get_data(as_text=True)
    assert registered(app, fair_id) == []
    assert "还没有报名" in client.get("/fairs/mine").get_data(as_text=True)

    assert client.post(f"/api/v1/fairs/{fair_id}/registration").status_code == 201
    assert [f["id"] for f in client.get("/api/v1/fairs/mine").get_json()] == [fair_id]
    assert client.get(f"/api/v1/fairs/{fair_id}").get_json()["registered"] is True
    resp = client.delete(f"/api/v1/fairs/{fair_id}/registration")
    assert resp.status_code == 200 and resp.get_json()["registered"] is False
    assert registered(app, fair_id) == []


def test_capacity_is_respected(app, make_fair, make_priority_seeker):
    fair_id = make_fair(capacity=2)
    clients = []
    for _ in range(3):
        c = app.test_client()
        sign_in(c, make_priority_seeker(groups=(), district=None))
        clients.append(c)
    assert clients[0].post(f"/api/v1/fairs/{fair_id}/registration").status_code == 201
    assert clients[1].post(f"/api/v1/fairs/{fair_id}/registration").status_code == 201
    full = clients[2].post(f"/api/v1/fairs/{fair_id}/registration")
    assert full.status_code == 409
    assert full.get_json()["error"] == {"code": "fair_full", "message": "本场招聘会报名人数已满。"}
    page = clients[2].post(f"/fairs/{fair_id}/register", follow_redirects=True)
    assert "本场招聘会报名人数已满" in page.get_data(as_text=True)
    assert len(registered(app, fair_id)) == 2
    # A freed seat can be taken again.
    clients[0].delete(f"/api/v1/fairs/{fair_id}/registration")
    assert clients[2].post(f"/api/v1/fairs/{fair_id}/registration").status_code == 201


def test_eligibility_uses_verified_consented_priority_groups(app, make_fair, make_priority_seeker):
    fair_id = make_fair(title="高校毕业生云招聘专场", eligibility_group="graduate")
    cases = [
        (make_priority_seeker(groups=["graduate"], district=None), 201),
        (make_priority_seeker(groups=["rural_migrant"], district=None), 403),
        (
            make_priority_seeker(groups=["graduate"], district=None, consent=False),
            403,
        ),  # no consent: group not used
        (make_priority_seeker(groups=(), district=None), 403),
        # 本人申报 only: a request, not a status, until a case worker's 认定.
        (make_priority_seeker(groups=["graduate"], district=None, verified=False), 403),
    ]
    for seeker, status in cases:
        c = app.test_client()
        sign_in(c, seeker)
        resp = c.post(f"/api/v1/fairs/{fair_id}/registration")
        assert resp.status_code == status
        if status == 403:
            assert "本场招聘会仅面向经认定的高校毕业生" in resp.get_json()["error"]["message"]
            page = c.post(f"/fairs/{fair_id}/register", follow_redirects=True)
            assert "本场招聘会仅面向经认定的高校毕业生" in page.get_data(as_text=True)
    assert registered(app, fair_id) == [cases[0][0].id]


def test_seeker_without_profile_can_register_an_open_fair(app, client, make_fair, make_user):
    fair_id = make_fair()
    user = make_user()
    sign_in(client, user)
    assert client.post(f"/api/v1/fairs/{fair_id}/registration").status_code == 201


def test_past_draft_and_closed_fairs(app, client, make_fair, make_priority_seeker):
    past = make_fair(title="往期招聘会", start=-48, hours=2)
    draft = make_fair(title="草稿招聘会", status="draft")
    closed = make_fair(title="已关闭招聘会", status="closed")
    sign_in(client, make_priority_seeker(groups=(), district=None))
    resp = client.post(f"/api/v1/fairs/{past}/registration")
    assert resp.status_code == 409 and "已结束" in resp.get_json()["error"]["message"]
    assert client.post(f"/api/v1/fairs/{closed}/registration").status_code == 409
    assert client.post(f"/api/v1/fairs/{draft}/registration").status_code == 404
    assert client.post(f"/fairs/{draft}/register").status_code == 404
    listing = client.get("/fairs").get_data(as_text=True)
    assert "往期招聘会" in listing and "已关闭招聘会" in listing and "草稿招聘会" not in listing
    phases = {f["title"]: f["phase"] for f in client.get("/api/v1/fairs").get_json()}
    assert phases == {"往期招聘会": "past", "已关闭招聘会": "past"}


def test_only_seekers_register(app, make_fair, make_employer, make_user):
    fair_id = make_fair()
    anon = app.test_client()
    assert anon.post(f"/api/v1/fairs/{fair_id}/registration").status_code == 401
    resp = anon.post(f"/fairs/{fair_id}/register")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    emp = app.test_client()
    sign_in(emp, make_employer().user)
    assert emp.post(f"/api/v1/fairs/{fair_id}/registration").status_code == 403
    assert emp.get("/fairs/mine").status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) >= 1
    assert registered(app, fair_id) == []


def test_simultaneous_registrations_never_exceed_capacity(app, make_fair, make_user):
    """Twelve seekers press 报名 at once for five seats: five rows, seven clean 409s."""
    fair_id = make_fair(capacity=5)
    clients = [sign_in(app.test_client(), make_user()) for _ in range(12)]

    def register(c):
        resp = c.post(f"/api/v1/fairs/{fair_id}/registration")
        return resp.status_code, (resp.get_json().get("error") or {}).get("code")

    results = run_together(clients, register, first=f"/api/v1/fairs/{fair_id}")
    assert sorted(results, key=str) == sorted(
        [(201, None)] * 5 + [(409, "fair_full")] * 7, key=str
    ), results
    assert len(registered(app, fair_id)) == 5
