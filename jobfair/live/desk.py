"""The rep's booth desk: the waiting list, calling the next seeker, the 1:1 chat's outcome."""

from datetime import timedelta

from flask import current_app

from jobfair.applications.services import advance_to_interview, apply
from jobfair.display.services import call_grace_minutes
from jobfair.errors import Conflict, DomainError, Forbidden
from jobfair.extensions import db
from jobfair.fairs.booths import booth_reps
from jobfair.formatting import NOT_GIVEN, address, iso
from jobfair.ids import parse_id, require_id
from jobfair.live import broadcasts
from jobfair.live.access import chat_for, rep_booth
from jobfair.live.queries import busy_seekers
from jobfair.live.queues import lock_user
from jobfair.live.serializers import chat_dict
from jobfair.models.application import Application
from jobfair.models.common import SEEKER_EDUCATION_LABELS, utcnow
from jobfair.models.fair import BoothPosition, FairStatus
from jobfair.models.live import InterviewChat, NextStep, QueueEntry, QueueStatus
from jobfair.models.position import Position
from jobfair.models.seeker import SeekerProfile
from jobfair.models.user import User
from jobfair.recommendations.index import get_engine
from jobfair.recommendations.services import percent, position_doc, seeker_doc
from jobfair.validation import body


def match_scores(seeker_ids: list[int], position_ids: list[int]) -> dict[int, int | None]:
    """Best match percent of each seeker against the booth's positions, when the matching
    engine is available; None (shown as "—") otherwise."""
    out: dict[int, int | None] = dict.fromkeys(seeker_ids)
    if not seeker_ids or not position_ids:
        return out
    try:
        engine = get_engine()
        positions = db.session.scalars(
            db.select(Position).filter(Position.id.in_(position_ids))
        ).all()
        pdocs = [d for d in (position_doc(p) for p in positions) if d is not None]
        profiles = db.session.scalars(
            db.select(SeekerProfile).filter(SeekerProfile.user_id.in_(seeker_ids))
        ).all()
        for prof in profiles:
            sdoc = seeker_doc(prof, with_groups=False)
            if sdoc is None:
                continue
            best = max((float(engine.score(sdoc, pd).score) for pd in pdocs), default=None)
            if best is not None:
                out[prof.user_id] = percent(best)
    except Exception:  # matching is an aid for the rep; the queue works without it
        current_app.logger.warning("match score for the booth desk failed", exc_info=True)
    return out


def profile_summary(user_id: int) -> dict:
    prof = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=user_id))
    user = prof.user if prof is not None else db.session.get(User, user_id)
    form = user.address_form if user is not None else ""
    if prof is None:
        name = user.name if user is not None else ""
        return {
            "name": name,
            "address": address(name, form),
            "education": NOT_GIVEN,
            "major": "",
            "skills": "",
            "experience": "",
        }
    return {
        "name": prof.name,
        # How the rep greets the seeker: the form the seeker chose, never a guess.
        "address": address(prof.name, form),
        "education": SEEKER_EDUCATION_LABELS.get(prof.education, NOT_GIVEN),
        "major": prof.major or "",
        "skills": (prof.skills or "")[:120],
        "experience": (prof.experience or "")[:160],
    }


def desk(user: User, booth_id) -> dict:
    """The rep's view of a booth: the waiting seekers with profile summary and match score."""
    booth = rep_booth(user, booth_id)
    entries = list(
        db.session.scalars(
            db.select(QueueEntry)
            .filter_by(booth_id=booth.id, status=QueueStatus.WAITING)
            .order_by(QueueEntry.id)
            .limit(200)
        ).unique()
    )
    ids = [e.seeker_user_id for e in entries]
    busy = busy_seekers(ids)
    scores = match_scores(ids, booth.position_ids)
    chats = list(
        db.session.scalars(
            db.select(InterviewChat)
            .filter(InterviewChat.booth_id == booth.id, InterviewChat.ended_at.is_(None))
            .order_by(InterviewChat.id)
        ).unique()
    )
    return {
        "booth_id": booth.id,
        "fair_id": booth.fair_id,
        "employer": booth.employer.name,
        "chat_minutes": booth.chat_minutes,
        "max_chats": booth.max_chats,
        "my_chats": [chat_dict(c) for c in chats if c.rep_user_id == user.id],
        "queue": [
            {
                "entry_id": e.id,
                "place": i + 1,
                "seeker_id": e.seeker_user_id,
                "joined_at": iso(e.joined_at),
                "busy": e.seeker_user_id in busy,
                "score": scores.get(e.seeker_user_id),
                "profile": profile_summary(e.seeker_user_id),
            }
            for i, e in enumerate(entries)
        ],
        "open_chats": [chat_dict(c) for c in chats],
    }


