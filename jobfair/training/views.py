"""Pages of the 技能超市: the catalogue, a course, enrolment, my training, certificates, the
organisers' course forms, rosters and results, case workers' referrals, training outcomes."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobfair import reference
from jobfair.casework.access import case_worker_of
from jobfair.casework.cases import case_for_update, profile_of
from jobfair.errors import DomainError, flash_error
from jobfair.models.training import (
    CERTIFICATE_LABELS,
    COURSE_STATUS_LABELS,
    ENROLMENT_STATUS_LABELS,
    EnrolmentStatus,
)
from jobfair.occupations import grouped_choices, occupation_names
from jobfair.reports.views import period_report_export, period_report_page
from jobfair.security import login_required, role_required
from jobfair.seekers.services import get_profile
from jobfair.training import courses, enrolments, gaps, outcomes, referrals, subsidy

bp = Blueprint("training", __name__)

organiser_only = role_required("organiser")
seeker_only = role_required("seeker")


def _filters() -> dict:
    district = request.args.get("district", "")
    return {
        "q": (request.args.get("q") or "").strip()[:50],
        "district": district if district in reference.districts() else "",
        "occupation": (request.args.get("occupation") or "").strip()[:12],
    }


# --- catalogue (public) ---------------------------------------------------------------------


@bp.route("/training")
def index():
    filters = _filters()
    rows = courses.list_courses(**filters)
    names = occupation_names(c for row in rows for c in row.occupation_codes)
    items = [courses.course_dict(c, names) for c in rows]
    for item, course in zip(items, rows, strict=True):
        item["subsidy"] = subsidy.course_subsidy(course)
    return render_template(
        "training/index.html",
        items=items,
        filters=filters,
        districts=reference.districts(),
    )


@bp.route("/training/courses/<int:course_id>")
def course(course_id: int):
    row = courses.visible_course(current_user, course_id)
    mine = enrolments.enrolment_of(current_user, row.id)
    data = courses.course_dict(row)
    return render_template(
        "training/course.html",
        course=data,
        subsidy=subsidy.course_subsidy(row),
        mine=enrolments.enrolment_dict(mine) if mine else None,
        problem=courses.enrolment_problem(row),
        from_position=request.args.get("position_id", type=int),
        from_skill=(request.args.get("skill") or "")[:40],
    )


@bp.route("/training/courses/<int:course_id>/enrol", methods=["POST"])
@seeker_only
def enrol(course_id: int):
    try:
        row = enrolments.enrol(
            current_user,
            course_id,
            position_id=request.form.get("position_id") or None,
            skill=request.form.get("skill", ""),
        )
    except DomainError as err:
        flash_error(err)
        return redirect(url_for("training.course", course_id=course_id))
    flash(f"报名成功：{row.course.title}。开课前请留意培训机构的通知。", "success")
    return redirect(url_for("training.mine"))


@bp.route("/training/enrolments/<int:enrolment_id>/withdraw", methods=["POST"])
@seeker_only
def withdraw(enrolment_id: int):
    try:
        row = enrolments.withdraw(current_user, enrolment_id)
    except DomainError as err:
        flash_error(err)
    else:
        flash(f"已退出课程：{row.course.title}，名额已释放。", "success")
    return redirect(url_for("training.mine"))


@bp.route("/training/mine")
@seeker_only
def mine():
    profile = get_profile(current_user)
    return render_template(
        "training/mine.html",
        enrolments=[enrolments.enrolment_dict(e) for e in enrolments.my_enrolments(current_user)],
        referrals=referrals.my_referrals(current_user),
        gaps=[gaps.gap_dict(g) for g in gaps.skill_gaps(profile)],
        has_profile=profile is not None,
    )


@bp.route("/training/enrolments/<int:enrolment_id>/certificate")
@login_required
def certificate(enrolment_id: int):
    row = enrolments.certificate(current_user, enrolment_id)
    profile = get_profile(row.seeker)
    name = (profile.name if profile and profile.name else row.seeker.name) or ""
    return render_template(
        "training/certificate.html",
        e=enrolments.enrolment_dict(row),
        course=row.course,
        name=name,
        certificate_label=CERTIFICATE_LABELS.get(row.course.certificate, ""),
        training_policy=subsidy.TRAINING_POLICY,
    )


# --- organisers: courses, rosters, results ---------------------------------------------------


def _course_form(course_row, values, errors, status=200):
    return (
        render_template(
            "training/course_form.html",
            course=course_row,
            values=values,
            errors=errors,
            occupation_groups=grouped_choices(),
            districts=reference.districts(),
            certificate_labels=CERTIFICATE_LABELS,
            status_labels=COURSE_STATUS_LABELS,
        ),
        status,
    )


def _typed_course() -> dict:
    """The course form as posted; the occupation picker sends one value per chosen occupation."""
    return {**request.form.to_dict(), "occupation_codes": request.form.getlist("occupation_codes")}


@bp.route("/training/courses/new", methods=["GET", "POST"])
@organiser_only
def new_course():
    if request.method == "GET":
        return _course_form(None, courses.form_values(None), {})
    typed = _typed_course()
    try:
        row = courses.save_course(current_user, typed, form=True)
    except DomainError as err:
        flash_error(err)
        return _course_form(None, typed, err.fields, 422)
    flash(f"已发布课程：{row.title}", "success")
    return redirect(url_for("training.course", course_id=row.id))


@bp.route("/training/courses/<int:course_id>/edit", methods=["GET", "POST"])
@organiser_only
def edit_course(course_id: int):
    row = courses.get_course(course_id)
    if request.method == "GET":
        return _course_form(row, courses.form_values(row), {})
    typed = _typed_course()
    try:
        courses.save_course(current_user, typed, course=row, form=True)
    except DomainError as err:
        flash_error(err)
        return _course_form(row, typed, err.fields, 422)
    flash("课程已保存。", "success")
    return redirect(url_for("training.course", course_id=course_id))


@bp.route("/training/courses/<int:course_id>/roster")
@organiser_only
def roster(course_id: int):
    row, people = enrolments.roster(current_user, course_id)
    return render_template(
        "training/roster.html",
        course=courses.course_dict(row),
        people=people,
        status_labels=ENROLMENT_STATUS_LABELS,
        today=date.today().isoformat(),
        enrolled=EnrolmentStatus.ENROLLED,
    )


@bp.route("/training/enrolments/<int:enrolment_id>/result", methods=["POST"])
@organiser_only
def record_result(enrolment_id: int):
    try:
        row = enrolments.record_result(current_user, enrolment_id, request.form, form=True)
    except DomainError as err:
        flash_error(err)
        course_id = request.form.get("course_id", type=int)
        if course_id:
            return redirect(url_for("training.roster", course_id=course_id))
        return redirect(url_for("training.index"))
    label = "结业" if row.status == EnrolmentStatus.COMPLETED else "未结业"
    flash(f"已登记{label}。", "success")
    return redirect(url_for("training.roster", course_id=row.course_id))


# --- case workers: referrals from a case file ------------------------------------------------


@bp.route("/training/cases/<int:case_id>")
@organiser_only
def case_training(case_id: int):
    case = case_for_update(current_user, case_id)
    profile = profile_of(case)
    return render_template(
        "training/case.html",
        case=case,
        profile=profile,
        referrals=referrals.case_referrals(current_user, case_id),
        gaps=[gaps.gap_dict(g) for g in gaps.skill_gaps(profile)],
        courses=[courses.course_dict(c) for c in gaps.open_courses()],
    )


@bp.route("/training/cases/<int:case_id>/referrals", methods=["POST"])
@organiser_only
def refer(case_id: int):
    try:
        row = referrals.refer_from_case(current_user, case_id, request.form, form=True)
    except DomainError as err:
        flash_error(err)
    else:
        flash(f"已推荐课程：{row.course.title}，求职者会收到通知。", "success")
    return redirect(url_for("training.case_training", case_id=case_id))


@bp.route("/training/referrals")
@organiser_only
def referral_list():
    is_worker = case_worker_of(current_user) is not None
    return render_template(
        "training/referrals.html",
        items=referrals.worker_referrals(current_user) if is_worker else [],
        is_worker=is_worker,
    )


# --- outcomes --------------------------------------------------------------------------------


@bp.route("/training/outcomes")
@organiser_only
def outcome_report():
    return period_report_page("training/outcomes.html", outcomes.report)


@bp.route("/training/outcomes.<any(csv, xlsx):export_format>")
@organiser_only
def outcome_export(export_format: str):
    return period_report_export(
        outcomes.report,
        outcomes.tables,
        "培训成效",
        export_format,
        ascii_stem="training-outcomes",
    )
