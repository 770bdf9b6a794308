"""API: the seeker's own profile, download my data, delete my account."""

from flask import Response, json
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import api_blueprint, json_body
from jobfair.auth.limits import export_limit
from jobfair.security import end_session, fresh_login_required, recently_confirmed, role_required
from jobfair.seekers import account, services

bp = api_blueprint("api_seekers", "", "求职者资料、下载我的数据、注销账号")


class OccupationOut(Schema):
    code = fields.Str()
    name = fields.Str()
    marks = fields.List(
        fields.Str(), metadata={"description": "职业标识：green 绿色职业 / digital 数字职业"}
    )


class ProfileOut(Schema):
    exists = fields.Bool(metadata={"description": "是否已保存过资料"})
    name = fields.Str()
    address_form = fields.Str(
        metadata={"description": "称呼：name 只称呼姓名 / mr 先生 / ms 女士；空 = 未选择"}
    )
    address_form_label = fields.Str()
    address = fields.Str(metadata={"description": "招聘人员如何称呼，如“李先生”"})
    phone = fields.Str(metadata={"description": "本人可见完整号码；其他人看到 138****5678"})
    birth_year = fields.Int(allow_none=True)
    education = fields.Str()
    education_label = fields.Str()
    major = fields.Str()
    skills = fields.Str()
    experience = fields.Str()
    desired_occupations = fields.List(fields.Nested(OccupationOut))
    districts = fields.List(fields.Str())
    salary_min = fields.Int()
    work_forms = fields.List(fields.Str())
    work_form_labels = fields.List(fields.Str())
    intro = fields.Str()
    updated_at = fields.Str(allow_none=True)
    discoverable = fields.Bool()
    group_consent = fields.Bool()
    group_consent_at = fields.Str(allow_none=True)
    groups = fields.List(fields.Str())
    group_labels = fields.List(fields.Str())
    group_status = fields.List(
        fields.Dict(),
        metadata={"description": "每个身份是本人申报（self_declared）还是已认定（verified）"},
    )
    hukou_district = fields.Str(metadata={"description": "户籍所在区"})
    residence_district = fields.Str(metadata={"description": "常住区（统计和帮扶按常住地）"})
    residence_street = fields.Str(metadata={"description": "常住街道（镇）"})
    completeness = fields.Int(metadata={"description": "资料完整度（百分比）"})


class ProfileIn(Schema):
    name = fields.Str()
    address_form = fields.Str(
        metadata={
            "enum": ["", "name", "mr", "ms"],
            "description": "本人选择的称呼；不会根据年龄、性别等推断",
        }
    )
    phone = fields.Str(metadata={"description": "11 位手机号"})
    birth_year = fields.Int(allow_none=True)
    education = fields.Str(
        metadata={
            "enum": [
                "none",
                "primary",
                "junior",
                "senior",
                "college",
                "bachelor",
                "master",
                "doctor",
            ]
        }
    )
    major = fields.Str()
    skills = fields.Str(metadata={"description": "逗号或“、”分隔，不超过 500 字"})
    experience = fields.Str()
    desired_occupations = fields.List(
        fields.Str(), metadata={"description": "职业编码（四级，如 6-18-02-04）或名称，最多 5 个"}
    )
    districts = fields.List(fields.Str(), metadata={"description": "本市的区，最多 5 个"})
    salary_min = fields.Int()
    work_forms = fields.List(fields.Str())
    intro = fields.Str()
    discoverable = fields.Bool()
    groups = fields.List(fields.Str(), metadata={"description": "重点群体代码；须同时同意授权"})
    group_consent = fields.Bool(
        metadata={"description": "单独同意使用重点群体身份信息；false 会删除已保存的身份"}
    )
    hukou_district = fields.Str(metadata={"description": "户籍所在区"})
    residence_district = fields.Str(metadata={"description": "常住区"})
    residence_street = fields.Str(metadata={"description": "常住街道（镇）"})


class DeleteIn(Schema):
    password = fields.Str(required=True, metadata={"description": "当前密码"})


@bp.route("/me/profile", methods=["GET"])
@bp.response(200, ProfileOut)
@role_required("seeker")
def get_profile():
    """我的求职资料"""
    return services.profile_dict(services.get_profile(current_user), owner=True, user=current_user)


@bp.route("/me/profile", methods=["PUT"])
@bp.doc(requestBody={"content": {"application/json": {"schema": ProfileIn}}})
@bp.response(200, ProfileOut)
@role_required("seeker")
def put_profile():
    """保存求职资料（未提交的字段保持不变；未知字段如 role 会被拒绝）"""
    profile = services.save_profile(current_user, json_body(), confirmed=recently_confirmed())
    return services.profile_dict(profile, owner=True, user=current_user)


@bp.route("/me/export", methods=["GET"])
@bp.response(200, description="JSON 文件：账号、资料、重点群体与授权、投递及其进度、登录记录、令牌")
@role_required("seeker")
@fresh_login_required
@export_limit
def export():
    """下载我的数据"""
    data = account.export_data(current_user)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="jobfair-my-data-{current_user.id}.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/me", methods=["DELETE"])
@bp.doc(requestBody={"content": {"application/json": {"schema": DeleteIn}}})
@bp.response(204)
@role_required("seeker")
def delete_me():
    """注销账号并删除全部求职数据（需要当前密码）"""
    account.delete_account(current_user, json_body())
    end_session()
