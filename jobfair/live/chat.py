"""Chat messages in 直播 rooms and 1:1 chats: stored once per client id, then broadcast."""

from sqlalchemy import bindparam, insert
from sqlalchemy.exc import IntegrityError

from jobfair.errors import Conflict
from jobfair.extensions import db
from jobfair.live import broadcasts, chat_writer
from jobfair.live.access import (
    chat_for,
    check_can_write,
    check_rate,
    clean_body,
    clean_client_id,
    existing_and_sent,
)
from jobfair.live.serializers import message_dict, new_message_dict
from jobfair.models.common import utcnow
from jobfair.models.live import LiveMessage, RoomKind, next_message_seq
from jobfair.models.user import User

_BY_CLIENT_ID = db.select(LiveMessage).filter(
    LiveMessage.user_id == bindparam("user_id"), LiveMessage.client_id == bindparam("client_id")
)


_INSERT = insert(LiveMessage.__table__)


def _existing_message(user: User, client_id: str) -> LiveMessage | None:
    return db.session.scalar(_BY_CLIENT_ID, {"user_id": user.id, "client_id": client_id})


def _store_message(user: User, kind: str, room_id: int, client_id: str, body) -> tuple:
    """(message as a dict, created). A resend with the same client id returns the stored one.

    The row is numbered and inserted in the caller's write transaction, and its dict is made
    from the values written (before the commit, whose expiry would reload the author)."""
    client_id = clean_client_id(client_id)
    existing_id, sent = existing_and_sent(user, client_id)
    if existing_id is not None:
        existing = db.session.get(LiveMessage, existing_id)
        if existing.room_kind != kind or existing.room_id != room_id:
            raise Conflict("消息编号重复，请刷新页面后重试。", code="duplicate_client_id")
        return message_dict(existing), False
    body = clean_body(body)
    check_rate(user, sent)
    values = {
        "room_kind": str(kind),
        "room_id": room_id,
        "seq": next_message_seq(db.session, kind, room_id),
        "user_id": user.id,
        "client_id": client_id,
        "body": body,
        "created_at": utcnow(),
    }
    try:
        # A Core insert: no unit of work, no identity map, no reload of what we just wrote.
        values["id"] = db.session.execute(_INSERT, values).inserted_primary_key[0]
        data = new_message_dict(values, user)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = _existing_message(user, client_id)
        if existing is None:
            raise
        return message_dict(existing), False
    return data, True


def send_session_message(user: User, session_id, client_id, body):
    """A message to a 直播 room: checked, numbered and committed with the others arriving at
    the same moment (jobfair/live/chat_writer.py), then broadcast, then answered."""
    data, _created = chat_writer.send(user, session_id, client_id, body)
    return data


def send_chat_message(user: User, chat_id, client_id, body) -> dict:
    chat = chat_for(user, chat_id)
    client_id = clean_client_id(client_id)
    existing = _existing_message(user, client_id)
    if existing is None:
        if chat.ended_at is not None:
            raise Conflict("面谈已结束，不能再发送消息。", code="chat_ended")
        if utcnow() > chat.ends_at:
            raise Conflict("面谈时间已到，不能再发送消息。", code="chat_timeout")
        check_can_write(user, chat.booth.fair_id)
    data, created = _store_message(user, RoomKind.CHAT, chat.id, client_id, body)
    if created:
        broadcasts.chat_message(chat.id, data)
    return data
