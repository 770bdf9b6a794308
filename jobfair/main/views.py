"""The public home page."""

from flask import render_template

from jobfair.main import bp


@bp.route("/")
def index():
    return render_template("main/index.html")
