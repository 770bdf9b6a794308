"""HTML routes of the recommendations feature."""

from jobfair.recommendations import bp  # noqa: F401
