"""Organiser dashboard, funnel and fairness pages, fair summaries and CSV / Excel exports."""

from flask import Blueprint, render_template, request
from sqlalchemy import select

from jobfair.auth.limits import export_limit
from jobfair.errors import DomainError
from jobfair.extensions import db
from jobfair.models.common import GROUP_LABELS, utcnow
from jobfair.models.fair import FAIR_STATUS_LABELS, Fair
from jobfair.reference import districts
from jobfair.reports import exports, fairness, funnel, services
from jobfair.reports.downloads import download, fair_export_tables, funnel_export_tables
from jobfair.security import role_required

bp = Blueprint("reports", __name__)

organiser_only = role_required("organiser")


def fair_choices() -> list[Fair]:
    return list(db.session.scalars(select(Fair).order_by(Fair.starts_at.desc(), Fair.id.desc())))


@bp.route("/organiser/dashboard")
@organiser_only
def dashboard():
    return render_template("reports/dashboard.html", data=services.dashboard(utcnow()))


@bp.route("/reports/funnel")
@organiser_only
def funnel_page():
    message, status = "", 200
    try:
        filters = funnel.parse_filters(request.args)
    except DomainError as err:
        message, status = err.message, err.status
        filters = {"fair": None, "group": None, "district": None}
    fair = filters["fair"]
    data = funnel.report(fair, filters["group"], filters["district"])
    return render_template(
        "reports/funnel.html",
        data=data,
        by_group=data["by_group"],
        by_district=data["by_district"],
        stage_labels=funnel.stage_labels(fair is not None),
        filters=filters,
        args={k: request.args.get(k, "") for k in ("fair", "group", "district") if not message},
        fairs=fair_choices(),
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
    )


@bp.route("/reports/fairs/<int:fair_id>/results.<any(csv, xlsx):export_format>")
@organiser_only
@export_limit
def fair_export(fair_id: int, export_format: str):
    fair = funnel.get_fair(fair_id)
    return download(
        fair_export_tables(fair), f"招聘会成果-{fair.id}", export_format, f"fair-{fair.id}-results"
    )
