"""Live layer: session room, queues, booth desk, 1:1 chats, organiser console, live API.

Objects belong to other people: a queue entry and a 1:1 chat of another seeker at another
employer's booth, a message by another seeker in the fair's live session, a pinned position."""

SIGNED_IN = ("login", "ok", "ok", "ok")
SEEKER_ONLY = ("login", "ok", 403, 403)
ORGANISER_ONLY = ("login", 403, 403, "ok")
OTHER_EMPLOYERS = ("login", 403, 404, 403)
OTHER_SEEKERS = ("login", 404, 403, 403)
PARTICIPANTS = ("login", 404, 404, 404)

ENTRIES = {
    ("live.session_room", "GET"): SIGNED_IN,
    ("live.apply_pin", "POST"): SEEKER_ONLY,
    ("live.report_message", "POST"): SIGNED_IN,
    ("live.my_queues", "GET"): SEEKER_ONLY,
    ("live.join_queue", "POST"): SEEKER_ONLY,
    ("live.leave_queue", "POST"): OTHER_SEEKERS,
    ("live.desk", "GET"): OTHER_EMPLOYERS,
    ("live.call_next", "POST"): OTHER_EMPLOYERS,
    ("live.chat_page", "GET"): PARTICIPANTS,
    ("live.end_chat", "POST"): OTHER_EMPLOYERS,
    ("live.console", "GET"): ORGANISER_ONLY,
    ("live.console_action", "POST"): ORGANISER_ONLY,
    ("api_live.fair_counts", "GET"): ("ok", "ok", "ok", "ok"),
    ("api_live.session_messages", "GET"): SIGNED_IN,
    ("api_live.chat_messages", "GET"): PARTICIPANTS,
    ("api_live.chat_call", "GET"): PARTICIPANTS,
    ("api_live.my_queues", "GET"): SEEKER_ONLY,
    ("api_live.join_queue", "POST"): SEEKER_ONLY,
    ("api_live.leave_queue", "POST"): OTHER_SEEKERS,
}


def ids(app, ctx) -> dict:
    """Builds on the fair of tests/access/fairs.py (ctx["fairs"]): a registered seeker in the
    queue, called into a chat by the owner, a session message and a pinned position."""
    from datetime import timedelta

    from jobfair.database import writing
    from jobfair.extensions import db
    from jobfair.models import (
        Employer,
        FairRegistration,
        InterviewChat,
        LiveMessage,
        PinnedPosition,
        QueueEntry,
    )
    from jobfair.models.common import utcnow

    fairs = ctx["fairs"]
    seeker = ctx["seeker_owner"]
    with app.app_context(), writing():
        owner_user = db.session.get(Employer, ctx["owner"].id).user_id
        db.session.add(FairRegistration(fair_id=fairs["fair_id"], seeker_user_id=seeker.id))
        entry = QueueEntry(booth_id=fairs["booth_id"], seeker_user_id=seeker.id, status="called")
        db.session.add(entry)
        db.session.flush()
        now = utcnow()
        chat = InterviewChat(
            booth_id=fairs["booth_id"],
            queue_entry_id=entry.id,
            seeker_user_id=seeker.id,
            rep_user_id=owner_user,
            started_at=now,
            ends_at=now + timedelta(minutes=10),
        )
        msg = LiveMessage(
            room_kind="session",
            room_id=fairs["session_id"],
            user_id=seeker.id,
            client_id="access-1",
            body="访问矩阵消息",
        )
        pin = PinnedPosition(session_id=fairs["session_id"], position_id=ctx["published"].id)
        db.session.add_all([chat, msg, pin])
        db.session.commit()
        return {
            "entry_id": entry.id,
            "chat_id": chat.id,
            "message_id": msg.id,
            "pin_id": pin.id,
        }
