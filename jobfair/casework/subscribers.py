"""Case work listens to the application pipeline: a hire closes the loop on the case file."""

from jobfair import events
from jobfair.casework.placements import record_hire
from jobfair.models.application import ApplicationStatus

HIRE_STATUSES = (ApplicationStatus.HIRED, ApplicationStatus.ONBOARDED)


def _record_hire(application, to_status, actor_id=None, **_kw) -> None:
    # In the sender's transaction: the hire marks the case file employed and closes the
    # member's zero-employment household together with the status change, or not at all.
    if to_status in HIRE_STATUSES:
        record_hire(application.seeker_id, source="hire", actor_id=actor_id)


def connect() -> None:
    events.application_status_changed.connect(_record_hire)
