"""API: 站内通知 (list, unread count, mark read, per-kind delivery preferences)."""

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import api_blueprint, json_body
from jobfair.notifications import digests, preferences, services
from jobfair.security import login_required

bp = api_blueprint("api_notifications", "/notifications", "站内通知")


class NotificationOut(Schema):
    id = fields.Int()
    kind = fields.Str(
        metadata={
            "description": "position_push 岗位推送 / application_new 新投递 / application_status 投递进度 / queue_call 排队叫号 / casework 就业帮扶 / job_alert 职位提醒 / talent_alert 人才提醒 / system"
        }
    )
    kind_label = fields.Str()
    title = fields.Str()
    body = fields.Str()
    link = fields.Str(allow_none=True, metadata={"description": "站内链接"})
    read = fields.Bool()
    read_at = fields.Str(allow_none=True)
    created_at = fields.Str()
    in_centre = fields.Bool(metadata={"description": "是否列在通知中心（用户可按类别关闭）"})


class NotificationPage(Schema):
    items = fields.List(fields.Nested(NotificationOut))
    total = fields.Int()
    unread = fields.Int()
    page = fields.Int()
    pages = fields.Int()


class UnreadOut(Schema):
    unread = fields.Int()


class ReadAllOut(Schema):
    marked = fields.Int()
    unread = fields.Int()


@bp.route("", methods=["GET"])
@bp.doc(
    parameters=[
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {"name": "unread", "in": "query", "schema": {"type": "boolean"}},
    ]
)
@bp.response(200, NotificationPage)
@login_required
def list_notifications():
    """我的通知：未读在前，新的在前"""
    page = services.parse_page(request.args.get("page"))
    unread_only = request.args.get("unread", "").lower() in ("1", "true", "yes")
    rows, total, unread = services.list_for(current_user, page=page, unread_only=unread_only)
    return {
        "items": [services.payload(n) for n in rows],
        "total": total,
        "unread": unread,
        "page": page,
        "pages": max(1, -(-total // services.PAGE_SIZE)),
    }


@bp.route("/unread-count", methods=["GET"])
@bp.response(200, UnreadOut)
@login_required
def unread_count():
    """未读通知数"""
    return {"unread": services.unread_count(current_user.id)}


@bp.route("/<int:notification_id>/read", methods=["POST"])
@bp.response(200, NotificationOut)
@login_required
def mark_read(notification_id: int):
    """标为已读（只能操作自己的通知）"""
    return services.payload(services.mark_read(current_user, notification_id))


@bp.route("/read-all", methods=["POST"])
@bp.response(200, ReadAllOut)
@login_required
def mark_all_read():
    """全部标为已读"""
    marked = services.mark_all_read(current_user)
    return {"marked": marked, "unread": 0}


class PreferenceOut(Schema):
    kind = fields.Str(metadata={"description": "通知类别"})
    label = fields.Str()
    hint = fields.Str()
    live = fields.Bool(metadata={"description": "实时提醒（开着网页时推送）"})
    centre = fields.Bool(metadata={"description": "逐条列在通知中心"})
    digest = fields.Bool(metadata={"description": "合入每日汇总"})


class PreferencesOut(Schema):
    items = fields.List(fields.Nested(PreferenceOut))
    pending_digest = fields.Int(metadata={"description": "等待下一次每日汇总的通知数"})


class PreferenceIn(Schema):
    live = fields.Bool(required=True)
    centre = fields.Bool(required=True)
    digest = fields.Bool(required=True)


class PreferencesIn(Schema):
    items = fields.Dict(
        keys=fields.Str(),
        values=fields.Nested(PreferenceIn),
        required=True,
        metadata={"description": "{通知类别: {live, centre, digest}}；未列出的类别保持不变"},
    )


def _preferences() -> dict:
    return {
        "items": preferences.table(current_user),
        "pending_digest": digests.pending_count(current_user.id),
    }


@bp.route("/preferences", methods=["GET"])
@bp.response(200, PreferencesOut)
@login_required
def get_preferences():
    """我的通知设置：每类通知的实时提醒、通知中心、每日汇总"""
    return _preferences()


@bp.route("/preferences", methods=["PUT"])
@bp.doc(requestBody={"content": {"application/json": {"schema": PreferencesIn}}})
@bp.response(200, PreferencesOut)
@login_required
def put_preferences():
    """修改通知设置（只改列出的类别；不认识的类别整体拒绝）"""
    data = json_body()
    preferences.save(current_user, data.get("items"))
    return _preferences()
