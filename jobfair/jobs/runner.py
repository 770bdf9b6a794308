"""Performing a run: at most once to completion, with attempts counted and progress recorded."""

import contextvars
import importlib
import json
import logging
import time

from flask import current_app
from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from jobfair.database import is_writing, reset_write_intent, set_write_intent, writing
from jobfair.extensions import db
from jobfair.models.common import utcnow
from jobfair.models.job import JobRun, JobStatus

log = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between two progress writes of one run
IN_PLACE_BACKOFF = [1, 5, 30]  # seconds between attempts when not under RQ (0 when TESTING)

_current: contextvars.ContextVar = contextvars.ContextVar("jobfair_job_run", default=None)
_app = None  # the app `flask worker` serves jobs for (RQ calls perform_queued without one)


class _Progress:
    def __init__(self, run_id: int):
        self.run_id = run_id
        self.last = 0.0


def bind_app(app) -> None:
    """The app whose context RQ jobs of this process run in (set by `flask worker`)."""
    global _app
    _app = app


def resolve(path: str):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def current_run_id() -> int | None:
    """The id of the run being performed (None outside a run)."""
    state = _current.get()
    return state.run_id if state is not None else None


def progress(done: int, total: int | None = None, message: str = "", *, force=False) -> None:
    """Record how far the current run got (a no-op outside a run). Written in its own short
    transaction, at most every PROGRESS_EVERY seconds, so a page polling it sees it move."""
    state = _current.get()
    if state is None:
        return
    now = time.monotonic()
    if not force and now - state.last < PROGRESS_EVERY:
        return
    state.last = now
    values = {"progress": max(0, int(done))}
    if total is not None:
        values["total"] = max(0, int(total))
    if message:
        values["message"] = message[:200]
    sqlite = db.engine.dialect.name == "sqlite"
    if sqlite and is_writing() and db.session().in_transaction():
        return  # SQLite has one writer: the task's own transaction holds it until it commits
    try:
        with writing(), db.engine.begin() as conn:
            if sqlite:
                conn.exec_driver_sql("PRAGMA busy_timeout = 200")
            try:
                conn.execute(update(JobRun).where(JobRun.id == state.run_id).values(**values))
            finally:
                if sqlite:
                    busy = int(current_app.config["SQLITE_BUSY_TIMEOUT_MS"])
                    conn.exec_driver_sql(f"PRAGMA busy_timeout = {busy}")
    except OperationalError:  # progress is a courtesy: never fail the work for it
        log.debug("job run %s: progress not recorded (database busy)", state.run_id)


def perform(run_id: int) -> object:
    """Run the task of a run once (inside an app context). A run already done is skipped;
    an exception is recorded and raised again (so the queue retries)."""
    with writing():
        run = db.session.get(JobRun, run_id)
        if run is None:
            log.warning("job run %s does not exist", run_id)
            db.session.rollback()
            return None
        if run.status == JobStatus.DONE:
            log.info("job run %s is already done: not run again", run_id)
            db.session.rollback()
            return json.loads(run.result) if run.result else None
        run.status = JobStatus.RUNNING
        run.attempts += 1
        run.started_at = run.started_at or utcnow()
        run.error = ""
        task, arguments = run.task, json.loads(run.arguments or "{}")
        db.session.commit()
    token = _current.set(_Progress(run_id))
    intent = set_write_intent(False)  # tasks that write say so (`with writing():`)
    try:
        result = resolve(task)(*arguments.get("args", []), **arguments.get("kwargs", {}))
    except Exception as err:
        db.session.rollback()
        with writing():
            run = db.session.get(JobRun, run_id)
            final = run.attempts >= run.max_attempts
            run.status = JobStatus.FAILED if final else JobStatus.RETRYING
            run.error = f"{type(err).__name__}: {err}"[:2000]
            if final:
                run.finished_at = utcnow()
            db.session.commit()
        log.exception("job run %s (%s) failed, attempt %s", run_id, task, run.attempts)
        raise
    finally:
        _current.reset(token)
        reset_write_intent(intent)
    db.session.rollback()  # whatever the task left open (it commits its own work)
    with writing():
        run = db.session.get(JobRun, run_id)
        run.status = JobStatus.DONE
        run.result = json.dumps(result, ensure_ascii=False, default=str) if result else ""
        run.progress = max(run.progress, run.total)
        run.finished_at = utcnow()
        db.session.commit()
    return result


def perform_here(app, run_id: int, retry_in_place: bool = False) -> None:
    """Perform a run in this process (thread or inline mode), retrying in place."""
    waits = [0] * len(IN_PLACE_BACKOFF) if app.testing else IN_PLACE_BACKOFF
    attempt = 0
    while True:
        with app.app_context():
            try:
                perform(run_id)
                return
            except Exception:
                run = db.session.get(JobRun, run_id)
                if not retry_in_place or run is None or run.status == JobStatus.FAILED:
                    return  # recorded on the run; the log has the traceback
            finally:
                db.session.remove()
        time.sleep(waits[min(attempt, len(waits) - 1)])
        attempt += 1


def perform_queued(run_id: int) -> object:
    """The RQ entry point (`flask worker` bound the app)."""
    if _app is None:
        raise RuntimeError("no app bound: run jobs with `flask worker`")
    with _app.app_context():
        try:
            return perform(run_id)
        finally:
            db.session.remove()
