"""API: 直播带岗数据 — figures per session and per fair (organisers), applications made in the
rooms and the 达成意向 marks (the employer's own reps)."""

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import api_blueprint
from jobfair.errors import Forbidden
from jobfair.ids import parse_id
from jobfair.live import access, figures
from jobfair.security import login_required, role_required

bp = api_blueprint("api_live_figures", "/live", "直播带岗数据与达成意向")


class FiguresOut(Schema):
    views = fields.Int(metadata={"description": "观看人次（每次打开直播间计一次）"})
    viewers = fields.Int(metadata={"description": "观看人数（去重）"})
    peak = fields.Int(metadata={"description": "最高同时在线人数"})
    peak_at = fields.Str(allow_none=True)
    questions = fields.Int(metadata={"description": "提问数（不含已删除）"})
    applications = fields.Int(metadata={"description": "直播间投递数"})
    intents = fields.Int(metadata={"description": "招聘方标记的达成意向数"})


class SessionFiguresOut(FiguresOut):
    session_id = fields.Int()
    title = fields.Str()
    status = fields.Str()


class FairFiguresOut(Schema):
    fair_id = fields.Int()
    sessions = fields.List(fields.Nested(SessionFiguresOut))
    totals = fields.Nested(
        FiguresOut, metadata={"description": "全场合计；最高在线为全场同时在线求职者"}
    )


class RoomApplicationOut(Schema):
    application_id = fields.Int()
    position_id = fields.Int()
    position = fields.Str()
    seeker = fields.Str(metadata={"description": "求职者姓名（已遮挡）"})
    status = fields.Str()
    session_id = fields.Int(allow_none=True)
    applied_at = fields.Str()
    intent = fields.Bool(metadata={"description": "是否已标记达成意向"})


class IntentOut(Schema):
    application_id = fields.Int()
    session_id = fields.Int(allow_none=True)
    fair_id = fields.Int(allow_none=True)
    created_at = fields.Str()


@bp.route("/sessions/<int:session_id>/figures", methods=["GET"])
@bp.response(200, FiguresOut)
@login_required
def session_figures(session_id: int):
    """一场直播带岗的数据（主办方与主持人）"""
    ls = access.visible_session(current_user, session_id)
    if not access.can_host(current_user, ls):
        raise Forbidden("只有主办方或主持人可以查看直播数据。")
    return figures.session_figures(ls)


@bp.route("/fairs/<int:fair_id>/figures", methods=["GET"])
@bp.response(200, FairFiguresOut)
@role_required("organiser")
def fair_figures(fair_id: int):
    """一场招聘会各场直播带岗的数据与合计（主办方）"""
    return figures.fair_figures(access.organiser_fair(current_user, fair_id))


@bp.route("/room-applications", methods=["GET"])
@bp.doc(
    parameters=[
        {"name": "session_id", "in": "query", "schema": {"type": "integer"}},
        {"name": "fair_id", "in": "query", "schema": {"type": "integer"}},
    ]
)
@bp.response(200, RoomApplicationOut(many=True))
@role_required("employer")
def room_applications():
    """本单位在直播间和招聘会大厅收到的投递，及达成意向标记"""
    return figures.room_applications(
        current_user,
        session_id=parse_id(request.args.get("session_id")),
        fair_id=parse_id(request.args.get("fair_id")),
    )


@bp.route("/applications/<int:application_id>/intent", methods=["PUT"])
@bp.response(200, IntentOut)
@role_required("employer")
def mark_intent(application_id: int):
    """标记达成意向（本单位招聘人员；重复标记只记一次）"""
    return figures.mark_intent(current_user, application_id)


@bp.route("/applications/<int:application_id>/intent", methods=["DELETE"])
@bp.response(204)
@role_required("employer")
def unmark_intent(application_id: int):
    """取消达成意向"""
    figures.unmark_intent(current_user, application_id)
    return ""
