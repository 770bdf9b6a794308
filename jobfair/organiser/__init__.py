"""Organiser feature."""

from flask import Blueprint

bp = Blueprint("organiser", __name__)

from jobfair.organiser import views  # noqa: E402,F401
