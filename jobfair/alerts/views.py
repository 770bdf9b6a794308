"""Pages of job alerts: my alerts, save a search, opt in, stop links, one digest."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobfair.alerts import saved
from jobfair.errors import DomainError, flash_error
from jobfair.models.alert import ALERT_KIND_LABELS, AlertKind
from jobfair.models.position import PositionStatus
from jobfair.positions.search import FORM_KEYS
from jobfair.positions.services import list_own_positions
from jobfair.security import login_required, role_required

bp = Blueprint("alerts", __name__)


@bp.route("/alerts")
@login_required
def index():
    alerts = saved.list_alerts(current_user)
    positions = []
    if current_user.role == "employer":
        try:
            positions = [
                p
                for p in list_own_positions(current_user)
                if p.status == PositionStatus.PUBLISHED
                and not any(a.position_id == p.id for a in alerts)
            ]
        except DomainError:
            positions = []  # no company profile yet: nothing to set an alert for
    return render_template(
        "alerts/index.html",
        alerts=alerts,
        digests=saved.recent_digests(current_user),
        describe=saved.describe,
        kind_labels=ALERT_KIND_LABELS,
        has_profile_alert=any(a.kind == AlertKind.PROFILE for a in alerts),
        positions=positions,
        stop_token=saved.stop_token,
    )


@bp.route("/alerts", methods=["POST"])
@role_required("seeker")
def create():
    try:
        alert = saved.create_search_alert(current_user, request.form)
    except DomainError as err:
        flash_error(err)
        args = {k: request.form.get(k) for k in FORM_KEYS if request.form.get(k)}
        return redirect(url_for("positions.index", **args))
    flash(f"已保存提醒“{alert.name}”：有新岗位时，每天最多一次通知你。", "success")
    return redirect(url_for("alerts.index"))


@bp.route("/alerts/profile", methods=["POST"])
@role_required("seeker")
def enable_profile():
    try:
        saved.enable_profile_alert(current_user)
    except DomainError as err:
        flash_error(err)
    else:
        flash("已开启：有适合你求职意向的新岗位时，每天最多一次通知你。", "success")
    return redirect(url_for("alerts.index"))


@bp.route("/alerts/talent", methods=["POST"])
@role_required("employer")
def create_talent():
    try:
        alert = saved.create_talent_alert(current_user, request.form.get("position_id", ""))
    except DomainError as err:
        flash_error(err)
    else:
        flash(f"已开启“{alert.name}”：有新的合适求职者时，每天最多一次通知你。", "success")
    return redirect(url_for("alerts.index"))


@bp.route("/alerts/<int:alert_id>/stop", methods=["POST"])
@login_required
def stop(alert_id: int):
    alert = saved.stop(current_user, alert_id)
    flash(f"已停止提醒“{alert.name}”。", "success")
    return redirect(url_for("alerts.index"))


@bp.route("/alerts/<int:alert_id>/resume", methods=["POST"])
@login_required
def resume(alert_id: int):
    alert = saved.resume(current_user, alert_id)
    flash(f"已重新开启提醒“{alert.name}”。", "success")
    return redirect(url_for("alerts.index"))


@bp.route("/alerts/<int:alert_id>/delete", methods=["POST"])
@login_required
def delete(alert_id: int):
    saved.delete(current_user, alert_id)
    flash("提醒已删除。", "success")
    return redirect(url_for("alerts.index"))


@bp.route("/alerts/digests/<int:digest_id>")
@login_required
def digest(digest_id: int):
    row = saved.own_digest(current_user, digest_id)
    return render_template(
        "alerts/digest.html",
        digest=saved.digest_dict(row),
        alert=row.alert,
        sent_at=row.sent_at,
        stop_token=saved.stop_token(row.alert),
    )


@bp.route("/alerts/stop/<token>")
def stop_link(token: str):
    """One click from a digest stops the alert, signed in or not (the token is the key)."""
    try:
        alert = saved.stop_by_token(token)
    except DomainError as err:
        return render_template("alerts/stopped.html", alert=None, error=err.message), err.status
    return render_template("alerts/stopped.html", alert=alert, error="")
