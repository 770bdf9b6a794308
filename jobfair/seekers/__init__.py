"""Seekers feature."""

from flask import Blueprint

bp = Blueprint("seekers", __name__)

from jobfair.seekers import views  # noqa: E402,F401
