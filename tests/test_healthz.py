"""/healthz: what a load balancer or supervisor asks before sending a process traffic."""

from sqlalchemy import exc as sa_exc

from jobfair.extensions import db


def test_healthz_is_ok_when_the_database_answers(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_with_retry_after_when_the_database_is_down(client, monkeypatch):
    def down(*args, **kwargs):
        raise sa_exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", down)
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == "5"
    assert resp.get_json()["error"]["code"] == "unavailable"
    assert "数据库" in resp.get_json()["error"]["message"]
