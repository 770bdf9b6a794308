"""API: apply, my applications and withdraw; the employer's applicants and status changes."""

from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import api_blueprint, json_body
from jobfair.api.seekers import ProfileOut
from jobfair.applications import services
from jobfair.auth.limits import apply_limit, resume_view_limit
from jobfair.security import role_required

bp = api_blueprint("api_applications", "", "岗位投递与用人单位的投递处理")

STATUS_DOC = "submitted 新投递 / viewed 已查看 / interview 邀请面试 / hired 录用 / onboarded 已入职 / rejected 未通过 / withdrawn 已撤回"


class EventOut(Schema):
    kind = fields.Str(
        metadata={
            "description": "status 状态变更；interview_proposed / interview_changed / "
            "interview_accepted / interview_declined / interview_reschedule / "
            "interview_cancelled 面试安排及回复（状态不变）"
        }
    )
    from_status = fields.Str(allow_none=True)
    from_label = fields.Str(allow_none=True)
    to_status = fields.Str()
    to_label = fields.Str()
    by = fields.Str(metadata={"description": "seeker / employer / system"})
    by_label = fields.Str()
    note = fields.Str(metadata={"description": "by 所指一方本人写的话"})
    created_at = fields.Str()


class EmployerRef(Schema):
    id = fields.Int()
    name = fields.Str()


class PositionRef(Schema):
    id = fields.Int()
    title = fields.Str()
    status = fields.Str()
    district = fields.Str()
    employer = fields.Nested(EmployerRef)


class ApplicantOut(ProfileOut):
    id = fields.Int()
    email = fields.Str(allow_none=True)


class ApplicationOut(Schema):
    id = fields.Int()
    status = fields.Str(metadata={"description": STATUS_DOC})
    status_label = fields.Str()
    note = fields.Str(metadata={"description": "求职者本人的附言"})
    origin = fields.Str(
        metadata={
            "description": "seeker 本人投递 / invitation 应邀投递 / "
            "employer 招聘方在直播面谈中邀请面试（求职者未投递）"
        }
    )
    origin_label = fields.Str()
    created_at = fields.Str()
    updated_at = fields.Str()
    position = fields.Nested(PositionRef)
    history = fields.List(fields.Nested(EventOut))
    can_withdraw = fields.Bool()
    seeker = fields.Nested(ApplicantOut, metadata={"description": "仅用人单位可见"})
    next_statuses = fields.List(fields.Str(), metadata={"description": "仅用人单位可见"})


class ApplicationList(Schema):
    items = fields.List(fields.Nested(ApplicationOut))


class ApplicantRow(Schema):
    id = fields.Int()
    status = fields.Str()
    status_label = fields.Str()
    created_at = fields.Str()
    updated_at = fields.Str()
    seeker_name = fields.Str()


class ApplicantPage(Schema):
    position = fields.Nested(PositionRef)
    items = fields.List(fields.Nested(ApplicantRow))
    total = fields.Int()
    page = fields.Int()
    pages = fields.Int()


class ApplyIn(Schema):
    note = fields.Str(metadata={"description": "给用人单位的附言，不超过 500 字"})


class StatusIn(Schema):
    status = fields.Str(required=True, metadata={"description": STATUS_DOC})
    note = fields.Str(metadata={"description": "给求职者的说明（求职者可见），不超过 500 字"})


def _optional_body() -> dict:
    from flask import request

    if not request.get_data():
        return {}
    return json_body()


# --- seeker --------------------------------------------------------------------------------


@bp.route("/positions/<int:position_id>/applications", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": ApplyIn}}, "required": False})
@bp.response(201, ApplicationOut)
@bp.alt_response(409, description="已投递过该岗位（code: already_applied），或岗位已停止招聘")
@role_required("seeker")
@apply_limit
def apply(position_id: int):
    """投递岗位（撤回后再次投递会重新打开原投递）"""
    app, _reopened = services.apply(current_user, position_id, _optional_body())
    return services.application_dict(app, for_seeker=True)


@bp.route("/me/applications", methods=["GET"])
@bp.response(200, ApplicationList)
@role_required("seeker")
def mine():
    """我的投递及其进度记录"""
    rows = services.seeker_applications(current_user)
    return {"items": [services.application_dict(a, for_seeker=True) for a in rows]}


@bp.route("/me/applications/<int:application_id>/withdraw", methods=["POST"])
@bp.response(200, ApplicationOut)
@role_required("seeker")
def withdraw(application_id: int):
    """撤回投递"""
    app = services.withdraw(current_user, application_id)
    return services.application_dict(
        services.own_application(current_user, app.id), for_seeker=True
    )


# --- employer ------------------------------------------------------------------------------


@bp.route("/employer/positions/<int:position_id>/applications", methods=["GET"])
@bp.doc(
    parameters=[
        {"name": "status", "in": "query", "schema": {"type": "string"}},
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    ]
)
@bp.response(200, ApplicantPage)
@role_required("employer")
def applicants(position_id: int):
    """本单位岗位的投递者"""
    from flask import request

    page = min(max(1, request.args.get("page", 1, type=int) or 1), services.MAX_PAGE)
    position, rows, total = services.position_applicants(
        current_user, position_id, status=request.args.get("status") or None, page=page
    )
    return {
        "position": {
            "id": position.id,
            "title": position.title,
            "status": position.status,
            "district": position.district,
            "employer": {"id": position.employer_id, "name": position.employer.name},
        },
        "items": [
            {
                "id": a.id,
                "status": a.status,
                "status_label": services.status_label(a.status),
                "created_at": services.iso(a.created_at),
                "updated_at": services.iso(a.updated_at),
                "seeker_name": p.name if p else "",
            }
            for a, p in rows
        ],
        "total": total,
        "page": page,
        "pages": max(1, -(-total // 20)),
    }


@bp.route("/employer/applications/<int:application_id>", methods=["GET"])
@bp.response(200, ApplicationOut)
@role_required("employer")
@resume_view_limit
def employer_detail(application_id: int):
    """投递详情（含求职者完整联系方式；打开新投递会标记为已查看）"""
    app = services.open_application(current_user, application_id)
    return services.application_dict(app, for_employer=True)


@bp.route("/employer/applications/<int:application_id>/status", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": StatusIn}}})
@bp.response(200, ApplicationOut)
@bp.alt_response(422, description="不允许的状态变更（code: invalid_transition）")
@role_required("employer")
def change_status(application_id: int):
    """变更投递状态：新投递→已查看→邀请面试→录用→已入职，未结束的可标记未通过"""
    app = services.change_status(current_user, application_id, json_body())
    return services.application_dict(app, for_employer=True)
