"""HTML routes of the reports feature."""

from jobfair.reports import bp  # noqa: F401
