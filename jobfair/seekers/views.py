"""Seeker pages."""

from flask import render_template

from jobfair.security import role_required
from jobfair.seekers import bp


@bp.route("/me")
@role_required("seeker")
def home():
    return render_template("seekers/home.html")


@bp.route("/me/profile", methods=["GET", "POST"])
@role_required("seeker")
def profile():
    return render_template("seekers/home.html")
