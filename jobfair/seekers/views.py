"""Seeker pages: home, profile, download my data, delete my account."""

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobfair import occupations, reference
from jobfair.applications import services as applications
from jobfair.auth.limits import export_limit
from jobfair.errors import DomainError
from jobfair.models.common import GROUP_LABELS, SEEKER_EDUCATION_LABELS, WORK_FORM_LABELS
from jobfair.models.user import ADDRESS_FORM_LABELS
from jobfair.policies import eligibility
from jobfair.security import (
    end_session,
    fresh_login_required,
    recently_confirmed,
    role_required,
    safe_next,
)
from jobfair.seekers import account, services

bp = Blueprint("seekers", __name__)

# Form fields that arrive once (text, selects) and those that arrive as lists (checkboxes).
SCALAR_FIELDS = (
    "hukou_district",
    "residence_district",
    "residence_street",
    "name",
    "address_form",
    "phone",
    "birth_year",
    "education",
    "major",
    "skills",
    "experience",
    "salary_min",
    "intro",
)
LIST_FIELDS = ("desired_occupations", "districts", "work_forms", "groups")


def profile_form_data(form) -> dict:
    data = {k: form.get(k, "") for k in SCALAR_FIELDS}
    for key in LIST_FIELDS:
        data[key] = form.getlist(key)
    # Unticked checkboxes are simply absent from a form post.
    data["discoverable"] = "discoverable" in form
    data["group_consent"] = "group_consent" in form
    return data


@bp.route("/me")
@role_required("seeker")
def home():
    profile = services.get_profile(current_user)
    percent, missing = services.completeness(profile)
    latest = applications.seeker_applications(current_user, limit=5)
    return render_template(
        "seekers/home.html",
        profile=profile,
        percent=percent,
        missing=missing,
        latest=latest,
        prospects=eligibility.seeker_prospects(current_user.id),
    )


def _form_values(profile, user) -> dict:
    """What the form shows: the stored profile, or sensible defaults for a first visit."""
    if profile is None:
        return {
            "name": user.name,
            "address_form": user.address_form,
            "phone": user.phone or "",
            "education": "none",
            "salary_min": "",
            "desired_codes": [],
            "districts": [],
            "work_forms": [],
            "groups": [],
            "discoverable": False,
            "group_consent": False,
            "hukou_district": "",
            "residence_district": "",
            "residence_street": "",
            "group_status": [],
        }
    return {
        "name": profile.name,
        "address_form": user.address_form,
        "phone": profile.phone,
        "birth_year": profile.birth_year or "",
        "education": profile.education,
        "major": profile.major,
        "skills": profile.skills,
        "experience": profile.experience,
        "salary_min": profile.salary_min or "",
        "intro": profile.intro,
        "desired_codes": profile.desired_occupations,
        "districts": list(profile.districts),
        "work_forms": list(profile.work_forms),
        "groups": profile.group_codes,
        "discoverable": profile.discoverable,
        "group_consent": profile.group_consent,
        "hukou_district": profile.hukou_district,
        "residence_district": profile.residence_district,
        "residence_street": profile.residence_street,
        # Which ticked groups are 认定 and which are only 本人申报 (shown beside the boxes).
        "group_status": [(g.group, g.verified_on is not None) for g in profile.groups],
    }


@bp.route("/me/profile", methods=["GET", "POST"])
@role_required("seeker")
def profile():
    profile = services.get_profile(current_user)
    errors: dict = {}
    next_url = safe_next(request.values.get("next"))
    if request.method == "POST":
        had_consent = bool(profile and profile.group_consent)
        data = profile_form_data(request.form)
        try:
            profile = services.save_profile(
                current_user, data, form=True, confirmed=recently_confirmed()
            )
        except DomainError as err:
            flash(err.message, "error")
            errors = err.fields
            values = dict(data)
            values["desired_codes"] = data["desired_occupations"]
            status = err.status
            return render_template(
                "seekers/profile.html",
                values=values,
                errors=errors,
                next_url=next_url,
                **_choices(),
            ), status
        if had_consent and not profile.group_consent:
            flash("已撤回重点群体信息授权，平台已删除你的重点群体身份信息。", "info")
        flash("求职资料已保存。", "success")
        return redirect(next_url or url_for("seekers.home"))
    return render_template(
        "seekers/profile.html",
        values=_form_values(profile, current_user),
        errors=errors,
        next_url=next_url,
        **_choices(),
    )


def _choices() -> dict:
    return {
        "education_options": [(str(k), v) for k, v in SEEKER_EDUCATION_LABELS.items()],
        "address_options": [(str(k), v) for k, v in ADDRESS_FORM_LABELS.items()],
        "district_options": [(d, d) for d in reference.districts()],
        "work_form_options": [(str(k), v) for k, v in WORK_FORM_LABELS.items()],
        "group_options": [(str(k), v) for k, v in GROUP_LABELS.items()],
        "consent_text": services.CONSENT_TEXT,
        "max_birth_year": services.max_birth_year(),
        "occupation_groups": occupations.grouped_choices(),
    }


@bp.route("/me/export")
@role_required("seeker")
@fresh_login_required
@export_limit
def export():
    data = account.export_data(current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="jobfair-my-data-{current_user.id}.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/me/delete", methods=["GET", "POST"])
@role_required("seeker")
def delete():
    errors: dict = {}
    if request.method == "POST":
        try:
            account.delete_account(current_user, request.form.to_dict(), form=True)
        except DomainError as err:
            flash(err.message, "error")
            errors = err.fields
            return render_template("seekers/delete.html", errors=errors), err.status
        end_session()
        flash("你的账号和全部求职数据已删除。", "success")
        return redirect(url_for("main.index"))
    return render_template("seekers/delete.html", errors=errors)
