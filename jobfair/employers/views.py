"""Employer pages: dashboard, company profile, position list, form, detail, publish, close."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobfair import moderation, occupations
from jobfair.applications import services as application_services
from jobfair.employers import acting, services
from jobfair.errors import DomainError
from jobfair.models.position import PositionStatus
from jobfair.positions import services as position_services
from jobfair.reports.downloads import download
from jobfair.security import recently_confirmed, role_required

bp = Blueprint("employers", __name__)

# Form fields that may be left empty and then fall back to the schema default.
_OPTIONAL_POSITION_FIELDS = (
    "deadline",
    "requirements",
    "address",
    "education",
    "work_form",
    "trainee_months",
    "tenure_limit_months",
    "exam_date",
    "exam_signup_ends",
    "official_url",
)


def _position_form_data() -> dict:
    data = {k: v for k, v in request.form.items() if k != "csrf_token"}
    for key in _OPTIONAL_POSITION_FIELDS:
        if data.get(key) == "":
            data.pop(key)
    for key in ("salary_min", "salary_max", "headcount", "trainee_months", "tenure_limit_months"):
        if key in data:
            data[key] = data[key].strip().replace(",", "")
            if data[key] == "":
                data.pop(key)
    data["welcomed_groups"] = request.form.getlist("welcomed_groups")
    data["daily_pay"] = "true" if request.form.get("daily_pay") else "false"
    return data


@bp.route("/employer")
@role_required("employer")
def dashboard():
    return render_template("employers/dashboard.html", **services.dashboard(current_user))


@bp.route("/employer/profile", methods=["GET", "POST"])
@role_required("employer")
def profile():
    employer = acting.owned_employer(current_user)
    errors: dict = {}
    status = 200
    form = request.form if request.method == "POST" else None
    if request.method == "POST":
        try:
            employer, sent = services.save_profile(
                current_user, request.form.to_dict(), form=True, confirmed=recently_confirmed()
            )
        except DomainError as err:
            flash(err.message, "error")
            errors = err.fields or {}
            status = err.status
        else:
            if sent:
                flash("单位信息已提交，组织方审核通过后即可发布岗位。", "success")
            else:
                flash("单位信息已保存。", "success")
            return redirect(url_for("employers.dashboard"))
    return render_template(
        "employers/profile.html",
        employer=employer,
        form=form,
        errors=errors,
        industries=services.INDUSTRIES,
        sizes=services.SIZES,
    ), status


def _require_profile():
    if acting.owned_employer(current_user) is None:
        flash("请先填写单位信息，再发布岗位。", "info")
        return redirect(url_for("employers.profile"))
    return None


@bp.route("/employer/positions")
@role_required("employer")
def positions():
    if (resp := _require_profile()) is not None:
        return resp
    status = request.args.get("status") or None
    rows = position_services.list_own_positions(current_user, status)
    return render_template(
        "employers/positions.html",
        positions=rows,
        # One grouped query for the whole list, not one per row.
        applicant_counts=application_services.applicant_counts(current_user, [p.id for p in rows]),
        status=status,
        employer=acting.owned_employer(current_user),
        statuses=[str(s) for s in PositionStatus],
    )


@bp.route("/employer/positions.<any(csv, xlsx):export_format>")
@role_required("employer")
def export_positions(export_format: str):
    """All of the employer's positions as a spreadsheet (occupation marks in their own column)."""
    if (resp := _require_profile()) is not None:
        return resp
    rows = position_services.list_own_positions(current_user, request.args.get("status") or None)
    table = position_services.export_table(rows)
    return download([("岗位列表", table)], "岗位列表", export_format, "positions")


def _render_form(position, values, errors, status=200):
    return render_template(
        "employers/position_form.html",
        position=position,
        values=values,
        errors=errors,
        occupation_groups=occupations.grouped_choices(),
        employer=acting.owned_employer(current_user),
    ), status


