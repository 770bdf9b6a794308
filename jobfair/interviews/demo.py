"""Demo interviews, invitations and survey answers (seed/interviews.json): interviews keyed by
application, invitations by (employer, seeker, target), survey answers by (fair, user)."""

from datetime import datetime, timedelta

from sqlalchemy import select

from jobfair.extensions import db
from jobfair.models import (
    Application,
    ApplicationEvent,
    Booth,
    Employer,
    Fair,
    FairRegistration,
    FairStatus,
    Position,
)
from jobfair.models.interview import FairSurvey, Invitation, ScheduledInterview
from jobfair.seeding import Tally, at_local, local_day, read_seed, users_by_login, write_transaction

INTERVIEWS = "面试安排"
INVITATIONS = "单位邀请"
SURVEYS = "满意度调查"


def _position(code: str, title: str) -> Position | None:
    return db.session.scalar(
        select(Position)
        .join(Employer, Employer.id == Position.employer_id)
        .where(Employer.credit_code == code, Position.title == title)
        .order_by(Position.id)
        .limit(1)
    )


def _interviews(spec: list, now: datetime, tally: Tally) -> None:
    users = users_by_login([r["seeker"] for r in spec] + [r["by"] for r in spec])
    for rec in spec:
        seeker, by = users.get(rec["seeker"]), users.get(rec["by"])
        position = _position(rec["employer"], rec["position"])
        if seeker is None or position is None:
            continue
        app = db.session.scalar(
            select(Application).filter_by(seeker_id=seeker.id, position_id=position.id)
        )
        if app is None or app.status != "interview":
            continue
        if db.session.scalar(select(ScheduledInterview.id).filter_by(application_id=app.id)):
            tally.keep(INTERVIEWS)
            continue
        starts = at_local(local_day(now) + timedelta(days=rec["in_days"]), rec["clock"])
        iv = ScheduledInterview(
            application_id=app.id,
            seeker_user_id=seeker.id,
            employer_id=position.employer_id,
            created_by=by.id if by else None,
            starts_at=starts,
            minutes=rec["minutes"],
            mode=rec["mode"],
            place=rec["place"],
            video_url=rec["video_url"],
            contact_name=rec["contact_name"],
            contact_phone=rec["contact_phone"],
            note=rec["note"],
            status=rec["status"],
            seeker_reply=rec["reply"],
            replied_at=now - timedelta(hours=3) if rec["status"] != "proposed" else None,
            created_at=now - timedelta(days=1),
            updated_at=now - timedelta(days=1),
        )
        db.session.add(iv)
        db.session.add(
            ApplicationEvent(
                application_id=app.id,
                from_status="interview",
                to_status="interview",
                actor_id=by.id if by else None,
                note=f"{rec['clock']} 面试，联系人 {rec['contact_name']} {rec['contact_phone']}。"
                + rec["note"],
                kind="interview_proposed",
                created_at=now - timedelta(days=1),
            )
        )
        if rec["status"] == "accepted":
            db.session.add(
                ApplicationEvent(
                    application_id=app.id,
                    from_status="interview",
                    to_status="interview",
                    actor_id=seeker.id,
                    note=rec["reply"],
                    kind="interview_accepted",
                    created_at=now - timedelta(hours=3),
                )
            )
        tally.add(INTERVIEWS)


def _invitations(spec: list, now: datetime, tally: Tally) -> None:
    users = users_by_login(r["seeker"] for r in spec)
    for rec in spec:
        seeker = users.get(rec["seeker"])
        position = _position(rec["employer"], rec["position"])
        if seeker is None or position is None:
            continue
        target = f"position:{position.id}"
        have = db.session.scalar(
            select(Invitation.id).filter_by(
                employer_id=position.employer_id, seeker_user_id=seeker.id, target=target
            )
        )
        if have is not None:
            tally.keep(INVITATIONS)
            continue
        employer = db.session.get(Employer, position.employer_id)
        db.session.add(
            Invitation(
                employer_id=position.employer_id,
                seeker_user_id=seeker.id,
                kind=rec["kind"],
                position_id=position.id,
                target=target,
                message=rec["message"],
                created_by=employer.user_id,
                created_at=now - timedelta(hours=5),
            )
        )
        tally.add(INVITATIONS)


def _surveys(spec: dict, now: datetime, tally: Tally) -> None:
    """Answers for the most recent fair that is over: its registrations, then its booths."""
    fair = db.session.scalar(
        select(Fair)
        .where(Fair.status == FairStatus.PUBLISHED, Fair.ends_at < now)
        .order_by(Fair.ends_at.desc())
        .limit(1)
    )
    if fair is None:
        return
    regs = db.session.scalars(
        select(FairRegistration).filter_by(fair_id=fair.id).order_by(FairRegistration.id)
    ).all()
    booths = db.session.scalars(
        select(Booth).filter_by(fair_id=fair.id, status="approved").order_by(Booth.id)
    ).all()
    rows = [
        (r.seeker_user_id, "seeker", None, a) for r, a in zip(regs, spec["surveys"], strict=False)
    ]
    rows += [
        (b.employer.user_id, "employer", b.employer_id, a)
        for b, a in zip(booths, spec["employer_surveys"], strict=False)
    ]
    for user_id, role, employer_id, answer in rows:
        if db.session.scalar(select(FairSurvey.id).filter_by(fair_id=fair.id, user_id=user_id)):
            tally.keep(SURVEYS)
            continue
        db.session.add(
            FairSurvey(
                fair_id=fair.id,
                user_id=user_id,
                role=role,
                employer_id=employer_id,
                rating=answer["rating"],
                useful=answer["useful"],
                would_return=answer["would_return"],
                comment=answer["comment"],
                created_at=min(now, fair.ends_at + timedelta(hours=2)),
            )
        )
        tally.add(SURVEYS)


def seed_demo(now: datetime) -> Tally:
    tally = Tally(created={INTERVIEWS: 0, INVITATIONS: 0, SURVEYS: 0})
    spec = read_seed("interviews")
    with write_transaction():
        _interviews(spec["interviews"], now, tally)
        _invitations(spec["invitations"], now, tally)
        _surveys(spec, now, tally)
    return tally
