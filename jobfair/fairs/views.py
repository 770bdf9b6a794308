"""HTML routes of the fairs feature: public fair and booth pages, seeker registration,
employer booth applications and rep accounts, organiser fair management."""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from jobfair.channels.services import public_url, qr_svg
from jobfair.employers import acting
from jobfair.employers import reps as rep_accounts
from jobfair.errors import DomainError, error_body
from jobfair.fairs import attendance as attendance_ops
from jobfair.fairs import booths as booth_ops
from jobfair.fairs import fairs as fair_ops
from jobfair.fairs import registrations as registration_ops
from jobfair.fairs import schedule as schedule_ops
from jobfair.models.common import GROUP_LABELS
from jobfair.models.common import utcnow as _utcnow
from jobfair.models.fair import (
    BOOTH_STATUS_LABELS,
    FAIR_STATUS_LABELS,
    LIVE_SESSION_STATUS_LABELS,
    BoothStatus,
    FairStatus,
)
from jobfair.models.user import Role
from jobfair.security import role_required

bp = Blueprint("fairs", __name__)

# --- rep guard ----------------------------------------------------------------------------

# Rep accounts have no company of their own: the company profile, positions and applicant
# pages belong to the employer owner. Blueprints of the live layer stay open to reps.
_REP_OPEN_BLUEPRINTS = ("live", "api_live")
_COMPANY_PATHS = ("/employer", "/api/v1/employer")


@bp.before_app_request
def keep_reps_out_of_company_pages():
    path = request.path.rstrip("/")
    if not any(path == p or path.startswith(p + "/") for p in _COMPANY_PATHS):
        return None
    if (request.blueprint or "").startswith(_REP_OPEN_BLUEPRINTS):
        return None
    if not current_user.is_authenticated or current_user.role != Role.EMPLOYER:
        return None
    if not acting.is_extra_rep(current_user):
        return None
    message = "招聘代表账号不能管理单位信息、岗位和投递，请联系本单位管理员。"
    if path.startswith("/api/"):
        resp = jsonify(error_body("forbidden", message))
        resp.status_code = 403
        return resp
    flash(message, "info")
    return redirect(url_for("fairs.my_booths"))


@bp.app_template_filter("booth_status")
def booth_status_label(value) -> str:
    return BOOTH_STATUS_LABELS.get(value, str(value))


@bp.app_template_filter("fair_status")
def fair_status_label(value) -> str:
    return FAIR_STATUS_LABELS.get(value, str(value))


@bp.app_template_filter("session_status")
def session_status_label(value) -> str:
    return LIVE_SESSION_STATUS_LABELS.get(value, str(value))


def _form() -> dict:
    return {k: v for k, v in request.form.items() if k != "csrf_token"}


def _group_options():
    return [(str(k), v) for k, v in GROUP_LABELS.items()]


# --- public and seeker --------------------------------------------------------------------


@bp.route("/fairs")
def index():
    return render_template("fairs/index.html", phases=fair_ops.public_fairs(), now=_utcnow())


@bp.route("/fairs/<int:fair_id>")
def detail(fair_id: int):
    fair = fair_ops.public_fair_or_404(fair_id)
    booths = booth_ops.approved_booths(fair)
    registration = registration_ops.registration_of(current_user, fair.id)
    own_booth = None
    employer = acting.employer_of(current_user)
    if employer is not None:
        own_booth = booth_ops.booth_of(employer.id, fair.id)
    is_rep = acting.is_extra_rep(current_user)
    return render_template(
        "fairs/fair.html",
        fair=fair,
        booths=booths,
        positions={b.id: booth_ops.shown_positions(b) for b in booths},
        live_sessions=schedule_ops.fair_sessions(fair),
        registered=registration is not None,
        attended=registration is not None
        and attendance_ops.attendance_of(current_user.id, fair.id) is not None,
        can_check_in=attendance_ops.can_check_in(current_user, fair),
        registration_count=fair_ops.registration_count(fair.id),
        own_booth=own_booth,
        is_rep=is_rep,
        now=_utcnow(),
    )


