"""API: campaigns (春风行动, 民营企业招聘月 …) grouping fairs and live sessions, with totals."""

from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import api_blueprint, json_body
from jobfair.api.reports import StageOut
from jobfair.fairs import campaigns as campaign_ops
from jobfair.reports import campaigns
from jobfair.security import role_required

bp = api_blueprint("api_campaigns", "/campaigns", "专项活动：招聘会与直播带岗的归集和总成果")
organiser_only = role_required("organiser")


class CampaignIn(campaign_ops.CampaignSchema):
    """专项活动字段；PATCH 时只需提交要修改的字段。fair_ids / session_ids 为完整列表。"""


class CampaignRef(Schema):
    id = fields.Int()
    title = fields.Str()
    description = fields.Str()
    starts_on = fields.Date()
    ends_on = fields.Date()
    fair_ids = fields.List(fields.Int())
    session_ids = fields.List(
        fields.Int(), metadata={"description": "不属于招聘会的直播带岗（招聘会的直播自动计入）"}
    )


class CampaignTotalsOut(Schema):
    fairs = fields.Int()
    sessions = fields.Int(metadata={"description": "直播带岗场次（含招聘会内的）"})
    employers = fields.Int(metadata={"description": "展位通过审核或参加直播的单位（去重）"})
    positions = fields.Int(metadata={"description": "各展位展示的岗位（去重）"})
    seekers_attending = fields.Int(
        metadata={"description": "到场求职者（线上进入会场或现场签到，去重）"}
    )
    session_viewers = fields.Int(metadata={"description": "观看直播的求职者（去重）"})
    applications = fields.Int(metadata={"description": "活动内的投递条数"})
    hires = fields.Int(metadata={"description": "其中录用/入职的条数"})


class CampaignFairOut(Schema):
    id = fields.Int()
    title = fields.Str()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()


class CampaignOut(Schema):
    campaign = fields.Nested(CampaignRef)
    fairs = fields.List(fields.Nested(CampaignFairOut))
    totals = fields.Nested(CampaignTotalsOut)
    stages = fields.List(fields.Nested(StageOut), metadata={"description": "活动漏斗（逐级嵌套）"})


class CampaignListItem(CampaignRef):
    totals = fields.Nested(CampaignTotalsOut)


def _body(schema_cls):
    return {"requestBody": {"content": {"application/json": {"schema": schema_cls}}}}


@bp.route("", methods=["GET"])
@bp.response(200, CampaignListItem(many=True))
@organiser_only
def list_campaigns():
    """专项活动列表（含总成果）"""
    out = []
    for c in campaign_ops.list_campaigns():
        item = campaigns.report(c)["campaign"]
        item["totals"] = campaigns.totals(c)
        out.append(item)
    return out


@bp.route("", methods=["POST"])
@bp.doc(**_body(CampaignIn))
@bp.response(201, CampaignOut)
@organiser_only
def create_campaign():
    """新建专项活动（名称不能重复）"""
    return campaigns.report(campaign_ops.create_campaign(current_user, json_body()))


@bp.route("/<int:campaign_id>", methods=["GET"])
@bp.response(200, CampaignOut)
@organiser_only
def get_campaign(campaign_id: int):
    """专项活动的总成果与漏斗（与页面同一组数字）"""
    return campaigns.report(campaign_ops.get_campaign(campaign_id))


@bp.route("/<int:campaign_id>", methods=["PATCH"])
@bp.doc(**_body(CampaignIn))
@bp.response(200, CampaignOut)
@organiser_only
def update_campaign(campaign_id: int):
    """修改专项活动"""
    campaign = campaign_ops.update_campaign(current_user, campaign_id, json_body(), partial=True)
    return campaigns.report(campaign)
