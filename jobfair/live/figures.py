"""直播带岗 figures: 观看人次, peak concurrent viewers, questions, 达成意向 and applications
from the room, per session and per fair (the organiser's console and the fair report).

Peaks are written by the coalesced counter updates (jobfair/live/broadcasts.py) when the
online count passes the stored one, so a join storm costs one write per second, not one per
joiner. 达成意向 is marked by a rep of the position's employer on an application made from a
pinned card in a room or the lobby, and audit-logged.
"""

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError

from jobfair import audit
from jobfair.employers.acting import employer_of
from jobfair.errors import Conflict, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.formatting import iso
from jobfair.ids import require_id
from jobfair.masking import mask_name
from jobfair.models.application import Application
from jobfair.models.common import utcnow
from jobfair.models.fair import Fair, LiveSession
from jobfair.models.live import LiveApplication, Question, SessionView
from jobfair.models.live_figures import LiveIntent, LivePeak, PeakKind
from jobfair.models.position import Position
from jobfair.models.user import User

audit.ACTION_LABELS.setdefault("live.intent_mark", "标记达成意向")
audit.ACTION_LABELS.setdefault("live.intent_unmark", "取消达成意向")
audit.OBJECT_LABELS.setdefault("application", "投递")


# --- peaks -----------------------------------------------------------------------------------