@bp.route("/fairs/<int:fair_id>/booths/<int:booth_id>")
def booth(fair_id: int, booth_id: int):
    fair, booth = booth_ops.public_booth(fair_id, booth_id)
    return render_template(
        "fairs/booth.html",
        fair=fair,
        booth=booth,
        employer=booth.employer,
        positions=booth_ops.shown_positions(booth),
        registered=registration_ops.registration_of(current_user, fair.id) is not None,
        now=_utcnow(),
    )


@bp.route("/fairs/<int:fair_id>/register", methods=["POST"])
@role_required("seeker")
def register(fair_id: int):
    try:
        registration_ops.register(current_user, fair_id)
    except DomainError as err:
        if err.status == 404:
            raise
        flash(err.message, "error")
    else:
        flash("报名成功。招聘会开始后即可进入展位排队洽谈。", "success")
    return redirect(url_for("fairs.detail", fair_id=fair_id))


@bp.route("/fairs/<int:fair_id>/unregister", methods=["POST"])
@role_required("seeker")
def unregister(fair_id: int):
    fair = fair_ops.public_fair_or_404(fair_id)
    try:
        removed = registration_ops.unregister(current_user, fair.id)
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash(
            "已取消报名。" if removed else "你尚未报名本场招聘会。",
            "success" if removed else "info",
        )
    if request.form.get("next") == "mine":
        return redirect(url_for("fairs.mine"))
    return redirect(url_for("fairs.detail", fair_id=fair.id))


@bp.route("/fairs/<int:fair_id>/attend", methods=["POST"])
@role_required("seeker")
def attend(fair_id: int):
    try:
        _, first = attendance_ops.join_online(current_user, fair_id)
    except DomainError as err:
        if err.status == 404:
            raise
        flash(err.message, "error")
    else:
        flash("已进入会场，可以在下方展位排队洽谈。" if first else "你已在会场中。", "success")
    return redirect(url_for("fairs.detail", fair_id=fair_id) + "#h-register")


@bp.route("/fairs/<int:fair_id>/checkin-code")
@role_required("seeker")
def checkin_code(fair_id: int):
    try:
        fair, reg = attendance_ops.checkin_code(current_user, fair_id)
    except DomainError as err:
        if err.status == 404:
            raise
        flash(err.message, "error")
        return redirect(url_for("fairs.detail", fair_id=fair_id))
    url = public_url("fairs.checkin", fair_id=fair.id, code=reg.checkin_code)
    return render_template(
        "fairs/checkin_code.html",
        fair=fair,
        code=reg.checkin_code,
        qr=Markup(qr_svg(url)),  # noqa: S704 (SVG made here from our own URL)
        attendance=attendance_ops.attendance_of(current_user.id, fair.id),
    )


@bp.route("/fairs/<int:fair_id>/checkin", methods=["GET", "POST"])
@role_required("organiser", "employer")
def checkin(fair_id: int):
    """Staff at the door: the page a scanned QR code opens (code filled in), or type it."""
    fair = fair_ops.public_fair_or_404(fair_id)
    if not attendance_ops.can_check_in(current_user, fair):
        flash("只有组织方和本场招聘会参展单位的工作人员可以办理现场签到。", "error")
        return redirect(url_for("fairs.detail", fair_id=fair.id))
    result, errors, status = None, {}, 200
    code = request.values.get("code", "")
    if request.method == "POST":
        try:
            result = attendance_ops.check_in(current_user, fair.id, code)
        except DomainError as err:
            if err.status == 404:
                raise
            flash(err.message, "error")
            errors, status = err.fields or {}, err.status
        else:
            code = ""
    return render_template(
        "fairs/checkin.html",
        fair=fair,
        code=attendance_ops.normalise_code(code),
        result=result,
        errors=errors,
        counts=attendance_ops.attendance_counts(fair.id),
    ), status


@bp.route("/fairs/mine")
@role_required("seeker")
def mine():
    return render_template(
        "fairs/mine.html", fairs=registration_ops.my_fairs(current_user), now=_utcnow()
    )


# --- employer (owner and reps) --------------------------------------------------------------


@bp.route("/fairs/my-booths")
@role_required("employer")
def my_booths():
    """Where a rep lands: the approved booths of their employer."""
    employer = acting.employer_of(current_user)
    return render_template(
        "fairs/rep_home.html",
        employer=employer,
        is_rep=acting.is_extra_rep(current_user),
        booths=booth_ops.employer_booths(current_user, approved_only=True),
        now=_utcnow(),
    )


