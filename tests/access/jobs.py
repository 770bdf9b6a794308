"""Background jobs: a run's status is its owner's (and organisers'); exports are organisers'."""

from jobfair.database import writing
from jobfair.extensions import db

ORGANISER_ONLY = ("login", 403, 403, "ok")

ENTRIES = {
    ("reports.start_export", "POST"): ORGANISER_ONLY,  # no form: a clear 400 for organisers
    ("reports.export_status", "GET"): ORGANISER_ONLY,
    # The run below produced no file: organisers get "not ready" (404), others never see it.
    ("reports.export_download", "GET"): ("login", 403, 403, 404),
    ("api_jobs.job_status", "GET"): ("login", 404, 404, "ok"),
}


def ids(app, ctx) -> dict:
    """A run started by another seeker (the seeker and employer clients own nothing)."""
    from jobfair.models import JobRun

    with app.app_context(), writing():
        run = JobRun(
            task="jobfair.reports.jobs.export_report",
            arguments="{}",
            user_id=ctx["seeker_owner"].id,
            status="queued",
        )
        db.session.add(run)
        db.session.commit()
        return {"run_id": run.id}
