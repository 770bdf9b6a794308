"""Employment follow-ups 30, 90 and 180 days after a hire, recorded by a case worker or
confirmed by the seeker."""

from datetime import date, timedelta

from sqlalchemy import func

from jobfair import audit
from jobfair.casework.access import require_case_worker, scope
from jobfair.casework.queries import local_today, profiles_by_user, seeker_district
from jobfair.casework.registrations import record_end, registrations_of
from jobfair.casework.schemas import FOLLOW_UP_LABELS, FollowUpSchema
from jobfair.errors import DomainError, NotFound
from jobfair.extensions import db
from jobfair.ids import require_id
from jobfair.models.casework import DAY_MARKS, EmploymentFollowUp, FollowUpSource
from jobfair.models.outcome import EMPLOYMENT_SOURCE_LABELS
from jobfair.models.user import Role, User
from jobfair.seekers.services import clean_text
from jobfair.validation import body, load


def hires_of(seeker_id: int) -> list[dict]:
    """The seeker's 就业登记 (platform hires at 入职, placements, follow-ups), newest first."""
    return [
        {
            "registration": r,
            "registration_id": r.id,
            "seeker_id": r.seeker_id,
            "date": r.started_on,
            "ended_on": r.ended_on,
            "source": r.source,
            "source_label": EMPLOYMENT_SOURCE_LABELS.get(r.source, r.source),
            "employer_name": r.employer_name,
            "job_title": r.job_title,
        }
        for r in registrations_of(seeker_id)
    ]


def follow_up_schedule(seeker_id: int, today: date | None = None) -> list[dict]:
    """For each hire, the 30/90/180-day marks with their due dates and any record."""
    today = today or local_today()
    have = {
        (f.hired_on, f.day_mark): f
        for f in db.session.scalars(db.select(EmploymentFollowUp).filter_by(seeker_id=seeker_id))
    }
    out = []
    for hire in hires_of(seeker_id):
        marks = []
        for mark in DAY_MARKS:
            due = hire["date"] + timedelta(days=mark)
            marks.append(
                {
                    "day_mark": mark,
                    "due": due,
                    "is_due": today >= due,
                    "record": have.get((hire["date"], mark)),
                }
            )
        out.append({**hire, "marks": marks})
    return out


def record_follow_up(actor, seeker_id: int, data, *, form=False) -> EmploymentFollowUp:
    """A case worker records, or the seeker confirms, employment N days after a hire."""
    data = dict(body(data))
    if form and "still_employed" in data:
        data["still_employed"] = data["still_employed"] in ("1", "true", "yes", "on")
    values = load(FollowUpSchema(), data, labels=FOLLOW_UP_LABELS, form=form)
    if actor.role == Role.SEEKER:
        if actor.id != seeker_id:
            raise NotFound()
        source = FollowUpSource.SEEKER
    else:
        seeker = db.session.get(User, require_id(seeker_id, "求职者不存在。"))
        if seeker is None or seeker.role != Role.SEEKER:
            raise NotFound("求职者不存在。")
        require_case_worker(
            actor, seeker_district(profiles_by_user([seeker_id]).get(seeker_id)) or ""
        )
        source = FollowUpSource.CASE_WORKER
    if values["day_mark"] not in DAY_MARKS:
        raise DomainError(
            "回访节点只能是 30、90 或 180 天。", fields={"day_mark": "不是可选的值。"}
        )
    hires = {h["date"]: h["registration"] for h in hires_of(seeker_id)}
    if values["hired_on"] not in hires:
        raise DomainError(
            "没有找到这一天的录用或就业记录。", fields={"hired_on": "请选择已记录的入职日期"}
        )
    if local_today() < values["hired_on"] + timedelta(days=values["day_mark"]):
        raise DomainError(
            f"入职满 {values['day_mark']} 天后才能回访。", fields={"day_mark": "回访时间未到"}
        )
    row = db.session.scalar(
        db.select(EmploymentFollowUp).filter_by(
            seeker_id=seeker_id, hired_on=values["hired_on"], day_mark=values["day_mark"]
        )
    )
    if row is None:
        row = EmploymentFollowUp(
            seeker_id=seeker_id, hired_on=values["hired_on"], day_mark=values["day_mark"]
        )
        db.session.add(row)
    row.still_employed = values["still_employed"]
    row.note = clean_text(values["note"])
    row.source = source
    row.recorded_by = actor.id
    reg = hires[values["hired_on"]]
    if not row.still_employed and reg.ended_on is None:
        # Found to have left at the follow-up: the employment ends today, and the count is
        # corrected by a record dated now (the day it became known).
        reason = "回访时已离职" + (f"：{row.note}" if row.note else "")
        record_end(reg, local_today(), reason[:200], actor.id, source)
    db.session.flush()
    audit.record(actor.id, "casework.follow_up", "follow_up", row.id, note=f"{row.day_mark} 天")
    db.session.commit()
    return row


def list_follow_ups(actor, limit: int = 500) -> list[EmploymentFollowUp]:
    districts = scope(actor)
    rows = list(
        db.session.scalars(
            db.select(EmploymentFollowUp)
            .order_by(EmploymentFollowUp.updated_at.desc())
            .limit(limit)
        )
    )
    if districts is None:
        return rows
    profiles = profiles_by_user(r.seeker_id for r in rows)
    return [r for r in rows if seeker_district(profiles.get(r.seeker_id)) in districts]


def follow_up_counts(seeker_ids=None) -> dict[int, dict[str, int]]:
    """Per day mark: how many people confirmed a follow-up, and how many still employed."""
    q = db.select(
        EmploymentFollowUp.day_mark,
        EmploymentFollowUp.still_employed,
        func.count(func.distinct(EmploymentFollowUp.seeker_id)),
    ).group_by(EmploymentFollowUp.day_mark, EmploymentFollowUp.still_employed)
    if seeker_ids is not None:
        q = q.where(EmploymentFollowUp.seeker_id.in_(list(seeker_ids) or [0]))
    out = {m: {"confirmed": 0, "still_employed": 0} for m in DAY_MARKS}
    for mark, still, n in db.session.execute(q):
        out[mark]["confirmed"] += n
        if still:
            out[mark]["still_employed"] += n
    return out
