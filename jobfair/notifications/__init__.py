"""In-site notification centre for every role."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

from jobfair.notifications import views  # noqa: E402,F401
