"""Interview work the scheduler runs (see jobfair/jobs/schedule.py)."""

from datetime import datetime

from jobfair.interviews.services import send_due_reminders


def send_interview_reminders(now: str | None = None) -> int:
    return send_due_reminders(datetime.fromisoformat(now) if now else None)
