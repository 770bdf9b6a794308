"""Demo data of the live feature (seed/live.json), loaded by `flask seed` after the fairs demo.

Around the on-air 直播带岗 session of the demo's current fair: announcements, pinned positions
in the lobby and in the session, a little chat and Q&A, and registered seekers waiting at the
demo employer's booth. Keyed by client ids, positions and seekers, so a second run adds nothing.
Message times fall inside the session if it is on air, or in the last hour before it starts.
"""

from datetime import datetime, timedelta

from jobfair.extensions import db
from jobfair.live import demo_care
from jobfair.models import (
    Announcement,
    Booth,
    BoothPosition,
    Employer,
    FairAttendance,
    FairRegistration,
    LiveMessage,
    LiveSession,
    PinnedPosition,
    Question,
    QuestionVote,
    QueueEntry,
    User,
)
from jobfair.seeding import local_clock, read_seed, write_transaction

DAY_WORDS = {0: "今天", 1: "明天", 2: "后天"}


def _user(phone: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(phone=phone))


def _when(starts: datetime, said: datetime) -> str:
    """'今天 14:00': the session's start in Beijing time, as said at `said`."""
    start, day = local_clock(starts), local_clock(said).date()
    word = DAY_WORDS.get((start.date() - day).days, f"{start.month} 月 {start.day} 日")
    return f"{word} {start:%H:%M}"


def _spread(first: datetime, last: datetime, n: int) -> list[datetime]:
    step = (last - first) / (n + 1)
    return [first + step * (i + 1) for i in range(n)]


