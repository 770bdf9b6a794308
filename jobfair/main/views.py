"""The public home page: search box, channels, priority groups and the newest positions."""

from flask import render_template

from jobfair.main import bp
from jobfair.positions.search import latest_positions


@bp.route("/")
def index():
    return render_template("main/index.html", latest=latest_positions(10))
