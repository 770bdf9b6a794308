"""HTML routes of the fairs feature."""

from jobfair.fairs import bp  # noqa: F401
