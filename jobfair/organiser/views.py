"""Organiser console: queues, employer verification, held-position review, audit log, rules."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobfair import audit, moderation, occupations
from jobfair.errors import DomainError
from jobfair.extensions import db
from jobfair.models.employer import Employer, EmployerStatus
from jobfair.organiser import services
from jobfair.positions import services as position_services
from jobfair.security import role_required

bp = Blueprint("organiser", __name__)

organiser_only = role_required("organiser")


def _page_arg() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


@bp.route("/organiser")
@organiser_only
def console():
    return render_template(
        "organiser/console.html",
        queues=services.queue_sizes(),
        stats=services.stats(),
        pending=services.list_employers(EmployerStatus.PENDING, 1, 5).items,
        held=services.list_held_positions(1, 5).items,
    )


@bp.route("/organiser/employers")
@organiser_only
def employers():
    status = request.args.get("status", EmployerStatus.PENDING)
    if status not in {str(s) for s in EmployerStatus} | {"all"}:
        status = EmployerStatus.PENDING
    page = services.list_employers(None if status == "all" else status, _page_arg())
    return render_template("organiser/employers.html", page=page, status=status)


@bp.route("/organiser/employers/<int:employer_id>")
@organiser_only
def employer_review(employer_id: int):
    return _render_employer(services.get_employer(employer_id))


def _render_employer(employer, errors=None, status=200):
    return render_template(
        "organiser/employer_review.html", employer=employer, errors=errors or {}
    ), status


def _decide(action, rerender, success, done_endpoint):
    """Run one organiser decision; on a broken rule show the review page again with why."""
    try:
        obj = action()
    except DomainError as err:
        if err.status == 404:
            raise
        flash(err.message, "error")
        return rerender(err.fields, err.status)
    flash(success(obj), "success")
    return redirect(url_for(done_endpoint))


@bp.route("/organiser/employers/<int:employer_id>/verify", methods=["POST"])
@organiser_only
def verify_employer(employer_id: int):
    return _decide(
        lambda: services.verify_employer(current_user, employer_id),
        lambda errors, status: _render_employer(services.get_employer(employer_id), errors, status),
        lambda employer: f"已通过“{employer.name}”的审核。",
        "organiser.employers",
    )


@bp.route("/organiser/employers/<int:employer_id>/reject", methods=["POST"])
@organiser_only
def reject_employer(employer_id: int):
    return _decide(
        lambda: services.reject_employer(
            current_user, employer_id, request.form.to_dict(), form=True
        ),
        lambda errors, status: _render_employer(services.get_employer(employer_id), errors, status),
        lambda employer: f"已驳回“{employer.name}”，单位会看到驳回原因。",
        "organiser.employers",
    )


@bp.route("/organiser/employers/<int:employer_id>/public-welfare", methods=["POST"])
@organiser_only
def designate_public_welfare(employer_id: int):
    designated = request.form.get("designated") == "1"
    employer = position_services.designate_public_welfare(current_user, employer_id, designated)
    flash(
        f"已指定“{employer.name}”可以发布公益性岗位（每个岗位仍须审核）。"
        if designated
        else f"已取消“{employer.name}”发布公益性岗位的资格。",
        "success",
    )
    return redirect(url_for("organiser.employer_review", employer_id=employer.id))


def _verified_employers() -> list[Employer]:
    return list(
        db.session.scalars(
            db.select(Employer).filter_by(status=EmployerStatus.VERIFIED).order_by(Employer.name)
        )
    )


@bp.route("/organiser/positions/new", methods=["GET", "POST"])
@organiser_only
def post_for_employer():
    """公益性岗位 and exam announcements posted by the bureau on an employer's behalf."""
    values: dict = {"channel": "public_welfare", "headcount": 1, "welcomed_groups": []}
    errors: dict = {}
    status = 200
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k != "csrf_token" and v != ""}
        values["welcomed_groups"] = request.form.getlist("welcomed_groups")
        values["daily_pay"] = "true" if request.form.get("daily_pay") else "false"
        for key in ("salary_min", "salary_max", "headcount", "trainee_months"):
            if key in values:
                values[key] = values[key].strip().replace(",", "")
        if "tenure_limit_months" in values:
            values["tenure_limit_months"] = values["tenure_limit_months"].strip()
        employer_id = values.pop("employer_id", "")
        try:
            position = position_services.create_for_employer(
                current_user,
                employer_id or None,
                values,
                form=True,
            )
        except DomainError as err:
            flash(err.message, "error")
            errors, status = err.fields or {}, err.status
            values["employer_id"] = employer_id
        else:
            flash(f"已代“{position.employer.name}”发布岗位。", "success")
            return redirect(url_for("positions.detail", position_id=position.id))
    return render_template(
        "employers/position_form.html",
        position=None,
        values=values,
        errors=errors,
        occupation_groups=occupations.grouped_choices(),
        form_action=url_for("organiser.post_for_employer"),
        employer_choices=[(str(e.id), e.name) for e in _verified_employers()],
    ), status


