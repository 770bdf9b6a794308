"""Demo data of the reports feature, loaded by `flask seed` after the core records."""

from datetime import datetime


def seed_demo(now: datetime) -> dict[str, int]:
    """Nothing to create: this feature only reads what the other features seeded (positions,
    fairs, live visits and queues, applications, casework), so running seed twice adds nothing."""
    return {}
