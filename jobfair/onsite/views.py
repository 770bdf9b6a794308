"""HTML routes of on-site fairs: booth QR codes and booth check-in, the staff kiosk, and the
page where a kiosk-registered seeker claims their account on their own phone."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from jobfair import reference
from jobfair.channels.services import public_url, qr_svg
from jobfair.errors import DomainError, Forbidden, flash_error
from jobfair.extensions import limiter
from jobfair.fairs import booths as booth_ops
from jobfair.models.common import GROUP_LABELS
from jobfair.models.outcome import EVIDENCE_LABELS
from jobfair.models.user import Role
from jobfair.onsite import services
from jobfair.security import role_required, start_session

bp = Blueprint("onsite", __name__)


def _qr(url: str) -> Markup:
    return Markup(qr_svg(url))  # noqa: S704 (SVG made here from our own URL)


@bp.route("/fairs/<int:fair_id>/booths/<int:booth_id>/scan", methods=["GET", "POST"])
def booth_scan(fair_id: int, booth_id: int):
    """What the QR code printed at a booth opens: its positions, queue and on-site check-in."""
    fair, booth = booth_ops.public_booth(fair_id, booth_id)
    token = request.values.get("t", "")
    valid = services.token_matches(booth, token)
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if current_user.role != Role.SEEKER:
            raise Forbidden("只有求职者可以在展位签到。")
        try:
            _, first = services.self_check_in(current_user, booth.id, token)
        except DomainError as err:
            if err.status == 404:
                raise
            flash(err.message, "error")
        else:
            flash("已在本展位签到。" if first else "你已在本展位签到过。", "success")
        return redirect(url_for("onsite.booth_scan", fair_id=fair.id, booth_id=booth.id, t=token))
    return render_template(
        "onsite/booth_scan.html",
        fair=fair,
        booth=booth,
        positions=booth_ops.shown_positions(booth),
        token=token if valid else "",
    )


@bp.route("/fairs/<int:fair_id>/booths/<int:booth_id>/qr")
@role_required("organiser", "employer")
def booth_qr(fair_id: int, booth_id: int):
    """The booth's QR code to print and put up at the booth (booth staff and organisers)."""
    fair, booth = booth_ops.public_booth(fair_id, booth_id)
    services.staff_booth(current_user, booth.id)
    url = public_url(
        "onsite.booth_scan", fair_id=fair.id, booth_id=booth.id, t=services.booth_token(booth)
    )
    return render_template("onsite/booth_qr.html", fair=fair, booth=booth, qr=_qr(url), url=url)


@bp.route("/fairs/<int:fair_id>/booths/<int:booth_id>/checkin", methods=["GET", "POST"])
@role_required("organiser", "employer")
def booth_checkin(fair_id: int, booth_id: int):
    """Booth staff scan or type a seeker's check-in code: a booth visit (and 到场)."""
    fair, booth = booth_ops.public_booth(fair_id, booth_id)
    services.staff_booth(current_user, booth.id)
    result, errors, status = None, {}, 200
    code = request.values.get("code", "")
    if request.method == "POST":
        try:
            result = services.booth_check_in(current_user, booth.id, code)
        except DomainError as err:
            flash_error(err)
            errors, status = err.fields or {}, err.status
        else:
            code = ""
    return render_template(
        "onsite/booth_checkin.html",
        fair=fair,
        booth=booth,
        code=code,
        result=result,
        errors=errors,
        visits=services.booth_visit_counts(fair.id).get(booth.id, 0),
    ), status


def _kiosk_page(fair, *, values=None, errors=None, status=200, ticket_values=None):
    return render_template(
        "onsite/kiosk.html",
        fair=fair,
        booths=services.kiosk_booths(fair),
        values=values or {},
        errors=errors or {},
        ticket_values=ticket_values or {},
        districts=reference.districts(),
        groups=GROUP_LABELS,
        evidence=EVIDENCE_LABELS,
    ), status


@bp.route("/fairs/<int:fair_id>/kiosk")
@role_required("organiser")
def kiosk(fair_id: int):
    """现场服务台 on a tablet: register a walk-in, or give a registered seeker a ticket."""
    return _kiosk_page(services.kiosk_fair(current_user, fair_id))


@bp.route("/fairs/<int:fair_id>/kiosk/register", methods=["POST"])
@role_required("organiser")
def kiosk_register(fair_id: int):
    fair = services.kiosk_fair(current_user, fair_id)
    data = request.form.to_dict()
    data["districts"] = request.form.getlist("districts")
    for key in ("birth_year", "group", "evidence_type", "booth_id"):
        if not (data.get(key) or "").strip():
            data.pop(key, None)
    try:
        out = services.kiosk_register(current_user, fair.id, data, form=True)
    except DomainError as err:
        flash_error(err)
        return _kiosk_page(fair, values=request.form, errors=err.fields, status=422)
    claim = public_url("onsite.claim", code=out["claim_code"])
    return render_template(
        "onsite/ticket.html", fair=fair, out=out, claim_url=claim, qr=_qr(claim), walk_in=True
    )


@bp.route("/fairs/<int:fair_id>/kiosk/ticket", methods=["POST"])
@role_required("organiser")
def kiosk_ticket(fair_id: int):
    fair = services.kiosk_fair(current_user, fair_id)
    try:
        out = services.kiosk_ticket(
            current_user, fair.id, request.form.get("code"), request.form.get("booth_id")
        )
    except DomainError as err:
        flash_error(err)
        return _kiosk_page(fair, ticket_values=request.form, errors=err.fields, status=422)
    return render_template("onsite/ticket.html", fair=fair, out=out, walk_in=False)


@bp.route("/claim", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config.get("CLAIM_LIMIT", "10 per minute"), methods=["POST"])
def claim():
    """领取账号: a seeker registered at a kiosk sets a password on their own phone."""
    errors, status = {}, 200
    code = request.values.get("code", "")
    if request.method == "POST":
        try:
            user = services.claim_account(
                request.form.get("phone"), code, request.form.get("password")
            )
        except DomainError as err:
            flash(err.message, "error")
            errors, status = err.fields or {}, err.status
        else:
            start_session(user)
            flash("密码已设置，以后用手机号和这个密码登录。", "success")
            return redirect(url_for("seekers.home"))
    return render_template("onsite/claim.html", code=code, errors=errors), status