def record_peak(kind: str, ref_id: int, online: int) -> bool:
    """Raise the stored peak to online if it is higher; True when it was raised. Commits.

    A conditional UPDATE, so two processes racing keep the higher number."""
    if online <= 0:
        return False
    now = utcnow()
    raised = db.session.execute(
        update(LivePeak)
        .where(LivePeak.kind == kind, LivePeak.ref_id == ref_id, LivePeak.peak < online)
        .values(peak=online, peak_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if raised:
        db.session.commit()
        return True
    if db.session.get(LivePeak, (kind, ref_id)) is not None:
        db.session.rollback()
        return False
    db.session.add(LivePeak(kind=kind, ref_id=ref_id, peak=online, peak_at=now))
    try:
        db.session.commit()
    except IntegrityError:  # another process wrote the first peak: keep the higher
        db.session.rollback()
        return record_peak(kind, ref_id, online)
    return True


def _peaks(kind: str, ids: list[int]) -> dict[int, tuple[int, object]]:
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(LivePeak.ref_id, LivePeak.peak, LivePeak.peak_at).filter(
            LivePeak.kind == kind, LivePeak.ref_id.in_(ids)
        )
    )
    return {r: (p, at) for r, p, at in rows}


# --- 达成意向 ----------------------------------------------------------------------------------


def _room_application(user: User, application_id) -> tuple[Application, LiveApplication]:
    """An application made in a room, to a position of the user's own employer."""
    app_id = require_id(application_id, "投递不存在。")
    employer = employer_of(user)
    if employer is None:
        raise Forbidden("只有用人单位的招聘人员可以标记达成意向。")
    row = db.session.execute(
        db.select(Application, LiveApplication, Position.employer_id)
        .join(LiveApplication, LiveApplication.application_id == Application.id)
        .join(Position, Position.id == Application.position_id)
        .filter(Application.id == app_id)
    ).first()
    if row is None or row[2] != employer.id:
        raise NotFound("投递不存在。")
    return row[0], row[1]


def mark_intent(user: User, application_id) -> dict:
    """达成意向 on an application from a room; marking twice keeps one mark."""
    application, live = _room_application(user, application_id)
    if application.status == "withdrawn":
        raise Conflict("求职者已撤回这份投递，不能标记达成意向。", code="withdrawn")
    existing = db.session.scalar(db.select(LiveIntent).filter_by(application_id=application.id))
    if existing is not None:
        return intent_dict(existing)
    intent = LiveIntent(
        application_id=application.id,
        session_id=live.session_id,
        fair_id=live.fair_id,
        marked_by=user.id,
    )
    db.session.add(intent)
    audit.record(
        user.id,
        "live.intent_mark",
        "application",
        application.id,
        session_id=live.session_id,
        fair_id=live.fair_id,
        position_id=application.position_id,
    )
    try:
        db.session.commit()
    except IntegrityError:  # marked at the same moment by a colleague
        db.session.rollback()
        existing = db.session.scalar(db.select(LiveIntent).filter_by(application_id=application.id))
        if existing is None:
            raise
        return intent_dict(existing)
    return intent_dict(intent)


def unmark_intent(user: User, application_id) -> None:
    application, live = _room_application(user, application_id)
    intent = db.session.scalar(db.select(LiveIntent).filter_by(application_id=application.id))
    if intent is None:
        raise NotFound("这份投递没有标记达成意向。")
    db.session.delete(intent)
    audit.record(
        user.id,
        "live.intent_unmark",
        "application",
        application.id,
        session_id=live.session_id,
        fair_id=live.fair_id,
    )
    db.session.commit()


def intent_dict(i: LiveIntent) -> dict:
    return {
        "application_id": i.application_id,
        "session_id": i.session_id,
        "fair_id": i.fair_id,
        "created_at": iso(i.created_at),
    }


def room_applications(user: User, session_id: int | None = None, fair_id: int | None = None):
    """Applications made in a room (or the fair's lobby) to the user's own employer, with
    their 达成意向 mark; seekers' names masked. Empty for anyone not at an employer."""
    employer = employer_of(user)
    if employer is None:
        return []
    q = (
        db.select(Application, LiveApplication, LiveIntent.id)
        .join(LiveApplication, LiveApplication.application_id == Application.id)
        .join(Position, Position.id == Application.position_id)
        .outerjoin(LiveIntent, LiveIntent.application_id == Application.id)
        .filter(Position.employer_id == employer.id)
    )
    if session_id is not None:
        q = q.filter(LiveApplication.session_id == session_id)
    elif fair_id is not None:
        q = q.filter(LiveApplication.fair_id == fair_id)
    rows = db.session.execute(q.order_by(LiveApplication.created_at.desc()).limit(300)).all()
    out = []
    for application, live, intent_id in rows:
        seeker = application.seeker
        out.append(
            {
                "application_id": application.id,
                "position_id": application.position_id,
                "position": application.position.title,
                "seeker": mask_name(seeker.name if seeker else "") or "求职者",
                "status": application.status,
                "session_id": live.session_id,
                "applied_at": iso(live.created_at),
                "intent": intent_id is not None,
            }
        )
    return out


# --- figures ----------------------------------------------------------------------------------

FIGURE_LABELS = [
    ("views", "观看人次"),
    ("viewers", "观看人数"),
    ("peak", "最高同时在线"),
    ("questions", "提问数"),
    ("applications", "直播间投递"),
    ("intents", "达成意向"),
]


def _grouped(stmt) -> dict:
    return {row[0]: tuple(row[1:]) for row in db.session.execute(stmt)}


def sessions_figures(session_ids: list[int]) -> dict[int, dict]:
    """Figures of several sessions in five queries."""
    if not session_ids:
        return {}
    views = _grouped(
        db.select(SessionView.session_id, func.sum(SessionView.visits), func.count())
        .filter(SessionView.session_id.in_(session_ids))
        .group_by(SessionView.session_id)
    )
    questions = _grouped(
        db.select(Question.session_id, func.count())
        .filter(Question.session_id.in_(session_ids), Question.deleted_at.is_(None))
        .group_by(Question.session_id)
    )
    apps = _grouped(
        db.select(LiveApplication.session_id, func.count())
        .filter(LiveApplication.session_id.in_(session_ids))
        .group_by(LiveApplication.session_id)
    )
    intents = _grouped(
        db.select(LiveIntent.session_id, func.count())
        .filter(LiveIntent.session_id.in_(session_ids))
        .group_by(LiveIntent.session_id)
    )
    peaks = _peaks(PeakKind.SESSION, session_ids)
    out = {}
    for sid in session_ids:
        v = views.get(sid, (0, 0))
        peak, peak_at = peaks.get(sid, (0, None))
        out[sid] = {
            "views": int(v[0] or 0),
            "viewers": int(v[1] or 0),
            "peak": peak,
            "peak_at": iso(peak_at),
            "questions": questions.get(sid, (0,))[0],
            "applications": apps.get(sid, (0,))[0],
            "intents": intents.get(sid, (0,))[0],
        }
    return out


def session_figures(ls: LiveSession) -> dict:
    return sessions_figures([ls.id])[ls.id]


def fair_figures(fair: Fair) -> dict:
    """Per session of the fair and the fair's totals. The fair's peak is of seekers online at
    the fair at once (lobby, queues and rooms); applications and 达成意向 include the lobby's
    pinned cards."""
    sessions = list(
        db.session.scalars(
            db.select(LiveSession)
            .filter(LiveSession.fair_id == fair.id)
            .order_by(LiveSession.starts_at, LiveSession.id)
        )
    )
    per = sessions_figures([s.id for s in sessions])
    rows = [
        {"session_id": s.id, "title": s.title, "status": s.status, **per[s.id]} for s in sessions
    ]
    peak, peak_at = _peaks(PeakKind.FAIR, [fair.id]).get(fair.id, (0, None))
    totals = {
        "views": sum(r["views"] for r in rows),
        # Distinct people across the fair's rooms, not the sum of each room's.
        "viewers": db.session.scalar(
            db.select(func.count(func.distinct(SessionView.user_id))).filter(
                SessionView.session_id.in_([s.id for s in sessions])
            )
        )
        or 0,
        "peak": max([peak] + [r["peak"] for r in rows]),
        "peak_at": iso(peak_at),
        "questions": sum(r["questions"] for r in rows),
        "applications": db.session.scalar(
            db.select(func.count())
            .select_from(LiveApplication)
            .filter(LiveApplication.fair_id == fair.id)
        )
        or 0,
        "intents": db.session.scalar(
            db.select(func.count()).select_from(LiveIntent).filter(LiveIntent.fair_id == fair.id)
        )
        or 0,
    }
    return {"fair_id": fair.id, "sessions": rows, "totals": totals}


def figure_rows(figures: dict) -> list[list]:
    """The table for CSV / Excel: one row per session and the fair's totals."""
    head = ["直播场次"] + [label for _, label in FIGURE_LABELS]
    rows = [head]
    for r in figures["sessions"]:
        rows.append([r["title"]] + [r[k] for k, _ in FIGURE_LABELS])
    rows.append(["全场合计"] + [figures["totals"][k] for k, _ in FIGURE_LABELS])
    return rows
