"""Background jobs: heavy or slow work leaves the request, runs once, is retried, reports progress.

    from jobfair import jobs
    run = jobs.enqueue(export_report, kind, fmt, user_id=actor.id, key=f"export:{...}")
    db.session.commit()          # the run is dispatched once the caller's transaction commits

Inside a task, `jobs.progress(done, total, message)` records how far it got (the page polls
GET /api/v1/jobs/<id>). Where runs go (JOBS_MODE):
- "rq": the RQ queue on JOBFAIR_REDIS_URL, run by `flask worker` (retries with back-off);
  the default when Redis is configured. If Redis cannot be reached at dispatch time, the run
  falls back to "thread" rather than being lost.
- "thread": a background thread of this process (`make run` without Redis);
- "inline": right after the commit, in the committing process (the test suite's default).
`flask scheduler` enqueues the daily entries of jobs.schedule.SCHEDULE.

A run is idempotent at two levels: a run marked done is never performed again (a queue that
delivers a job twice, a retry after success), and `key` makes enqueueing the same work twice
return the first run. Tasks themselves commit their effects in one transaction, so a failed
attempt leaves nothing half-sent for the retry to repeat.
"""

from jobfair.jobs.queue import enqueue, get_run, run_payload
from jobfair.jobs.runner import current_run_id, progress

__all__ = ["current_run_id", "enqueue", "get_run", "progress", "run_payload"]
