"""API: 岗位推荐、推荐人才、重点群体精准匹配与推送、职业识别."""

from flask import current_app
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import api_blueprint, json_body
from jobfair.errors import DomainError
from jobfair.extensions import limiter
from jobfair.ids import MAX_ID
from jobfair.recommendations import services
from jobfair.security import role_required
from jobfair.validation import BaseSchema, Int, Text, load

bp = api_blueprint("api_matching", "/matching", "岗位推荐与职业识别")


class MatchEmployerRef(Schema):
    id = fields.Int()
    name = fields.Str()


class PositionBrief(Schema):
    id = fields.Int()
    title = fields.Str()
    district = fields.Str()
    salary_min = fields.Int()
    salary_max = fields.Int()
    occupation_code = fields.Str()
    employer = fields.Nested(MatchEmployerRef)


class MatchOut(Schema):
    position = fields.Nested(PositionBrief)
    score = fields.Float(metadata={"description": "匹配分，0–1"})
    percent = fields.Int(metadata={"description": "匹配度（百分比）"})
    reasons = fields.List(fields.Str(), metadata={"description": "推荐理由（中文）"})


class RecommendationsOut(Schema):
    ready = fields.Bool(metadata={"description": "资料是否足以推荐"})
    reason = fields.Str(
        metadata={
            "description": "no_profile 未填写资料 / no_text 资料缺少技能、经历或期望职业 / no_match 暂无匹配"
        }
    )
    message = fields.Str()
    items = fields.List(fields.Nested(MatchOut))
    fallback = fields.List(fields.Nested(PositionBrief), metadata={"description": "最新岗位"})


class MatchOccupationRef(Schema):
    code = fields.Str()
    name = fields.Str()
    marks = fields.List(
        fields.Str(), metadata={"description": "职业标识：green 绿色职业 / digital 数字职业"}
    )


class TalentOut(Schema):
    seeker_id = fields.Int()
    name = fields.Str(metadata={"description": "未投递本单位时仅显示姓氏，如 张**"})
    phone = fields.Str(metadata={"description": "未投递本单位时隐藏，如 138****5678"})
    applied = fields.Bool(metadata={"description": "是否投递过本单位的岗位"})
    score = fields.Float()
    percent = fields.Int()
    reasons = fields.List(fields.Str())
    education = fields.Str()
    districts = fields.List(fields.Str())
    desired_occupations = fields.List(fields.Nested(MatchOccupationRef))
    skills = fields.Str()


class TalentPage(Schema):
    position = fields.Nested(PositionBrief)
    items = fields.List(fields.Nested(TalentOut))


class PrioritySeeker(Schema):
    seeker_id = fields.Int()
    name = fields.Str()
    phone = fields.Str()
    districts = fields.List(fields.Str())
    has_profile_text = fields.Bool()
    good_match = fields.Bool()
    items = fields.List(fields.Nested(MatchOut))


class PriorityOut(Schema):
    group = fields.Str()
    group_label = fields.Str()
    district = fields.Str(allow_none=True)
    fair_id = fields.Int(allow_none=True)
    threshold = fields.Float(metadata={"description": "低于此分视为没有合适岗位"})
    total = fields.Int(metadata={"description": "该群体已授权的求职者人数"})
    shown = fields.Int()
    no_good_match = fields.Int(metadata={"description": "没有合适岗位的人数"})
    rows = fields.List(fields.Nested(PrioritySeeker))


class PriorityQuery(BaseSchema):
    group = Text(required=True, max_len=30, metadata={"description": "重点群体代码，如 veteran"})
    district = Text(max_len=20)
    fair_id = Int(min_value=1, max_value=MAX_ID, allow_none=True, load_default=None)


class PushIn(Schema):
    position_ids = fields.List(fields.Int(), required=True)
    seeker_ids = fields.List(fields.Int(), required=True, metadata={"description": "求职者用户 id"})
    group = fields.Str(metadata={"description": "可选：仅允许该群体已授权的求职者"})
    district = fields.Str()
    message = fields.Str(metadata={"description": "附言，不超过 200 字"})


class PushOut(Schema):
    notified = fields.Int()
    positions = fields.Int()
    logged = fields.Int()


class SuggestQuery(BaseSchema):
    text = Text(
        max_len=10000, metadata={"description": "岗位名称或求职意向；超过 100 字只取前 100 字"}
    )
    k = Int(min_value=1, max_value=services.SUGGEST_MAX_K, load_default=5)


class SuggestionOut(Schema):
    code = fields.Str()
    name = fields.Str()
    marks = fields.List(
        fields.Str(), metadata={"description": "职业标识：green 绿色职业 / digital 数字职业"}
    )
    score = fields.Float()
    major_name = fields.Str()


