"""Positions feature."""

from flask import Blueprint

bp = Blueprint("positions", __name__)

from jobfair.positions import views  # noqa: E402,F401
