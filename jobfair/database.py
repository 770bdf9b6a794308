"""Engine set-up: SQLite WAL, busy timeout and IMMEDIATE write transactions."""

import contextvars
import threading
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine

# Set for requests and services that will write. On SQLite a deferred transaction that
# later upgrades to a write lock fails at once with "database is locked" instead of
# waiting for busy_timeout, so writers take the lock up front with BEGIN IMMEDIATE.
_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)


# One SQLite writer per process at a time, waiting on a lock rather than in SQLite's busy
# handler. Under gevent this is what keeps the process alive: a greenlet holding the write lock
# may yield (a Redis call, a socket send), and another one spinning in the busy handler would
# block the whole event loop, so the holder could never finish. Made at import, after
# deploy/gunicorn.conf.py has monkey-patched threading, so it is a gevent lock there.
_writer = threading.RLock()


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    from flask import current_app

    busy_ms = int(current_app.config["SQLITE_BUSY_TIMEOUT_MS"])

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Hand transaction control to the "begin" hook below.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {busy_ms}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if _write_intent.get():
            # Never wait longer than SQLite itself would; past that, SQLite says "locked".
            if _writer.acquire(timeout=busy_ms / 1000):
                conn.info["jobfair_writer"] = True
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(conn):
        if conn.info.pop("jobfair_writer", False):
            _writer.release()

    # A connection handed back or dropped mid-transaction ends its write too. Each event gets
    # a listener with its own signature: a catch-all *args one is taken for SQLAlchemy 1.x's
    # "reset" signature, which costs a deprecation warning on every connection handed back.
    def _end_write(record) -> None:
        if record.info.pop("jobfair_writer", False):
            _writer.release()

    @event.listens_for(engine.pool, "reset")
    def _on_reset(_dbapi_conn, record, _reset_state):
        _end_write(record)

    @event.listens_for(engine.pool, "invalidate")
    def _on_invalidate(_dbapi_conn, record, _exception):
        _end_write(record)


def set_write_intent(value: bool = True) -> contextvars.Token:
    return _write_intent.set(value)


def reset_write_intent(token: contextvars.Token) -> None:
    _write_intent.reset(token)


def is_writing() -> bool:
    return _write_intent.get()


@contextmanager
def writing():
    """Run the block with write intent: new transactions on SQLite begin IMMEDIATE."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def begin_write(session) -> None:
    """Make sure what follows runs in a write transaction.

    If a read transaction is already open (a GET that decides to write), it is closed first
    so the next statement begins a transaction that holds the write lock.
    """
    if _write_intent.get():
        return
    session = session() if callable(session) and not hasattr(session, "in_transaction") else session
    if session.in_transaction():
        session.commit()
    _write_intent.set(True)
