"""API: organiser decisions (employers, held positions), figures, audit log and rules."""

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair import moderation
from jobfair.api.employers import EmployerOut, EmployerPositionIn, EmployerPositionOut, no_body
from jobfair.api.registry import api_blueprint, json_body
from jobfair.organiser import services
from jobfair.positions import services as position_services
from jobfair.security import role_required
from jobfair.validation import BaseSchema, Bool, Int, load


class DesignateSchema(BaseSchema):
    designated = Bool(required=True)


bp = api_blueprint("api_organiser", "/organiser", "组织方：单位审核、岗位审核、统计")
organiser_only = role_required("organiser")


class PageQuery(Schema):
    page = Int(min_value=1, max_value=100000, load_default=1)


class EmployerQuery(PageQuery):
    status = fields.Str(
        load_default="pending", metadata={"enum": ["pending", "verified", "rejected", "all"]}
    )


class AuditQuery(PageQuery):
    action = fields.Str(metadata={"description": "如 employer.verify、position.reject"})


class ReviewedEmployerOut(EmployerOut):
    login = fields.Function(lambda e: e.user.login_name if e.user else "")


class HeldPositionOut(EmployerPositionOut):
    employer_name = fields.Function(lambda p: p.employer.name)


def _page_schema(name: str, item):
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item)),
            "page": fields.Int(),
            "pages": fields.Int(),
            "total": fields.Int(),
        },
        name=name,
    )


EmployerPage = _page_schema("OrganiserEmployerPage", ReviewedEmployerOut)
HeldPage = _page_schema("HeldPositionPage", HeldPositionOut)


class AuditOut(Schema):
    id = fields.Int()
    actor_id = fields.Int(allow_none=True)
    actor_name = fields.Function(lambda r: r.actor.name if r.actor else None)
    action = fields.Str()
    object_type = fields.Str()
    object_id = fields.Int(allow_none=True)
    detail = fields.Dict()
    created_at = fields.DateTime()


AuditPage = _page_schema("AuditPage", AuditOut)


class ReasonIn(Schema):
    reason = fields.Str(required=True, metadata={"description": "驳回原因，单位会看到"})


class NoteIn(Schema):
    note = fields.Str(metadata={"description": "审核意见（退回时必填，单位会看到）"})


class CountsOut(Schema):
    seekers_by_group = fields.Dict(
        keys=fields.Str(),
        values=fields.Int(),
        metadata={"description": "仅统计同意提供身份的求职者"},
    )
    positions_by_channel = fields.Dict(
        keys=fields.Str(), values=fields.Int(), metadata={"description": "招聘中的岗位"}
    )
    applications_by_status = fields.Dict(keys=fields.Str(), values=fields.Int())
    employers_by_status = fields.Dict(keys=fields.Str(), values=fields.Int())
    positions_by_status = fields.Dict(keys=fields.Str(), values=fields.Int())


class RuleOut(Schema):
    pattern = fields.Str()
    category = fields.Str()
    note = fields.Str()
    source = fields.Str(metadata={"enum": ["builtin", "extra"]})


class RuleIn(Schema):
    pattern = fields.Str(required=True, metadata={"description": "词语或正则表达式"})
    category = fields.Str(required=True, metadata={"enum": list(moderation.CATEGORIES)})
    note = fields.Str()


def _body(schema_cls):
    return {"requestBody": {"content": {"application/json": {"schema": schema_cls}}}}


def _paged(page) -> dict:
    return {"items": page.items, "page": page.page, "pages": page.pages, "total": page.total}


def _optional_body() -> dict:
    return json_body() if request.data else {}


@bp.route("/employers", methods=["GET"])
@bp.arguments(EmployerQuery, location="query", as_kwargs=True)
@bp.response(200, EmployerPage)
@organiser_only
def employers(status: str = "pending", page: int = 1):
    """单位列表，默认待审核队列（最早提交的在前）"""
    return _paged(services.list_employers(None if status == "all" else status, page))


