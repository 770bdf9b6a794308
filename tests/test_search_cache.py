"""The search result cache: repeated searches are served from memory, changes show at once."""

import pytest
from sqlalchemy import event

from jobfair.extensions import db
from jobfair.positions import cache as result_cache


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


def test_repeated_search_is_served_from_the_cache(search, make_position, statements, monkeypatch):
    # No look at other processes' commits in between: one could land after make_position's
    # commit and (correctly, harmlessly) drop the first result when the first search is slow.
    monkeypatch.setattr(result_cache, "SYNC_INTERVAL", 3600.0)
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


def test_changes_by_another_process_show(app, search, make_position, make_app, monkeypatch):
    """Another app process closes a position: the search index and the cache follow."""
    from jobfair.database import writing
    from jobfair.models import Position
    from jobfair.positions import textindex

    monkeypatch.setattr(result_cache, "SYNC_INTERVAL", 0.0)
    monkeypatch.setattr(textindex, "CHECK_INTERVAL", 0.0)
    pos = make_position()
    assert search(q="焊工").total == 1
    other = make_app()
    with other.app_context(), writing():
        db.session.get(Position, pos.id).status = "closed"
        db.session.commit()
        db.session.remove()
    assert search(q="焊工").total == 0


def test_database_ranking_gives_the_same_results(app, search, make_employer, make_position):
    """SEARCH_INDEX=database (FTS5 / tsvector per request) and the in-memory index agree."""
    emp = make_employer()
    for title in ("电焊工", "二保焊工", "氩弧焊工学徒", "叉车司机", "焊接学徒"):
        make_position(employer=emp, title=title)
    queries = [{"q": "焊工"}, {"q": "电焊"}, {"q": "叉车"}, {}, {"q": "焊工", "page_size": 2}]
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    if not sqlite:  # ts_rank orders differently from bm25: compare whole result sets
        queries = [{**q, "page_size": 50} for q in queries[:4]]
    app.config["SEARCH_CACHE_TTL"] = 0
    memory = [search(**q) for q in queries]
    app.config["SEARCH_INDEX"] = "database"
    database = [search(**q) for q in queries]
    for a, b in zip(memory, database, strict=True):
        assert a.total == b.total
        if sqlite:
            assert [i.id for i in a.items] == [i.id for i in b.items]  # the same bm25
        else:
            assert {i.id for i in a.items} == {i.id for i in b.items}


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
