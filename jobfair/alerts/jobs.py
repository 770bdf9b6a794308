"""Background job of job alerts: the daily digests, run by `flask scheduler` (jobs.schedule)."""

from datetime import datetime

from jobfair.alerts.services import send_due_digests
from jobfair.database import writing


def send_daily_digests(now: str | None = None) -> dict[str, int]:
    """send_due_digests for the scheduler's slot (`now`: naive UTC, ISO); idempotent per day."""
    with writing():
        return send_due_digests(datetime.fromisoformat(now) if now else None)
