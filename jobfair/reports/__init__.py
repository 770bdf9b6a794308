"""Organiser dashboards, outcome funnels, fairness view, exports and printable summaries."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from jobfair.reports import views  # noqa: E402,F401
