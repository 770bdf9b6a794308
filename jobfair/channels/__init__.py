"""Channels: shareable pages with QR-code posters, public RSS/JSON position feeds."""

from flask import Blueprint

bp = Blueprint("channels", __name__)

from jobfair.channels import views  # noqa: E402,F401
