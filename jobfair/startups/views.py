"""Pages of start-up support: my start-up, case workers' list and case page (mentor, loan
decisions, registration, follow-ups), the mentor panel and the start-up report."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobfair import reference
from jobfair.casework.access import require_case_worker
from jobfair.errors import DomainError, flash_error
from jobfair.models.casework import CONTACT_CHANNEL_LABELS
from jobfair.models.startup import (
    BUSINESS_KIND_LABELS,
    GUARANTEE_LABELS,
    OPERATING_LABELS,
    STARTUP_STATUS_LABELS,
)
from jobfair.reports.views import period_report_export, period_report_page
from jobfair.security import role_required
from jobfair.startups import amounts, cases, loans, mentors, reports
from jobfair.startups.serializers import startup_dict

bp = Blueprint("startups", __name__)

organiser_only = role_required("organiser")
seeker_only = role_required("seeker")
signed_in = role_required("seeker", "organiser")

LABELS = {
    "kind": BUSINESS_KIND_LABELS,
    "status": STARTUP_STATUS_LABELS,
    "guarantee": GUARANTEE_LABELS,
    "operating": OPERATING_LABELS,
    "channel": CONTACT_CHANNEL_LABELS,
}


def _form() -> dict:
    data = request.form.to_dict()
    data.pop("csrf_token", None)
    return data


# --- the person ------------------------------------------------------------------------------


@bp.route("/startups/mine", methods=["GET", "POST"])
@seeker_only
def mine():
    row = cases.own_case(current_user)
    if request.method == "POST" and row is None:
        try:
            row = cases.open_case(current_user, _form(), form=True)
        except DomainError as err:
            flash_error(err)
            return _start_form(_form(), err.fields, 422)
        flash("创业档案已建立。工作人员会联系你，安排创业导师。", "success")
        return redirect(url_for("startups.detail", startup_id=row.id))
    if row is not None:
        return redirect(url_for("startups.detail", startup_id=row.id))
    return _start_form({}, {})


def _start_form(values, errors, status=200, case_id=None):
    return (
        render_template(
            "startups/start.html",
            values=values,
            errors=errors,
            districts=reference.districts(),
            labels=LABELS,
            grant=amounts.startup_grant(),
            case_id=case_id,
        ),
        status,
    )


# --- a case ----------------------------------------------------------------------------------


@bp.route("/startups/<int:startup_id>")
@signed_in
def detail(startup_id: int):
    row = cases.visible_case(current_user, startup_id)
    worker = current_user.role == "organiser"
    return render_template(
        "startups/detail.html",
        s=startup_dict(row, worker=worker),
        worker=worker,
        mentors=[
            mentors.mentor_dict(m, reveal_phone=True)
            for m in mentors.list_mentors(active_only=True)
        ]
        if worker
        else [],
        labels=LABELS,
        districts=reference.districts(),
        grant=amounts.startup_grant(),
        today=date.today().isoformat(),
    )


@bp.route("/startups/<int:startup_id>/edit", methods=["POST"])
@signed_in
def update(startup_id: int):
    try:
        cases.update_case(current_user, startup_id, _form(), form=True)
    except DomainError as err:
        flash_error(err)
    else:
        flash("创业档案已保存。", "success")
    return redirect(url_for("startups.detail", startup_id=startup_id))


@bp.route("/startups/<int:startup_id>/loans", methods=["POST"])
@signed_in
def apply_loan(startup_id: int):
    try:
        loan = loans.apply(current_user, startup_id, _form(), form=True)
    except DomainError as err:
        flash_error(err)
    else:
        flash(
            f"贷款申请已提交：{loan.amount:,} 元，按政策可贴息约 {loan.interest_subsidy:,} 元。",
            "success",
        )
    return redirect(url_for("startups.detail", startup_id=startup_id))


@bp.route("/startups/loans/<int:loan_id>/decision", methods=["POST"])
@organiser_only
def decide_loan(loan_id: int):
    startup_id = request.form.get("startup_id", type=int)
    try:
        loan = loans.decide(current_user, loan_id, _form(), form=True)
    except DomainError as err:
        flash_error(err)
    else:
        startup_id = loan.startup_id
        flash("已记录审核结果。", "success")
    if startup_id:
        return redirect(url_for("startups.detail", startup_id=startup_id))
    return redirect(url_for("startups.index"))


@bp.route("/startups/<int:startup_id>/mentor", methods=["POST"])
@organiser_only
def assign_mentor(startup_id: int):
    try:
        row = cases.assign_mentor(current_user, startup_id, request.form.get("mentor_id"))
    except DomainError as err:
        flash_error(err)
    else:
        flash(f"已安排创业导师：{row.mentor.name}。", "success")
    return redirect(url_for("startups.detail", startup_id=startup_id))


@bp.route("/startups/<int:startup_id>/register", methods=["POST"])
@organiser_only
def register(startup_id: int):
    try:
        cases.register_business(current_user, startup_id, _form(), form=True)
    except DomainError as err:
        flash_error(err)
    else:
        flash("已登记营业执照。", "success")
    return redirect(url_for("startups.detail", startup_id=startup_id))


@bp.route("/startups/<int:startup_id>/close", methods=["POST"])
@organiser_only
def close(startup_id: int):
    try:
        cases.close_case(current_user, startup_id, request.form.get("reason", ""))
    except DomainError as err:
        flash_error(err)
    else:
        flash("已停止扶持。", "success")
    return redirect(url_for("startups.detail", startup_id=startup_id))


@bp.route("/startups/<int:startup_id>/follow-ups", methods=["POST"])
@organiser_only
def add_follow_up(startup_id: int):
    try:
        cases.add_follow_up(current_user, startup_id, _form(), form=True)
    except DomainError as err:
        flash_error(err)
    else:
        flash("回访已记录。", "success")
    return redirect(url_for("startups.detail", startup_id=startup_id))


# --- case workers' list and opening a case from a case file -----------------------------------


@bp.route("/startups")
@organiser_only
def index():
    status = request.args.get("status", "")
    returning = request.args.get("returning")
    rows = cases.list_cases(
        current_user, status=status, returning=True if returning == "1" else None
    )
    return render_template(
        "startups/index.html",
        items=[startup_dict(r, worker=True, brief=True) for r in rows],
        status=status,
        returning=returning == "1",
        labels=LABELS,
    )


@bp.route("/startups/new", methods=["GET", "POST"])
@organiser_only
def new():
    case_id = request.values.get("case_id", type=int)
    if request.method == "GET":
        require_case_worker(current_user)
        return _start_form({"case_id": case_id or ""}, {}, case_id=case_id)
    try:
        row = cases.open_case(current_user, _form(), form=True)
    except DomainError as err:
        flash_error(err)
        return _start_form(_form(), err.fields, 422, case_id=case_id)
    flash("创业档案已建立。", "success")
    return redirect(url_for("startups.detail", startup_id=row.id))


# --- mentors ---------------------------------------------------------------------------------


@bp.route("/startups/mentors", methods=["GET", "POST"])
@organiser_only
def mentor_list():
    errors, values, status = {}, {}, 200
    if request.method == "POST":
        values = _mentor_form()
        mentor_id = request.form.get("mentor_id", type=int)
        try:
            mentor = mentors.get_mentor(mentor_id) if mentor_id else None
            saved = mentors.save_mentor(current_user, values, mentor=mentor, form=True)
        except DomainError as err:
            flash_error(err)
            errors, status = err.fields, 422
        else:
            flash(f"已保存创业导师：{saved.name}。", "success")
            return redirect(url_for("startups.mentor_list"))
    rows = mentors.list_mentors()
    load = cases.mentor_load()
    return (
        render_template(
            "startups/mentors.html",
            items=[mentors.mentor_dict(m, load.get(m.id, 0), reveal_phone=True) for m in rows],
            values=values,
            errors=errors,
            districts=reference.districts(),
        ),
        status,
    )


def _mentor_form() -> dict:
    data = _form()
    data.pop("mentor_id", None)
    data["districts"] = request.form.getlist("districts")
    data["active"] = "active" in request.form
    return data


# --- report ----------------------------------------------------------------------------------


@bp.route("/startups/report")
@organiser_only
def report():
    return period_report_page("startups/report.html", reports.report)


@bp.route("/startups/report.<any(csv, xlsx):export_format>")
@organiser_only
def report_export(export_format: str):
    return period_report_export(
        reports.report, reports.tables, "创业扶持", export_format, ascii_stem="startups"
    )
