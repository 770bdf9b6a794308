"""直播带岗 sessions: going live and ending, views, and the Q&A (ask, vote, answer)."""

from sqlalchemy.exc import IntegrityError

from jobfair.errors import Conflict, DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.ids import require_id
from jobfair.live import broadcasts
from jobfair.live.access import (
    can_host,
    check_can_write,
    check_not_banned,
    check_rate,
    clean_body,
    clean_client_id,
    visible_session,
)
from jobfair.live.serializers import question_dict
from jobfair.models.common import utcnow
from jobfair.models.fair import LiveSession, LiveSessionStatus
from jobfair.models.live import Question, QuestionVote, SessionView
from jobfair.models.user import Role, User
from jobfair.transactions import conflict_as


def record_session_view(user: User, ls: LiveSession, *, visit: bool = False) -> None:
    """Count the viewer once (观看人数); with visit, count this opening of the room too
    (观看人次: the page counts its openings, not its socket's reconnects)."""
    if db.session.get(SessionView, (ls.id, user.id)) is not None:
        if visit:
            db.session.execute(
                db.update(SessionView)
                .where(SessionView.session_id == ls.id, SessionView.user_id == user.id)
                .values(visits=SessionView.visits + 1)
                .execution_options(synchronize_session=False)
            )
            db.session.commit()
        return
    db.session.add(SessionView(session_id=ls.id, user_id=user.id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if visit:
            record_session_view(user, ls, visit=True)


def set_session_status(user: User, session_id, status: str) -> LiveSession:
    ls = db.session.get(LiveSession, require_id(session_id, "直播不存在。"))
    if ls is None:
        raise NotFound("直播不存在。")
    if not can_host(user, ls):
        raise Forbidden("只有主办方或主持人可以开始、结束直播。")
    allowed = {
        LiveSessionStatus.LIVE: {LiveSessionStatus.SCHEDULED},
        LiveSessionStatus.ENDED: {LiveSessionStatus.LIVE, LiveSessionStatus.SCHEDULED},
    }
    if not isinstance(status, str) or status not in allowed:
        raise DomainError("直播状态无效。", code="bad_request", status=400)
    if ls.status not in allowed[status]:
        raise Conflict("直播状态刚刚发生了变化，请刷新页面。", code="stale_status")
    result = db.session.execute(
        db.update(LiveSession)
        .where(LiveSession.id == ls.id, LiveSession.status == ls.status)
        .values(status=status)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict("直播状态刚刚发生了变化，请刷新页面。", code="stale_status")
    db.session.commit()
    db.session.refresh(ls)
    broadcasts.session_status(ls)
    return ls


def ask_question(user: User, session_id, client_id, body) -> dict:
    ls = visible_session(user, session_id)
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者可以提问。")
    if ls.status == LiveSessionStatus.ENDED:
        raise Conflict("直播已结束，不能再提问。", code="session_ended")
    check_can_write(user, ls.fair_id)
    client_id = clean_client_id(client_id)
    existing = db.session.scalar(
        db.select(Question).filter_by(user_id=user.id, client_id=client_id)
    )
    if existing is not None:
        return question_dict(existing)
    body = clean_body(body, "问题")
    check_rate(user)
    q = Question(session_id=ls.id, user_id=user.id, client_id=client_id, body=body)
    db.session.add(q)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = db.session.scalar(
            db.select(Question).filter_by(user_id=user.id, client_id=client_id)
        )
        if existing is None:
            raise
        return question_dict(existing)
    data = question_dict(q)
    broadcasts.question(ls.id, data)
    return data


def _question(user: User, question_id) -> tuple[Question, LiveSession]:
    q = db.session.get(Question, require_id(question_id, "问题不存在。"))
    if q is None or q.deleted_at is not None:
        raise NotFound("问题不存在。")
    return q, visible_session(user, q.session_id)


def vote_question(user: User, question_id) -> dict:
    q, ls = _question(user, question_id)
    if q.user_id == user.id:
        raise DomainError("不能给自己的问题点赞。", code="own_question")
    check_not_banned(user, ls.fair_id)
    if db.session.get(QuestionVote, (q.id, user.id)) is not None:
        raise Conflict("你已经赞过这个问题。", code="already_voted")
    db.session.add(QuestionVote(question_id=q.id, user_id=user.id))
    # Two tabs voting at once: the primary key keeps one vote, the other is told it counted.
    with conflict_as("你已经赞过这个问题。", "already_voted"):
        db.session.flush()
    db.session.execute(
        db.update(Question)
        .where(Question.id == q.id)
        .values(votes=Question.votes + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(q)
    data = question_dict(q)
    broadcasts.question(ls.id, data)
    data["voted"] = True
    return data


def answer_question(user: User, question_id) -> dict:
    q, ls = _question(user, question_id)
    if not can_host(user, ls):
        raise Forbidden("只有主持人可以标记已回答。")
    if q.answered_at is None:
        q.answered_at = utcnow()
        q.answered_by = user.id
        db.session.commit()
    data = question_dict(q)
    broadcasts.question(ls.id, data)
    return data
