"""Case work listens to the application pipeline: 已入职 is the platform's 就业登记.

录用 alone counts nothing (a hire counts when work starts), so a 录用 moved back to 未通过
before 入职 leaves no record to correct; an employment that ends after 入职 is reversed by
离职 (casework.registrations.end_employment).
"""

from jobfair import events
from jobfair.casework.registrations import register_platform_hire
from jobfair.models.application import ApplicationStatus


def _record_start(application, to_status, actor_id=None, **_kw) -> None:
    # In the sender's transaction: the 就业登记, its outcome record, the households it clears
    # and the case file's 已就业 are written together with the status change, or not at all.
    if to_status == ApplicationStatus.ONBOARDED:
        register_platform_hire(application, actor_id=actor_id)


def connect() -> None:
    events.application_status_changed.connect(_record_start)
