"""Application pages: apply, my applications, withdraw, and the employer's applicant pipeline."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from jobfair.applications import services
from jobfair.auth.limits import apply_limit, resume_view_limit
from jobfair.errors import DomainError, wants_json
from jobfair.models.application import APPLICATION_STATUS_LABELS, ApplicationStatus
from jobfair.policies import eligibility
from jobfair.positions import channels
from jobfair.security import role_required, safe_next
from jobfair.seekers.services import get_profile, occupations_of

bp = Blueprint("applications", __name__)


def position_url(position_id: int) -> str | None:
    """The public position page, when the positions feature provides one."""
    try:
        return url_for("positions.detail", position_id=position_id)
    except BuildError:
        return None


@bp.app_template_global()
def seeker_application(position):
    """The signed-in seeker's application for this position (for the apply box), or None."""
    if not current_user.is_authenticated:
        return None
    return services.application_for(current_user, position.id)


@bp.app_template_global()
def position_accepts_applications(position) -> bool:
    return services.position_open(position)


bp.add_app_template_global(channels.is_announcement, "is_exam_announcement")


@bp.app_template_global()
def apply_refusal(position) -> str | None:
    """Why the signed-in seeker may not apply to this post (五个一批 rules), or None."""
    if not current_user.is_authenticated:
        return None
    return channels.apply_problem(current_user, position)


bp.add_app_template_global(position_url, "position_url")


@bp.app_template_global()
def application_history(app) -> list[dict]:
    return services.history(app, for_json=False)


# --- seeker side ----------------------------------------------------------------------------


@bp.route("/positions/<int:position_id>/apply", methods=["POST"])
@role_required("seeker")
@apply_limit
def apply(position_id: int):
    back = (
        safe_next(request.form.get("next"))
        or position_url(position_id)
        or url_for("applications.mine")
    )
    try:
        _app, reopened = services.apply(
            current_user, position_id, request.form.to_dict(), form=True
        )
    except DomainError as err:
        if wants_json() or err.status in (403, 404):
            raise
        if err.code == "profile_incomplete":
            flash(err.message, "info")
            return redirect(url_for("seekers.profile", next=back))
        flash(err.message, "error")
        return redirect(back)
    if reopened:
        flash("已重新投递。可以在“我的投递”中查看进度。", "success")
    else:
        flash("投递成功！可以在“我的投递”中查看进度。", "success")
    return redirect(back)


@bp.route("/me/applications")
@role_required("seeker")
def mine():
    rows = services.seeker_applications(current_user)
    return render_template(
        "applications/mine.html",
        applications=rows,
        withdrawable=services.WITHDRAWABLE,
    )


@bp.route("/me/applications/<int:application_id>/withdraw", methods=["POST"])
@role_required("seeker")
def withdraw(application_id: int):
    try:
        services.withdraw(current_user, application_id)
    except DomainError as err:
        if wants_json() or err.status in (403, 404):
            raise
        flash(err.message, "error")
    else:
        flash("已撤回投递。用人单位将不再看到你的联系方式。", "success")
    return redirect(url_for("applications.mine"))


# --- employer side --------------------------------------------------------------------------


@bp.route("/employer/positions/<int:position_id>/applicants")
@role_required("employer")
def applicants(position_id: int):
    status = request.args.get("status", "")
    if status not in set(ApplicationStatus):
        status = ""
    page = min(max(1, request.args.get("page", 1, type=int) or 1), services.MAX_PAGE)
    position, rows, total = services.position_applicants(
        current_user, position_id, status=status or None, page=page
    )
    counts = services.status_counts(current_user, position_id)
    return render_template(
        "applications/applicants.html",
        position=position,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // 20)),
        status=status,
        counts=counts,
        statuses=list(APPLICATION_STATUS_LABELS.items()),
    )


def render_employer_detail(app, *, errors=None, status_code=200, plan=None):
    """The employer's application page; ``plan`` is a refused interview arrangement
    ({"values": typed, "errors": per field}) shown again in its form."""
    profile = get_profile(app.seeker)
    next_statuses = [] if app.status in services.FINAL else services.NEXT_STEPS.get(app.status, [])
    return render_template(
        "applications/employer_detail.html",
        app=app,
        profile=profile,
        occupations=occupations_of(profile),
        reveal=app.status != ApplicationStatus.WITHDRAWN,
        next_statuses=next_statuses,
        status_options=[(str(s), services.status_label(s)) for s in next_statuses],
        history=services.history(app, for_json=False),
        errors=errors or {},
        plan=plan,
        subsidy_hints=(
            []
            if app.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED)
            else eligibility.hire_prospects(app.position.employer, app.position.channel)
        ),
    ), status_code


@bp.route("/employer/applications/<int:application_id>")
@role_required("employer")
@resume_view_limit
def employer_detail(application_id: int):
    app = services.open_application(current_user, application_id)
    return render_employer_detail(app)


@bp.route("/employer/applications/<int:application_id>/status", methods=["POST"])
@role_required("employer")
def change_status(application_id: int):
    try:
        app = services.change_status(
            current_user, application_id, request.form.to_dict(), form=True
        )
    except DomainError as err:
        if wants_json() or err.status in (403, 404):
            raise
        flash(err.message, "error")
        app = services.employer_application(current_user, application_id)
        return render_employer_detail(app, errors=err.fields, status_code=err.status)
    flash(f"已将投递状态更新为“{services.status_label(app.status)}”。", "success")
    return redirect(url_for("applications.employer_detail", application_id=app.id))
