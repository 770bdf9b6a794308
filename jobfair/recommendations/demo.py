"""Demo data of the recommendations feature, loaded by `flask seed` after the core records."""

from datetime import datetime


def seed_demo(now: datetime) -> dict[str, int]:
    """Create this feature's demo records idempotently; return {中文标签: 新增条数}."""
    return {}
