"""Group commit of 直播 room chat: messages that arrive together are written together.

A message sent to a live session joins its process's queue. The first sender to find no
batch under way leads: it waits a moment (LIVE_CHAT_BATCH_MS) for others to join, then, in
one write transaction, runs every check of every queued message (the room is visible and
not ended, the author is not muted or removed, the client id is new, the body is valid, the
rate limit), numbers the accepted ones in their room, inserts them and commits. Only after
that commit are they broadcast, in number order, and every sender gets its answer; then the
lead passes to the first sender who queued meanwhile. A failed commit refuses the whole
batch: each sender is told it was not saved, nothing is broadcast, no row is left.

Numbering is the room turn-taking of ``jobfair.models.live``: on SQLite one writer at a time
(BEGIN IMMEDIATE), on PostgreSQL a transaction-scoped advisory lock per room, so processes
sharing the database still give each room 1, 2, 3… without gaps or repeats.
"""

import logging
import threading
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import bindparam, func, insert, select, union_all
from sqlalchemy.exc import IntegrityError

from jobfair.database import writing
from jobfair.errors import DB_ERRORS, DB_UNAVAILABLE, Conflict, DomainError, NotFound
from jobfair.extensions import db, socketio
from jobfair.ids import parse_id
from jobfair.live import access, broadcasts
from jobfair.live.serializers import display_name, message_dict, posted_message_dict
from jobfair.models.common import utcnow
from jobfair.models.fair import Fair, LiveSession
from jobfair.models.live import LiveMessage, LiveRestriction, Question, RoomKind, next_message_seq

log = logging.getLogger(__name__)

NOT_SAVED = "消息没有发出：服务器开小差了，请稍后再试。"
MAX_BATCH = 100
_KEY = "jobfair.chat_writer"

_SESSIONS = (
    select(LiveSession.id, LiveSession.status, LiveSession.fair_id, Fair.status)
    .outerjoin(Fair, Fair.id == LiveSession.fair_id)
    .where(LiveSession.id.in_(bindparam("ids", expanding=True)))
)
_RESTRICTIONS = select(
    LiveRestriction.user_id, LiveRestriction.fair_id, LiveRestriction.kind, LiveRestriction.until
).where(
    LiveRestriction.user_id.in_(bindparam("uids", expanding=True)),
    LiveRestriction.until > bindparam("now"),
)
_EXISTING = select(
    LiveMessage.id,
    LiveMessage.user_id,
    LiveMessage.client_id,
    LiveMessage.room_kind,
    LiveMessage.room_id,
).where(
    LiveMessage.user_id.in_(bindparam("uids", expanding=True)),
    LiveMessage.client_id.in_(bindparam("cids", expanding=True)),
)
_SENT = union_all(
    select(LiveMessage.user_id, func.count())
    .where(
        LiveMessage.user_id.in_(bindparam("uids", expanding=True)),
        LiveMessage.created_at > bindparam("since"),
    )
    .group_by(LiveMessage.user_id),
    select(Question.user_id, func.count())
    .where(
        Question.user_id.in_(bindparam("uids", expanding=True)),
        Question.created_at > bindparam("since"),
    )
    .group_by(Question.user_id),
)
_INSERT = insert(LiveMessage.__table__).returning(
    LiveMessage.__table__.c.id, sort_by_parameter_order=True
)


@dataclass(eq=False)
class Pending:
    """One sender's message on its way: what was sent, then the outcome."""

    user_id: int
    role: str
    author: str
    session_id: object
    client_id: object
    body: object
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    result: dict | None = None
    created: bool = False
    error: DomainError | None = None
    values: dict | None = None

    def outcome(self) -> tuple[dict, bool]:
        if self.error is not None:
            raise self.error
        return self.result, self.created


class _Queue:
    def __init__(self):
        self.lock = threading.Lock()
        self.items: list[Pending] = []
        self.busy = False


def send(user, session_id, client_id, body) -> tuple[dict, bool]:
    """Queue a message for the user's 直播 room and wait until it is committed and
    broadcast (or refused). Returns (message dict, created)."""
    app = current_app._get_current_object()
    item = Pending(
        user_id=user.id,
        role=str(user.role),
        author=display_name(user, public=True),
        session_id=session_id,
        client_id=client_id,
        body=body,
    )
    _end_transaction()
    queue = app.extensions.setdefault(_KEY, _Queue())
    with queue.lock:
        queue.items.append(item)
        lead = not queue.busy
        queue.busy = True
    if not lead:
        item.done.wait()
        if not item.lead:
            return item.outcome()
    _lead(app, queue, item)
    return item.outcome()


