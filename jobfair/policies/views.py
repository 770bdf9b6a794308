"""Pages of the policy catalogue (the public list and one policy; the organiser's page to
replace the city's policy file, see every version and put an old one back), the eligibility
check, subsidy applications and their review, and the subsidy report."""

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobfair.errors import DomainError, flash_error
from jobfair.models.policy import SUBSIDY_STATUS_LABELS
from jobfair.policies import eligibility, review, rules, serializers, store, subsidies
from jobfair.policies import reports as policy_reports
from jobfair.reports.downloads import download
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
        flash_error(err)
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


@bp.route("/organiser/policies/versions/<int:version_id>/download", endpoint="download")
@role_required("organiser")
def download_version(version_id: int):
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
        flash_error(err)
        return redirect(url_for("policies.manage"))
    flash(f"已恢复，现行为第{row.version}版（内容同第{row.reverted_from}版）。", "success")
    return redirect(url_for("policies.manage"))


# --- eligibility and subsidy applications ---------------------------------------------------

sub = Blueprint("subsidies", __name__)


def _stated_facts(form) -> dict:
    return {k[5:]: v for k, v in form.items() if k.startswith("fact_") and k[5:] in rules.FACTS}


@sub.route("/policies/check")
@role_required("seeker", "employer", "organiser")
def check_page():
    seeker_id = request.args.get("seeker_id", "").strip()
    result, error = None, None
    if current_user.role != "organiser" or seeker_id:
        data = {"seeker_id": seeker_id} if current_user.role == "organiser" else {}
        try:
            result = eligibility.check_for(current_user, data)
            result["policies"].sort(key=eligibility.rank)
        except DomainError as err:
            if err.status == 404:
                raise
            error = err.message
    prospects = None
    if current_user.role == "seeker":
        prospects = eligibility.seeker_prospects(current_user.id)
    return render_template(
        "policies/check.html",
        result=result,
        error=error,
        seeker_id=seeker_id,
        prospects=prospects,
        state_labels=rules.STATE_LABELS,
    )


@sub.route("/subsidies")
@role_required("seeker", "employer")
def mine():
    return render_template(
        "policies/mine.html",
        applications=subsidies.mine(current_user),
        policies=store.policies().for_role(current_user.role),
    )


@sub.route("/subsidies/new/<code>")
@role_required("seeker", "employer")
def new(code: str):
    try:
        ctx = subsidies.form_context(current_user, code, request.args.get("subject_id"))
    except DomainError as err:
        flash_error(err)
        return redirect(url_for("subsidies.mine"))
    return render_template(
        "policies/apply.html", state_labels=rules.STATE_LABELS, errors={}, form={}, **ctx
    )


@sub.route("/subsidies/new/<code>", methods=["POST"])
@role_required("seeker", "employer")
def apply(code: str):
    data = {
        "subject_id": request.form.get("subject_id"),
        "period": request.form.get("period"),
        "note": request.form.get("note", ""),
        "facts": _stated_facts(request.form),
    }
    try:
        application = subsidies.submit(current_user, code, data)
    except DomainError as err:
        if err.status in (403, 404):
            raise
        ctx = subsidies.form_context(current_user, code, request.form.get("subject_id"))
        flash(err.message, "error")
        return render_template(
            "policies/apply.html",
            state_labels=rules.STATE_LABELS,
            errors=err.fields,
            form=request.form,
            **ctx,
        ), err.status
    flash(
        f"已提交“{application.policy_name}”申请，测算金额 "
        f"{rules.yuan(application.amount_fen / 100)}，请等待审核。",
        "success",
    )
    return redirect(url_for("subsidies.detail", application_id=application.id))


@sub.route("/subsidies/<int:application_id>", endpoint="detail")
@role_required("seeker", "employer", "organiser")
def application_detail(application_id: int):
    application = subsidies.own_application(current_user, application_id)
    ask = []
    if application.status == "returned" and current_user.role != "organiser":
        policy = subsidies.policy_of(application)
        platform = {
            k: f for k, f in subsidies.load_facts(application.facts_json).items() if not f.declared
        }
        ask = [(k, rules.FACTS[k]) for k in subsidies.askable_missing(policy, platform)]
    declared = {
        k: f.value for k, f in subsidies.load_facts(application.facts_json).items() if f.declared
    }
    return render_template(
        "policies/detail_application.html",
        a=application,
        data=serializers.application_dict(application, current_user),
        ask=ask,
        declared=declared,
        state_labels=rules.STATE_LABELS,
    )


@sub.route("/subsidies/<int:application_id>/resubmit", methods=["POST"])
@role_required("seeker", "employer")
def resubmit(application_id: int):
    data = {"facts": _stated_facts(request.form), "note": request.form.get("note", "")}
    try:
        subsidies.resubmit(current_user, application_id, data)
    except DomainError as err:
        flash_error(err)
    else:
        flash("已重新提交，请等待审核。", "success")
    return redirect(url_for("subsidies.detail", application_id=application_id))


@sub.route("/subsidies/<int:application_id>/withdraw", methods=["POST"])
@role_required("seeker", "employer")
def withdraw(application_id: int):
    try:
        subsidies.withdraw(current_user, application_id)
    except DomainError as err:
        flash_error(err)
    else:
        flash("已撤回申请。", "success")
    return redirect(url_for("subsidies.detail", application_id=application_id))


@sub.route("/organiser/subsidies")
@role_required("organiser")
def queue():
    args = {k: request.args.get(k, "") for k in ("status", "policy", "district")}
    try:
        rows = review.queue(current_user, **args)
    except DomainError as err:
        flash_error(err)
        rows = review.queue(current_user)
    return render_template(
        "policies/queue.html",
        rows=rows,
        args=args,
        counts=review.counts(),
        statuses=SUBSIDY_STATUS_LABELS,
        policies=store.policies().policies,
    )


@sub.route("/organiser/subsidies/<int:application_id>/decision", methods=["POST"])
@role_required("organiser")
def decide(application_id: int):
    data = {
        "action": request.form.get("action"),
        "reason": request.form.get("reason", ""),
        "facts": _stated_facts(request.form),
    }
    try:
        application = review.decide(current_user, application_id, data)
    except DomainError as err:
        flash_error(err)
    else:
        flash(f"已处理：{application.status_label}。", "success")
    return redirect(url_for("subsidies.detail", application_id=application_id))


@sub.route("/organiser/subsidies/<int:application_id>/payments", methods=["POST"])
@role_required("organiser")
def pay(application_id: int):
    data = {k: request.form.get(k, "") for k in ("amount", "paid_on", "reference")}
    try:
        payment = review.record_payment(current_user, application_id, data)
    except DomainError as err:
        flash_error(err)
    else:
        flash(f"已登记拨付 {rules.yuan(payment.amount_fen / 100)}。", "success")
    return redirect(url_for("subsidies.detail", application_id=application_id))


def _report_args() -> dict:
    args = request.args
    return policy_reports.report_filters(args.get("year"), args.get("policy"), args.get("district"))


@sub.route("/organiser/subsidies/report")
@role_required("organiser")
def report():
    args = _report_args()
    return render_template(
        "policies/report.html",
        data=policy_reports.report(**args),
        args=args,
        years=policy_reports.years_available(),
        policies=store.policies().policies,
    )


@sub.route("/organiser/subsidies/report.<any(csv, xlsx):export_format>")
@role_required("organiser")
def report_export(export_format: str):
    data = policy_reports.report(**_report_args())
    return download(
        policy_reports.tables(data), f"政策补贴统计{data['year']}", export_format, "subsidies"
    )
