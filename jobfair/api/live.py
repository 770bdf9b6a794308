"""API: 直播带岗与展位排队 — lobby counts, message history, the seeker's queues.

The live traffic itself runs over Socket.IO (namespaces /lobby, /session, /booth, /console);
these endpoints serve clients that poll or need the history without a socket.
"""

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import api_blueprint
from jobfair.live import access, calls, queries, queues, serializers
from jobfair.models.live import RoomKind
from jobfair.security import login_required, role_required

bp = api_blueprint("api_live", "/live", "直播带岗与展位排队")


class LiveBoothCountOut(Schema):
    booth_id = fields.Int()
    employer = fields.Str()
    reps_online = fields.Int()
    queue_length = fields.Int()
    wait_minutes = fields.Int(metadata={"description": "排队人数 × 每次面谈分钟 ÷ 在线招聘人员"})


class LiveCountsOut(Schema):
    fair_id = fields.Int()
    seekers_online = fields.Int()
    booths = fields.List(fields.Nested(LiveBoothCountOut))


class LiveMessageOut(Schema):
    id = fields.Int()
    room = fields.Str(metadata={"description": "session:<id> 或 chat:<id>"})
    client_id = fields.Str()
    user_id = fields.Int()
    author = fields.Str()
    role = fields.Str()
    body = fields.Str(metadata={"description": "纯文本；已删除的消息为空"})
    deleted = fields.Bool()
    created_at = fields.Str()
    time = fields.Str()


class LiveChatRef(Schema):
    id = fields.Int()
    ends_at = fields.Str()


class QueueEntryOut(Schema):
    id = fields.Int()
    booth_id = fields.Int()
    fair_id = fields.Int()
    employer = fields.Str()
    status = fields.Str(metadata={"enum": ["waiting", "called", "in_chat"]})
    status_label = fields.Str()
    place = fields.Int(metadata={"description": "排队位置（仅 waiting）"})
    chat_minutes = fields.Int()
    reps_online = fields.Int()
    wait_minutes = fields.Int()
    chat = fields.Nested(LiveChatRef, allow_none=True)


class LiveAfterQuery(Schema):
    after_id = fields.Int(load_default=0, metadata={"description": "只返回编号大于此值的消息"})


def _after() -> int:
    try:
        return max(0, int(request.args.get("after_id", 0)))
    except ValueError:
        return 0


@bp.route("/fairs/<int:fair_id>/counts", methods=["GET"])
@bp.response(200, LiveCountsOut)
def fair_counts(fair_id: int):
    """招聘会现场实况：在线求职者、各展位在线招聘人员、排队人数与预计等待"""
    return queries.lobby_counts(access.public_fair(fair_id).id)


@bp.route("/sessions/<int:session_id>/messages", methods=["GET"])
@bp.arguments(LiveAfterQuery, location="query", as_kwargs=True)
@bp.response(200, LiveMessageOut(many=True))
@login_required
def session_messages(session_id: int, after_id: int = 0):
    """直播间聊天记录（按编号升序；带 after_id 时只返回之后的消息）"""
    ls = access.visible_session(current_user, session_id)
    access.check_not_banned(current_user, ls.fair_id)
    if after_id:
        rows = queries.messages_after_id(RoomKind.SESSION, ls.id, after_id)
    else:
        rows = queries.recent_messages(RoomKind.SESSION, ls.id)
    return [serializers.message_dict(m) for m in rows]


@bp.route("/chats/<int:chat_id>/messages", methods=["GET"])
@bp.arguments(LiveAfterQuery, location="query", as_kwargs=True)
@bp.response(200, LiveMessageOut(many=True))
@login_required
def chat_messages(chat_id: int, after_id: int = 0):
    """一对一面谈的消息（仅面谈双方可见）"""
    chat = access.chat_for(current_user, chat_id)
    return [
        serializers.message_dict(m)
        for m in queries.messages_after_id(RoomKind.CHAT, chat.id, after_id)
    ]


class IceServerOut(Schema):
    urls = fields.Raw(metadata={"description": "stun:/turn: 地址（字符串或列表）"})
    username = fields.Str()
    credential = fields.Str(metadata={"description": "TURN 临时口令（JOBFAIR_TURN_TTL 秒内有效）"})


class CallConfigOut(Schema):
    kind = fields.Str(metadata={"description": "chat（展位面谈）或其他已登记的类型"})
    id = fields.Int()
    namespace = fields.Str(metadata={"description": "信令所用的 Socket.IO 命名空间：/call"})
    ice_servers = fields.List(fields.Nested(IceServerOut))
    polite = fields.Bool(metadata={"description": "双方同时发起时由本方让步"})


@bp.route("/chats/<int:chat_id>/call", methods=["GET"])
@bp.response(200, CallConfigOut)
@login_required
def chat_call(chat_id: int):
    """一对一视频面谈的连接参数（仅面谈双方；信令走 Socket.IO /call，不录音录像）"""
    return calls.call_config(current_user, calls.resolve(current_user, "chat", chat_id))


@bp.route("/queues", methods=["GET"])
@bp.response(200, QueueEntryOut(many=True))
@role_required("seeker")
def my_queues():
    """我的排队：位置、预计等待和已开始的面谈"""
    return queries.my_queues(current_user)


@bp.route("/booths/<int:booth_id>/queue", methods=["POST"])
@bp.response(201, QueueEntryOut)
@role_required("seeker")
def join_queue(booth_id: int):
    """加入展位排队（最多同时 3 个展位；重复加入返回原来的位置）"""
    entry, _created = queues.join_queue(current_user, booth_id)
    return queries.entry_dict(entry)


@bp.route("/queue/<int:entry_id>/leave", methods=["POST"])
@bp.response(200, QueueEntryOut)
@role_required("seeker")
def leave_queue(entry_id: int):
    """离开队列"""
    return queries.entry_dict(queues.leave_queue(current_user, entry_id))
