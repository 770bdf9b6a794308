"""HTML routes of the registrations behind the figures: 认定, 失业登记, 就业登记, 离职, walk-in
seekers, household answers and 托底安置, and the figures by month and district."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobfair import audit, reference
from jobfair.casework import (
    access,
    household_decisions,
    outcomes,
    queries,
    registrations,
    rules,
    serializers,
    status,
)
from jobfair.errors import DomainError, wants_json
from jobfair.extensions import db
from jobfair.models.casework import CITY, TARGET_KIND_LABELS, TargetKind
from jobfair.models.common import GROUP_LABELS, WORK_FORM_LABELS
from jobfair.models.outcome import CONTRACT_LABELS, EVIDENCE_LABELS
from jobfair.models.user import Role
from jobfair.security import login_required, role_required, safe_next

bp = Blueprint("records", __name__)
organiser_only = role_required("organiser")


def _done(action, message: str, back: str):
    """Run a service; flash its Chinese message on a rule it refuses, then go back."""
    try:
        action()
    except DomainError as err:
        if wants_json() or err.status in (401, 403, 404):
            raise
        flash(err.message, "error")
    else:
        flash(message, "success")
    return redirect(back)


def _records_url(seeker_id: int) -> str:
    return url_for("records.seeker_records", seeker_id=seeker_id)


@bp.route("/casework/seekers/<int:seeker_id>/records")
@organiser_only
def seeker_records(seeker_id: int):
    _seeker, profile = registrations.seeker_for_worker(current_user, seeker_id)
    audit.record(current_user.id, "casework.records_view", "seeker", seeker_id)
    db.session.commit()
    data = serializers.seeker_records_dict(
        profile,
        registrations.unemployment_of(seeker_id),
        registrations.registrations_of(seeker_id),
    )
    return render_template(
        "casework/records.html",
        data=data,
        groups=GROUP_LABELS,
        evidence=EVIDENCE_LABELS,
        contracts=CONTRACT_LABELS,
        work_forms=WORK_FORM_LABELS,
        today=queries.local_today(),
    )


@bp.route("/casework/pending-verifications")
@organiser_only
def pending():
    return render_template(
        "casework/pending.html",
        rows=status.pending_verifications(current_user),
        groups=GROUP_LABELS,
    )


@bp.route("/casework/seekers/<int:seeker_id>/statuses", methods=["POST"])
@organiser_only
def verify_status(seeker_id: int):
    return _done(
        lambda: status.verify_status(current_user, seeker_id, request.form.to_dict(), form=True),
        "身份已认定，自认定日起计入目标和名册。",
        _records_url(seeker_id),
    )


@bp.route("/casework/seekers/<int:seeker_id>/statuses/<group>/revoke", methods=["POST"])
@organiser_only
def revoke_status(seeker_id: int, group: str):
    return _done(
        lambda: status.revoke_status(current_user, seeker_id, group),
        "已撤销认定，该身份回到“本人申报”。",
        _records_url(seeker_id),
    )


@bp.route("/casework/seekers/<int:seeker_id>/unemployment", methods=["POST"])
@organiser_only
def open_unemployment(seeker_id: int):
    return _done(
        lambda: registrations.open_unemployment(
            current_user, seeker_id, request.form.to_dict(), form=True
        ),
        "失业登记已记录。",
        _records_url(seeker_id),
    )


@bp.route("/casework/unemployment/<int:unemployment_id>/end", methods=["POST"])
@organiser_only
def end_unemployment(unemployment_id: int):
    seeker_id = request.form.get("seeker_id", type=int) or 0
    return _done(
        lambda: registrations.end_unemployment(
            current_user, unemployment_id, request.form.to_dict(), form=True
        ),
        "失业登记已结束。",
        _records_url(seeker_id) if seeker_id else url_for("casework.home"),
    )


@bp.route("/casework/seekers/<int:seeker_id>/employments", methods=["POST"])
@organiser_only
def register_employment(seeker_id: int):
    return _done(
        lambda: registrations.register_employment(
            current_user, seeker_id, request.form.to_dict(), form=True
        ),
        "就业登记已记录，计入目标进度。",
        _records_url(seeker_id),
    )


@bp.route("/employments/<int:reg_id>/end", methods=["POST"])
@login_required
def end_employment(reg_id: int):
    """离职 from any of the three pages (employer, seeker, case worker)."""
    fallback = {
        Role.SEEKER: url_for("records.my_employments"),
        Role.EMPLOYER: url_for("records.employer_employments"),
    }.get(current_user.role, url_for("casework.home"))
    return _done(
        lambda: registrations.end_employment(
            current_user, reg_id, request.form.to_dict(), form=True
        ),
        "离职已登记。统计中增加一条更正记录，以前月份的数字不变。",
        safe_next(request.form.get("next")) or fallback,
    )


@bp.route("/me/employments")
@role_required("seeker")
def my_employments():
    rows = registrations.registrations_of(current_user.id)
    return render_template(
        "casework/employments.html",
        rows=[serializers.employment_dict(r, evidence=False) for r in rows],
        mine=True,
        today=queries.local_today(),
    )


@bp.route("/employer/employments")
@role_required("employer")
def employer_employments():
    rows = registrations.employer_registrations(current_user)
    names = {r.seeker_id: r.seeker.name for r in rows}
    return render_template(
        "casework/employments.html",
        rows=[
            {**serializers.employment_dict(r, evidence=False), "person": names.get(r.seeker_id)}
            for r in rows
        ],
        mine=False,
        today=queries.local_today(),
    )


@bp.route("/casework/walk-in", methods=["GET", "POST"])
@organiser_only
def walk_in():
    access.require_case_worker(current_user)
    values, errors = {}, {}
    if request.method == "POST":
        data = request.form.to_dict()
        data["districts"] = request.form.getlist("districts")
        try:
            user = status.register_walk_in(current_user, data, form=True)
        except DomainError as err:
            if wants_json() or err.status in (401, 403, 404):
                raise
            flash(err.message, "error")
            values, errors = request.form, err.fields or {}
        else:
            flash("已为该求职者登记账号，纸质同意书已记录。", "success")
            return redirect(_records_url(user.id))
    return render_template(
        "casework/walk_in.html",
        values=values,
        errors=errors,
        districts=reference.districts(),
        groups=GROUP_LABELS,
        evidence=EVIDENCE_LABELS,
    ), (422 if errors else 200)


@bp.route(
    "/casework/households/<int:household_id>/referrals/<int:round_no>/answer", methods=["POST"]
)
@organiser_only
def answer_referral(household_id: int, round_no: int):
    return _done(
        lambda: household_decisions.answer_referral(
            current_user, household_id, round_no, request.form.to_dict(), form=True
        ),
        "家庭答复已记录。",
        url_for("casework.household_detail", household_id=household_id),
    )


@bp.route("/casework/households/<int:household_id>/fallback", methods=["POST"])
@organiser_only
def fallback(household_id: int):
    return _done(
        lambda: household_decisions.fallback_placement(
            current_user, household_id, request.form.to_dict(), form=True
        ),
        "托底安置已登记，家庭已清零。",
        url_for("casework.household_detail", household_id=household_id),
    )


@bp.route("/casework/figures")
@organiser_only
def figures():
    access.require_case_worker(current_user)
    kind = request.args.get("kind") or TargetKind.NEW_EMPLOYMENT
    if kind not in set(TargetKind):
        kind = TargetKind.NEW_EMPLOYMENT
    year = queries.year_or_this(request.args.get("year", type=int))
    return render_template(
        "casework/figures.html",
        data=outcomes.figures(year, kind, CITY),
        kinds=TARGET_KIND_LABELS,
        kind=kind,
        year=year,
        rules=rules.rules_table(),
    )
