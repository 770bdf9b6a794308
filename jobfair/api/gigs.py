"""API: 零工 — the shift board, sign-up and cancel, an employer's shifts and confirmations."""

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import api_blueprint, json_body
from jobfair.gigs import services
from jobfair.security import role_required

bp = api_blueprint("api_gigs", "/gigs", "零工：班次、报名、确认到岗和报酬")


class ShiftOut(Schema):
    id = fields.Int()
    position_id = fields.Int()
    title = fields.Str()
    employer_name = fields.Str()
    day = fields.Str(metadata={"description": "日期 YYYY-MM-DD（北京时间）"})
    starts_at = fields.Str(metadata={"description": "开始时间 HH:MM"})
    ends_at = fields.Str()
    district = fields.Str()
    place = fields.Str()
    headcount = fields.Int()
    taken = fields.Int(metadata={"description": "已报名人数（不会超过 headcount）"})
    places_left = fields.Int()
    pay_unit = fields.Str(metadata={"enum": ["hour", "day", "piece", "month"]})
    daily_pay = fields.Bool(metadata={"description": "日结"})
    salary_min = fields.Int()
    salary_max = fields.Int()
    salary_text = fields.Str(metadata={"description": "带单位的报酬，如“25–35 元/小时 · 日结”"})
    status = fields.Str(metadata={"enum": ["open", "cancelled"]})
    note = fields.Str()


class BoardOut(Schema):
    today = fields.List(fields.Nested(ShiftOut))
    tomorrow = fields.List(fields.Nested(ShiftOut))


class SignupOut(Schema):
    id = fields.Int()
    shift = fields.Nested(ShiftOut)
    status = fields.Str(metadata={"enum": ["signed_up", "cancelled", "attended", "absent"]})
    units = fields.Float(allow_none=True)
    pay_amount = fields.Int(allow_none=True, metadata={"description": "实得报酬（元）"})
    paid = fields.Bool()
    created = fields.Bool(metadata={"description": "false：之前已报名，本次未重复占用名额"})


class RosterRowOut(Schema):
    id = fields.Int()
    name = fields.Str()
    status = fields.Str()
    units = fields.Float(allow_none=True)
    pay_amount = fields.Int(allow_none=True)
    paid = fields.Bool()


class ShiftIn(Schema):
    day = fields.Date(required=True)
    starts_at = fields.Str(required=True, metadata={"example": "08:00"})
    ends_at = fields.Str(required=True, metadata={"example": "17:00"})
    district = fields.Str(required=True)
    place = fields.Str(required=True)
    headcount = fields.Int(required=True)
    note = fields.Str()


class ShiftConfirmIn(Schema):
    attended = fields.Bool(required=True)
    units = fields.Float(metadata={"description": "工作量：小时数、天数或件数"})
    pay_amount = fields.Int(metadata={"description": "报酬（元），到岗时必填"})
    paid = fields.Bool(metadata={"description": "报酬已结清"})


def signup_dict(row, created=None) -> dict:
    out = {
        "id": row.id,
        "shift": services.shift_dict(row.shift),
        "status": row.status,
        "units": row.units,
        "pay_amount": row.pay_amount,
        "paid": row.paid_at is not None,
    }
    if created is not None:
        out["created"] = created
    return out


@bp.route("/shifts", methods=["GET"])
@bp.response(200, BoardOut)
@bp.doc(
    parameters=[
        {"name": "district", "in": "query", "schema": {"type": "string"}},
        {"name": "daily_pay", "in": "query", "schema": {"type": "boolean"}},
    ]
)
def board():
    """今天和明天可以报名的零工班次（district：该区的排在前面；daily_pay=true 只看日结）"""
    district = (request.args.get("district") or "").strip() or None
    daily = request.args.get("daily_pay") in ("1", "true", "on")
    days = list(services.board(district, daily).values())
    return {
        "today": [services.shift_dict(s) for s in days[0]],
        "tomorrow": [services.shift_dict(s) for s in days[1]],
    }


@bp.route("/shifts/<int:shift_id>/signups", methods=["POST"])
@bp.response(201, SignupOut)
@bp.alt_response(409, description="已报满（shift_full）、已开始、时间冲突")
@role_required("seeker")
def sign_up(shift_id: int):
    """报名班次：名额由数据库保证不超过需要人数；重复报名不重复占名额"""
    row, created = services.sign_up(current_user, shift_id)
    return signup_dict(row, created), 201 if created else 200


@bp.route("/signups/<int:signup_id>/cancel", methods=["POST"])
@bp.response(200, SignupOut)
@role_required("seeker")
def cancel_signup(signup_id: int):
    """取消报名（班次开始前），名额让给别人"""
    return signup_dict(services.cancel_signup(current_user, signup_id))


@bp.route("/signups/mine", methods=["GET"])
@bp.response(200, SignupOut(many=True))
@role_required("seeker")
def mine():
    """我报名的零工班次"""
    return [signup_dict(r) for r in services.my_signups(current_user)]


@bp.route("/positions/<int:position_id>/shifts", methods=["GET"])
@bp.response(200, ShiftOut(many=True))
@role_required("employer")
def position_shifts(position_id: int):
    """本单位某岗位的班次"""
    _pos, shifts = services.shifts_of_position(current_user, position_id)
    return [services.shift_dict(s) for s in shifts]


@bp.route("/positions/<int:position_id>/shifts", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": ShiftIn}}})
@bp.response(201, ShiftOut)
@role_required("employer")
def create_shift(position_id: int):
    """发布班次：日期、开始和结束时间（北京时间）、区、上工地点、需要人数"""
    services.shifts_of_position(current_user, position_id)  # who is asking, first
    shift = services.create_shift(current_user, position_id, json_body())
    return services.shift_dict(shift), 201


@bp.route("/shifts/<int:shift_id>/roster", methods=["GET"])
@bp.response(200, RosterRowOut(many=True))
@role_required("employer")
def roster(shift_id: int):
    """班次名单（本单位）"""
    _shift, rows = services.roster(current_user, shift_id)
    names = services.names_of(rows)
    return [
        {
            "id": r.id,
            "name": names.get(r.seeker_id, ""),
            "status": r.status,
            "units": r.units,
            "pay_amount": r.pay_amount,
            "paid": r.paid_at is not None,
        }
        for r in rows
    ]


@bp.route("/shifts/<int:shift_id>/cancel", methods=["POST"])
@bp.response(200, ShiftOut)
@role_required("employer")
def cancel_shift(shift_id: int):
    """取消班次（开始前），已报名的人随之取消"""
    return services.shift_dict(services.cancel_shift(current_user, shift_id))


@bp.route("/signups/<int:signup_id>/confirmation", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": ShiftConfirmIn}}})
@bp.response(200, SignupOut)
@role_required("employer")
def confirm(signup_id: int):
    """确认到岗和报酬（班次当天起）；30 天内满规定班次数的人按灵活就业登记"""
    return signup_dict(services.confirm(current_user, signup_id, json_body()))
