"""API: on-site fairs — booth check-in (staff scan, or the booth's QR), the staff kiosk
(walk-in registration with a queue ticket and claim code), and claiming the account."""

from flask import current_app
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.attendance import CheckinIn, CheckinSchema
from jobfair.api.registry import api_blueprint, json_body
from jobfair.channels.services import public_url
from jobfair.extensions import limiter
from jobfair.onsite import services
from jobfair.security import role_required
from jobfair.validation import BaseSchema, Text, load

bp = api_blueprint("api_onsite", "/onsite", "现场招聘会：展位签到、现场服务台登记与取号、领取账号")


class BoothCheckinOut(Schema):
    booth_id = fields.Int()
    name = fields.Str(metadata={"description": "求职者姓名（已打码）"})
    visited_at = fields.DateTime()
    first_time = fields.Bool()


class SelfCheckinIn(Schema):
    token = fields.Str(required=True, metadata={"description": "展位二维码里的 t 参数"})


class SelfCheckinSchema(BaseSchema):
    token = Text(required=True, max_len=200)


class BoothQrOut(Schema):
    booth_id = fields.Int()
    url = fields.Str(metadata={"description": "印在展位上的二维码内容"})


class TicketOut(Schema):
    entry_id = fields.Int()
    number = fields.Str(metadata={"description": "排队号"})
    booth_id = fields.Int()
    employer_name = fields.Str()
    place = fields.Int(allow_none=True, metadata={"description": "第几位（在洽谈中为空）"})
    ahead = fields.Int()
    joined_at = fields.DateTime()


class KioskIn(Schema):
    name = fields.Str(required=True)
    phone = fields.Str(required=True)
    birth_year = fields.Int()
    residence_district = fields.Str(required=True)
    residence_street = fields.Str(required=True)
    hukou_district = fields.Str()
    districts = fields.List(fields.Str())
    consent_note = fields.Str(required=True, metadata={"description": "纸质同意书记录"})
    booth_id = fields.Int(metadata={"description": "同时在该展位取号排队"})


class KioskOut(Schema):
    user_id = fields.Int()
    name = fields.Str()
    fair_id = fields.Int()
    ticket = fields.Nested(TicketOut, allow_none=True)
    claim_code = fields.Str(metadata={"description": "一次性领取码（只在此时返回）"})
    claim_url = fields.Str()
    claim_expires_days = fields.Int()


class KioskTicketIn(Schema):
    code = fields.Str(required=True)
    booth_id = fields.Int(required=True)


class KioskTicketSchema(BaseSchema):
    code = Text(required=True, max_len=40)
    booth_id = fields.Int(required=True, error_messages={"required": "请选择展位。"})


class KioskTicketOut(Schema):
    name = fields.Str()
    fair_id = fields.Int()
    ticket = fields.Nested(TicketOut)


class ClaimIn(Schema):
    phone = fields.Str(required=True)
    code = fields.Str(required=True)
    password = fields.Str(required=True)


class ClaimOut(Schema):
    user_id = fields.Int()
    claimed = fields.Bool()


@bp.route("/booths/<int:booth_id>/checkins", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": CheckinIn}}})
@bp.response(200, BoothCheckinOut)
@bp.alt_response(422, description="签到码不正确（bad_code）")
@role_required("organiser", "employer")
def booth_check_in(booth_id: int):
    """展位签到：本展位工作人员或组织方扫求职者的签到码（同时记录到场）"""
    services.staff_booth(current_user, booth_id)
    values = load(CheckinSchema(), json_body())
    return services.booth_check_in(current_user, booth_id, values["code"])


@bp.route("/booths/<int:booth_id>/qr", methods=["GET"])
@bp.response(200, BoothQrOut)
@role_required("organiser", "employer")
def booth_qr(booth_id: int):
    """展位二维码内容（本展位工作人员和组织方）"""
    booth = services.staff_booth(current_user, booth_id)
    url = public_url(
        "onsite.booth_scan",
        fair_id=booth.fair_id,
        booth_id=booth.id,
        t=services.booth_token(booth),
    )
    return {"booth_id": booth.id, "url": url}


@bp.route("/booths/<int:booth_id>/visits", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": SelfCheckinIn}}})
@bp.response(200, BoothCheckinOut)
@role_required("seeker")
def self_check_in(booth_id: int):
    """求职者扫展位二维码签到（须带二维码里的 t；未报名的同时报名）"""
    values = load(SelfCheckinSchema(), json_body())
    row, first = services.self_check_in(current_user, booth_id, values["token"])
    return {
        "booth_id": row.booth_id,
        "name": "",
        "visited_at": row.visited_at,
        "first_time": first,
    }


@bp.route("/fairs/<int:fair_id>/kiosk/registrations", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": KioskIn}}})
@bp.response(201, KioskOut)
@role_required("organiser")
def kiosk_register(fair_id: int):
    """现场服务台登记求职者（纸质同意书）：报名、到场、可选取号，返回一次性领取码"""
    services.kiosk_fair(current_user, fair_id)
    out = services.kiosk_register(current_user, fair_id, json_body())
    out["claim_url"] = public_url("onsite.claim", code=out["claim_code"])
    return out, 201


@bp.route("/fairs/<int:fair_id>/kiosk/tickets", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": KioskTicketIn}}})
@bp.response(200, KioskTicketOut)
@role_required("organiser")
def kiosk_ticket(fair_id: int):
    """现场服务台为已报名的求职者取号（签到码 + 展位），同时记录到场"""
    services.kiosk_fair(current_user, fair_id)
    values = load(KioskTicketSchema(), json_body())
    return services.kiosk_ticket(current_user, fair_id, values["code"], values["booth_id"])


@bp.route("/claim", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": ClaimIn}}}, security=[])
@bp.response(200, ClaimOut)
@limiter.limit(lambda: current_app.config.get("CLAIM_LIMIT", "10 per minute"))
def claim():
    """领取账号：现场登记的求职者用手机号和领取码设置密码（一次性）"""
    data = json_body()
    user = services.claim_account(data.get("phone"), data.get("code"), data.get("password"))
    return {"user_id": user.id, "claimed": True}