@bp.route("/employer/fairs")
@role_required("employer")
def employer_fairs():
    employer = acting.employer_of(current_user)
    booths = booth_ops.employer_booths(current_user)
    applied = {b.fair_id for b in booths}
    phases = fair_ops.public_fairs()
    open_fairs = [
        f
        for f in phases["ongoing"] + phases["upcoming"]
        if f.status == FairStatus.PUBLISHED and f.id not in applied
    ]
    return render_template(
        "fairs/employer_fairs.html",
        employer=employer,
        booths=booths,
        open_fairs=open_fairs,
        labels=BOOTH_STATUS_LABELS,
        now=_utcnow(),
    )


def _booth_form_data() -> dict:
    data = _form()
    data.pop("position_ids", None)
    data["position_ids"] = request.form.getlist("position_ids")
    return data


def _render_booth_form(fair, booth, values, errors, status=200):
    employer = acting.employer_of(current_user)
    return render_template(
        "fairs/booth_form.html",
        fair=fair,
        booth=booth,
        values=values,
        errors=errors,
        positions=booth_ops.own_published_positions(employer) if employer else [],
        employer=employer,
    ), status


@bp.route("/employer/fairs/<int:fair_id>/booth", methods=["GET", "POST"])
@role_required("employer")
def apply_booth(fair_id: int):
    fair = fair_ops.public_fair_or_404(fair_id)
    employer = acting.employer_of(current_user)
    existing = booth_ops.booth_of(employer.id, fair.id) if employer else None
    if existing is not None and existing.status != BoothStatus.DECLINED:
        return redirect(url_for("fairs.edit_booth", booth_id=existing.id))
    if request.method == "POST":
        data = _booth_form_data()
        try:
            booth_ops.apply_booth(current_user, fair.id, data, form=True)
        except DomainError as err:
            if err.status == 404:
                raise
            flash(err.message, "error")
            return _render_booth_form(fair, existing, data, err.fields or {}, err.status)
        flash("展位申请已提交，组织方审核后会在这里显示结果。", "success")
        return redirect(url_for("fairs.employer_fairs"))
    values = {
        "position_ids": existing.position_ids if existing else [],
        "intro": existing.intro if existing else (employer.description if employer else ""),
        "chat_minutes": existing.chat_minutes if existing else 10,
        "max_chats": existing.max_chats if existing else 2,
    }
    return _render_booth_form(fair, existing, values, {})


@bp.route("/employer/booths/<int:booth_id>/edit", methods=["GET", "POST"])
@role_required("employer")
def edit_booth(booth_id: int):
    booth = booth_ops.employer_booth(current_user, booth_id)
    if booth.status == BoothStatus.DECLINED:
        return redirect(url_for("fairs.apply_booth", fair_id=booth.fair_id))
    if request.method == "POST":
        data = _booth_form_data()
        try:
            booth_ops.update_booth(current_user, booth.id, data, form=True)
        except DomainError as err:
            if err.status == 404:
                raise
            flash(err.message, "error")
            return _render_booth_form(booth.fair, booth, data, err.fields or {}, err.status)
        flash("展位信息已保存。", "success")
        return redirect(url_for("fairs.employer_fairs"))
    values = {
        "position_ids": booth.position_ids,
        "intro": booth.intro,
        "chat_minutes": booth.chat_minutes,
        "max_chats": booth.max_chats,
    }
    return _render_booth_form(booth.fair, booth, values, {})


@bp.route("/employer/reps", methods=["GET", "POST"])
@role_required("employer")
def reps():
    errors: dict = {}
    form: dict = {}
    status = 200
    if request.method == "POST":
        form = _form()
        try:
            rep = rep_accounts.create_rep(current_user, form, form=True)
        except DomainError as err:
            if err.status == 403:
                raise
            flash(err.message, "error")
            errors, status = err.fields or {}, err.status
            form.pop("password", None)
        else:
            flash(
                f"已创建招聘代表账号 {rep.user.phone}。请把初始密码告知本人，首次登录需修改密码。",
                "success",
            )
            return redirect(url_for("fairs.reps"))
    try:
        rows = rep_accounts.reps(current_user)
    except DomainError as err:
        if err.code != "no_profile":
            raise
        flash(err.message, "info")
        return redirect(url_for("employers.profile"))
    return render_template("fairs/reps.html", reps=rows, errors=errors, form=form), status


