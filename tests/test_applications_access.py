"""Who may see and change applications: other employers and other seekers get 404; XSS escaped."""

import pytest
from conftest import sign_in

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import Application, ApplicationEvent, User

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def world(app, make_seeker, make_employer, make_position):
    """E1 owns a position S1 applied to; E2 owns another position; S2 applied to nothing of E1."""
    s1 = make_seeker("张三" + XSS[:20], intro="自我介绍" + XSS, experience=XSS)
    s2 = make_seeker("李四")
    e1, e2 = make_employer(), make_employer()
    p1, p2 = make_position(employer=e1), make_position(employer=e2, title="叉车司机")
    clients = {}
    for key, user in (("s1", s1), ("s2", s2), ("e1", e1.user), ("e2", e2.user)):
        clients[key] = app.test_client()
        sign_in(clients[key], user)
    a1 = clients["s1"].post(f"/api/v1/positions/{p1.id}/applications", json={"note": XSS})
    a2 = clients["s2"].post(f"/api/v1/positions/{p2.id}/applications", json={"note": "二号"})
    return {
        **clients,
        "S1": s1,
        "S2": s2,
        "p1": p1,
        "p2": p2,
        "a1": a1.get_json()["id"],
        "a2": a2.get_json()["id"],
    }


def snapshot(app):
    with app.app_context():
        apps = db.session.execute(
            db.select(Application.id, Application.status, Application.note).order_by(Application.id)
        ).all()
        events = db.session.scalar(db.select(db.func.count()).select_from(ApplicationEvent))
        return [tuple(r) for r in apps], events


def test_other_employer_gets_404_everywhere_and_nothing_changes(app, world):
    e2, a1, p1 = world["e2"], world["a1"], world["p1"]
    before = snapshot(app)
    for path in (
        f"/employer/positions/{p1.id}/applicants",
        f"/employer/applications/{a1}",
        f"/api/v1/employer/positions/{p1.id}/applications",
        f"/api/v1/employer/applications/{a1}",
    ):
        assert e2.get(path).status_code == 404, path
    assert (
        e2.post(f"/employer/applications/{a1}/status", data={"status": "viewed"}).status_code == 404
    )
    resp = e2.post(f"/api/v1/employer/applications/{a1}/status", json={"status": "rejected"})
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"
    assert snapshot(app) == before  # not even marked 已查看


def test_employer_never_sees_a_seeker_who_did_not_apply_to_it(app, world):
    # S2 applied to E2's position only: E1 cannot reach that application by id.
    e1, a2 = world["e1"], world["a2"]
    assert e1.get(f"/employer/applications/{a2}").status_code == 404
    assert e1.get(f"/api/v1/employer/applications/{a2}").status_code == 404
    assert e1.get(f"/employer/positions/{world['p2'].id}/applicants").status_code == 404
    assert e1.get("/employer/applications/999999").status_code == 404


def test_other_seeker_cannot_read_or_withdraw(app, world):
    s2, a1 = world["s2"], world["a1"]
    before = snapshot(app)
    assert s2.post(f"/me/applications/{a1}/withdraw").status_code == 404
    assert s2.post(f"/api/v1/me/applications/{a1}/withdraw").status_code == 404
    mine = s2.get("/api/v1/me/applications").get_json()["items"]
    assert [a["id"] for a in mine] == [world["a2"]]
    assert XSS not in s2.get("/me/applications").get_data(as_text=True)
    assert snapshot(app) == before


def test_wrong_roles_are_refused(app, world):
    s1, e1, a1, p1 = world["s1"], world["e1"], world["a1"], world["p1"]
    assert s1.get(f"/employer/positions/{p1.id}/applicants").status_code == 403
    assert s1.get(f"/employer/applications/{a1}").status_code == 403
    assert (
        s1.post(f"/api/v1/employer/applications/{a1}/status", json={"status": "viewed"}).status_code
        == 403
    )
    assert e1.post(f"/api/v1/me/applications/{a1}/withdraw").status_code == 403
    assert e1.get("/me/applications").status_code == 403
    anon = app.test_client()
    assert anon.get(f"/employer/applications/{a1}").status_code == 302
    assert anon.get(f"/api/v1/employer/applications/{a1}").status_code == 401
    assert anon.get("/api/v1/me/applications").status_code == 401


def test_user_text_is_escaped_on_employer_pages(app, world):
    e1, a1, p1 = world["e1"], world["a1"], world["p1"]
    for page in (
        e1.get(f"/employer/positions/{p1.id}/applicants").get_data(as_text=True),
        e1.get(f"/employer/applications/{a1}").get_data(as_text=True),
        world["s1"].get("/me/applications").get_data(as_text=True),
    ):
        assert "<script>alert" not in page and "<img src=x" not in page
    detail = e1.get(f"/employer/applications/{a1}").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in detail and "&lt;img src=x onerror=alert(1)&gt;" in detail
    # A status note with markup reaches the seeker as text.
    e1.post(f"/employer/applications/{a1}/status", data={"status": "interview", "note": XSS})
    mine = world["s1"].get("/me/applications").get_data(as_text=True)
    assert "<script>alert" not in mine and "&lt;script&gt;" in mine


def test_forms_and_cookie_api_need_the_csrf_token(app, make_user, make_position):
    from jobfair.seekers import services

    seeker = make_user()
    with app.app_context(), writing():
        services.save_profile(
            db.session.get(User, seeker.id), {"name": "王五", "phone": seeker.phone}
        )
    pos = make_position()
    client = app.test_client()
    sign_in(client, seeker)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/positions/{pos.id}/apply", data={"note": "x"}).status_code == 400
    assert client.post(f"/api/v1/positions/{pos.id}/applications", json={}).status_code == 400
    assert client.post("/me/profile", data={"name": "改"}).status_code == 400
    assert client.post("/me/delete", data={"password": "x"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0
    page = client.get("/me/profile").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    resp = client.post(
        f"/api/v1/positions/{pos.id}/applications", json={}, headers={"X-CSRFToken": token}
    )
    assert resp.status_code == 201


def test_openapi_documents_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/me/profile",
        "/api/v1/me/export",
        "/api/v1/me",
        "/api/v1/positions/{position_id}/applications",
        "/api/v1/me/applications",
        "/api/v1/me/applications/{application_id}/withdraw",
        "/api/v1/employer/positions/{position_id}/applications",
        "/api/v1/employer/applications/{application_id}",
        "/api/v1/employer/applications/{application_id}/status",
    ):
        assert path in paths, path
    assert "put" in paths["/api/v1/me/profile"] and "delete" in paths["/api/v1/me"]


def test_huge_ids_and_pages_are_404_not_500(app, world):
    big = 2**40
    s1, e1 = world["s1"], world["e1"]
    assert s1.post(f"/api/v1/positions/{big}/applications").status_code == 404
    assert s1.post(f"/positions/{big}/apply").status_code == 404
    assert s1.post(f"/api/v1/me/applications/{big}/withdraw").status_code == 404
    assert e1.get(f"/employer/applications/{big}").status_code == 404
    assert e1.get(f"/api/v1/employer/positions/{big}/applications").status_code == 404
    resp = e1.post(f"/api/v1/employer/applications/{big}/status", json={"status": "viewed"})
    assert resp.status_code == 404
    p1 = world["p1"].id
    assert e1.get(f"/employer/positions/{p1}/applicants?page={10**30}").status_code == 200
    assert e1.get(f"/api/v1/employer/positions/{p1}/applications?page=-5").status_code == 200
