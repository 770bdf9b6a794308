"""Employers feature."""

from flask import Blueprint

bp = Blueprint("employers", __name__)

from jobfair.employers import views  # noqa: E402,F401
