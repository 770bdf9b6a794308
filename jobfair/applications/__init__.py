"""Applications feature."""

from flask import Blueprint

bp = Blueprint("applications", __name__)

from jobfair.applications import views  # noqa: E402,F401
