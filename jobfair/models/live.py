"""Live layer records: chat, Q&A, announcements, pins, booth queues, 1:1 chats, moderation.

Everything a socket broadcasts is one of these rows first, so a restart or a reconnect loses
nothing. Who is online right now is not stored here (see jobfair/live/presence.py).
"""

import enum
import zlib
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from jobfair.extensions import db
from jobfair.models.common import enum_check, utcnow
from jobfair.models.user import User

MAX_BODY = 500


class RoomKind(enum.StrEnum):
    SESSION = "session"  # a 直播带岗 room
    CHAT = "chat"  # a private 1:1 interview chat (room_id = interview_chats.id)


class LiveMessage(db.Model):
    __tablename__ = "live_messages"
    __table_args__ = (
        UniqueConstraint("user_id", "client_id", name="uq_live_messages_client"),
        CheckConstraint(enum_check("room_kind", RoomKind), name="ck_live_messages_room_kind"),
        Index("ix_live_messages_room", "room_kind", "room_id", "id"),
        Index("ix_live_messages_user_time", "user_id", "created_at"),
        Index("uq_live_messages_seq", "room_kind", "room_id", "seq", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_kind: Mapped[str] = mapped_column(String(16))
    room_id: Mapped[int]
    # 1, 2, 3… within the room: a client that sees n + 2 after n knows it missed one.
    seq: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(String(MAX_BODY))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]
    deleted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class Question(db.Model):
    """Q&A of a live session: seekers ask, others up-vote, the host marks it answered."""

    __tablename__ = "live_questions"
    __table_args__ = (
        UniqueConstraint("user_id", "client_id", name="uq_live_questions_client"),
        Index("ix_live_questions_session", "session_id", "id"),
        Index("ix_live_questions_user_time", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(String(MAX_BODY))
    votes: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    deleted_at: Mapped[datetime | None]
    deleted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class QuestionVote(db.Model):
    __tablename__ = "live_question_votes"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("live_questions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Announcement(db.Model):
    """An organiser's announcement to a fair lobby (and its sessions) or to one session."""

    __tablename__ = "live_announcements"
    __table_args__ = (
        CheckConstraint(
            "fair_id IS NOT NULL OR session_id IS NOT NULL", name="ck_live_announcements_scope"
        ),
        UniqueConstraint("author_id", "client_id", name="uq_live_announcements_client"),
        Index("ix_live_announcements_fair", "fair_id", "id"),
        Index("ix_live_announcements_session", "session_id", "id"),
        Index("ix_live_announcements_fair_seq", "fair_id", "seq"),
        Index("ix_live_announcements_session_seq", "session_id", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int | None] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    client_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(String(MAX_BODY))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # 1, 2, 3… within its scope (the fair, or the session for a session's own announcement).
    seq: Mapped[int]

    @property
    def scope(self) -> str:
        return f"fair:{self.fair_id}" if self.fair_id is not None else f"session:{self.session_id}"


class PinnedPosition(db.Model):
    """A position card pinned in a fair lobby or a live session; unpinned rows stay as history."""

    __tablename__ = "live_pinned_positions"
    __table_args__ = (
        CheckConstraint("fair_id IS NOT NULL OR session_id IS NOT NULL", name="ck_live_pins_scope"),
        Index("ix_live_pins_fair", "fair_id", "unpinned_at"),
        Index("ix_live_pins_session", "session_id", "unpinned_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int | None] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE")
    )
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"))
    pinned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    pinned_at: Mapped[datetime] = mapped_column(default=utcnow)
    unpinned_at: Mapped[datetime | None]

    position = relationship("Position", lazy="joined")


class QueueStatus(enum.StrEnum):
    WAITING = "waiting"
    CALLED = "called"  # a chat is open; the seeker has not opened it yet
    IN_CHAT = "in_chat"
    DONE = "done"
    LEFT = "left"
    SKIPPED = "skipped"  # the rep closed the call because the seeker did not come


QUEUE_STATUS_LABELS = {
    QueueStatus.WAITING: "排队中",
    QueueStatus.CALLED: "已叫号",
    QueueStatus.IN_CHAT: "面谈中",
    QueueStatus.DONE: "已面谈",
    QueueStatus.LEFT: "已离开",
    QueueStatus.SKIPPED: "未到场",
}
ACTIVE_QUEUE = (QueueStatus.WAITING, QueueStatus.CALLED, QueueStatus.IN_CHAT)
_ACTIVE_SQL = "status IN ('waiting', 'called', 'in_chat')"


class QueueEntry(db.Model):
    """A seeker in a booth's queue. Order is the id: a seeker passed over keeps their place."""

    __tablename__ = "live_queue_entries"
    __table_args__ = (
        CheckConstraint(enum_check("status", QueueStatus), name="ck_live_queue_status"),
        # One active entry per seeker and booth, enforced by the database.
        Index(
            "uq_live_queue_active",
            "booth_id",
            "seeker_user_id",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
        Index("ix_live_queue_booth_status", "booth_id", "status", "id"),
        Index("ix_live_queue_seeker_status", "seeker_user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booth_id: Mapped[int] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"))
    seeker_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=QueueStatus.WAITING)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    called_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    rep_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    booth = relationship("Booth", lazy="joined")
    seeker: Mapped[User] = relationship(foreign_keys=[seeker_user_id])


class NextStep(enum.StrEnum):
    NONE = "none"
    INTERVIEW = "interview"
    HANDOVER = "handover"


NEXT_STEP_LABELS = {
    NextStep.NONE: "暂不安排",
    NextStep.INTERVIEW: "邀请面试",
    NextStep.HANDOVER: "转给同事",
}


class InterviewChat(db.Model):
    """A timed private chat between a rep and a seeker called from a booth queue."""

    __tablename__ = "live_interview_chats"
    __table_args__ = (
        CheckConstraint(
            "rating IS NULL OR (rating >= 1 AND rating <= 4)", name="ck_live_chat_rating"
        ),
        CheckConstraint(
            "next_step IS NULL OR " + enum_check("next_step", NextStep), name="ck_live_chat_next"
        ),
        Index("ix_live_chats_booth", "booth_id", "started_at"),
        Index("ix_live_chats_seeker", "seeker_user_id", "ended_at"),
        Index("ix_live_chats_rep", "rep_user_id", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booth_id: Mapped[int] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"))
    queue_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("live_queue_entries.id", ondelete="SET NULL")
    )
    seeker_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    rep_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[int | None]
    next_step: Mapped[str | None] = mapped_column(String(16))
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id", ondelete="SET NULL"))
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL")
    )
    handed_to_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    booth = relationship("Booth", lazy="joined")
    seeker: Mapped[User] = relationship(foreign_keys=[seeker_user_id])
    rep: Mapped[User | None] = relationship(foreign_keys=[rep_user_id])


class RestrictionKind(enum.StrEnum):
    MUTE = "mute"  # may watch, may not write
    BAN = "ban"  # removed: disconnected and refused


RESTRICTION_LABELS = {RestrictionKind.MUTE: "禁言", RestrictionKind.BAN: "移出"}


class LiveRestriction(db.Model):
    """An organiser mutes or removes a user from a fair's live rooms (or all) until a time."""

    __tablename__ = "live_restrictions"
    __table_args__ = (
        CheckConstraint(enum_check("kind", RestrictionKind), name="ck_live_restrictions_kind"),
        Index("ix_live_restrictions_user", "user_id", "until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    fair_id: Mapped[int | None] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    until: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ReportStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"  # the message was removed
    DISMISSED = "dismissed"


REPORT_STATUS_LABELS = {
    ReportStatus.OPEN: "待处理",
    ReportStatus.RESOLVED: "已删除消息",
    ReportStatus.DISMISSED: "已忽略",
}


class MessageReport(db.Model):
    __tablename__ = "live_message_reports"
    __table_args__ = (
        UniqueConstraint("message_id", "reporter_id", name="uq_live_reports_once"),
        CheckConstraint(enum_check("status", ReportStatus), name="ck_live_reports_status"),
        Index("ix_live_reports_status", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("live_messages.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default=ReportStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    message: Mapped[LiveMessage] = relationship(lazy="joined")


class FairVisit(db.Model):
    """First and last time a signed-in user opened a fair's live lobby (visitor counter, funnel)."""

    __tablename__ = "live_fair_visits"

    fair_id: Mapped[int] = mapped_column(
        ForeignKey("fairs.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)


class SessionView(db.Model):
    """A signed-in user who opened a live session room (unique viewers)."""

    __tablename__ = "live_session_views"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    # Times the room was opened (观看人次); reconnects of an open page are not counted.
    visits: Mapped[int] = mapped_column(default=1, server_default=text("1"))


class LiveApplication(db.Model):
    """An application made from a pinned card in a lobby or live session (session counters)."""

    __tablename__ = "live_applications"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    fair_id: Mapped[int | None] = mapped_column(
        ForeignKey("fairs.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def _room_of(obj) -> tuple:
    if isinstance(obj, LiveMessage):
        return (LiveMessage, obj.room_kind, obj.room_id)
    if obj.fair_id is not None:
        return (Announcement, "fair", obj.fair_id)
    return (Announcement, "session", obj.session_id)


_MAX_MESSAGE_SEQ = select(func.coalesce(func.max(LiveMessage.seq), 0)).where(
    LiveMessage.room_kind == bindparam("kind"), LiveMessage.room_id == bindparam("room_id")
)


def _max_seq(session, room: tuple) -> int:
    model, kind, ident = room
    if model is LiveMessage:  # every chat message: a statement built once
        return session.scalar(_MAX_MESSAGE_SEQ, {"kind": kind, "room_id": ident})
    if kind == "fair":
        where = (Announcement.fair_id == ident,)
    else:
        where = (Announcement.fair_id.is_(None), Announcement.session_id == ident)
    return session.scalar(select(func.coalesce(func.max(model.seq), 0)).where(*where))


def _lock_room(session, room: tuple) -> None:
    """On PostgreSQL, writers of one room take turns until their transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"{room[0].__tablename__}:{room[1]}:{room[2]}".encode())
        session.execute(select(func.pg_advisory_xact_lock(key)))


def next_message_seq(session, kind: str, room_id: int) -> int:
    """The number the next message of a room gets, for a message inserted without the ORM.

    Same turn-taking as the flush hook below; call it in the transaction that inserts."""
    room = (LiveMessage, kind, room_id)
    _lock_room(session, room)
    return _max_seq(session, room) + 1


@event.listens_for(Session, "before_flush")
def _number_in_room(session, _context, _instances) -> None:
    """Give new messages and announcements the next number of their room, in insert order.

    SQLite writes one transaction at a time; on PostgreSQL a transaction-scoped advisory lock
    per room makes concurrent writers of one room take turns (the unique index stays the guard).
    """
    new = [o for o in session.new if isinstance(o, LiveMessage | Announcement) and o.seq is None]
    if not new:
        return
    new.sort(key=lambda o: inspect(o).insert_order)
    rooms: dict[tuple, int] = {}
    for obj in new:
        room = _room_of(obj)
        if room not in rooms:
            _lock_room(session, room)
            rooms[room] = _max_seq(session, room)
        rooms[room] += 1
        obj.seq = rooms[room]