@bp.route("/employer/reps/<int:rep_id>/remove", methods=["POST"])
@role_required("employer")
def remove_rep(rep_id: int):
    rep_accounts.remove_rep(current_user, rep_id)
    flash("已移除招聘代表，该账号已停用并退出登录。", "success")
    return redirect(url_for("fairs.reps"))


# --- organiser ------------------------------------------------------------------------------


@bp.route("/organiser/fairs")
@role_required("organiser")
def manage_list():
    fairs = fair_ops.all_fairs()
    return render_template(
        "fairs/manage_list.html",
        fairs=fairs,
        counts=fair_ops.fair_counts([f.id for f in fairs]),
        now=_utcnow(),
    )


def _render_fair_form(fair, values, errors, status=200):
    return render_template(
        "fairs/fair_form.html",
        fair=fair,
        values=values,
        errors=errors,
        group_options=_group_options(),
    ), status


def _fair_form_data() -> dict:
    data = _form()
    data["groups"] = request.form.getlist("groups")
    return data


@bp.route("/organiser/fairs/new", methods=["GET", "POST"])
@role_required("organiser")
def new_fair():
    if request.method == "POST":
        data = _fair_form_data()
        try:
            fair = fair_ops.create_fair(current_user, data, form=True)
        except DomainError as err:
            flash(err.message, "error")
            return _render_fair_form(None, data, err.fields or {}, err.status)
        flash("招聘会草稿已保存。确认无误后点击“发布”。", "success")
        return redirect(url_for("fairs.manage_fair", fair_id=fair.id))
    return _render_fair_form(None, fair_ops.fair_form_values(None), {})


@bp.route("/organiser/fairs/<int:fair_id>/edit", methods=["GET", "POST"])
@role_required("organiser")
def edit_fair(fair_id: int):
    fair = fair_ops.get_fair(fair_id)
    if request.method == "POST":
        data = _fair_form_data()
        try:
            fair_ops.update_fair(current_user, fair.id, data, form=True)
        except DomainError as err:
            if err.status == 404:
                raise
            flash(err.message, "error")
            return _render_fair_form(fair, data, err.fields or {}, err.status)
        flash("招聘会信息已保存。", "success")
        return redirect(url_for("fairs.manage_fair", fair_id=fair.id))
    return _render_fair_form(fair, fair_ops.fair_form_values(fair), {})


def _render_manage(fair, status=200):
    booths = booth_ops.fair_booths(current_user, fair.id)
    return render_template(
        "fairs/manage_fair.html",
        fair=fair,
        booths=booths,
        labels=BOOTH_STATUS_LABELS,
        live_sessions=schedule_ops.fair_sessions(fair),
        counts=fair_ops.fair_counts([fair.id])[fair.id],
        attendance=attendance_ops.attendance_counts(fair.id),
        now=_utcnow(),
    ), status


@bp.route("/organiser/fairs/<int:fair_id>")
@role_required("organiser")
def manage_fair(fair_id: int):
    return _render_manage(fair_ops.get_fair(fair_id))


@bp.route("/organiser/fairs/<int:fair_id>/publish", methods=["POST"])
@role_required("organiser")
def publish_fair(fair_id: int):
    try:
        fair_ops.publish_fair(current_user, fair_id)
    except DomainError as err:
        if err.status == 404:
            raise
        flash(err.message, "error")
    else:
        flash("招聘会已发布，求职者和用人单位现在可以看到它。", "success")
    return redirect(url_for("fairs.manage_fair", fair_id=fair_id))


@bp.route("/organiser/fairs/<int:fair_id>/close", methods=["POST"])
@role_required("organiser")
def close_fair(fair_id: int):
    fair_ops.close_fair(current_user, fair_id)
    flash("招聘会已关闭，不再接受报名和展位申请。", "success")
    return redirect(url_for("fairs.manage_fair", fair_id=fair_id))


def _render_booth_review(booth, errors=None, reason="", status=200):
    return render_template(
        "fairs/booth_review.html",
        booth=booth,
        fair=booth.fair,
        employer=booth.employer,
        positions=[link.position for link in booth.position_links],
        labels=BOOTH_STATUS_LABELS,
        errors=errors or {},
        reason=reason,
    ), status


