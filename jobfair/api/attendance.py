"""API: 到场 at a fair — the seeker's online join and check-in code, staff's on-site check-in."""

from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import api_blueprint, json_body
from jobfair.channels.services import public_url
from jobfair.fairs import attendance
from jobfair.security import role_required
from jobfair.validation import BaseSchema, Text, load

bp = api_blueprint("api_attendance", "/fairs", "招聘会到场：线上进入会场与现场扫码签到")


class AttendanceOut(Schema):
    fair_id = fields.Int()
    online_at = fields.DateTime(allow_none=True, metadata={"description": "线上进入会场时间"})
    onsite_at = fields.DateTime(allow_none=True, metadata={"description": "现场签到时间"})
    first_time = fields.Bool(metadata={"description": "false：之前已记录过，本次不重复计数"})


class CheckinCodeOut(Schema):
    fair_id = fields.Int()
    code = fields.Str(metadata={"description": "签到码（8 位，现场工作人员可手工输入）"})
    url = fields.Str(metadata={"description": "二维码内容：工作人员扫码后打开的签到页"})


class CheckinIn(Schema):
    """A seeker's check-in code, at the fair's entrance or at a booth (api.onsite)."""

    code = fields.Str(required=True, metadata={"description": "求职者的签到码"})


class CheckinSchema(BaseSchema):
    code = Text(required=True, max_len=40)


class CheckinOut(Schema):
    fair_id = fields.Int()
    name = fields.Str(metadata={"description": "求职者姓名（已打码）"})
    checked_in_at = fields.DateTime()
    first_time = fields.Bool(metadata={"description": "false：此前已签到过"})


@bp.route("/<int:fair_id>/attendance", methods=["POST"])
@bp.response(200, AttendanceOut)
@bp.alt_response(409, description="未报名（not_registered）、未开始或已结束")
@role_required("seeker")
def join_online(fair_id: int):
    """进入会场（线上到场）：须已报名且招聘会正在进行；同一人同一场只记一次"""
    row, first = attendance.join_online(current_user, fair_id)
    return {
        "fair_id": fair_id,
        "online_at": row.online_at,
        "onsite_at": row.onsite_at,
        "first_time": first,
    }


@bp.route("/<int:fair_id>/checkin-code", methods=["GET"])
@bp.response(200, CheckinCodeOut)
@role_required("seeker")
def checkin_code(fair_id: int):
    """我的现场签到码（已报名的求职者）"""
    fair, reg = attendance.checkin_code(current_user, fair_id)
    return {
        "fair_id": fair.id,
        "code": reg.checkin_code,
        "url": public_url("fairs.checkin", fair_id=fair.id, code=reg.checkin_code),
    }


@bp.route("/<int:fair_id>/checkins", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": CheckinIn}}})
@bp.response(200, CheckinOut)
@bp.alt_response(422, description="签到码不正确（bad_code）")
@role_required("organiser", "employer")
def check_in(fair_id: int):
    """现场签到：组织方或本场参展单位的工作人员扫码或输入签到码"""
    data = json_body()
    attendance.staff_fair(current_user, fair_id)  # who is asking, before what they sent
    values = load(CheckinSchema(), data)
    return attendance.check_in(current_user, fair_id, values["code"])
