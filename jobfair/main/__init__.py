"""Home page and static informational pages."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from jobfair.main import views  # noqa: E402,F401
