"""Employer pages."""

from flask import render_template

from jobfair.employers import bp
from jobfair.security import role_required


@bp.route("/employer")
@role_required("employer")
def dashboard():
    return render_template("employers/dashboard.html")


@bp.route("/employer/profile", methods=["GET", "POST"])
@role_required("employer")
def profile():
    return render_template("employers/dashboard.html")


@bp.route("/employer/positions")
@role_required("employer")
def positions():
    return render_template("employers/dashboard.html")