def rep_open_chats(rep_user_id: int) -> list[InterviewChat]:
    """The chats a rep holds right now, oldest first (the rep's view of all of them)."""
    return list(
        db.session.scalars(
            db.select(InterviewChat)
            .filter(InterviewChat.rep_user_id == rep_user_id, InterviewChat.ended_at.is_(None))
            .order_by(InterviewChat.id)
        ).unique()
    )


def open_chat_count(rep_user_id: int) -> int:
    """How many 1:1 chats the rep holds right now (the booth's max_chats caps it)."""
    return db.session.scalar(
        db.select(db.func.count(InterviewChat.id)).filter(
            InterviewChat.rep_user_id == rep_user_id, InterviewChat.ended_at.is_(None)
        )
    )


def call_next(user: User, booth_id, entry_id=None) -> InterviewChat:
    """Call the first waiting seeker who is not busy elsewhere (or a chosen one) into a chat.

    A seeker already in a chat at another booth is passed over and keeps their place.
    """
    booth = rep_booth(user, booth_id)
    if booth.fair.phase(utcnow()) != "ongoing" or booth.fair.status != FairStatus.PUBLISHED:
        raise Conflict("招聘会不在进行中，暂不能叫号。", code="fair_not_ongoing")
    lock_user(user.id)  # two call clicks of one rep take turns (PostgreSQL)
    if open_chat_count(user.id) >= booth.max_chats:
        raise Conflict(
            f"你已有 {booth.max_chats} 场面谈在进行（本展位每人最多同时 {booth.max_chats} 场），"
            "请先结束一场再叫号。",
            code="rep_busy",
        )
    q = (
        db.select(QueueEntry)
        .filter_by(booth_id=booth.id, status=QueueStatus.WAITING)
        .order_by(QueueEntry.id)
    )
    if entry_id:
        q = q.filter(QueueEntry.id == require_id(entry_id, "排队记录不存在。"))
    candidates = list(db.session.scalars(q.limit(200)).unique())
    busy = busy_seekers([e.seeker_user_id for e in candidates])
    now = utcnow()
    for entry in candidates:
        if entry.seeker_user_id in busy:
            continue
        lock_user(entry.seeker_user_id)
        if busy_seekers([entry.seeker_user_id]):
            continue
        updated = db.session.execute(
            db.update(QueueEntry)
            .where(QueueEntry.id == entry.id, QueueEntry.status == QueueStatus.WAITING)
            .values(status=QueueStatus.CALLED, called_at=now, rep_user_id=user.id)
            .execution_options(synchronize_session=False)
        )
        if updated.rowcount != 1:
            continue
        # 适老化: a seeker in 长辈版 gets extra minutes to arrive before the clock runs.
        grace = call_grace_minutes(_elder(entry.seeker_user_id))
        chat = InterviewChat(
            booth_id=booth.id,
            queue_entry_id=entry.id,
            seeker_user_id=entry.seeker_user_id,
            rep_user_id=user.id,
            started_at=now,
            ends_at=now + timedelta(minutes=booth.chat_minutes + grace),
        )
        db.session.add(chat)
        db.session.commit()
        db.session.expire(entry)
        broadcasts.seeker_called(chat, chat_dict(chat))
        broadcasts.queue_changed(booth)
        return chat
    db.session.rollback()
    if entry_id and candidates:
        raise Conflict("该求职者正在其他展位面谈，请稍后再叫。", code="seeker_busy")
    if candidates:
        raise Conflict("排队的求职者都在其他展位面谈中，请稍后再叫号。", code="all_busy")
    raise Conflict("队列中暂无等待的求职者。", code="queue_empty")


def _elder(seeker_user_id: int) -> bool:
    seeker = db.session.get(User, seeker_user_id)
    return bool(seeker is not None and seeker.elder_mode)


def _check_waited(chat: InterviewChat) -> None:
    """A seeker in 长辈版 who has not arrived yet cannot be marked absent within the extra
    minutes they were given (they may be slower to find the chat)."""
    entry = db.session.get(QueueEntry, chat.queue_entry_id) if chat.queue_entry_id else None
    if entry is None or entry.status != QueueStatus.CALLED or not _elder(chat.seeker_user_id):
        return
    grace = call_grace_minutes(True)
    waited = utcnow() - (entry.called_at or chat.started_at)
    if waited < timedelta(minutes=grace):
        raise Conflict(
            f"这位求职者使用长辈版，叫号后请至少等待 {grace} 分钟再登记未到场。",
            code="call_grace",
        )


