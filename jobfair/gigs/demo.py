"""Demo 零工 shifts (seed/gigs.json) relative to the day `flask seed` runs: today's and
tomorrow's shifts of the demo hourly and daily positions, keyed by position, day and start;
and the demo seeker's sign-ups (one confirmed and paid yesterday)."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from jobfair.extensions import db
from jobfair.models.employer import Employer
from jobfair.models.gig import Shift, ShiftSignup, SignupStatus
from jobfair.models.position import Position
from jobfair.models.user import User
from jobfair.seeding import local_day, read_seed, write_transaction

LABEL = "零工班次"


def seed_demo(now: datetime) -> dict[str, int]:
    made = {LABEL: 0, "零工报名": 0}
    data = read_seed("gigs")
    today = local_day(now)
    shifts: list[Shift | None] = []
    with write_transaction():
        for rec in data["shifts"]:
            pos = db.session.scalar(
                select(Position)
                .join(Employer, Employer.id == Position.employer_id)
                .where(Employer.credit_code == rec["employer"], Position.title == rec["title"])
            )
            if pos is None:
                shifts.append(None)
                continue
            day, start = today + timedelta(days=rec["day"]), time.fromisoformat(rec["start"])
            shift = db.session.scalar(
                select(Shift).filter_by(position_id=pos.id, day=day, starts_at=start)
            )
            if shift is None:
                shift = Shift(
                    position_id=pos.id,
                    day=day,
                    starts_at=start,
                    ends_at=time.fromisoformat(rec["end"]),
                    district=pos.district,
                    place=rec["place"],
                    headcount=rec["headcount"],
                    taken=0,
                    note=rec["note"],
                    status="open",
                )
                db.session.add(shift)
                db.session.flush()
                made[LABEL] += 1
            shifts.append(shift)
        for rec in data["signups"]:
            user = db.session.scalar(select(User).filter_by(phone=rec["login"]))
            shift = shifts[rec["shift"]] if rec["shift"] < len(shifts) else None
            if user is None or shift is None or shift.taken >= shift.headcount:
                continue
            if db.session.scalar(
                select(ShiftSignup.id).filter_by(shift_id=shift.id, seeker_id=user.id)
            ):
                continue
            row = ShiftSignup(shift_id=shift.id, seeker_id=user.id)
            if rec.get("attended"):
                row.status = SignupStatus.ATTENDED
                row.units, row.pay_amount = rec["units"], rec["pay_amount"]
                row.confirmed_at = row.paid_at = now
            db.session.add(row)
            shift.taken += 1
            made["零工报名"] += 1
    return made
