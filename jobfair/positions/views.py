"""Position pages."""

from flask import render_template

from jobfair.positions import bp


@bp.route("/positions")
def index():
    return render_template("main/index.html")
