"""Concurrent writes wait for each other instead of failing with "database is locked"."""

import threading

import pytest
from conftest import PASSWORD

from jobfair.extensions import db
from jobfair.models import User


def test_twenty_simultaneous_registrations_all_succeed(app):
    n = 20
    barrier = threading.Barrier(n)
    results: list[int] = []

    def register(i: int) -> None:
        client = app.test_client()
        client.get("/login")  # a read first, like a browser would
        barrier.wait()
        resp = client.post(
            "/register",
            data={"login": f"1370000{i:04d}", "password": PASSWORD, "name": f"并发{i}"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{i + 1}"},
        )
        results.append(resp.status_code)
        client.get("/me")  # read after write

    threads = [threading.Thread(target=register, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [302] * n
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == n


def test_sqlite_runs_in_wal_mode_with_busy_timeout(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite settings")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
