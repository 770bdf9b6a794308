"""HTML routes of the recommendations feature: 推荐人才, 重点群体精准匹配 (为你推荐 is a partial)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobfair import reference
from jobfair.errors import DomainError, flash_error
from jobfair.models.common import GROUP_LABELS
from jobfair.recommendations import services
from jobfair.security import role_required

bp = Blueprint("recommendations", __name__)


@bp.app_template_global()
def recommendations_for_you() -> dict | None:
    """为你推荐 for the signed-in seeker (used by templates/recommendations/_for_you.html)."""
    if not current_user.is_authenticated or current_user.role != "seeker":
        return None
    return services.for_seeker(current_user)


@bp.route("/employer/positions/<int:position_id>/talent")
@role_required("employer")
def talent(position_id: int):
    data = services.talent(current_user, position_id)
    return render_template("recommendations/talent.html", **data)


def _int_arg(name: str) -> int | None:
    value = request.values.get(name, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return -1  # reported as 'not found' by the service


@bp.route("/organiser/priority-matching")
@role_required("organiser")
def priority():
    return _priority_page(
        request.args.get("group", ""), request.args.get("district", "") or None, _int_arg("fair_id")
    )


def _priority_page(group, district, fair_id, *, refused: DomainError | None = None):
    """The matching page; after a refused push, with the message beside what was chosen."""
    data, errors, status = None, {}, 200
    if group:
        try:
            data = services.priority_matching(current_user, group, district, fair_id)
        except DomainError as err:
            if err.status == 404:
                raise
            flash(err.message, "error")
            errors = err.fields
    typed = {"seeker_ids": set(), "position_ids": set(), "message": ""}
    if refused is not None:
        flash_error(refused)
        errors, status = {**errors, **(refused.fields or {})}, refused.status
        typed = {
            "seeker_ids": set(request.form.getlist("seeker_ids")),
            "position_ids": set(request.form.getlist("position_ids")),
            "message": request.form.get("message", ""),
        }
    return render_template(
        "recommendations/priority.html",
        data=data,
        errors=errors,
        typed=typed,
        group=group,
        district=district or "",
        fair_id=fair_id if fair_id and fair_id > 0 else None,
        group_options=[(str(k), v) for k, v in GROUP_LABELS.items()],
        district_options=reference.districts(),
        fair_options=services.fair_choices(),
    ), status


@bp.route("/organiser/priority-matching/push", methods=["POST"])
@role_required("organiser")
def push():
    group = request.form.get("group", "")
    district = request.form.get("district", "") or None
    fair_id = _int_arg("fair_id")
    try:
        result = services.push_positions(
            current_user,
            request.form.getlist("position_ids"),
            request.form.getlist("seeker_ids"),
            group=group or None,
            district=district,
            message=request.form.get("message", ""),
        )
    except DomainError as err:
        # Shown again with the ticks and the note as they were, not lost to a redirect.
        return _priority_page(group, district, fair_id, refused=err)
    flash(
        f"已向 {result['notified']} 位求职者推送 {result['positions']} 个岗位（站内通知）。",
        "success",
    )
    return redirect(
        url_for(
            "recommendations.priority",
            group=group or None,
            district=district,
            fair_id=fair_id if fair_id and fair_id > 0 else None,
        )
    )
