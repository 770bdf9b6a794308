"""Organiser dashboard, funnel and fairness pages, fair summaries and CSV / Excel exports, and
the period report page and export other features' report pages share."""

import os
from collections.abc import Callable
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from jobfair import jobs
from jobfair.auth.limits import export_limit
from jobfair.errors import DomainError, NotFound
from jobfair.extensions import db
from jobfair.fairs import campaigns as campaign_ops
from jobfair.live import figures as live_figures
from jobfair.models.common import GROUP_LABELS, utcnow
from jobfair.models.fair import FAIR_STATUS_LABELS, Fair, LiveSession
from jobfair.policies import reports as subsidy_reports
from jobfair.reference import districts
from jobfair.reports import campaigns, exports, fairness, funnel, services
from jobfair.reports import jobs as report_jobs
from jobfair.reports.downloads import (
    FORMATS,
    attach,
    download,
    fair_export_tables,
    funnel_export_tables,
)
from jobfair.security import role_required

bp = Blueprint("reports", __name__)

organiser_only = role_required("organiser")


def fair_choices() -> list[Fair]:
    return list(db.session.scalars(select(Fair).order_by(Fair.starts_at.desc(), Fair.id.desc())))


def report_period() -> tuple[date | None, date | None]:
    """?start=&end= as dates; a malformed one is flashed and read as open (不限)."""
    out = []
    for key in ("start", "end"):
        raw = request.args.get(key) or ""
        try:
            out.append(date.fromisoformat(raw) if raw else None)
        except ValueError:
            flash("日期格式应为 YYYY-MM-DD，已按不限处理。", "error")
            out.append(None)
    return out[0], out[1]


def period_report_page(template: str, build: Callable[[date | None, date | None], dict]):
    """A report page over the period in the query string, the period filled back in the form."""
    start, end = report_period()
    return render_template(
        template,
        data=build(start, end),
        start=start.isoformat() if start else "",
        end=end.isoformat() if end else "",
    )


def period_report_export(
    build: Callable[[date | None, date | None], dict],
    tables: Callable[[dict], list],
    stem: str,
    export_format: str,
    ascii_stem: str,
):
    """The same report's tables as CSV or Excel."""
    start, end = report_period()
    return download(tables(build(start, end)), stem, export_format, ascii_stem=ascii_stem)


@bp.route("/organiser/dashboard")
@organiser_only
def dashboard():
    return render_template(
        "reports/dashboard.html",
        data=services.dashboard(utcnow()),
        subsidy=subsidy_reports.report(),
    )


@bp.route("/reports/funnel")
@organiser_only
def funnel_page():
    message, status = "", 200
    try:
        filters = funnel.parse_filters(request.args)
    except DomainError as err:
        message, status = err.message, err.status
        filters = {"fair": None, "campaign": None, "group": None, "district": None}
    target = funnel.target(filters)
    data = funnel.report(target, filters["group"], filters["district"])
    return render_template(
        "reports/funnel.html",
        data=data,
        by_group=data["by_group"],
        by_district=data["by_district"],
        stage_labels=funnel.stage_labels(target is not None),
        filters=filters,
        args={
            k: request.args.get(k, "")
            for k in ("fair", "campaign", "group", "district")
            if not message
        },
        fairs=fair_choices(),
        campaigns=campaign_ops.list_campaigns(),
        groups=GROUP_LABELS,
        district_names=districts(),
        message=message,
    ), status


@bp.route("/reports/funnel.<any(csv, xlsx):export_format>")
@organiser_only
@export_limit
def funnel_export(export_format: str):
    filters = funnel.parse_filters(request.args)
    return download(funnel_export_tables(filters), "就业成效漏斗", export_format, "funnel")


@bp.route("/reports/fairness")
@organiser_only
def fairness_page():
    return render_template("reports/fairness.html", data=fairness.fairness())


@bp.route("/reports/fairs")
@organiser_only
def fairs():
    return render_template(
        "reports/fairs.html",
        fairs=fair_choices(),
        status_labels={str(k): v for k, v in FAIR_STATUS_LABELS.items()},
    )


@bp.route("/reports/fairs/<int:fair_id>/summary")
@organiser_only
def fair_summary(fair_id: int):
    fair = funnel.get_fair(fair_id)
    data = funnel.report(fair)
    return render_template(
        "reports/fair_summary.html",
        fair=fair,
        results=exports.fair_results(fair),
        data=data,
        by_group=data["by_group"],
        stage_labels=funnel.stage_labels(True),
        generated=utcnow(),
        live_figures=live_figures.fair_figures(fair),
        live_figure_labels=live_figures.FIGURE_LABELS,
    )


