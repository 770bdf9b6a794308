"""Priority-group work: targets, placements, case files (一人一档), zero-employment households."""

from flask import Blueprint

bp = Blueprint("casework", __name__)

from jobfair.casework import commands, views  # noqa: E402,F401
