"""The public home page: search box, channels, priority groups and the newest positions."""

from flask import Blueprint, render_template

from jobfair.positions.search import latest_positions

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    return render_template("main/index.html", latest=latest_positions(10))