@bp.route("/organiser/positions/held")
@organiser_only
def held_positions():
    return render_template(
        "organiser/positions_held.html", page=services.list_held_positions(_page_arg())
    )


def _render_position(position, errors=None, status=200):
    flags = position.review_flags or []
    fields = ("title", "description", "requirements")
    highlighted = {
        f: moderation.highlight(
            getattr(position, f) or "", [x["phrase"] for x in flags if x.get("field") == f]
        )
        for f in fields
    }
    return render_template(
        "organiser/position_review.html",
        position=position,
        flags=flags,
        highlighted=highlighted,
        errors=errors or {},
    ), status


@bp.route("/organiser/positions/<int:position_id>")
@organiser_only
def position_review(position_id: int):
    return _render_position(services.get_position(position_id))


@bp.route("/organiser/positions/<int:position_id>/approve", methods=["POST"])
@organiser_only
def approve_position(position_id: int):
    return _decide(
        lambda: services.approve_position(
            current_user, position_id, request.form.to_dict(), form=True
        ),
        lambda errors, status: _render_position(services.get_position(position_id), errors, status),
        lambda position: f"已放行岗位“{position.title}”，岗位已公开。",
        "organiser.held_positions",
    )


@bp.route("/organiser/positions/<int:position_id>/reject", methods=["POST"])
@organiser_only
def reject_position(position_id: int):
    return _decide(
        lambda: services.reject_position(
            current_user, position_id, request.form.to_dict(), form=True
        ),
        lambda errors, status: _render_position(services.get_position(position_id), errors, status),
        lambda position: f"已将岗位“{position.title}”退回单位修改。",
        "organiser.held_positions",
    )


@bp.route("/organiser/audit")
@organiser_only
def audit_log():
    action = request.args.get("action") or None
    if action not in audit.ACTION_LABELS:
        action = None
    return render_template(
        "organiser/audit.html",
        page=services.audit_log(_page_arg(), action=action),
        action=action,
        action_labels=audit.ACTION_LABELS,
        object_labels=audit.OBJECT_LABELS,
    )


@bp.route("/organiser/rules", methods=["GET", "POST"])
@organiser_only
def rules():
    errors: dict = {}
    status = 200
    form = {}
    if request.method == "POST":
        form = request.form.to_dict()
        try:
            rule = services.add_rule(current_user, form, form=True)
        except DomainError as err:
            flash(err.message, "error")
            errors = err.fields or {}
            status = err.status
        else:
            flash(f"已新增规则“{rule.pattern}”，之后发布或修改的岗位都会按它检查。", "success")
            return redirect(url_for("organiser.rules"))
    return render_template(
        "organiser/rules.html",
        rules=services.list_rules(),
        categories=moderation.CATEGORIES,
        source_labels=moderation.SOURCE_LABELS,
        extra_path=moderation.extra_path(),
        errors=errors,
        form=form,
    ), status
