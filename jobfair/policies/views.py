"""Pages of the policy catalogue: the public list and one policy; the organiser's page to
replace the city's policy file, see every version and put an old one back."""

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobfair.errors import DomainError
from jobfair.policies import rules, store
from jobfair.security import role_required

bp = Blueprint("policies", __name__)


@bp.route("/policies")
def index():
    cat, row = store.current()
    role = request.args.get("who", "")
    shown = cat.for_role(role) if role in rules.FOR_LABELS else list(cat.policies)
    return render_template(
        "policies/index.html",
        catalogue=cat,
        version=row,
        policies=shown,
        role=role,
        for_labels=rules.FOR_LABELS,
    )


@bp.route("/policies/<code>")
def detail(code: str):
    cat, row = store.current()
    return render_template(
        "policies/detail.html",
        catalogue=cat,
        version=row,
        policy=store.policy(code),
        period_kinds=rules.PERIOD_KINDS,
    )


@bp.route("/organiser/policies")
@role_required("organiser")
def manage():
    cat, row = store.current()
    return render_template(
        "policies/manage.html", catalogue=cat, current=row, versions=store.history()
    )


@bp.route("/organiser/policies", methods=["POST"])
@role_required("organiser")
def upload():
    file = request.files.get("file")
    if file is None or not file.filename:
        flash("请选择要上传的政策文件（JSON）。", "error")
        return redirect(url_for("policies.manage"))
    try:
        row = store.replace(
            current_user,
            file.read(),
            source_name=file.filename,
            note=request.form.get("note", ""),
        )
    except DomainError as err:
        if err.status in (403, 404):
            raise
        flash(err.message, "error")
        return redirect(url_for("policies.manage"))
    flash(f"已更换政策文件，现行为第{row.version}版；以前的版本仍保留。", "success")
    return redirect(url_for("policies.manage"))


@bp.route("/organiser/policies/versions/<int:version_id>")
@role_required("organiser")
def version(version_id: int):
    row = store.get_version(version_id)
    latest = store.latest_row()
    return render_template(
        "policies/version.html",
        row=row,
        catalogue=store.version_catalogue(row),
        is_current=latest is not None and latest.id == row.id,
    )


@bp.route("/organiser/policies/versions/<int:version_id>/download")
@role_required("organiser")
def download(version_id: int):
    row = store.get_version(version_id)
    body = json.dumps(row.content, ensure_ascii=False, indent=2)
    resp = Response(body, mimetype="application/json")
    resp.headers.set(
        "Content-Disposition",
        "attachment",
        filename=f"policies-{row.city_code}-v{row.version}.json",
    )
    return resp


@bp.route("/organiser/policies/versions/<int:version_id>/revert", methods=["POST"])
@role_required("organiser")
def revert(version_id: int):
    try:
        row = store.revert(current_user, version_id, request.form.get("note", ""))
    except DomainError as err:
        if err.status in (403, 404):
            raise
        flash(err.message, "error")
        return redirect(url_for("policies.manage"))
    flash(f"已恢复，现行为第{row.version}版（内容同第{row.reverted_from}版）。", "success")
    return redirect(url_for("policies.manage"))
