"""HTML routes of the casework feature."""

from jobfair.casework import bp  # noqa: F401