class _Demo:
    def __init__(self, spec: dict, now: datetime):
        self.spec = spec
        self.now = now
        self.made = {"现场公告": 0, "置顶岗位": 0, "直播间消息": 0, "直播间提问": 0, "展位排队": 0}

    def find(self) -> bool:
        accounts = read_seed("accounts")
        self.organiser = _user(accounts["organisers"][0]["login"])
        employer_user = _user(self.spec["booth"])
        self.session = db.session.scalar(
            db.select(LiveSession)
            .filter_by(title=self.spec["session"])
            .order_by(LiveSession.starts_at.desc())
        )
        if self.organiser is None or employer_user is None or self.session is None:
            return False
        self.fair = self.session.fair
        employer = db.session.scalar(db.select(Employer).filter_by(user_id=employer_user.id))
        self.booth = db.session.scalar(
            db.select(Booth).filter_by(fair_id=self.fair.id, employer_id=employer.id)
        )
        if self.booth is None:
            return False
        demo_seeker = _user(accounts["demo_seeker"])
        self.seekers = list(
            db.session.scalars(
                db.select(User)
                .join(FairRegistration, FairRegistration.seeker_user_id == User.id)
                .filter(FairRegistration.fair_id == self.fair.id)
                .filter(User.id != (demo_seeker.id if demo_seeker else 0))
                .order_by(User.id)
            )
        )
        return True

    def seeker(self, index: int | None) -> User | None:
        if index is None:
            return self.organiser
        return self.seekers[index] if index < len(self.seekers) else None

    def talk_window(self) -> tuple[datetime, datetime]:
        """When the chat happened: since the start if on air, else in the last hour before it."""
        starts, hour_ago = self.session.starts_at, self.now - timedelta(minutes=60)
        first = max(starts, hour_ago) if starts <= self.now else hour_ago
        return first, max(first, self.now - timedelta(minutes=1))

    def announcements(self) -> None:
        fair, session = self.fair, self.session
        for a in self.spec["announcements"]:
            if db.session.scalar(
                db.select(Announcement.id).filter_by(author_id=self.organiser.id, client_id=a["id"])
            ):
                continue
            if "after_opening_minutes" in a:
                at = fair.starts_at + timedelta(minutes=a["after_opening_minutes"])
            else:
                at = session.starts_at - timedelta(minutes=a["before_session_minutes"])
                at = max(min(at, self.now - timedelta(minutes=45)), fair.starts_at)
            body = a["body"].format(fair=fair.title, when=_when(session.starts_at, at))
            db.session.add(
                Announcement(
                    fair_id=fair.id,
                    author_id=self.organiser.id,
                    client_id=a["id"],
                    body=body,
                    created_at=min(at, self.now),
                )
            )
            self.made["现场公告"] += 1

    def pins(self, position_ids: list[int]) -> None:
        counts = self.spec["pinned"]
        for scope, pids in (
            ({"fair_id": self.fair.id}, position_ids[: counts["lobby"]]),
            ({"session_id": self.session.id}, position_ids[: counts["session"]]),
        ):
            for pid in pids:
                exists = db.session.scalar(
                    db.select(PinnedPosition.id).filter_by(
                        position_id=pid, unpinned_at=None, **scope
                    )
                )
                if exists is None:
                    db.session.add(
                        PinnedPosition(position_id=pid, pinned_by=self.organiser.id, **scope)
                    )
                    self.made["置顶岗位"] += 1

    def chat(self) -> None:
        chat, questions = self.spec["chat"], self.spec["questions"]
        times = _spread(*self.talk_window(), len(chat) + len(questions))
        for m, at in zip(chat, times, strict=False):
            speaker = self.seeker(m["by"])
            if speaker is None or db.session.scalar(
                db.select(LiveMessage.id).filter_by(user_id=speaker.id, client_id=m["id"])
            ):
                continue
            db.session.add(
                LiveMessage(
                    room_kind="session",
                    room_id=self.session.id,
                    user_id=speaker.id,
                    client_id=m["id"],
                    body=m["body"],
                    created_at=at,
                )
            )
            self.made["直播间消息"] += 1
        for q, at in zip(questions, times[len(chat) :], strict=False):
            asker = self.seeker(q["by"])
            if asker is None or db.session.scalar(
                db.select(Question.id).filter_by(user_id=asker.id, client_id=q["id"])
            ):
                continue
            question = Question(
                session_id=self.session.id,
                user_id=asker.id,
                client_id=q["id"],
                body=q["body"],
                votes=0,
                created_at=at,
            )
            db.session.add(question)
            db.session.flush()
            for voter in filter(None, map(self.seeker, q["votes"])):
                db.session.add(QuestionVote(question_id=question.id, user_id=voter.id))
                question.votes += 1
            self.made["直播间提问"] += 1

    def queue(self) -> None:
        for n, index in enumerate(self.spec["queue"]):
            seeker = self.seeker(index)
            if seeker is None:
                continue
            queued_before = db.session.scalar(
                db.select(QueueEntry.id).filter(
                    QueueEntry.booth_id == self.booth.id, QueueEntry.seeker_user_id == seeker.id
                )
            )
            if queued_before is None:
                joined = self.now - timedelta(minutes=15 - n * 3)
                db.session.add(
                    QueueEntry(booth_id=self.booth.id, seeker_user_id=seeker.id, joined_at=joined)
                )
                self.made["展位排队"] += 1
                # Queueing at a booth is an explicit join of the fair (到场), as on the site.
                came = db.session.scalar(
                    db.select(FairAttendance.id).filter_by(
                        fair_id=self.fair.id, seeker_user_id=seeker.id
                    )
                )
                if came is None:
                    db.session.add(
                        FairAttendance(
                            fair_id=self.fair.id,
                            seeker_user_id=seeker.id,
                            online_at=joined,
                            created_at=joined,
                        )
                    )


def seed_demo(now: datetime) -> dict[str, int]:
    """Create this feature's demo records idempotently; return {中文标签: 新增条数}."""
    demo = _Demo(read_seed("live"), now)
    with write_transaction():
        if not demo.find():
            return {}
        position_ids = list(
            db.session.scalars(
                db.select(BoothPosition.position_id)
                .filter_by(booth_id=demo.booth.id)
                .order_by(BoothPosition.position_id)
            )
        )
        demo.announcements()
        demo.pins(position_ids)
        demo.chat()
        demo.queue()
        care = demo_care.seed_care(demo, now)
    return {k: v for k, v in {**demo.made, **care}.items() if v}
