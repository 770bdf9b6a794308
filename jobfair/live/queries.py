"""Reads of the live layer: backfill, lobby and queue state, counters, open reports."""

import math

from sqlalchemy import func

from jobfair.errors import Forbidden
from jobfair.extensions import db
from jobfair.formatting import iso
from jobfair.ids import MAX_ID
from jobfair.live import presence
from jobfair.live.serializers import announcement_dict, pin_dict, question_dict
from jobfair.models.application import Application
from jobfair.models.fair import Booth, BoothPosition, BoothStatus, Fair, LiveSession
from jobfair.models.live import (
    ACTIVE_QUEUE,
    QUEUE_STATUS_LABELS,
    Announcement,
    FairVisit,
    InterviewChat,
    LiveApplication,
    LiveMessage,
    MessageReport,
    NextStep,
    PinnedPosition,
    Question,
    QuestionVote,
    QueueEntry,
    QueueStatus,
    ReportStatus,
    RoomKind,
    SessionView,
)
from jobfair.models.user import Role, User

BACKFILL_LIMIT = 500
RECENT = 50


def parse_after(value) -> int:
    """A client's "last id I have": anything unreadable means "I have nothing yet"."""
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0


def fair_id_of_room(kind: str, room_id: int) -> int | None:
    """The fair a session or 1:1 chat belongs to (None for a session without a fair)."""
    if kind == RoomKind.SESSION:
        ls = db.session.get(LiveSession, room_id)
        return ls.fair_id if ls else None
    if kind == RoomKind.CHAT:
        chat = db.session.get(InterviewChat, room_id)
        return chat.booth.fair_id if chat else None
    return None


