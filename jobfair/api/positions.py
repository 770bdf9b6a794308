"""API: public position list, keyword search and detail."""

from flask import Response, request
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair import reference
from jobfair.api.registry import api_blueprint, parse_query, query_arguments
from jobfair.extensions import UNLIMITED_ENDPOINTS
from jobfair.formatting import label, pay_line
from jobfair.positions import channels
from jobfair.positions.search import (
    SearchQuerySchema,
    can_see_contact,
    get_public_position,
    quick_filters,
    search_positions,
)

bp = api_blueprint("api_positions", "/positions", "岗位浏览与搜索（公开）")
UNLIMITED_ENDPOINTS.add("api_positions.list_positions")  # no limit of its own (see extensions)


class _OccupationAndPay(Schema):
    """Fields the list and the detail describe alike: the occupation and how pay is given."""

    occupation_name = fields.Str(metadata={"description": "职业名称（不含分类标识字母）"})
    occupation_marks = fields.List(
        fields.Str(), metadata={"description": "职业标识：green 绿色职业 / digital 数字职业"}
    )
    pay_unit = fields.Str(
        metadata={
            "enum": ["hour", "day", "piece", "month"],
            "description": "计薪方式：每小时、每天、每件、每月",
        }
    )
    daily_pay = fields.Bool(metadata={"description": "日结：每天下班结清工钱"})
    salary_text = fields.Str(metadata={"description": "带单位的报酬，如“25–35 元/小时 · 日结”"})


class PositionSummaryOut(_OccupationAndPay):
    id = fields.Int()
    title = fields.Str()
    employer_id = fields.Int()
    employer_name = fields.Str()
    occupation_code = fields.Str()
    salary_min = fields.Int(metadata={"description": "最低报酬（元，每 pay_unit）"})
    salary_max = fields.Int(metadata={"description": "最高报酬（元，每 pay_unit）"})
    headcount = fields.Int()
    district = fields.Str()
    education = fields.Str()
    work_form = fields.Str()
    channel = fields.Str()
    welcomed_groups = fields.List(fields.Str(), attribute="groups")
    deadline = fields.Date(allow_none=True)
    published_at = fields.DateTime(allow_none=True)


class PositionPageOut(Schema):
    items = fields.List(fields.Nested(PositionSummaryOut))
    total = fields.Int(metadata={"description": "符合条件的岗位总数"})
    page = fields.Int()
    pages = fields.Int(metadata={"description": "总页数；超出的页码返回空列表"})
    page_size = fields.Int()
    notice = fields.Str(
        metadata={
            "description": "给搜索人的说明（没有时为空）：关键词里的工资或“日结”已改为筛选条件，"
            "关键词里没有可以搜索的文字，或用字母输入的词没有找到（请改用汉字）"
        }
    )


class PositionDetailOut(_OccupationAndPay):
    id = fields.Int()
    title = fields.Str()
    status = fields.Str(metadata={"enum": ["draft", "held", "published", "closed"]})
    employer_id = fields.Int()
    employer_name = fields.Str()
    occupation_code = fields.Str()
    description = fields.Str()
    requirements = fields.Str()
    salary_min = fields.Int()
    salary_max = fields.Int()
    headcount = fields.Int()
    district = fields.Str()
    address = fields.Str()
    education = fields.Str()
    education_label = fields.Str()
    work_form = fields.Str()
    work_form_label = fields.Str()
    channel = fields.Str()
    channel_label = fields.Str()
    welcomed_groups = fields.List(fields.Str())
    deadline = fields.Date(allow_none=True)
    trainee_months = fields.Int(allow_none=True, metadata={"description": "见习期（月）"})
    tenure_limit_months = fields.Int(
        allow_none=True, metadata={"description": "公益性岗位在岗期限（月）"}
    )
    exam_date = fields.Date(allow_none=True, metadata={"description": "招考公告的考试日期"})
    exam_signup_ends = fields.Date(allow_none=True)
    official_url = fields.Str(metadata={"description": "招考公告的官方报名网址"})
    accepts_applications = fields.Bool(
        metadata={"description": "false：招考公告（到官方网站报名），不能在本平台投递"}
    )
    published_at = fields.DateTime(allow_none=True)
    contact_name = fields.Str(metadata={"description": "仅登录用户可见"})
    contact_phone = fields.Str(metadata={"description": "仅登录用户可见"})


SEARCH_QUERY = SearchQuerySchema()


@bp.route("", methods=["GET"])
@query_arguments(SEARCH_QUERY)
@bp.response(200, PositionPageOut)
def list_positions():
    """招聘中的岗位：筛选、中文关键词搜索、分页（关键词按相关度排序，其余按发布时间倒序）"""
    # Plainly valid filters are read without marshmallow; anything else goes through the
    # schema as @bp.arguments would, for the same 422 and Chinese messages.
    args = quick_filters(request.args) or parse_query(SEARCH_QUERY)
    result = search_positions(args, args["page"], args["page_size"])
    # Not PositionPageOut.dump: the busiest endpoint of the site. The search index keeps each
    # position's list item rendered (positions.summaries.summary_dict, the shape the schema
    # documents; a test keeps the two the same), so the body is those items joined.
    return Response(result.body(), mimetype="application/json")


@bp.route("/<int:position_id>", methods=["GET"])
@bp.response(200, PositionDetailOut)
def get_position(position_id: int):
    """岗位详情（未发布的岗位只有发布单位和组织方可见；联系方式仅登录用户可见）"""
    position = get_public_position(current_user, position_id)
    out = {
        "id": position.id,
        "title": position.title,
        "status": position.status,
        "employer_id": position.employer_id,
        "employer_name": position.employer.name,
        "occupation_code": position.occupation_code,
        "occupation_name": reference.occupation_display_name(
            position.occupation.name if position.occupation else ""
        ),
        "occupation_marks": reference.occupation_marks(position.occupation_code),
        "description": position.description,
        "requirements": position.requirements or "",
        "salary_min": position.salary_min,
        "salary_max": position.salary_max,
        "pay_unit": position.pay_unit,
        "daily_pay": position.daily_pay,
        "salary_text": pay_line(position),
        "headcount": position.headcount,
        "district": position.district,
        "address": position.address or "",
        "education": position.education,
        "education_label": label(position.education, "education"),
        "work_form": position.work_form,
        "work_form_label": label(position.work_form, "work_form"),
        "channel": position.channel,
        "channel_label": label(position.channel, "channel"),
        "welcomed_groups": position.welcomed_groups,
        "deadline": position.deadline,
        "trainee_months": position.trainee_months,
        "tenure_limit_months": position.tenure_limit_months,
        "exam_date": position.exam_date,
        "exam_signup_ends": position.exam_signup_ends,
        "official_url": position.official_url or "",
        "accepts_applications": not channels.is_announcement(position),
        "published_at": position.published_at,
    }
    if can_see_contact(current_user):
        out["contact_name"] = position.employer.contact_name
        out["contact_phone"] = position.employer.contact_phone
    return out