@bp.route("/reports/fairs/<int:fair_id>/results.<any(csv, xlsx):export_format>")
@organiser_only
@export_limit
def fair_export(fair_id: int, export_format: str):
    fair = funnel.get_fair(fair_id)
    return download(
        fair_export_tables(fair), f"招聘会成果-{fair.id}", export_format, f"fair-{fair.id}-results"
    )


# --- campaigns (春风行动 …) -------------------------------------------------------------------


@bp.route("/reports/campaigns")
@organiser_only
def campaign_list():
    rows = [(c, campaigns.totals(c)) for c in campaign_ops.list_campaigns()]
    return render_template("reports/campaigns.html", rows=rows)


@bp.route("/reports/campaigns/<int:campaign_id>")
@organiser_only
def campaign_page(campaign_id: int):
    campaign = campaign_ops.get_campaign(campaign_id)
    return render_template(
        "reports/campaign.html",
        campaign=campaign,
        data=campaigns.report(campaign),
        total_labels=campaigns.TOTAL_LABELS,
    )


@bp.route("/reports/campaigns/<int:campaign_id>/results.<any(csv, xlsx):export_format>")
@organiser_only
def campaign_export(campaign_id: int, export_format: str):
    campaign = campaign_ops.get_campaign(campaign_id)
    tables = campaigns.export_tables(campaigns.report(campaign))
    return download(
        tables, f"专项活动成果-{campaign.id}", export_format, f"campaign-{campaign.id}-results"
    )


def _campaign_form_data() -> dict:
    data = {k: v for k, v in request.form.items() if k not in ("csrf_token",)}
    data["fair_ids"] = request.form.getlist("fair_ids")
    data["session_ids"] = request.form.getlist("session_ids")
    return data


def _render_campaign_form(campaign, values, errors, status=200):
    sessions = db.session.scalars(
        select(LiveSession)
        .where(LiveSession.fair_id.is_(None))
        .order_by(LiveSession.starts_at.desc())
    )
    return render_template(
        "reports/campaign_form.html",
        campaign=campaign,
        values=values,
        errors=errors,
        fairs=fair_choices(),
        sessions=list(sessions),
    ), status


@bp.route("/reports/campaigns/new", methods=["GET", "POST"])
@organiser_only
def new_campaign():
    if request.method == "POST":
        data = _campaign_form_data()
        try:
            campaign = campaign_ops.create_campaign(current_user, data, form=True)
        except DomainError as err:
            flash(err.message, "error")
            return _render_campaign_form(None, data, err.fields or {}, err.status)
        flash("专项活动已建立。", "success")
        return redirect(url_for("reports.campaign_page", campaign_id=campaign.id))
    return _render_campaign_form(None, campaign_ops.form_values(None), {})


@bp.route("/reports/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@organiser_only
def edit_campaign(campaign_id: int):
    campaign = campaign_ops.get_campaign(campaign_id)
    if request.method == "POST":
        data = _campaign_form_data()
        try:
            campaign_ops.update_campaign(current_user, campaign.id, data, form=True)
        except DomainError as err:
            db.session.rollback()
            flash(err.message, "error")
            return _render_campaign_form(campaign, data, err.fields or {}, err.status)
        flash("专项活动已保存。", "success")
        return redirect(url_for("reports.campaign_page", campaign_id=campaign.id))
    return _render_campaign_form(campaign, campaign_ops.form_values(campaign), {})


@bp.route("/reports/exports", methods=["POST"])
@organiser_only
def start_export():
    """Large exports are built by a background job; the next page shows its progress."""
    kind, fmt = request.form.get("kind", ""), request.form.get("format", "")
    params = report_jobs.check_request(kind, fmt, request.form)
    run = jobs.enqueue(report_jobs.export_report, kind, fmt, params, user_id=current_user.id)
    db.session.commit()
    return redirect(url_for("reports.export_status", run_id=run.id), code=303)


@bp.route("/reports/exports/<int:run_id>")
@organiser_only
def export_status(run_id: int):
    run = jobs.get_run(current_user, run_id)
    return render_template("reports/export.html", run=run, job=jobs.run_payload(run))


@bp.route("/reports/exports/<int:run_id>/download")
@organiser_only
def export_download(run_id: int):
    run = jobs.get_run(current_user, run_id)
    result = jobs.run_payload(run)["result"] or {}
    path = os.path.join(report_jobs.export_dir(), os.path.basename(result.get("file") or ""))
    if run.status != "done" or not result.get("file") or not os.path.isfile(path):
        raise NotFound("文件还没有生成好，请稍后再试。")
    fmt = result.get("format", "csv")
    return attach(
        send_file(path, mimetype=FORMATS[fmt][0], max_age=0),
        result.get("filename", f"report.{fmt}"),
        result.get("ascii_filename", f"jobfair-report.{fmt}"),
    )