class SuggestOut(Schema):
    items = fields.List(fields.Nested(SuggestionOut))
    truncated = fields.Bool(metadata={"description": "文本过长时只使用了前 100 字"})
    message = fields.Str(
        metadata={
            "description": "给填写人的提示：文本过长被截断，没有认出工种，"
            "或标题只写了用工方式（如“日结”“宝妈兼职”）时下面的职业仅供参考"
        }
    )


def position_brief(p) -> dict:
    return {
        "id": p.id,
        "title": p.title,
        "district": p.district,
        "salary_min": p.salary_min,
        "salary_max": p.salary_max,
        "occupation_code": p.occupation_code,
        "employer": {"id": p.employer_id, "name": p.employer.name},
    }


def match_out(item: dict) -> dict:
    return dict(item, position=position_brief(item["position"]))


MESSAGES = {
    "no_profile": "填写求职资料（期望职业、技能、工作经历）后，这里会为你推荐合适的岗位。",
    "no_text": "请在求职资料中补充期望职业、技能或工作经历，以便为你推荐合适的岗位。",
    "no_match": "暂时没有与你的资料匹配的岗位，先看看最新发布的岗位吧。",
}


@bp.route("/recommendations", methods=["GET"])
@bp.response(200, RecommendationsOut)
@role_required("seeker")
def recommendations():
    """为你推荐：与求职资料最匹配的岗位（含匹配度和推荐理由）"""
    data = services.for_seeker(current_user)
    return {
        "ready": data["ready"],
        "reason": data["reason"],
        "message": MESSAGES.get(data["reason"], ""),
        "items": [match_out(i) for i in data["items"]],
        "fallback": [position_brief(p) for p in data["fallback"]],
    }


@bp.route("/positions/<int:position_id>/talent", methods=["GET"])
@bp.response(200, TalentPage)
@role_required("employer")
def talent(position_id: int):
    """推荐人才：愿意被用人单位发现的求职者，未投递本单位时联系方式隐藏"""
    data = services.talent(current_user, position_id)
    return {"position": position_brief(data["position"]), "items": data["items"]}


@bp.route("/priority", methods=["GET"])
@bp.doc(
    parameters=[
        {"name": "group", "in": "query", "required": True, "schema": {"type": "string"}},
        {"name": "district", "in": "query", "schema": {"type": "string"}},
        {"name": "fair_id", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    ]
)
@bp.response(200, PriorityOut)
@role_required("organiser")
def priority():
    """重点群体精准匹配：每位已授权求职者的前 3 个岗位，以及没有合适岗位的人数"""
    from flask import request

    args = load(PriorityQuery(), request.args.to_dict(), form=True)
    group, district, fair_id = args["group"], args["district"], args["fair_id"]
    data = services.priority_matching(current_user, group, district or None, fair_id)
    data["rows"] = [dict(r, items=[match_out(i) for i in r["items"]]) for r in data["rows"]]
    return data


@bp.route("/push", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": PushIn}}})
@bp.response(200, PushOut)
@role_required("organiser")
def push():
    """向所选求职者推送所选岗位（站内通知），记入审计日志"""
    body = json_body()
    unknown = set(body) - {"position_ids", "seeker_ids", "group", "district", "message"}
    if unknown:
        raise DomainError(
            "提交的数据有误：不允许的字段。",
            code="validation_error",
            fields={k: "不允许的字段。" for k in sorted(unknown)},
        )
    for key in ("group", "district", "message"):
        if body.get(key) is not None and not isinstance(body[key], str):
            raise DomainError(
                "提交的数据有误。", code="validation_error", fields={key: "应为文本。"}
            )
    return services.push_positions(
        current_user,
        body.get("position_ids"),
        body.get("seeker_ids"),
        group=body.get("group") or None,
        district=body.get("district") or None,
        message=body.get("message") or "",
    )


@bp.route("/suggest-occupations", methods=["GET"])
@bp.arguments(SuggestQuery, location="query", as_kwargs=True)
@bp.response(200, SuggestOut)
@limiter.limit(lambda: current_app.config.get("MATCH_SUGGEST_LIMIT", "60 per minute"))
def suggest_occupations(text: str = "", k: int = 5):
    """识别职业类别：根据岗位名称或求职意向推荐最可能的职业（细类），最匹配的在前"""
    data = services.suggest(text, k)
    cut = f"文本过长，只使用了前 {services.SUGGEST_MAX_CHARS} 个字。" if data["truncated"] else ""
    data["message"] = cut + data.pop("hint")
    return data