@bp.route("/employer/positions/new", methods=["GET", "POST"])
@role_required("employer")
def new_position():
    if (resp := _require_profile()) is not None:
        return resp
    if request.method == "POST":
        data = _position_form_data()
        try:
            position = position_services.create_position(current_user, data, form=True)
        except DomainError as err:
            flash(err.message, "error")
            return _render_form(None, data, err.fields or {}, err.status)
        flash("岗位草稿已保存。确认无误后点击“发布”。", "success")
        return redirect(url_for("employers.position_detail", position_id=position.id))
    return _render_form(None, position_services.form_values(None), {})


@bp.route("/employer/positions/<int:position_id>")
@role_required("employer")
def position_detail(position_id: int):
    position = position_services.get_own_position(current_user, position_id)
    return _render_detail(position)


def _render_detail(position, status=200):
    flags = position.review_flags or []
    highlighted = {
        field: moderation.highlight(
            getattr(position, field) or "",
            [f["phrase"] for f in flags if f.get("field") == field and not f.get("approved")],
        )
        for field in position_services.CHECKED_FIELDS
    }
    return render_template(
        "employers/position_detail.html",
        position=position,
        flags=flags,
        highlighted=highlighted,
        employer=position.employer,
        applicants_url=_applicants_url(position.id),
    ), status


def _applicants_url(position_id: int) -> str | None:
    """Link to the applicant pipeline page (another feature) when that page exists."""
    for rule in current_app.url_map.iter_rules():
        if rule.rule == "/employer/positions/<int:position_id>/applicants":
            return url_for(rule.endpoint, position_id=position_id)
    return None


@bp.route("/employer/positions/<int:position_id>/edit", methods=["GET", "POST"])
@role_required("employer")
def edit_position(position_id: int):
    position = position_services.get_own_position(current_user, position_id)
    if request.method == "POST":
        data = _position_form_data()
        was = position.status
        try:
            position = position_services.update_position(current_user, position_id, data, form=True)
        except DomainError as err:
            flash(err.message, "error")
            return _render_form(position, data, err.fields or {}, err.status)
        _flash_status_change(was, position)
        return redirect(url_for("employers.position_detail", position_id=position.id))
    return _render_form(position, position_services.form_values(position), {})


def _flash_status_change(was: str, position) -> None:
    open_fields = {f.get("field") for f in position.review_flags or [] if not f.get("approved")}
    if position.status == PositionStatus.HELD and open_fields == {"channel"}:
        flash("公益性岗位须经人社部门审核，审核通过后才会公开。", "info")
    elif position.status == PositionStatus.HELD:
        flash(
            "岗位内容含有可能涉及就业歧视的表述（已在下方标出），已提交组织方审核，审核通过后才会公开。",
            "error",
        )
    elif position.status == PositionStatus.PUBLISHED and was != PositionStatus.PUBLISHED:
        flash("岗位已发布，求职者现在可以看到并投递。", "success")
    else:
        flash("岗位已保存。", "success")


def _refused(err: DomainError, position_id: int):
    """A refused publish / close: said on the position's page, at the error's status."""
    if err.status == 404:
        raise err
    flash(err.message, "error")
    return _render_detail(position_services.get_own_position(current_user, position_id), err.status)


@bp.route("/employer/positions/<int:position_id>/publish", methods=["POST"])
@role_required("employer")
def publish_position(position_id: int):
    position = position_services.get_own_position(current_user, position_id)
    was = position.status
    try:
        position = position_services.publish_position(current_user, position_id)
    except DomainError as err:
        return _refused(err, position_id)
    _flash_status_change(was, position)
    return redirect(url_for("employers.position_detail", position_id=position.id))


@bp.route("/employer/positions/<int:position_id>/close", methods=["POST"])
@role_required("employer")
def close_position(position_id: int):
    position_services.get_own_position(current_user, position_id)
    try:
        position = position_services.close_position(current_user, position_id)
    except DomainError as err:
        return _refused(err, position_id)
    flash("岗位已关闭，求职者将不再看到它。", "success")
    return redirect(url_for("employers.position_detail", position_id=position.id))
