"""云招聘 fairs: organiser CRUD, booths, seeker registration, fair and booth pages."""

from flask import Blueprint

bp = Blueprint("fairs", __name__)

from jobfair.fairs import views  # noqa: E402,F401
