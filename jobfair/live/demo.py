"""Demo data of the live feature, loaded by `flask seed` after the fairs demo.

In the ongoing 春风行动 fair: an announcement, pinned positions in the lobby and in the live
session, a little chat and Q&A in the session, and three registered seekers waiting at the
demo employer's booth. Keyed by client ids, positions and seekers, so a second run adds nothing.
"""

from datetime import datetime, timedelta

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import (
    Announcement,
    Booth,
    BoothPosition,
    Employer,
    Fair,
    FairRegistration,
    LiveMessage,
    LiveSession,
    PinnedPosition,
    Question,
    QuestionVote,
    QueueEntry,
    User,
)

FAIR_TITLE = "2027 年春风行动线上招聘会"
SESSION_TITLE = "直播带岗：制造业普工专场"
ORGANISER = "13900000001"
DEMO_EMPLOYER = "13900000002"
DEMO_SEEKER = "13900000003"

ANNOUNCEMENTS = [
    (
        "demo-ann-1",
        "欢迎参加春风行动线上招聘会！各展位 9:00–17:00 有招聘人员在线，排队后请留意“我的排队”页面。",
    ),
    ("demo-ann-2", "今天 14:00 直播带岗：制造业普工专场，主播现场讲解薪资、住宿和班车。"),
]
# (client id, index of the speaker among the fair's registered seekers, or None for the host)
CHAT = [
    ("demo-msg-1", None, "大家好，欢迎来到直播间！有问题可以在右侧提问，我们逐一解答。"),
    ("demo-msg-2", 0, "请问普工岗位包吃住吗？"),
    ("demo-msg-3", 1, "班车从哪里发车？"),
    ("demo-msg-4", None, "包住宿，四人间有空调；班车从地铁站发车，详细线路在岗位介绍里。"),
    ("demo-msg-5", 2, "我没有经验可以报名吗？"),
]
QUESTIONS = [
    ("demo-q-1", 3, "夜班补贴每天多少？", [4, 5, 6]),
    ("demo-q-2", 4, "试用期多久，工资打几折？", [5]),
]
QUEUE_SEEKERS = (6, 7, 8)


def _user(phone: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(phone=phone))


def seed_demo(now: datetime) -> dict[str, int]:
    """Create this feature's demo records idempotently; return {中文标签: 新增条数}."""
    made = {"现场公告": 0, "置顶岗位": 0, "直播间消息": 0, "直播间提问": 0, "展位排队": 0}
    with writing():
        fair = db.session.scalar(db.select(Fair).filter_by(title=FAIR_TITLE))
        organiser, employer_user = _user(ORGANISER), _user(DEMO_EMPLOYER)
        if fair is None or organiser is None or employer_user is None:
            return {}
        employer = db.session.scalar(db.select(Employer).filter_by(user_id=employer_user.id))
        booth = db.session.scalar(
            db.select(Booth).filter_by(fair_id=fair.id, employer_id=employer.id)
        )
        session = db.session.scalar(
            db.select(LiveSession).filter_by(fair_id=fair.id, title=SESSION_TITLE)
        )
        if booth is None or session is None:
            return {}
        demo_seeker = _user(DEMO_SEEKER)
        seekers = list(
            db.session.scalars(
                db.select(User)
                .join(FairRegistration, FairRegistration.seeker_user_id == User.id)
                .filter(FairRegistration.fair_id == fair.id)
                .filter(User.id != (demo_seeker.id if demo_seeker else 0))
                .order_by(User.id)
            )
        )
        position_ids = list(
            db.session.scalars(
                db.select(BoothPosition.position_id)
                .filter_by(booth_id=booth.id)
                .order_by(BoothPosition.position_id)
            )
        )

        for i, (cid, body) in enumerate(ANNOUNCEMENTS):
            if db.session.scalar(
                db.select(Announcement.id).filter_by(author_id=organiser.id, client_id=cid)
            ):
                continue
            db.session.add(
                Announcement(
                    fair_id=fair.id,
                    author_id=organiser.id,
                    client_id=cid,
                    body=body,
                    created_at=now - timedelta(minutes=50 - i * 20),
                )
            )
            made["现场公告"] += 1

        for scope, pids in (
            ({"fair_id": fair.id}, position_ids[:2]),
            ({"session_id": session.id}, position_ids[:1]),
        ):
            for pid in pids:
                exists = db.session.scalar(
                    db.select(PinnedPosition.id).filter_by(
                        position_id=pid, unpinned_at=None, **scope
                    )
                )
                if exists is None:
                    db.session.add(PinnedPosition(position_id=pid, pinned_by=organiser.id, **scope))
                    made["置顶岗位"] += 1

        for i, (cid, who, body) in enumerate(CHAT):
            speaker = organiser if who is None else (seekers[who] if who < len(seekers) else None)
            if speaker is None or db.session.scalar(
                db.select(LiveMessage.id).filter_by(user_id=speaker.id, client_id=cid)
            ):
                continue
            db.session.add(
                LiveMessage(
                    room_kind="session",
                    room_id=session.id,
                    user_id=speaker.id,
                    client_id=cid,
                    body=body,
                    created_at=now - timedelta(minutes=25 - i * 4),
                )
            )
            made["直播间消息"] += 1

        for cid, who, body, voters in QUESTIONS:
            if who >= len(seekers):
                continue
            asker = seekers[who]
            if db.session.scalar(db.select(Question.id).filter_by(user_id=asker.id, client_id=cid)):
                continue
            q = Question(
                session_id=session.id,
                user_id=asker.id,
                client_id=cid,
                body=body,
                votes=0,
                created_at=now - timedelta(minutes=12),
            )
            db.session.add(q)
            db.session.flush()
            for v in voters:
                if v < len(seekers):
                    db.session.add(QuestionVote(question_id=q.id, user_id=seekers[v].id))
                    q.votes += 1
            made["直播间提问"] += 1

        for n, idx in enumerate(QUEUE_SEEKERS):
            if idx >= len(seekers):
                continue
            seeker = seekers[idx]
            queued_before = db.session.scalar(
                db.select(QueueEntry.id).filter(
                    QueueEntry.booth_id == booth.id, QueueEntry.seeker_user_id == seeker.id
                )
            )
            if queued_before is None:
                db.session.add(
                    QueueEntry(
                        booth_id=booth.id,
                        seeker_user_id=seeker.id,
                        joined_at=now - timedelta(minutes=15 - n * 3),
                    )
                )
                made["展位排队"] += 1
        db.session.commit()
    return {k: v for k, v in made.items() if v}
