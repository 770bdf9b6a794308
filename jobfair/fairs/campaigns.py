"""Campaigns (春风行动, 民营企业招聘月 …): organisers group fairs and live sessions under one name.

A campaign has a title (unique), a period in Beijing dates and the fairs and live sessions it
groups. Sessions held at one of its fairs belong to it anyway; ``session_ids`` adds sessions
of their own (a 直播带岗 not tied to a fair). Its figures are in reports.campaigns.
"""

from marshmallow import fields

from jobfair import audit
from jobfair.errors import DomainError, NotFound
from jobfair.extensions import db
from jobfair.fairs.fairs import require_organiser
from jobfair.ids import MAX_ID, is_id
from jobfair.models.campaign import Campaign, CampaignFair, CampaignSession
from jobfair.models.fair import Fair, LiveSession
from jobfair.models.user import User
from jobfair.transactions import commit_or_conflict, conflict_as
from jobfair.validation import BaseSchema, Date, Text, load

for _action, _label in {
    "campaign.create": "新建专项活动",
    "campaign.update": "修改专项活动",
}.items():
    audit.ACTION_LABELS.setdefault(_action, _label)
audit.OBJECT_LABELS.setdefault("campaign", "专项活动")

LABELS = {
    "title": "活动名称",
    "description": "活动介绍",
    "starts_on": "开始日期",
    "ends_on": "结束日期",
    "fair_ids": "包含的招聘会",
    "session_ids": "包含的直播带岗",
}
TITLE_TAKEN = "已有同名的专项活动，请换一个名称。"
MAX_ITEMS = 200


def _ids_field():
    return fields.List(
        fields.Integer(strict=False, validate=lambda v: 1 <= v <= MAX_ID),
        load_default=list,
        error_messages={"invalid": "应为编号列表。"},
    )


class CampaignSchema(BaseSchema):
    title = Text(required=True, max_len=100)
    description = Text(max_len=5000)
    starts_on = Date(required=True)
    ends_on = Date(required=True)
    fair_ids = _ids_field()
    session_ids = _ids_field()


def list_campaigns() -> list[Campaign]:
    return list(
        db.session.scalars(
            db.select(Campaign).order_by(Campaign.starts_on.desc(), Campaign.id.desc())
        )
    )


def get_campaign(campaign_id) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id) if is_id(campaign_id) else None
    if campaign is None:
        raise NotFound("专项活动不存在。")
    return campaign


def _field_error(field: str, message: str) -> DomainError:
    return DomainError(message, code="validation_error", fields={field: message})


def _values(data: dict, *, form: bool, partial: bool, current: Campaign | None) -> dict:
    values = load(CampaignSchema(), data, form=form, partial=partial, labels=LABELS)
    if "title" in values:
        values["title"] = values["title"].strip()
        if not values["title"]:
            raise _field_error("title", "请填写活动名称。")
    starts = values.get("starts_on", current.starts_on if current else None)
    ends = values.get("ends_on", current.ends_on if current else None)
    if starts and ends and ends < starts:
        raise _field_error("ends_on", "结束日期不能早于开始日期。")
    for key, model, what in (("fair_ids", Fair, "招聘会"), ("session_ids", LiveSession, "直播")):
        if key not in values:
            continue
        wanted = sorted(set(values[key]))
        if len(wanted) > MAX_ITEMS:
            raise _field_error(key, f"最多包含 {MAX_ITEMS} 项。")
        found = set(db.session.scalars(db.select(model.id).where(model.id.in_(wanted))))
        missing = [i for i in wanted if i not in found]
        if missing:
            raise _field_error(key, f"{what}不存在：{'、'.join(map(str, missing))}。")
        values[key] = wanted
    return values


def _apply(campaign: Campaign, values: dict) -> None:
    for key in ("title", "description", "starts_on", "ends_on"):
        if key in values:
            setattr(campaign, key, values[key])
    if "fair_ids" in values:
        keep = {link.fair_id: link for link in campaign.fair_links}
        campaign.fair_links = [keep.get(i) or CampaignFair(fair_id=i) for i in values["fair_ids"]]
    if "session_ids" in values:
        keep = {link.session_id: link for link in campaign.session_links}
        campaign.session_links = [
            keep.get(i) or CampaignSession(session_id=i) for i in values["session_ids"]
        ]


def create_campaign(actor: User, data: dict, *, form: bool = False) -> Campaign:
    require_organiser(actor)
    values = _values(data, form=form, partial=False, current=None)
    campaign = Campaign(created_by=actor.id)
    _apply(campaign, values)
    db.session.add(campaign)
    with conflict_as(TITLE_TAKEN, code="title_taken"):
        db.session.flush()
    audit.record(actor.id, "campaign.create", "campaign", campaign.id, title=campaign.title)
    db.session.commit()
    return campaign


def update_campaign(
    actor: User, campaign_id, data: dict, *, form: bool = False, partial: bool = False
) -> Campaign:
    require_organiser(actor)
    campaign = get_campaign(campaign_id)
    values = _values(data, form=form, partial=partial, current=campaign)
    _apply(campaign, values)
    audit.record(actor.id, "campaign.update", "campaign", campaign.id, title=campaign.title)
    commit_or_conflict(TITLE_TAKEN, code="title_taken")
    return campaign


def form_values(campaign: Campaign | None) -> dict:
    if campaign is None:
        return {"fair_ids": [], "session_ids": []}
    return {
        "title": campaign.title,
        "description": campaign.description,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "fair_ids": campaign.fair_ids,
        "session_ids": campaign.session_ids,
    }
