"""Interview work the scheduler runs (see jobfair/jobs/schedule.py)."""

from datetime import datetime

from jobfair.interviews.services import send_due_reminders
from jobfair.interviews.surveys import invite_participants


def send_interview_reminders(now: str | None = None) -> int:
    return send_due_reminders(datetime.fromisoformat(now) if now else None)


def send_survey_invitations(now: str | None = None) -> int:
    return invite_participants(datetime.fromisoformat(now) if now else None)
