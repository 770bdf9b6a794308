"""HTML routes of 零工: the board of today's and tomorrow's shifts, sign-up, an employer's
shifts and the confirmation of attendance and pay."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobfair import reference
from jobfair.errors import DomainError
from jobfair.formatting import local_today
from jobfair.gigs import services
from jobfair.models.gig import SHIFT_STATUS_LABELS, SIGNUP_STATUS_LABELS
from jobfair.security import role_required

bp = Blueprint("gigs", __name__)


def _labels() -> dict:
    return {"signup": SIGNUP_STATUS_LABELS, "shift": SHIFT_STATUS_LABELS}


@bp.route("/gigs")
def board():
    district = (request.args.get("district") or "").strip() or None
    daily = request.args.get("daily_pay") in ("1", "true", "on")
    error = ""
    try:
        days = services.board(district, daily)
    except DomainError as err:
        error, district, days = err.message, None, services.board(None, daily)
    mine = {}
    if current_user.is_authenticated and current_user.role == "seeker":
        mine = {s.shift_id: s for s in services.my_signups(current_user)}
    return render_template(
        "gigs/board.html",
        days=days,
        today=local_today(),
        district=district,
        daily=daily,
        error=error,
        mine=mine,
        districts=reference.districts(),
        labels=_labels(),
    ), (400 if error else 200)


@bp.route("/gigs/shifts/<int:shift_id>/signup", methods=["POST"])
@role_required("seeker")
def sign_up(shift_id: int):
    try:
        row, new = services.sign_up(current_user, shift_id)
    except DomainError as err:
        if err.status == 404:
            raise
        flash(err.message, "error")
    else:
        shift = row.shift
        flash(
            f"报名成功：{shift.day.strftime('%m月%d日')} {shift.starts_at:%H:%M}，"
            f"到 {shift.place} 上工。"
            if new
            else "你已报名这个班次。",
            "success",
        )
    return redirect(request.form.get("next") or url_for("gigs.board"))


@bp.route("/gigs/signups/<int:signup_id>/cancel", methods=["POST"])
@role_required("seeker")
def cancel_signup(signup_id: int):
    try:
        services.cancel_signup(current_user, signup_id)
    except DomainError as err:
        if err.status == 404:
            raise
        flash(err.message, "error")
    else:
        flash("已取消报名，名额已让给别人。", "success")
    return redirect(url_for("gigs.mine"))


@bp.route("/gigs/mine")
@role_required("seeker")
def mine():
    return render_template(
        "gigs/mine.html", rows=services.my_signups(current_user), labels=_labels()
    )


@bp.route("/employer/positions/<int:position_id>/shifts", methods=["GET", "POST"])
@role_required("employer")
def position_shifts(position_id: int):
    errors, values, status = {}, {}, 200
    if request.method == "POST":
        try:
            services.create_shift(current_user, position_id, request.form.to_dict(), form=True)
        except DomainError as err:
            if err.status == 404:
                raise
            flash(err.message, "error")
            errors, values, status = err.fields or {}, request.form, 422
        else:
            flash("班次已发布，求职者可以在“零工”页面报名。", "success")
            return redirect(url_for("gigs.position_shifts", position_id=position_id))
    position, shifts = services.shifts_of_position(current_user, position_id)
    return render_template(
        "gigs/position_shifts.html",
        position=position,
        shifts=shifts,
        errors=errors,
        values=values or {"district": position.district, "place": position.address},
        districts=reference.districts(),
        today=local_today(),
        labels=_labels(),
    ), status


@bp.route("/employer/shifts/<int:shift_id>")
@role_required("employer")
def roster(shift_id: int):
    shift, rows = services.roster(current_user, shift_id)
    return render_template(
        "gigs/roster.html",
        shift=shift,
        rows=rows,
        names=services.names_of(rows),
        can_confirm=services.has_started(shift),
        labels=_labels(),
    )


@bp.route("/employer/shifts/<int:shift_id>/cancel", methods=["POST"])
@role_required("employer")
def cancel_shift(shift_id: int):
    try:
        shift = services.cancel_shift(current_user, shift_id)
    except DomainError as err:
        if err.status == 404:
            raise
        flash(err.message, "error")
        return redirect(url_for("gigs.roster", shift_id=shift_id))
    flash("班次已取消，已报名的人会在“我的零工”里看到。", "success")
    return redirect(url_for("gigs.position_shifts", position_id=shift.position_id))


@bp.route("/employer/signups/<int:signup_id>/confirm", methods=["POST"])
@role_required("employer")
def confirm(signup_id: int):
    data = request.form.to_dict()
    data["paid"] = "true" if request.form.get("paid") else "false"
    for key in ("units", "pay_amount"):
        if not (data.get(key) or "").strip():
            data.pop(key, None)
    try:
        row = services.confirm(current_user, signup_id, data, form=True)
    except DomainError as err:
        if err.status == 404:
            raise
        flash(err.message, "error")
        shift_id = request.form.get("shift_id", type=int)
        if shift_id:
            return redirect(url_for("gigs.roster", shift_id=shift_id))
        return redirect(url_for("employers.positions"))
    flash("已确认到岗和报酬。" if row.status == "attended" else "已记录未到岗。", "success")
    return redirect(url_for("gigs.roster", shift_id=row.shift_id))
