"""A seeker at the fair: visiting the lobby, joining and leaving booth queues."""

from sqlalchemy.exc import IntegrityError

from jobfair.errors import Conflict, DomainError, Forbidden
from jobfair.extensions import db
from jobfair.fairs import attendance
from jobfair.live import broadcasts
from jobfair.live.access import approved_booth, check_not_banned, own_entry
from jobfair.live.queries import active_entries, open_chat_of_entry
from jobfair.live.serializers import chat_dict
from jobfair.models.common import utcnow
from jobfair.models.fair import Fair, FairRegistration, FairStatus
from jobfair.models.live import FairVisit, NextStep, QueueEntry, QueueStatus
from jobfair.models.user import Role, User

MAX_QUEUES = 3


def record_visit(user: User, fair: Fair) -> None:
    if not user.is_authenticated or db.session.get(FairVisit, (fair.id, user.id)) is not None:
        return
    db.session.add(FairVisit(fair_id=fair.id, user_id=user.id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def lock_user(user_id: int) -> None:
    """Serialise a seeker's queue changes (PostgreSQL row lock; SQLite writes are serial)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(db.select(User.id).filter_by(id=user_id).with_for_update())


def join_queue(user: User, booth_id) -> tuple[QueueEntry, bool]:
    """(entry, created). Joining the same queue again returns the place already held."""
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者可以排队。")
    booth = approved_booth(booth_id)
    fair = booth.fair
    if fair.status != FairStatus.PUBLISHED or fair.phase(utcnow()) != "ongoing":
        raise Conflict("招聘会不在进行中，暂不能排队。", code="fair_not_ongoing")
    registered = db.session.scalar(
        db.select(FairRegistration.id).filter_by(fair_id=fair.id, seeker_user_id=user.id)
    )
    if registered is None:
        raise DomainError("请先报名参加本场招聘会，再排队。", code="not_registered")
    check_not_banned(user, fair.id)
    lock_user(user.id)
    entries = active_entries(user.id)
    for e in entries:
        if e.booth_id == booth.id:
            return e, False
    if len(entries) >= MAX_QUEUES:
        raise Conflict(
            f"最多同时排 {MAX_QUEUES} 个展位的队，请先离开其他队列。", code="too_many_queues"
        )
    entry = QueueEntry(booth_id=booth.id, seeker_user_id=user.id)
    db.session.add(entry)
    attendance.mark_online(user, fair)  # queueing at a booth is an explicit join (到场)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        for e in active_entries(user.id):
            if e.booth_id == booth.id:
                return e, False
        raise
    broadcasts.queue_changed(booth)
    return entry, True


def leave_queue(user: User, entry_id) -> QueueEntry:
    entry = own_entry(user, entry_id)
    if entry.status == QueueStatus.IN_CHAT:
        raise Conflict("你正在面谈中，请在面谈结束后再离开。", code="in_chat")
    if entry.status not in (QueueStatus.WAITING, QueueStatus.CALLED):
        raise Conflict("你已不在这个队列中。", code="not_waiting")
    was_called = entry.status == QueueStatus.CALLED
    now = utcnow()
    entry.status = QueueStatus.LEFT
    entry.finished_at = now
    chat = None
    if was_called:
        chat = open_chat_of_entry(entry.id)
        if chat is not None:
            chat.ended_at = now
            chat.next_step = NextStep.NONE
    db.session.commit()
    broadcasts.queue_changed(entry.booth)
    if chat is not None:
        broadcasts.chat_ended(chat, chat_dict(chat))
    return entry