def _end_transaction() -> None:
    """Never wait for a batch (nor lead one) while holding a database connection: on SQLite
    the batch's write could not upgrade a read transaction, on PostgreSQL the senders would
    hold the pool. A session begun without a connection (a merged user) holds nothing."""
    if not db.session.registry.has():
        return  # no session yet in this event (a cached identity read nothing)
    tx = db.session().get_transaction()
    if tx is not None and getattr(tx, "_connections", True):
        db.session.commit()


def _lead(app, queue: _Queue, me: Pending) -> None:
    window = float(app.config.get("LIVE_CHAT_BATCH_MS", 0)) / 1000
    batch = [me]
    try:
        if window > 0:
            socketio.sleep(window)  # let the messages arriving meanwhile join this batch
        with queue.lock:
            batch, queue.items = queue.items[:MAX_BATCH], queue.items[MAX_BATCH:]
        write_batch(batch)
    finally:
        for item in batch:
            if item.result is None and item.error is None:  # never left without an answer
                item.error = DomainError(NOT_SAVED, code="server_error", status=500)
        with queue.lock:
            if me in queue.items:  # interrupted before taking its batch: answered above
                queue.items.remove(me)
            if queue.items:
                nxt = queue.items[0]
                nxt.lead = True
                nxt.done.set()
            else:
                queue.busy = False
        for item in batch:
            if item is not me:
                item.done.set()


def write_batch(batch: list[Pending]) -> None:
    """Check, number, insert and commit a batch, then broadcast what was stored."""
    try:
        with writing():
            _store(batch)
            commit_batch()
    except IntegrityError:
        # Another process stored one of these client ids a moment ago: one at a time.
        db.session.rollback()
        if len(batch) > 1:
            for item in batch:
                _reset(item)
                write_batch([item])
            return
        _resend_of_stored(batch[0])
        return
    except Exception as exc:
        _refuse_all(batch, exc)
        return
    for item in batch:
        if item.created:
            broadcasts.session_message(item.values["room_id"], item.result)


def commit_batch() -> None:
    db.session.commit()


def _reset(item: Pending) -> None:
    item.result, item.created, item.error, item.values = None, False, None, None


def _refuse_all(batch: list[Pending], exc: Exception) -> None:
    """Nothing of the batch was saved: every sender is told so, in Chinese."""
    try:
        db.session.rollback()
    except Exception:
        db.session.remove()
    if isinstance(exc, DB_ERRORS):
        log.warning("chat batch of %d not saved: database unavailable", len(batch))
        refusal = DomainError(DB_UNAVAILABLE, code="unavailable", status=503)
    else:
        log.exception("chat batch of %d not saved", len(batch))
        refusal = DomainError(NOT_SAVED, code="server_error", status=500)
    for item in batch:
        if item.created or item.error is None:
            _reset(item)
            item.error = DomainError(refusal.message, code=refusal.code, status=refusal.status)


def _resend_of_stored(item: Pending) -> None:
    try:
        client_id = access.clean_client_id(item.client_id)
        existing = db.session.scalar(
            select(LiveMessage).where(
                LiveMessage.user_id == item.user_id, LiveMessage.client_id == client_id
            )
        )
        db.session.rollback()
    except Exception as exc:
        _refuse_all([item], exc)
        return
    _reset(item)
    if existing is None:
        log.error("chat message refused by a constraint other than its client id")
        item.error = DomainError(NOT_SAVED, code="server_error", status=500)
    else:
        item.result = message_dict(existing)


