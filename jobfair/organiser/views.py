"""Organiser console."""

from flask import render_template

from jobfair.organiser import bp
from jobfair.security import role_required


@bp.route("/organiser")
@role_required("organiser")
def console():
    return render_template("organiser/console.html")
