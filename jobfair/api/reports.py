"""API: 统计与报表 — dashboard figures, outcome funnel, fairness view, fair results, exports.

Organisers only. Everything returned is an aggregate count (no personal data).
"""

from flask import request
from marshmallow import Schema, fields

from jobfair.api.registry import api_blueprint
from jobfair.auth.limits import export_limit
from jobfair.errors import DomainError
from jobfair.models.common import utcnow
from jobfair.reports import exports, fairness, funnel, services
from jobfair.reports.downloads import download, fair_export_tables, funnel_export_tables
from jobfair.security import role_required

bp = api_blueprint("api_reports", "/reports", "统计与报表")
organiser_only = role_required("organiser")


def _query(name: str, description: str, **schema) -> dict:
    return {
        "in": "query",
        "name": name,
        "required": False,
        "description": description,
        "schema": {"type": "string", **schema},
    }


FILTER_PARAMS = [
    _query("fair", "招聘会编号：从报名参会开始；不填则从平台注册开始", format="int32"),
    _query(
        "campaign", "专项活动编号：从其各场招聘会的报名开始（不能与 fair 同时使用）", format="int32"
    ),
    _query("group", "重点群体代码，如 graduate（仅统计本人同意提供的身份）"),
    _query("district", "区，如 玄武区（按求职者填写的第一个意向区）"),
]
FORMAT_PARAM = _query("format", "文件格式", enum=["csv", "xlsx"])


class StageOut(Schema):
    key = fields.Str()
    label = fields.Str()
    count = fields.Int()
    pct_of_start = fields.Float(allow_none=True)
    pct_of_previous = fields.Float(allow_none=True)
    not_nested = fields.Int(
        metadata={"description": "到达本阶段但未经上一阶段的人数（不计入 count）"}
    )


class FunnelOut(Schema):
    fair = fields.Dict(allow_none=True)
    campaign = fields.Dict(allow_none=True, metadata={"description": "按专项活动筛选时的活动"})
    group = fields.Str(allow_none=True)
    group_label = fields.Str(allow_none=True)
    district = fields.Str(allow_none=True)
    stages = fields.List(fields.Nested(StageOut))
    by_group = fields.List(fields.Dict(), metadata={"description": "各重点群体的各阶段人数"})
    by_district = fields.List(fields.Dict(), metadata={"description": "各区的各阶段人数"})


class DashboardOut(Schema):
    today = fields.Str()
    counts = fields.Dict()
    trend = fields.Dict(metadata={"description": "近 12 周每周投递与录用"})
    funnel = fields.Nested(FunnelOut)
    casework = fields.Dict(allow_none=True, metadata={"description": "目标进度与零就业家庭"})


class FairnessOut(Schema):
    seekers_total = fields.Int()
    totals = fields.Dict()
    rows = fields.List(fields.Dict())
    measures = fields.List(fields.Dict())
    explanation = fields.Str()


class FairResultsOut(Schema):
    fair = fields.Dict()
    totals = fields.Dict()
    booths = fields.List(fields.Dict())
    funnel = fields.Nested(FunnelOut)


def _format() -> str:
    fmt = (request.args.get("format") or "xlsx").strip()
    if fmt not in ("csv", "xlsx"):
        raise DomainError(
            "文件格式应为 csv 或 xlsx。", code="bad_filter", status=400, fields={"format": "不支持"}
        )
    return fmt


@bp.route("/dashboard", methods=["GET"])
@bp.response(200, DashboardOut)
@organiser_only
def dashboard():
    """看板数字：单位、岗位、求职者、投递、本月录用、近 12 周趋势、漏斗、目标与零就业家庭"""
    return services.dashboard(utcnow())


@bp.route("/funnel", methods=["GET"])
@bp.doc(parameters=FILTER_PARAMS)
@bp.response(200, FunnelOut)
@organiser_only
def get_funnel():
    """就业成效漏斗（可按招聘会、重点群体、区筛选），附按群体和按区的分组"""
    filters = funnel.parse_filters(request.args)
    return funnel.report(funnel.target(filters), filters["group"], filters["district"])


@bp.route("/funnel/export", methods=["GET"])
@bp.doc(parameters=[*FILTER_PARAMS, FORMAT_PARAM])
@bp.response(200, {"format": "binary", "type": "string"}, content_type="application/octet-stream")
@organiser_only
@export_limit
def export_funnel():
    """导出漏斗（CSV 或 Excel，汇总数字，不含个人信息）"""
    fmt = _format()
    tables = funnel_export_tables(funnel.parse_filters(request.args))
    return download(tables, "就业成效漏斗", fmt, "funnel")


@bp.route("/fairness", methods=["GET"])
@bp.response(200, FairnessOut)
@organiser_only
def get_fairness():
    """公平性：各重点群体的求职者占比与获得的推荐、叫号、面试邀请占比"""
    return fairness.fairness()


@bp.route("/fairs/<int:fair_id>/results", methods=["GET"])
@bp.response(200, FairResultsOut)
@organiser_only
def fair_results(fair_id: int):
    """招聘会成果：总体与各展位的排队、面谈、投递、邀请面试、录用，及参会漏斗"""
    fair = funnel.get_fair(fair_id)
    data = exports.fair_results(fair)
    data["funnel"] = funnel.funnel(fair)
    return data


@bp.route("/fairs/<int:fair_id>/export", methods=["GET"])
@bp.doc(parameters=[FORMAT_PARAM])
@bp.response(200, {"format": "binary", "type": "string"}, content_type="application/octet-stream")
@organiser_only
@export_limit
def export_fair(fair_id: int):
    """导出招聘会成果（CSV 或 Excel，汇总数字，不含个人信息）"""
    fmt = _format()
    fair = funnel.get_fair(fair_id)
    return download(
        fair_export_tables(fair), f"招聘会成果-{fair.id}", fmt, f"fair-{fair.id}-results"
    )
