"""Background jobs of case work: escalating zero-employment households past their deadline."""

from jobfair.casework import households
from jobfair.database import writing


def escalate_households() -> dict:
    """Escalate every household open past its deadline and tell the supervisors. Idempotent:
    only households not yet escalated are touched, notices go in the same transaction."""
    with writing():
        count = households.escalate_overdue()
    return {"escalated": count}
