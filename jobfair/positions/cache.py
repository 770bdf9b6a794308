"""A small in-process cache of public search results, dropped whenever positions change.

Ranking every keyword match with bm25 costs 10–40 ms on 100,000 positions, while the same
few searches (焊工, 普工, the first page of the list …) arrive again and again. Results are kept
per app for a short time (SEARCH_CACHE_TTL seconds, default 30; 0 turns the cache off) and
thrown away:
- at once when this process commits a change to positions, their groups or employers
  (SQLAlchemy session events);
- on SQLite, within a second of anything being committed to the database file by any
  process (PRAGMA data_version on a private connection, looked at once a second at most);
- on PostgreSQL, changes made by other processes show up within the TTL.
"""

import sqlite3
import threading
import time
from collections import OrderedDict

from sqlalchemy import event
from sqlalchemy.orm import Session

from jobfair import events

_generation = 0
_generation_lock = threading.Lock()
_WATCHED_TABLES = frozenset({"positions", "position_groups", "employers", "occupations"})
_WRITE_PREFIXES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_ROW_TABLES = frozenset({"positions", "position_groups"})  # what the search index holds
_bulk = 0


def generation() -> int:
    return _generation


def invalidate() -> None:
    """Forget every cached result in this process."""
    global _generation
    with _generation_lock:
        _generation += 1


class ResultCache:
    """LRU of search results keyed by the normalised filters and page."""

    def __init__(self, max_entries: int = 1024, ttl: float = 30.0):
        self.max_entries = max_entries
        self.ttl = ttl
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._flights: dict = {}
        self.hits = 0
        self.misses = 0

    def get(self, key):
        now = time.monotonic()
        with self._lock:
            entry = self._data.get(key)
            if entry is None or entry[0] != _generation or now - entry[1] > self.ttl:
                if entry is not None:
                    del self._data[key]
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return entry[2]

    def get_or_compute(self, key, compute):
        """The cached value, or compute it once even when several threads ask together."""
        found = self.get(key)
        if found is not None:
            return found
        with self._lock:
            flight = self._flights.get(key)
            leader = flight is None
            if leader:
                flight = self._flights[key] = threading.Event()
        if not leader:
            flight.wait(timeout=30)
            found = self.get(key)
            if found is not None:
                return found
            return compute()
        try:
            gen = _generation
            value = compute()
            self.put(key, value, gen)
            return value
        finally:
            with self._lock:
                self._flights.pop(key, None)
            flight.set()

    def put(self, key, value, gen: int) -> None:
        if gen != _generation:  # the data changed while this result was computed
            return
        with self._lock:
            self._data[key] = (gen, time.monotonic(), value)
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


SYNC_INTERVAL = 1.0
MAX_WATCHERS = 4
_last_sync = 0.0
_watchers: dict[str, tuple[sqlite3.Connection, list]] = {}
_watchers_lock = threading.Lock()


def needs_sync() -> bool:
    return time.monotonic() - _last_sync >= SYNC_INTERVAL


def sync_with_database(engine) -> None:
    """On SQLite, drop the cache if anything was committed to the file since the last look.

    PRAGMA data_version on a connection changes whenever *another* connection commits, so a
    private connection that never writes sees every commit: this process's and others'.
    """
    global _last_sync
    _last_sync = time.monotonic()
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return
    path = engine.url.database
    if path == ":memory:":
        return
    with _watchers_lock:
        watcher = _watchers.get(path)
        if watcher is None:
            while len(_watchers) >= MAX_WATCHERS:  # test runs open many database files
                _watchers.pop(next(iter(_watchers)))[0].close()
            conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            watcher = _watchers[path] = (conn, [None])
        conn, last = watcher
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if last[0] is not None and last[0] != version:
            invalidate()
        last[0] = version


# --- change tracking for this process ------------------------------------------------------------


def _touches_watched(objects) -> bool:
    return any(getattr(obj, "__tablename__", None) in _WATCHED_TABLES for obj in objects)


def _on_flush(session, _flush_context) -> None:
    if (
        _touches_watched(session.new)
        or _touches_watched(session.dirty)
        or _touches_watched(session.deleted)
    ):
        session_changed(session)


def _on_execute(state) -> None:
    """update()/delete()/insert() statements and raw DML text run through the session."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        name = getattr(table, "name", None)
        if name in _WATCHED_TABLES:
            session_changed(state.session)
        if name in _ROW_TABLES:
            events.after_commit(_bulk_written, key="search-bulk", session=state.session)
        return
    text = getattr(state.statement, "text", None)
    if isinstance(text, str) and text.lstrip().upper().startswith(_WRITE_PREFIXES):
        session_changed(state.session)
        if "position" in text.lower():
            events.after_commit(_bulk_written, key="search-bulk", session=state.session)


def bulk_writes() -> int:
    """How many transactions wrote positions with a statement rather than through objects
    (the search index rebuilds after one, since no object flush listed the rows)."""
    return _bulk


def _bulk_written() -> None:
    global _bulk
    with _generation_lock:
        _bulk += 1


def session_changed(session) -> None:
    """Clear this process's cache once the session's transaction commits."""
    events.after_commit(invalidate, key="search-cache", session=session)


def listen() -> None:
    """Follow every session's writes to the watched tables (idempotent)."""
    for name, fn in (("after_flush", _on_flush), ("do_orm_execute", _on_execute)):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)
