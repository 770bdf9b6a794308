"""Background job of the notification centre: the daily summaries (jobs.schedule)."""

from datetime import datetime

from jobfair.database import writing
from jobfair.notifications.digests import send_digests


def send_daily_summaries(now: str | None = None) -> dict[str, int]:
    """send_digests for the scheduler's slot (`now`: naive UTC, ISO); safe to repeat."""
    with writing():
        return send_digests(datetime.fromisoformat(now) if now else None)
