"""Application pages."""

from flask import render_template

from jobfair.applications import bp
from jobfair.security import role_required


@bp.route("/me/applications")
@role_required("seeker")
def mine():
    return render_template("main/index.html")
