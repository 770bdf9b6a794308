"""HTML routes of the live feature."""

from jobfair.live import bp  # noqa: F401
