"""Registration, login, logout, password change and API tokens."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from jobfair.auth import views  # noqa: E402,F401