@bp.route("/organiser/booths/<int:booth_id>")
@role_required("organiser")
def booth_review(booth_id: int):
    return _render_booth_review(booth_ops.organiser_booth(booth_id))


@bp.route("/organiser/booths/<int:booth_id>/approve", methods=["POST"])
@role_required("organiser")
def approve_booth(booth_id: int):
    booth = booth_ops.approve_booth(current_user, booth_id)
    flash(f"已通过“{booth.employer.name}”的展位申请。", "success")
    return redirect(url_for("fairs.manage_fair", fair_id=booth.fair_id))


@bp.route("/organiser/booths/<int:booth_id>/decline", methods=["POST"])
@role_required("organiser")
def decline_booth(booth_id: int):
    try:
        booth = booth_ops.decline_booth(current_user, booth_id, _form(), form=True)
    except DomainError as err:
        if err.status == 404:
            raise
        flash(err.message, "error")
        return _render_booth_review(
            booth_ops.organiser_booth(booth_id),
            err.fields,
            request.form.get("reason", ""),
            err.status,
        )
    flash(f"已驳回“{booth.employer.name}”的展位申请，原因已告知该单位。", "success")
    return redirect(url_for("fairs.manage_fair", fair_id=booth.fair_id))


@bp.route("/organiser/fairs/<int:fair_id>/registrations")
@role_required("organiser")
def registrations(fair_id: int):
    fair, rows, by_group = registration_ops.registrations(current_user, fair_id)
    return render_template("fairs/registrations.html", fair=fair, rows=rows, by_group=by_group)


def _session_form_data() -> dict:
    data = _form()
    data["employer_ids"] = request.form.getlist("employer_ids")
    return data


def _render_session_form(fair, ls, values, errors, status=200):
    return render_template(
        "fairs/session_form.html",
        fair=fair,
        live_session=ls,
        values=values,
        errors=errors,
        host_options=[(u.id, u.name or u.login_name) for u in schedule_ops.organisers()],
        booths=booth_ops.approved_booths(fair),
    ), status


@bp.route("/organiser/fairs/<int:fair_id>/sessions/new", methods=["GET", "POST"])
@role_required("organiser")
def new_session(fair_id: int):
    fair = fair_ops.get_fair(fair_id)
    if request.method == "POST":
        data = _session_form_data()
        try:
            schedule_ops.create_session(current_user, fair.id, data, form=True)
        except DomainError as err:
            if err.status == 404:
                raise
            flash(err.message, "error")
            return _render_session_form(fair, None, data, err.fields or {}, err.status)
        flash("直播场次已安排。", "success")
        return redirect(url_for("fairs.manage_fair", fair_id=fair.id))
    values = schedule_ops.session_form_values(None, fair)
    values["host_user_id"] = current_user.id
    return _render_session_form(fair, None, values, {})


@bp.route("/organiser/fairs/<int:fair_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@role_required("organiser")
def edit_session(fair_id: int, session_id: int):
    fair = fair_ops.get_fair(fair_id)
    ls = schedule_ops.get_session(fair.id, session_id)
    if request.method == "POST":
        data = _session_form_data()
        try:
            schedule_ops.update_session(current_user, fair.id, ls.id, data, form=True)
        except DomainError as err:
            if err.status == 404:
                raise
            flash(err.message, "error")
            return _render_session_form(fair, ls, data, err.fields or {}, err.status)
        flash("直播安排已保存。", "success")
        return redirect(url_for("fairs.manage_fair", fair_id=fair.id))
    return _render_session_form(fair, ls, schedule_ops.session_form_values(ls, fair), {})


@bp.route("/organiser/fairs/<int:fair_id>/sessions/<int:session_id>/delete", methods=["POST"])
@role_required("organiser")
def delete_session(fair_id: int, session_id: int):
    try:
        schedule_ops.delete_session(current_user, fair_id, session_id)
    except DomainError as err:
        if err.status == 404:
            raise
        flash(err.message, "error")
    else:
        flash("直播场次已删除。", "success")
    return redirect(url_for("fairs.manage_fair", fair_id=fair_id))
