"""Demo figures, waits and notices of the live feature (seed/live_care.json), loaded by the
live demo (jobfair/live/demo.py) in its transaction: viewers of the on-air session (观看人次), its peaks,
applications made from its pinned card with 达成意向 marks, the booth's past chats (the wait
estimate's median), a notification preference and the employer's notices. Keyed by natural
keys (session and seeker, application, kind and title), so a second run adds nothing."""

from datetime import datetime, timedelta

from jobfair.extensions import db
from jobfair.models import (
    Application,
    ApplicationEvent,
    InterviewChat,
    LiveApplication,
    LiveIntent,
    LivePeak,
    Notification,
    NotificationPreference,
    PinnedPosition,
    QueueEntry,
    SessionView,
    User,
)
from jobfair.seeding import read_seed


class _Care:
    def __init__(self, demo, spec: dict, now: datetime):
        self.demo, self.spec, self.now = demo, spec, now
        self.made = {"直播观看": 0, "直播间投递": 0, "达成意向": 0, "历史面谈": 0, "通知": 0}

    def viewers(self) -> None:
        ls = self.demo.session
        for index, visits in self.spec["viewers"]:
            seeker = self.demo.seeker(index)
            if seeker is None or db.session.get(SessionView, (ls.id, seeker.id)):
                continue
            first = max(ls.starts_at, self.now - timedelta(hours=1))
            db.session.add(
                SessionView(
                    session_id=ls.id,
                    user_id=seeker.id,
                    visits=visits,
                    first_seen=min(first, self.now),
                )
            )
            self.made["直播观看"] += 1

    def peaks(self) -> None:
        for kind, ref_id in (("session", self.demo.session.id), ("fair", self.demo.fair.id)):
            if db.session.get(LivePeak, (kind, ref_id)) is None:
                db.session.add(
                    LivePeak(
                        kind=kind,
                        ref_id=ref_id,
                        peak=self.spec["peaks"][kind],
                        peak_at=self.now - timedelta(minutes=20),
                    )
                )

    def room_applications(self) -> None:
        ls = self.demo.session
        pin = db.session.scalar(
            db.select(PinnedPosition)
            .filter_by(session_id=ls.id, unpinned_at=None)
            .order_by(PinnedPosition.id)
        )
        owner = db.session.scalar(db.select(User).filter_by(phone=self.demo.spec["booth"]))
        if pin is None or owner is None:
            return
        for n, item in enumerate(self.spec["room_applications"]):
            seeker = self.demo.seeker(item["by"])
            if seeker is None:
                continue
            app = db.session.scalar(
                db.select(Application).filter_by(position_id=pin.position_id, seeker_id=seeker.id)
            )
            if app is None:
                at = self.now - timedelta(minutes=40 - n * 5)
                app = Application(
                    position_id=pin.position_id,
                    seeker_id=seeker.id,
                    note="在直播间一键投递",
                    status="submitted",
                    created_at=at,
                    updated_at=at,
                )
                app.events.append(
                    ApplicationEvent(
                        from_status=None, to_status="submitted", actor_id=seeker.id, created_at=at
                    )
                )
                db.session.add(app)
                db.session.flush()
            if db.session.get(LiveApplication, app.id) is None:
                db.session.add(
                    LiveApplication(
                        application_id=app.id,
                        fair_id=ls.fair_id,
                        session_id=ls.id,
                        created_at=app.created_at,
                    )
                )
                self.made["直播间投递"] += 1
            marked = db.session.scalar(db.select(LiveIntent.id).filter_by(application_id=app.id))
            if item["intent"] and marked is None:
                db.session.add(
                    LiveIntent(
                        application_id=app.id,
                        session_id=ls.id,
                        fair_id=ls.fair_id,
                        marked_by=owner.id,
                        created_at=app.created_at + timedelta(minutes=3),
                    )
                )
                self.made["达成意向"] += 1

    def finished_chats(self) -> None:
        booth, owner = self.demo.booth, self.demo.booth.employer.user_id
        for n, item in enumerate(self.spec["finished_chats"]):
            seeker = self.demo.seeker(item["by"])
            if seeker is None:
                continue
            done = db.session.scalar(
                db.select(QueueEntry.id).filter_by(
                    booth_id=booth.id, seeker_user_id=seeker.id, status="done"
                )
            )
            if done is not None:
                continue
            start = self.now - timedelta(minutes=150 - n * 20)
            entry = QueueEntry(
                booth_id=booth.id,
                seeker_user_id=seeker.id,
                status="done",
                joined_at=start - timedelta(minutes=10),
                called_at=start,
                finished_at=start + timedelta(minutes=item["minutes"]),
                rep_user_id=owner,
            )
            db.session.add(entry)
            db.session.flush()
            db.session.add(
                InterviewChat(
                    booth_id=booth.id,
                    queue_entry_id=entry.id,
                    seeker_user_id=seeker.id,
                    rep_user_id=owner,
                    started_at=start,
                    ends_at=start + timedelta(minutes=booth.chat_minutes),
                    ended_at=start + timedelta(minutes=item["minutes"]),
                    next_step="none",
                )
            )
            self.made["历史面谈"] += 1

    def notices(self) -> None:
        for login, kinds in self.spec["preferences"].items():
            user = db.session.scalar(db.select(User).filter_by(phone=login))
            for kind, d in kinds.items():
                if (
                    user is not None
                    and db.session.get(NotificationPreference, (user.id, kind)) is None
                ):
                    db.session.add(NotificationPreference(user_id=user.id, kind=kind, **d))
        for n in self.spec["notices"]:
            user = db.session.scalar(db.select(User).filter_by(phone=n["login"]))
            if user is None or db.session.scalar(
                db.select(Notification.id).filter_by(
                    user_id=user.id, kind=n["kind"], title=n["title"]
                )
            ):
                continue
            at = self.now - timedelta(days=n["days_ago"])
            db.session.add(
                Notification(
                    user_id=user.id,
                    kind=n["kind"],
                    title=n["title"],
                    body=n["body"],
                    link=n["link"],
                    created_at=at,
                    read_at=at + timedelta(hours=1) if n["read"] else None,
                )
            )
            self.made["通知"] += 1


def seed_care(demo, now: datetime) -> dict[str, int]:
    """Add these records around the live demo's session (`demo`: its found records), inside
    the caller's transaction; return {中文标签: 新增条数}."""
    care = _Care(demo, read_seed("live_care"), now)
    care.viewers()
    care.peaks()
    care.room_applications()
    care.finished_chats()
    care.notices()
    return care.made