def open_chat(user: User, chat_id) -> InterviewChat:
    """A participant opens the chat; the seeker's arrival turns 已叫号 into 面谈中."""
    chat = chat_for(user, chat_id)
    if user.id == chat.seeker_user_id and chat.ended_at is None and chat.queue_entry_id:
        updated = db.session.execute(
            db.update(QueueEntry)
            .where(QueueEntry.id == chat.queue_entry_id, QueueEntry.status == QueueStatus.CALLED)
            .values(status=QueueStatus.IN_CHAT)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if updated.rowcount == 1:
            broadcasts.desk_changed(chat.booth_id)
    return chat


def _invite(rep: User, chat: InterviewChat, position_id) -> Application:
    """Invite to interview: the seeker's application for the chosen booth position moves to
    邀请面试; it is created first if the seeker has none there."""
    pid = require_id(position_id, "请选择邀请面试的岗位。")
    link = db.session.get(BoothPosition, (chat.booth_id, pid))
    if link is None:
        raise DomainError("请选择本展位的岗位。", fields={"position_id": "请选择本展位的岗位"})
    application = db.session.scalar(
        db.select(Application).filter_by(seeker_id=chat.seeker_user_id, position_id=pid)
    )
    if application is None or application.status == "withdrawn":
        seeker = db.session.get(User, chat.seeker_user_id)
        application, _ = apply(
            seeker, pid, {}, opened_by=rep, opened_note="招聘人员在直播面谈后邀请面试"
        )
    return advance_to_interview(application, rep, "直播面谈后邀请面试")


def end_chat(user: User, chat_id, data: dict) -> InterviewChat:
    """The rep ends the chat with notes, a 1–4 rating and the next step.

    next_step: none | interview (position_id) | handover (handed_to_user_id); no_show marks
    a called seeker who never came as 未到场.
    """
    chat = chat_for(user, chat_id)
    if user.id != chat.rep_user_id:
        raise Forbidden("只有负责该面谈的招聘人员可以结束面谈。")
    if chat.ended_at is not None:
        raise Conflict("面谈已结束。", code="chat_ended")
    body(data)
    notes = data.get("notes") or ""
    if not isinstance(notes, str) or len(notes) > 2000:
        raise DomainError("面谈记录不能超过 2000 个字。", fields={"notes": "不超过 2000 个字"})
    rating = data.get("rating")
    if rating in ("", None):
        rating = None
    else:
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 4:
            raise DomainError("评分应为 1–4 分。", fields={"rating": "评分应为 1–4 分"})
    step = data.get("next_step") or NextStep.NONE
    if step not in set(NextStep):
        raise DomainError("下一步无效。", fields={"next_step": "请选择下一步"})
    no_show = str(data.get("no_show") or "").lower() in ("1", "true", "on", "yes")
    if no_show:
        _check_waited(chat)
    booth = chat.booth
    handed_to = None
    if step == NextStep.HANDOVER:
        handed_to = parse_id(data.get("handed_to_user_id")) or 0
        reps = {r.id for r in booth_reps(booth)}
        if handed_to not in reps or handed_to == user.id:
            raise DomainError(
                "请选择本单位的另一位招聘人员。", fields={"handed_to_user_id": "请选择同事"}
            )
        if open_chat_count(handed_to) >= booth.max_chats:
            raise Conflict("这位同事的面谈已满，请稍后再转交。", code="rep_busy")
    application_id = None
    position_id = None
    if step == NextStep.INTERVIEW:
        application = _invite(user, chat, data.get("position_id"))
        application_id, position_id = application.id, application.position_id
        chat = chat_for(user, chat_id)
    now = utcnow()
    chat.ended_at = now
    chat.notes = notes.strip()
    chat.rating = rating
    chat.next_step = step
    chat.position_id = position_id
    chat.application_id = application_id
    chat.handed_to_user_id = handed_to
    entry = db.session.get(QueueEntry, chat.queue_entry_id) if chat.queue_entry_id else None
    new_chat = None
    if step == NextStep.HANDOVER:
        new_chat = InterviewChat(
            booth_id=booth.id,
            queue_entry_id=chat.queue_entry_id,
            seeker_user_id=chat.seeker_user_id,
            rep_user_id=handed_to,
            started_at=now,
            ends_at=now + timedelta(minutes=booth.chat_minutes),
        )
        db.session.add(new_chat)
        if entry is not None:
            entry.rep_user_id = handed_to
    elif entry is not None and entry.status in (QueueStatus.CALLED, QueueStatus.IN_CHAT):
        entry.status = QueueStatus.SKIPPED if no_show else QueueStatus.DONE
        entry.finished_at = now
    db.session.commit()
    data_out = chat_dict(chat)
    if application_id:
        data_out["application_id"] = application_id
    if new_chat is not None:
        data_out["handed_to_chat_id"] = new_chat.id
    broadcasts.chat_ended(chat, data_out)
    if new_chat is not None:
        broadcasts.seeker_called(new_chat, chat_dict(new_chat), handover=True)
    broadcasts.queue_changed(booth)
    return chat
