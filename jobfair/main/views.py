"""The public home page (search box, channels, priority groups, newest positions) and /healthz."""

from flask import Blueprint, render_template
from sqlalchemy import text

from jobfair.extensions import db
from jobfair.positions.search import latest_positions

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    return render_template("main/index.html", latest=latest_positions(10))


@bp.route("/healthz")
def healthz():
    """For the load balancer and supervisors: 200 when this process can reach its database.

    When it cannot, the database error handler answers 503 with Retry-After (JSON here).
    """
    db.session.execute(text("SELECT 1"))
    return {"status": "ok", "database": "ok"}