def _store(batch: list[Pending]) -> None:
    """Every check of every message, in the order a single send makes them; the accepted
    ones are numbered and inserted (not committed)."""
    now = utcnow()
    for item in batch:
        item.values = {"room_id": parse_id(item.session_id)}
        if item.values["room_id"] is None:
            item.error = NotFound("直播不存在。")
    ids = sorted({i.values["room_id"] for i in batch if i.error is None})
    rooms = {r[0]: r for r in _core(_SESSIONS, {"ids": ids})} if ids else {}
    live = [i for i in batch if i.error is None]
    for item in live:
        row = rooms.get(item.values["room_id"])
        if row is None:
            item.error = NotFound("直播不存在。")
            continue
        _id, status, fair_id, fair_status = row
        item.error = access.session_refusal(item.role, status, fair_id, fair_status)
        item.values["fair_id"] = fair_id
    live = [i for i in live if i.error is None]
    uids = sorted({i.user_id for i in live})
    restrictions: dict[int, list] = {}
    if uids:
        for r in _core(_RESTRICTIONS, {"uids": uids, "now": now}):
            restrictions.setdefault(r.user_id, []).append(r)
    for item in live:
        try:
            access.refuse_restricted(_latest(restrictions.get(item.user_id, ()), item))
            item.values["client_id"] = access.clean_client_id(item.client_id)
        except DomainError as err:
            item.error = err
    live = [i for i in live if i.error is None]
    if not live:
        return
    _check_resends_bodies_and_rate(live, now)
    # New messages, and repeats within this batch (their result is the first's Pending).
    _insert([i for i in live if i.error is None and not isinstance(i.result, dict)], now)


def _core(statement, params):
    """A plain read in the batch's transaction, without the ORM's per-statement steps."""
    return db.session.connection().execute(statement, params)


def _latest(rows, item: Pending):
    fair_id = item.values["fair_id"]
    fitting = [
        r for r in rows if r.fair_id is None or (fair_id is not None and r.fair_id == fair_id)
    ]
    return max(fitting, key=lambda r: r.until, default=None)


def _check_resends_bodies_and_rate(live: list[Pending], now) -> None:
    uids = sorted({i.user_id for i in live})
    cids = sorted({i.values["client_id"] for i in live})
    stored = {(m.user_id, m.client_id): m for m in _core(_EXISTING, {"uids": uids, "cids": cids})}
    n, window, since = access.rate_window()
    sent: dict[int, int] = {}
    for user_id, count in _core(_SENT, {"uids": uids, "since": since}):
        sent[user_id] = sent.get(user_id, 0) + count
    accepted: dict[tuple, Pending] = {}
    for item in live:
        key = (item.user_id, item.values["client_id"])
        existing = stored.get(key)
        if existing is not None:
            if existing.room_kind != RoomKind.SESSION or existing.room_id != item.values["room_id"]:
                item.error = Conflict(
                    "消息编号重复，请刷新页面后重试。", code="duplicate_client_id"
                )
            else:  # a resend of a stored message: answered with it, not stored again
                item.result = message_dict(db.session.get(LiveMessage, existing.id))
            continue
        first = accepted.get(key)
        if first is not None:  # the same message twice in one batch: stored once
            if first.values["room_id"] != item.values["room_id"]:
                item.error = Conflict(
                    "消息编号重复，请刷新页面后重试。", code="duplicate_client_id"
                )
            else:
                item.values = first.values
                item.result = first  # resolved once the first is inserted
            continue
        try:
            item.values["body"] = access.clean_body(item.body)
            if sent.get(item.user_id, 0) >= n:
                raise access.rate_limited(n, window)
        except DomainError as err:
            item.error = err
            continue
        sent[item.user_id] = sent.get(item.user_id, 0) + 1
        accepted[key] = item


def _insert(items: list[Pending], now) -> None:
    new = [i for i in items if not isinstance(i.result, Pending)]
    rows = []
    seqs: dict[int, int] = {}
    for item in new:
        room_id = item.values["room_id"]
        if room_id not in seqs:
            seqs[room_id] = next_message_seq(db.session, RoomKind.SESSION, room_id) - 1
        seqs[room_id] += 1
        rows.append(
            {
                "room_kind": str(RoomKind.SESSION),
                "room_id": room_id,
                "seq": seqs[room_id],
                "user_id": item.user_id,
                "client_id": item.values["client_id"],
                "body": item.values["body"],
                "created_at": now,
            }
        )
    if not rows:
        return
    ids = db.session.execute(_INSERT, rows).scalars().all()
    for item, row, ident in zip(new, rows, ids, strict=True):
        row["id"] = ident
        item.result = posted_message_dict(row, item.author, item.role)
        item.created = True
    for item in items:
        if isinstance(item.result, Pending):
            item.result = item.result.result