def parse_seq(value) -> int | None:
    """A client's "last number I have" in a room; None when it sent none (first join).

    Capped at the largest id: a number past it has nothing after it, and SQLite cannot bind
    an integer wider than 64 bits (a 500 on ?after_id=10**30); 1e309 arrives as infinity.
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        return min(max(0, int(value)), MAX_ID)
    except (TypeError, ValueError, OverflowError):
        return None


def messages_after(kind: str, room_id: int, after_seq, limit: int = BACKFILL_LIMIT):
    """(messages numbered after after_seq, oldest first, at most limit; whether more follow)."""
    rows = db.session.scalars(
        db.select(LiveMessage)
        .filter(
            LiveMessage.room_kind == kind,
            LiveMessage.room_id == room_id,
            LiveMessage.seq > (parse_seq(after_seq) or 0),
        )
        .order_by(LiveMessage.seq)
        .limit(limit + 1)
    ).all()
    return list(rows[:limit]), len(rows) > limit


def messages_after_id(kind: str, room_id: int, after_id, limit: int = BACKFILL_LIMIT) -> list:
    """Messages of a room with id > after_id, oldest first (the API's paging by id)."""
    rows = db.session.scalars(
        db.select(LiveMessage)
        .filter(
            LiveMessage.room_kind == kind,
            LiveMessage.room_id == room_id,
            LiveMessage.id > (parse_seq(after_id) or 0),
        )
        .order_by(LiveMessage.id)
        .limit(limit)
    ).all()
    return list(rows)


def recent_messages(kind: str, room_id: int, limit: int = RECENT) -> list:
    rows = db.session.scalars(
        db.select(LiveMessage)
        .filter(LiveMessage.room_kind == kind, LiveMessage.room_id == room_id)
        .order_by(LiveMessage.seq.desc())
        .limit(limit)
    ).all()
    return list(reversed(rows))


def backfill(kind: str, room_id: int, last_seq) -> tuple[list, bool]:
    """What a (re)joining client needs: what it missed (paged), or the recent ones on first join."""
    if parse_seq(last_seq) is not None:
        return messages_after(kind, room_id, last_seq)
    return recent_messages(kind, room_id), False


def session_questions(ls: LiveSession, viewer: User | None = None) -> list[dict]:
    rows = db.session.scalars(
        db.select(Question)
        .filter(Question.session_id == ls.id, Question.deleted_at.is_(None))
        .order_by(Question.answered_at.is_not(None), Question.votes.desc(), Question.id)
        .limit(200)
    ).all()
    voted: set[int] = set()
    if viewer is not None and viewer.is_authenticated and rows:
        voted = set(
            db.session.scalars(
                db.select(QuestionVote.question_id).filter(
                    QuestionVote.user_id == viewer.id,
                    QuestionVote.question_id.in_([q.id for q in rows]),
                )
            )
        )
    return [question_dict(q, voted=voted) for q in rows]


def session_counters(ls: LiveSession) -> dict:
    return {
        "session_id": ls.id,
        "viewers_online": presence.count(presence.session_key(ls.id)),
        "viewers_total": db.session.scalar(
            db.select(func.count()).select_from(SessionView).filter_by(session_id=ls.id)
        ),
        "applications": db.session.scalar(
            db.select(func.count()).select_from(LiveApplication).filter_by(session_id=ls.id)
        ),
    }


def _scope_filter(scope: str):
    kind, _, ident = scope.partition(":")
    ident = int(ident)
    if kind == "fair":
        return (Announcement.fair_id == ident,)
    return (Announcement.fair_id.is_(None), Announcement.session_id == ident)


scope_filter = _scope_filter  # for jobfair.live.missed


def announcements(fair_id: int | None = None, session_id: int | None = None, limit=20):
    """The recent announcements of a fair and/or a session's own, oldest first."""
    conds = []
    if fair_id is not None:
        conds.append(Announcement.fair_id == fair_id)
    if session_id is not None:
        conds.append(Announcement.session_id == session_id)
    if not conds:
        return []
    q = db.select(Announcement).filter(conds[0] if len(conds) == 1 else (conds[0] | conds[1]))
    rows = db.session.scalars(q.order_by(Announcement.id.desc()).limit(limit)).all()
    return list(reversed(rows))


def announcements_after(scope: str, after_seq, limit: int = BACKFILL_LIMIT):
    """(announcements of a scope ("fair:<id>" or "session:<id>") numbered after after_seq,
    at most limit; whether more follow)."""
    rows = db.session.scalars(
        db.select(Announcement)
        .filter(*_scope_filter(scope), Announcement.seq > (parse_seq(after_seq) or 0))
        .order_by(Announcement.seq)
        .limit(limit + 1)
    ).all()
    return list(rows[:limit]), len(rows) > limit


def announcements_for(scopes: dict[str, int | None], seqs) -> tuple[list, bool]:
    """What a (re)joining page needs of its scopes: after the numbers it has, else the recent.

    scopes maps "fair:<id>" / "session:<id>" to the ids to pass to announcements().
    """
    seqs = seqs if isinstance(seqs, dict) else {}
    out, more, fresh = [], False, {}
    for scope, ident in scopes.items():
        have = parse_seq(seqs.get(scope))
        if have is None:
            fresh[scope.partition(":")[0] + "_id"] = ident
            continue
        rows, more_here = announcements_after(scope, have)
        out.extend(rows)
        more = more or more_here
    if fresh:
        out.extend(announcements(**fresh))
    return sorted(out, key=lambda a: a.id), more


def active_pins(fair_id: int | None = None, session_id: int | None = None) -> list[PinnedPosition]:
    q = db.select(PinnedPosition).filter(PinnedPosition.unpinned_at.is_(None))
    if session_id is not None:
        q = q.filter(PinnedPosition.session_id == session_id)
    else:
        q = q.filter(PinnedPosition.fair_id == fair_id, PinnedPosition.session_id.is_(None))
    return list(db.session.scalars(q.order_by(PinnedPosition.id.desc())).unique())


def fair_booths(fair_id: int) -> list[Booth]:
    return list(
        db.session.scalars(
            db.select(Booth)
            .filter_by(fair_id=fair_id, status=BoothStatus.APPROVED)
            .order_by(Booth.id)
        ).unique()
    )


def waiting_ids(booth_id: int) -> list[int]:
    return list(
        db.session.scalars(
            db.select(QueueEntry.id)
            .filter_by(booth_id=booth_id, status=QueueStatus.WAITING)
            .order_by(QueueEntry.id)
        )
    )


# The estimate follows how long this booth's recent chats really took (their median), once
# there are enough of them; before that, the booth's own chat length.
RECENT_CHATS = 20
MIN_CHATS = 3


def chat_lengths(booths) -> dict[int, dict]:
    """Per booth: {"minutes": median minutes of its last RECENT_CHATS finished chats (the
    booth's set chat length while it has fewer than MIN_CHATS), "sample": how many}.

    Finished means the seeker came and the chat was ended (已面谈, or handed to a colleague);
    no-shows and seekers who left are not chats. One query for all booths."""
    booths = list(booths)
    if not booths:
        return {}
    ranked = (
        db.select(
            InterviewChat.booth_id.label("booth_id"),
            InterviewChat.started_at.label("started_at"),
            InterviewChat.ended_at.label("ended_at"),
            func.row_number()
            .over(partition_by=InterviewChat.booth_id, order_by=InterviewChat.ended_at.desc())
            .label("n"),
        )
        .join(QueueEntry, QueueEntry.id == InterviewChat.queue_entry_id)
        .filter(
            InterviewChat.booth_id.in_([b.id for b in booths]),
            InterviewChat.ended_at.is_not(None),
            QueueEntry.status.in_([QueueStatus.DONE, QueueStatus.CALLED, QueueStatus.IN_CHAT]),
        )
        .subquery()
    )
    seconds: dict[int, list[float]] = {}
    for booth_id, started, ended in db.session.execute(
        db.select(ranked.c.booth_id, ranked.c.started_at, ranked.c.ended_at).filter(
            ranked.c.n <= RECENT_CHATS
        )
    ):
        seconds.setdefault(booth_id, []).append(max(0.0, (ended - started).total_seconds()))
    out = {}
    for b in booths:
        got = sorted(seconds.get(b.id, []))
        if len(got) < MIN_CHATS:
            out[b.id] = {"minutes": float(b.chat_minutes), "sample": len(got)}
            continue
        mid = len(got) // 2
        median = got[mid] if len(got) % 2 else (got[mid - 1] + got[mid]) / 2
        out[b.id] = {"minutes": round(max(median, 30.0) / 60, 1), "sample": len(got)}
    return out


def wait_minutes(place: int, chat_minutes: float, reps_online: int) -> int | None:
    """Estimated wait: place × typical chat minutes / reps online, rounded up.

    None when no rep is online: nobody is serving, so no time can honestly be promised."""
    if place <= 0:
        return 0
    if reps_online <= 0:
        return None
    return max(1, math.ceil(place * chat_minutes / reps_online))


def lobby_counts(fair_id: int) -> dict:
    booths = fair_booths(fair_id)
    lengths = dict(
        db.session.execute(
            db.select(QueueEntry.booth_id, func.count())
            .filter(
                QueueEntry.booth_id.in_([b.id for b in booths]),
                QueueEntry.status == QueueStatus.WAITING,
            )
            .group_by(QueueEntry.booth_id)
        ).all()
    )
    typical = chat_lengths(booths)
    out = []
    for b in booths:
        reps = presence.count(presence.booth_key(b.id))
        n = lengths.get(b.id, 0)
        out.append(
            {
                "booth_id": b.id,
                "employer": b.employer.name,
                "reps_online": reps,
                "queue_length": n,
                "wait_minutes": wait_minutes(n, typical[b.id]["minutes"], reps),
                "typical_minutes": typical[b.id]["minutes"],
                "typical_sample": typical[b.id]["sample"],
            }
        )
    return {
        "fair_id": fair_id,
        "seekers_online": presence.count(presence.fair_key(fair_id)),
        "booths": out,
    }


def lobby_state(fair_id: int) -> dict:
    """Counts, the recent announcements and the pins of a fair lobby."""
    return {
        "fair_id": fair_id,
        "counts": lobby_counts(fair_id),
        "announcements": [announcement_dict(a) for a in announcements(fair_id)],
        "pins": [pin_dict(p) for p in active_pins(fair_id=fair_id)],
    }


def active_entries(seeker_id: int) -> list[QueueEntry]:
    return list(
        db.session.scalars(
            db.select(QueueEntry)
            .filter(QueueEntry.seeker_user_id == seeker_id, QueueEntry.status.in_(ACTIVE_QUEUE))
            .order_by(QueueEntry.id)
        ).unique()
    )


def open_chat_of_entry(entry_id: int) -> InterviewChat | None:
    return db.session.scalar(
        db.select(InterviewChat)
        .filter(InterviewChat.queue_entry_id == entry_id, InterviewChat.ended_at.is_(None))
        .order_by(InterviewChat.id.desc())
        .limit(1)
    )


def entry_dict(entry: QueueEntry, reps_online: int | None = None) -> dict:
    booth = entry.booth
    place = 0
    if entry.status == QueueStatus.WAITING:
        place = 1 + db.session.scalar(
            db.select(func.count())
            .select_from(QueueEntry)
            .filter(
                QueueEntry.booth_id == entry.booth_id,
                QueueEntry.status == QueueStatus.WAITING,
                QueueEntry.id < entry.id,
            )
        )
    if reps_online is None:
        reps_online = presence.count(presence.booth_key(booth.id))
    typical = chat_lengths([booth])[booth.id]
    chat = None
    if entry.status in (QueueStatus.CALLED, QueueStatus.IN_CHAT):
        c = open_chat_of_entry(entry.id)
        chat = {"id": c.id, "ends_at": iso(c.ends_at)} if c else None
    return {
        "id": entry.id,
        "booth_id": booth.id,
        "fair_id": booth.fair_id,
        "employer": booth.employer.name,
        "status": entry.status,
        "status_label": QUEUE_STATUS_LABELS.get(entry.status, entry.status),
        "place": place,
        "chat_minutes": booth.chat_minutes,
        "typical_minutes": typical["minutes"],
        "typical_sample": typical["sample"],
        "reps_online": reps_online,
        "wait_minutes": wait_minutes(place, typical["minutes"], reps_online),
        "chat": chat,
    }


def my_queues(user: User) -> list[dict]:
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者有排队记录。")
    return [entry_dict(e) for e in active_entries(user.id)]


def queue_state(booth: Booth) -> dict:
    """What every seeker in a booth's queue needs to compute their own place and wait."""
    typical = chat_lengths([booth])[booth.id]
    return {
        "booth_id": booth.id,
        "waiting": waiting_ids(booth.id),
        "chat_minutes": booth.chat_minutes,
        "typical_minutes": typical["minutes"],
        "typical_sample": typical["sample"],
        "reps_online": presence.count(presence.booth_key(booth.id)),
    }


def busy_seekers(seeker_ids: list[int]) -> set[int]:
    if not seeker_ids:
        return set()
    return set(
        db.session.scalars(
            db.select(QueueEntry.seeker_user_id).filter(
                QueueEntry.seeker_user_id.in_(seeker_ids),
                QueueEntry.status.in_([QueueStatus.CALLED, QueueStatus.IN_CHAT]),
            )
        )
    )


def open_reports(fair_id: int) -> list[MessageReport]:
    reports = db.session.scalars(
        db.select(MessageReport)
        .filter(MessageReport.status == ReportStatus.OPEN)
        .order_by(MessageReport.id)
        .limit(500)
    ).unique()
    return [
        r for r in reports if fair_id_of_room(r.message.room_kind, r.message.room_id) == fair_id
    ]


def fair_counters(fair: Fair) -> dict:
    """The organiser console's counters for one fair."""
    booth_ids = db.select(Booth.id).filter(Booth.fair_id == fair.id)
    position_ids = db.select(BoothPosition.position_id).filter(
        BoothPosition.booth_id.in_(booth_ids)
    )

    def count(q):
        return db.session.scalar(db.select(func.count()).select_from(q.subquery()))

    return {
        "fair_id": fair.id,
        "online": presence.count(presence.fair_key(fair.id)),
        "visitors": count(db.select(FairVisit.user_id).filter_by(fair_id=fair.id)),
        "queue_joins": count(db.select(QueueEntry.id).filter(QueueEntry.booth_id.in_(booth_ids))),
        "waiting": count(
            db.select(QueueEntry.id).filter(
                QueueEntry.booth_id.in_(booth_ids), QueueEntry.status == QueueStatus.WAITING
            )
        ),
        "chats": count(db.select(InterviewChat.id).filter(InterviewChat.booth_id.in_(booth_ids))),
        "interviews": count(
            db.select(InterviewChat.id).filter(
                InterviewChat.booth_id.in_(booth_ids),
                InterviewChat.next_step == NextStep.INTERVIEW,
            )
        ),
        "applications": count(
            db.select(Application.id).filter(
                Application.position_id.in_(position_ids),
                Application.created_at >= fair.starts_at,
                Application.created_at <= fair.ends_at,
            )
        ),
    }
