"""Demo positions (seed/positions.json), keyed by employer credit code + title, indexed for
search as the site would; the ones held for review carry the moderation flags."""

from datetime import datetime, timedelta

from sqlalchemy import select

from jobfair import moderation
from jobfair.extensions import db
from jobfair.models import Employer, Position, PositionGroup
from jobfair.positions.indexing import index_position
from jobfair.seeding import Tally, ago, occupations, read_seed, write_transaction

LABEL = "岗位"


def _flags(rec: dict) -> list:
    """Held positions carry the phrases the moderation rules flag, as the site would; a
    公益性岗位 carries its review flag (approved once an organiser let it through)."""
    if rec["status"] != "held":
        return rec["review_flags"]
    fields = {k: rec[k] for k in ("title", "description", "requirements")}
    return moderation.check_fields(fields) or rec["review_flags"]


def _day(now: datetime, days: int | None):
    return None if days is None else (now + timedelta(days=days)).date()


def seed_demo(now: datetime) -> Tally:
    tally = Tally(created={LABEL: 0})
    records = read_seed("positions")
    with write_transaction():
        known = occupations({p["occupation_code"] for p in records})
        codes = {p["employer"] for p in records}
        employers = {
            e.credit_code: e
            for e in db.session.scalars(select(Employer).where(Employer.credit_code.in_(codes)))
        }
        by_id = {e.id: code for code, e in employers.items()}
        have = {
            (by_id[employer_id], title)
            for employer_id, title in db.session.execute(
                select(Position.employer_id, Position.title).where(
                    Position.employer_id.in_(list(by_id))
                )
            )
        }
        for rec in records:
            if (rec["employer"], rec["title"]) in have:
                tally.keep(LABEL)
                continue
            emp = employers.get(rec["employer"])
            if emp is None:
                continue
            published = ago(now, rec["published_days_ago"])
            deadline = rec["deadline_in_days"]
            pos = Position(
                employer_id=emp.id,
                title=rec["title"],
                description=rec["description"],
                requirements=rec["requirements"],
                occupation_code=rec["occupation_code"],
                salary_min=rec["salary_min"],
                salary_max=rec["salary_max"],
                pay_unit=rec.get("pay_unit", "month"),
                daily_pay=bool(rec.get("daily_pay", False)),
                headcount=rec["headcount"],
                district=rec["district"],
                address=rec["address"],
                education=rec["education"],
                work_form=rec["work_form"],
                channel=rec["channel"],
                deadline=None if deadline is None else (now + timedelta(days=deadline)).date(),
                trainee_months=rec["trainee_months"],
                tenure_limit_months=rec["tenure_limit_months"],
                exam_date=_day(now, rec["exam_in_days"]),
                exam_signup_ends=_day(now, rec["exam_signup_in_days"]),
                official_url=rec["official_url"],
                status=rec["status"],
                review_flags=_flags(rec),
                published_at=published,
                created_at=published or emp.created_at,
                updated_at=published or emp.created_at,
            )
            pos.groups = [PositionGroup(group=g) for g in rec["groups"]]
            index_position(pos, known[rec["occupation_code"]])
            db.session.add(pos)
            tally.add(LABEL)
    return tally
