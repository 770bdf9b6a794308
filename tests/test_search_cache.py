"""The search result cache: repeated searches are served from memory, changes show at once."""

import sqlite3

import pytest
from sqlalchemy import event

from jobfair.extensions import db
from jobfair.positions import cache as result_cache


@pytest.fixture
def search(app):
    from jobfair.positions.search import parse_filters, search_positions

    def run(**args):
        with app.app_context():
            filters = parse_filters({k: str(v) for k, v in args.items()})
            result = search_positions(filters, filters["page"], filters["page_size"])
            db.session.remove()
        return result

    return run


@pytest.fixture
def statements(app):
    """A list that collects the SQL statements the app runs."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def position_queries(seen):
    return [s for s in seen if "FROM positions" in s or "positions_fts" in s]


def test_repeated_search_is_served_from_the_cache(search, make_position, statements):
    make_position()
    first = search(q="焊工")
    assert position_queries(statements)
    statements.clear()
    again = search(q="  焊工 ")  # same search, other spacing
    assert again.total == first.total == 1
    assert position_queries(statements) == []


def test_changes_through_the_app_show_at_once(app, search, make_employer, make_position):
    from jobfair.database import writing
    from jobfair.models import Position

    emp = make_employer()
    pos = make_position(employer=emp)
    assert search(q="焊工").total == 1
    make_position(employer=emp)  # a new position committed by this process
    assert search(q="焊工").total == 2
    with app.app_context(), writing():
        db.session.get(Position, pos.id).status = "closed"
        db.session.commit()
    assert search(q="焊工").total == 1
    with app.app_context(), writing():
        db.session.execute(db.update(Position).values(status="closed"))
        db.session.commit()
    assert search(q="焊工").total == 0


def test_changes_by_another_process_show_on_sqlite(app, search, make_position, db_url, monkeypatch):
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL relies on the time limit for other processes' changes")
    monkeypatch.setattr(result_cache, "SYNC_INTERVAL", 0.0)
    pos = make_position()
    assert search(q="焊工").total == 1
    other = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    with other:
        other.execute("UPDATE positions SET status = 'closed' WHERE id = ?", (pos.id,))
    other.close()
    assert search(q="焊工").total == 0


def test_cache_can_be_turned_off(app, search, make_position, statements):
    app.config["SEARCH_CACHE_TTL"] = 0
    app.extensions.pop("jobfair_search_cache", None)
    make_position()
    search(q="焊工")
    statements.clear()
    search(q="焊工")
    assert position_queries(statements)


def test_lru_keeps_the_newest_entries():
    cache = result_cache.ResultCache(max_entries=2, ttl=60)
    gen = result_cache.generation()
    for key in "abc":
        cache.put(key, key.upper(), gen)
    assert cache.get("a") is None and cache.get("c") == "C"
    result_cache.invalidate()
    assert cache.get("c") is None
    cache.put("d", "D", gen)  # computed before the change: not stored
    assert cache.get("d") is None
