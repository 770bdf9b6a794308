"""Twenty simultaneous applications of one seeker to one position: exactly one row, 19 clean 409s."""

import pytest
from conftest import run_together, sign_in, tabs

from jobfair.extensions import db
from jobfair.models import Application, ApplicationEvent

N = 20


@pytest.fixture
def seeker(make_seeker):
    return make_seeker("并发求职者")


def rows(app):
    with app.app_context():
        return (
            db.session.scalar(db.select(db.func.count()).select_from(Application)),
            db.session.scalar(db.select(db.func.count()).select_from(ApplicationEvent)),
        )


def test_twenty_simultaneous_api_applications(app, seeker, make_position):
    pos = make_position()
    clients = tabs(app, seeker, N)

    def apply(c):
        resp = c.post(f"/api/v1/positions/{pos.id}/applications", json={"note": "并发"})
        return resp.status_code, resp.get_json()

    results = run_together(clients, apply, first="/me")
    assert not [r for r in results if isinstance(r, Exception)], results
    codes = sorted(code for code, _ in results)
    assert codes == [201] + [409] * (N - 1), codes
    for code, body in results:
        if code == 409:
            assert body["error"]["code"] == "already_applied"
            assert "已投递" in body["error"]["message"]
    assert rows(app) == (1, 1)


def test_twenty_simultaneous_form_applications(app, seeker, make_position):
    pos = make_position()
    clients = tabs(app, seeker, N)

    def apply(c):
        resp = c.post(f"/positions/{pos.id}/apply", data={"note": "并发"})
        flashed = c.get("/me/applications").get_data(as_text=True)
        return resp.status_code, ("已投递" in flashed, "投递成功" in flashed)

    results = run_together(clients, apply, first="/me")
    assert not [r for r in results if isinstance(r, Exception)], results
    assert [code for code, _ in results] == [302] * N
    assert sum(1 for _, (dup, ok) in results if ok and not dup) == 1
    assert sum(1 for _, (dup, _ok) in results if dup) == N - 1
    assert rows(app) == (1, 1)


def test_employer_opening_at_once_marks_viewed_once(app, seeker, make_employer, make_position):
    emp = make_employer()
    pos = make_position(employer=emp)
    s = app.test_client()
    sign_in(s, seeker)
    app_id = s.post(f"/api/v1/positions/{pos.id}/applications").get_json()["id"]
    clients = tabs(app, emp.user, 8)
    results = run_together(
        clients, lambda c: c.get(f"/employer/applications/{app_id}").status_code, first="/me"
    )
    assert results == [200] * 8
    assert rows(app) == (1, 2)  # submitted, then exactly one 已查看
