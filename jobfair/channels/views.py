"""HTML routes of the channels feature."""

from jobfair.channels import bp  # noqa: F401
