"""API: the employer's own profile and positions (draft, publish, close)."""

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair import reference
from jobfair.api.registry import api_blueprint, json_body
from jobfair.employers import acting, services
from jobfair.errors import NotFound
from jobfair.positions import services as positions
from jobfair.security import recently_confirmed, role_required
from jobfair.validation import BaseSchema, load

bp = api_blueprint("api_employer", "/employer", "用人单位：单位信息与岗位管理")
employer_only = role_required("employer")


class EmployerOut(Schema):
    id = fields.Int()
    name = fields.Str()
    credit_code = fields.Str()
    industry = fields.Str()
    size = fields.Str()
    district = fields.Str()
    address = fields.Str()
    contact_name = fields.Str()
    contact_phone = fields.Str()
    description = fields.Str()
    status = fields.Str(metadata={"enum": ["pending", "verified", "rejected"]})
    is_verified = fields.Bool()
    public_welfare_designated = fields.Bool(
        metadata={"description": "组织方已指定本单位可发布公益性岗位（每个岗位仍须审核）"}
    )
    review_reason = fields.Str(metadata={"description": "组织方驳回原因"})
    reviewed_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class ReviewFlagOut(Schema):
    phrase = fields.Str(metadata={"description": "命中的原文表述"})
    category = fields.Str(
        metadata={"description": "类别：性别、民族、宗教、户籍/地域、婚育、健康…"}
    )
    field = fields.Str(metadata={"description": "所在字段：title / description / requirements"})
    rule = fields.Str()
    approved = fields.Bool(metadata={"description": "组织方已放行"})


class EmployerPositionOut(Schema):
    id = fields.Int()
    employer_id = fields.Int()
    title = fields.Str()
    description = fields.Str()
    requirements = fields.Str()
    occupation_code = fields.Str()
    occupation_name = fields.Function(
        lambda p: reference.occupation_display_name(p.occupation.name if p.occupation else "")
    )
    occupation_marks = fields.Function(
        lambda p: reference.occupation_marks(p.occupation_code),
        metadata={"description": "职业标识：green 绿色职业 / digital 数字职业"},
    )
    salary_min = fields.Int()
    salary_max = fields.Int()
    pay_unit = fields.Str(metadata={"enum": ["hour", "day", "piece", "month"]})
    daily_pay = fields.Bool(metadata={"description": "日结"})
    headcount = fields.Int()
    district = fields.Str()
    address = fields.Str()
    education = fields.Str()
    work_form = fields.Str()
    channel = fields.Str()
    welcomed_groups = fields.List(fields.Str())
    deadline = fields.Date(allow_none=True)
    trainee_months = fields.Int(allow_none=True, metadata={"description": "见习期（月），见习岗位"})
    tenure_limit_months = fields.Int(
        allow_none=True, metadata={"description": "在岗期限（月），公益性岗位"}
    )
    exam_date = fields.Date(allow_none=True, metadata={"description": "考试日期，招考公告"})
    exam_signup_ends = fields.Date(allow_none=True, metadata={"description": "考试报名截止"})
    official_url = fields.Str(metadata={"description": "官方招考公告网址"})
    status = fields.Str(metadata={"enum": ["draft", "held", "published", "closed"]})
    review_flags = fields.List(fields.Nested(ReviewFlagOut))
    review_note = fields.Str(metadata={"description": "组织方审核意见"})
    published_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class EmployerProfileIn(services.ProfileSchema):
    """单位信息（全部字段；不接受 status、is_verified 等其他字段）"""


class EmployerPositionIn(positions.PositionSchema):
    """岗位字段；PATCH 时只需提交要修改的字段。不接受 status、employer_id 等其他字段。

    五个一批：见习岗位须填 trainee_months；公益性岗位须填 tenure_limit_months，且只有组织方
    指定的单位可以发布（发布后须组织方审核）；public_sector / grassroots 为招考公告，须填
    exam_date 与 official_url，求职者不能投递。
    """


class StatusQuery(Schema):
    status = fields.Str(metadata={"enum": ["draft", "held", "published", "closed"]})


def _body(schema_cls):
    return {"requestBody": {"content": {"application/json": {"schema": schema_cls}}}}


@bp.route("/profile", methods=["GET"])
@bp.response(200, EmployerOut)
@employer_only
def get_profile():
    """本单位信息（含审核状态）"""
    employer = acting.owned_employer(current_user)
    if employer is None:
        raise NotFound("还没有填写单位信息。")
    return employer


@bp.route("/profile", methods=["PUT"])
@bp.doc(**_body(EmployerProfileIn))
@bp.response(200, EmployerOut)
@employer_only
def put_profile():
    """填写或修改单位信息。新单位待审核；已认证单位修改名称或信用代码需重新审核"""
    employer, _ = services.save_profile(current_user, json_body(), confirmed=recently_confirmed())
    return employer


@bp.route("/positions", methods=["GET"])
@bp.arguments(StatusQuery, location="query", as_kwargs=True)
@bp.response(200, EmployerPositionOut(many=True))
@employer_only
def list_positions(status: str | None = None):
    """本单位的岗位（可按状态筛选）"""
    return positions.list_own_positions(current_user, status)


@bp.route("/positions", methods=["POST"])
@bp.doc(**_body(EmployerPositionIn))
@bp.response(201, EmployerPositionOut)
@employer_only
def create_position():
    """新建岗位草稿（未审核单位也可以）"""
    return positions.create_position(current_user, json_body())


@bp.route("/positions/<int:position_id>", methods=["GET"])
@bp.response(200, EmployerPositionOut)
@employer_only
def get_position(position_id: int):
    """本单位的一个岗位；其他单位的岗位返回 404"""
    return positions.get_own_position(current_user, position_id)


@bp.route("/positions/<int:position_id>", methods=["PATCH"])
@bp.doc(**_body(EmployerPositionIn))
@bp.response(200, EmployerPositionOut)
@employer_only
def patch_position(position_id: int):
    """修改岗位；招聘中的岗位会重新检查表述，含歧视表述时转为待审核（held）"""
    return positions.update_position(current_user, position_id, json_body(), partial=True)


@bp.route("/positions/<int:position_id>/publish", methods=["POST"])
@bp.response(200, EmployerPositionOut)
@employer_only
def publish_position(position_id: int):
    """发布岗位：单位须已认证（否则 403）；含歧视表述时 status 为 held，review_flags 列出命中表述"""
    no_body()
    return positions.publish_position(current_user, position_id)


@bp.route("/positions/<int:position_id>/close", methods=["POST"])
@bp.response(200, EmployerPositionOut)
@employer_only
def close_position(position_id: int):
    """关闭岗位（停止招聘）"""
    no_body()
    return positions.close_position(current_user, position_id)


def no_body() -> None:
    """Actions take no fields: a JSON body with any field is refused (422)."""
    data = request.get_json(silent=True) if request.data else None
    if data:
        load(BaseSchema(), data if isinstance(data, dict) else {"_": data})
