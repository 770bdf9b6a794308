"""Enqueueing: record a JobRun in the caller's transaction, dispatch it after the commit."""

import json
import logging
import threading

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from sqlalchemy import select

from jobfair import events
from jobfair.errors import NotFound
from jobfair.extensions import db
from jobfair.jobs import runner
from jobfair.models.job import JobRun, JobStatus
from jobfair.models.user import Role

log = logging.getLogger(__name__)

QUEUE_NAME = "jobfair"
RETRY_INTERVALS = [10, 60, 300]  # seconds before the 2nd, 3rd and 4th attempt under RQ
DEFAULT_TIMEOUT = 1800  # seconds a single attempt may take under RQ


def task_path(task) -> str:
    """'package.module.function' of a task given as a function or already as that path."""
    if isinstance(task, str):
        return task
    return f"{task.__module__}.{task.__qualname__}"


def queue_name(app=None) -> str:
    return (app or current_app).config.get("JOBS_QUEUE") or QUEUE_NAME


def mode(app=None) -> str:
    app = app or current_app
    chosen = app.config.get("JOBS_MODE") or ""
    if chosen:
        return chosen
    if app.config.get("REDIS_URL"):
        return "rq"
    return "inline" if app.testing else "thread"


def enqueue(
    task, *args, key: str | None = None, user_id: int | None = None, retries: int = 3, **kwargs
) -> JobRun:
    """A JobRun for task(*args, **kwargs), dispatched once the current transaction commits.

    Arguments must be JSON values (ids, not objects). With `key`, an existing run of that key
    is returned instead (unless it failed for good: then it is queued again).
    """
    if key is not None:
        existing = db.session.scalar(select(JobRun).where(JobRun.key == key))
        if existing is not None:
            if existing.status != JobStatus.FAILED:
                return existing
            existing.status, existing.attempts, existing.error = JobStatus.QUEUED, 0, ""
            existing.progress = 0
            _dispatch_after_commit(existing)
            return existing
    run = JobRun(
        key=key,
        task=task_path(task),
        arguments=json.dumps({"args": list(args), "kwargs": kwargs}, ensure_ascii=False),
        user_id=user_id,
        status=JobStatus.QUEUED,
        max_attempts=retries + 1,
    )
    db.session.add(run)
    db.session.flush()
    _dispatch_after_commit(run)
    return run


def _dispatch_after_commit(run: JobRun) -> None:
    app = current_app._get_current_object()
    run_id = run.id
    events.after_commit(lambda: dispatch(app, run_id), key=f"job-run:{run_id}")


def dispatch(app, run_id: int) -> None:
    """Hand a committed run to where it runs (see the package docstring)."""
    from_mode = mode(app)
    if from_mode == "rq":
        try:
            queue = Queue(queue_name(app), connection=Redis.from_url(app.config["REDIS_URL"]))
            queue.enqueue(
                "jobfair.jobs.runner.perform_queued",
                run_id,
                job_id=f"jobfair-run-{run_id}",
                retry=Retry(max=_retries(app, run_id), interval=RETRY_INTERVALS),
                job_timeout=DEFAULT_TIMEOUT,
                result_ttl=3600,
                failure_ttl=7 * 24 * 3600,
            )
            return
        except RedisError:
            log.warning("job run %s: Redis unreachable, running it in this process", run_id)
            from_mode = "thread"
    if from_mode == "inline":
        runner.perform_here(app, run_id, retry_in_place=True)
    else:
        threading.Thread(
            target=runner.perform_here,
            args=(app, run_id),
            kwargs={"retry_in_place": True},
            name=f"jobfair-job-{run_id}",
            daemon=True,
        ).start()


def _retries(app, run_id: int) -> int:
    with app.app_context():
        run = db.session.get(JobRun, run_id)
        value = max((run.max_attempts if run else 4) - 1, 1)
        db.session.remove()
    return value


def get_run(user, run_id: int) -> JobRun:
    """A run its owner (or an organiser) may look at; NotFound otherwise."""
    run = db.session.get(JobRun, run_id)
    if run is None or user is None or not getattr(user, "is_authenticated", False):
        raise NotFound("没有找到这项后台任务。")
    if run.user_id != user.id and user.role != Role.ORGANISER:
        raise NotFound("没有找到这项后台任务。")
    return run


STATUS_TEXT = {
    JobStatus.QUEUED: "排队中",
    JobStatus.RUNNING: "正在处理",
    JobStatus.RETRYING: "出错了，稍后自动重试",
    JobStatus.DONE: "已完成",
    JobStatus.FAILED: "失败",
}


def run_payload(run: JobRun) -> dict:
    """What the status endpoint returns (no arguments: they may name people)."""
    percent = 100 if run.status == JobStatus.DONE else 0
    if run.status != JobStatus.DONE and run.total:
        percent = min(99, int(run.progress * 100 / run.total))
    try:
        result = json.loads(run.result) if run.result else None
    except ValueError:
        result = None
    return {
        "id": run.id,
        "status": run.status,
        "status_text": STATUS_TEXT.get(JobStatus(run.status), run.status),
        "progress": run.progress,
        "total": run.total,
        "percent": percent,
        "message": run.message,
        "attempts": run.attempts,
        "result": result,
        "created_at": run.created_at.isoformat() + "Z" if run.created_at else None,
        "finished_at": run.finished_at.isoformat() + "Z" if run.finished_at else None,
    }