@bp.route("/employers/<int:employer_id>/verify", methods=["POST"])
@bp.response(200, ReviewedEmployerOut)
@organiser_only
def verify_employer(employer_id: int):
    """通过单位审核（只能处理待审核的单位，否则 409）"""
    no_body()
    return services.verify_employer(current_user, employer_id)


@bp.route("/employers/<int:employer_id>/reject", methods=["POST"])
@bp.doc(**_body(ReasonIn))
@bp.response(200, ReviewedEmployerOut)
@organiser_only
def reject_employer(employer_id: int):
    """驳回单位审核，必须写明原因"""
    return services.reject_employer(current_user, employer_id, json_body())


class DesignateIn(Schema):
    designated = fields.Bool(
        required=True, metadata={"description": "true：指定本单位可发布公益性岗位；false：取消"}
    )


class PostForEmployerIn(EmployerPositionIn):
    """代单位发布的岗位字段，外加 employer_id（须为已认证单位）"""

    employer_id = fields.Int(required=True)


@bp.route("/employers/<int:employer_id>/public-welfare", methods=["POST"])
@bp.doc(**_body(DesignateIn))
@bp.response(200, ReviewedEmployerOut)
@organiser_only
def designate_public_welfare(employer_id: int):
    """指定（或取消指定）单位发布公益性岗位；指定单位发布的每个公益性岗位仍须审核"""
    values = load(DesignateSchema(), json_body())
    return position_services.designate_public_welfare(
        current_user, employer_id, values["designated"]
    )


@bp.route("/positions", methods=["POST"])
@bp.doc(**_body(PostForEmployerIn))
@bp.response(201, HeldPositionOut)
@organiser_only
def post_for_employer():
    """组织方代单位发布岗位（如街道的公益性岗位、招考公告）：直接公开，不再二次审核"""
    data = dict(json_body())
    employer_id = data.pop("employer_id", None)
    return position_services.create_for_employer(current_user, employer_id, data)


@bp.route("/positions/held", methods=["GET"])
@bp.arguments(PageQuery, location="query", as_kwargs=True)
@bp.response(200, HeldPage)
@organiser_only
def held_positions(page: int = 1):
    """因可能含歧视表述而暂停公开、等待审核的岗位"""
    return _paged(services.list_held_positions(page))


@bp.route("/positions/<int:position_id>/approve", methods=["POST"])
@bp.doc(**_body(NoteIn))
@bp.response(200, HeldPositionOut)
@organiser_only
def approve_position(position_id: int):
    """放行岗位（公开），可附依据"""
    return services.approve_position(current_user, position_id, _optional_body())


@bp.route("/positions/<int:position_id>/reject", methods=["POST"])
@bp.doc(**_body(NoteIn))
@bp.response(200, HeldPositionOut)
@organiser_only
def reject_position(position_id: int):
    """退回岗位为草稿，必须写明意见（单位会看到）"""
    return services.reject_position(current_user, position_id, json_body())


@bp.route("/stats", methods=["GET"])
@bp.response(200, CountsOut)
@organiser_only
def stats():
    """统计：重点群体求职者、招聘中岗位按渠道、投递按状态等"""
    return services.stats()


@bp.route("/audit", methods=["GET"])
@bp.arguments(AuditQuery, location="query", as_kwargs=True)
@bp.response(200, AuditPage)
@organiser_only
def audit_log(page: int = 1, action: str | None = None):
    """审核记录（最新的在前）"""
    return _paged(services.audit_log(page, action=action))


@bp.route("/rules", methods=["GET"])
@bp.response(200, RuleOut(many=True))
@organiser_only
def rules():
    """生效的歧视表述规则（内置 + 组织方补充）"""
    return list(services.list_rules())


@bp.route("/rules", methods=["POST"])
@bp.doc(**_body(RuleIn))
@bp.response(201, RuleOut)
@organiser_only
def add_rule():
    """新增规则（追加到组织方规则文件，立即生效，记入审核记录）"""
    return services.add_rule(current_user, json_body())
