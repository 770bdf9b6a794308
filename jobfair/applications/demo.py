"""Demo applications (seed/applications.json), keyed by seeker login + position (employer
credit code + title), each with the event history the site would have recorded."""

from datetime import datetime

from sqlalchemy import select, tuple_

from jobfair.extensions import db
from jobfair.models import Application, ApplicationEvent, Employer, Position, Role
from jobfair.seeding import Tally, ago, read_seed, users_by_login, write_transaction

LABEL = "投递记录"
EMPLOYER_SIDE = {"viewed", "interview", "hired", "onboarded", "rejected"}


def _positions(codes: set[str]) -> dict[tuple[str, str], tuple[Position, int]]:
    """(credit code, title): (position, the employer's user id)."""
    rows = db.session.execute(
        select(Position, Employer.credit_code, Employer.user_id)
        .join(Employer, Position.employer_id == Employer.id)
        .where(Employer.credit_code.in_(codes))
    )
    return {(code, pos.title): (pos, user_id) for pos, code, user_id in rows}


def seed_demo(now: datetime) -> Tally:
    tally = Tally(created={LABEL: 0})
    records = read_seed("applications")
    with write_transaction():
        seekers = users_by_login(r["seeker"] for r in records)
        positions = _positions({r["employer"] for r in records})
        pairs = []
        for rec in records:
            seeker = seekers.get(rec["seeker"])
            found = positions.get((rec["employer"], rec["position"]))
            if seeker is not None and found is not None and seeker.role == Role.SEEKER:
                pairs.append((rec, seeker, *found))
        have = set()
        ids = [(pos.id, seeker.id) for _, seeker, pos, _ in pairs]
        for chunk in range(0, len(ids), 500):
            have.update(
                db.session.execute(
                    select(Application.position_id, Application.seeker_id).where(
                        tuple_(Application.position_id, Application.seeker_id).in_(
                            ids[chunk : chunk + 500]
                        )
                    )
                ).all()
            )
        for rec, seeker, pos, employer_user in pairs:
            if (pos.id, seeker.id) in have:
                tally.keep(LABEL)
                continue
            events = rec["events"]
            app = Application(
                position_id=pos.id,
                seeker_id=seeker.id,
                note=rec["note"],
                status=events[-1]["status"],
                created_at=ago(now, events[0]["days_ago"]),
                updated_at=ago(now, events[-1]["days_ago"]),
            )
            previous = None
            for ev in events:
                status = ev["status"]
                app.events.append(
                    ApplicationEvent(
                        from_status=previous,
                        to_status=status,
                        actor_id=employer_user if status in EMPLOYER_SIDE else seeker.id,
                        note=ev["note"],
                        created_at=ago(now, ev["days_ago"]),
                    )
                )
                previous = status
            have.add((pos.id, seeker.id))
            db.session.add(app)
            tally.add(LABEL)
    return tally
