"""HTML routes of the notifications feature."""

from jobfair.notifications import bp  # noqa: F401
