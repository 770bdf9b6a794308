"""Live rows as the dicts that pages, sockets and the API send."""

from types import SimpleNamespace

from flask import url_for

from jobfair.formatting import address, hhmm, iso, pay_line
from jobfair.models.live import (
    Announcement,
    InterviewChat,
    LiveMessage,
    PinnedPosition,
    Question,
    RoomKind,
)
from jobfair.models.position import Position, PositionStatus
from jobfair.models.user import Role, User
from jobfair.positions import channels


def display_name(user: User | None, *, public: bool = True) -> str:
    """What others see: seekers in the form of address they chose (李先生 / 李女士; by
    name, masked in rooms others read), staff by name and role."""
    if user is None:
        return "已注销用户"
    name = (user.name or "").strip()
    if user.role == Role.SEEKER:
        return address(name, user.address_form, public=public)
    if user.role == Role.ORGANISER:
        return (name or "组织方") + "（主办方）"
    return (name or "招聘方") + "（招聘方）"


def message_dict(m: LiveMessage) -> dict:
    return _message(m, m.user, m.deleted_at is not None)


def new_message_dict(values: dict, user: User) -> dict:
    """A message just inserted without the ORM (its column values, id included) by `user`:
    the same dict as message_dict, with no read of the row."""
    return _message(SimpleNamespace(**values), user, False)


def posted_message_dict(values: dict, author: str, role: str) -> dict:
    """A 直播 room message just inserted (its column values, id included), by an author
    whose public name and role the sender's socket already knew: no read at all."""
    return {
        "id": values["id"],
        "room": f"{values['room_kind']}:{values['room_id']}",
        "seq": values["seq"],
        "client_id": values["client_id"],
        "user_id": values["user_id"],
        "author": author,
        "role": role,
        "body": values["body"],
        "deleted": False,
        "created_at": iso(values["created_at"]),
        "time": hhmm(values["created_at"]),
    }


def _message(m, user: User | None, deleted: bool) -> dict:
    return {
        "id": m.id,
        "room": f"{m.room_kind}:{m.room_id}",
        "seq": m.seq,
        "client_id": m.client_id,
        "user_id": m.user_id,
        # A 1:1 chat is read by the seeker and the rep only: the name need not be masked.
        "author": display_name(user, public=m.room_kind != RoomKind.CHAT),
        "role": user.role if user else "",
        "body": "" if deleted else m.body,
        "deleted": deleted,
        "created_at": iso(m.created_at),
        "time": hhmm(m.created_at),
    }


def question_dict(q: Question, viewer_id: int | None = None, voted: set[int] | None = None):
    deleted = q.deleted_at is not None
    return {
        "id": q.id,
        "session_id": q.session_id,
        "client_id": q.client_id,
        "author": display_name(q.user),
        "body": "" if deleted else q.body,
        "deleted": deleted,
        "votes": q.votes,
        "voted": bool(voted and q.id in voted),
        "answered": q.answered_at is not None,
        "created_at": iso(q.created_at),
    }


def announcement_dict(a: Announcement) -> dict:
    return {
        "id": a.id,
        "fair_id": a.fair_id,
        "session_id": a.session_id,
        "scope": a.scope,
        "seq": a.seq,
        "body": a.body,
        "created_at": iso(a.created_at),
        "time": hhmm(a.created_at),
    }


def position_card(p: Position) -> dict:
    return {
        "id": p.id,
        "url": url_for("positions.detail", position_id=p.id),
        "title": p.title,
        "employer": p.employer.name if p.employer else "",
        "salary_min": p.salary_min,
        "salary_max": p.salary_max,
        "salary_text": pay_line(p),  # with its unit: 元/月, 元/小时, 元/天, 元/件
        "district": p.district,
        "open": p.status == PositionStatus.PUBLISHED,
        # Exam announcements (事业编制, 三支一扶 …) are shown but never applied to here.
        "accepts_applications": not channels.is_announcement(p),
    }


def pin_dict(pin: PinnedPosition) -> dict:
    return {"id": pin.id, "position": position_card(pin.position), "pinned_at": iso(pin.pinned_at)}


def chat_dict(chat: InterviewChat) -> dict:
    booth = chat.booth
    return {
        "id": chat.id,
        "booth_id": chat.booth_id,
        "fair_id": booth.fair_id,
        "employer": booth.employer.name,
        "seeker_id": chat.seeker_user_id,
        "seeker": display_name(chat.seeker, public=False),
        "rep_id": chat.rep_user_id,
        "rep": display_name(chat.rep),
        "started_at": iso(chat.started_at),
        "ends_at": iso(chat.ends_at),
        "ended": chat.ended_at is not None,
        "ended_at": iso(chat.ended_at),
        "next_step": chat.next_step,
        "chat_minutes": booth.chat_minutes,
    }
