"""Referrals to courses: a case worker refers the person of a case file (from the file, or from
one of the person's skill gaps); a seeker who enrols from their own skill-gap list is recorded
as a skill-gap referral too (see enrolments.enrol).

Only case workers covering the case file's district refer from it (the file is PIPL sensitive);
the note is stored encrypted. A seeker is referred to a course once (UNIQUE seeker+course).
"""

from jobfair import audit
from jobfair.casework.access import require_case_worker, scope
from jobfair.casework.cases import case_for_update
from jobfair.errors import DomainError, NotFound
from jobfair.extensions import db
from jobfair.formatting import iso, local_today
from jobfair.models.casework import CaseFile, CaseTraining
from jobfair.models.position import Position
from jobfair.models.training import (
    ENROLMENT_STATUS_LABELS,
    REFERRAL_SOURCE_LABELS,
    Enrolment,
    Referral,
    ReferralSource,
)
from jobfair.models.user import Role
from jobfair.notifications.services import notify
from jobfair.training.courses import enrolment_problem, get_course
from jobfair.training.schemas import REFERRAL_LABELS, ReferralSchema
from jobfair.transactions import commit_or_conflict
from jobfair.validation import load

ALREADY_REFERRED = "已向该求职者推荐过这门课程。"


def refer_from_case(actor, case_id, data, *, form: bool = False) -> Referral:
    """A case worker refers the file's person to a course; with ``position_id`` and ``skill``
    the referral is recorded as closing a skill gap for that position."""
    case = case_for_update(actor, case_id)
    values = load(ReferralSchema(), data, labels=REFERRAL_LABELS, form=form)
    course = get_course(values["course_id"])
    problem = enrolment_problem(course)
    if problem:
        raise DomainError(problem, code="enrolment_closed", fields={"course_id": problem})
    position_id = values["position_id"]
    if position_id is not None and db.session.get(Position, position_id) is None:
        raise NotFound("岗位不存在。")
    source = ReferralSource.SKILL_GAP if position_id else ReferralSource.CASE_FILE
    row = Referral(
        seeker_id=case.seeker_id,
        course_id=course.id,
        source=source,
        case_id=case.id,
        position_id=position_id,
        skill=values["skill"],
        note=values["note"],
        referred_by=actor.id,
    )
    db.session.add(row)
    # The case file's own list of training referrals shows it too (一人一档).
    db.session.add(
        CaseTraining(
            case_id=case.id,
            course=course.title[:100],
            provider=course.provider[:100],
            referred_on=local_today(),
            result=f"技能超市课程 {course.starts_on:%Y-%m-%d} 开课",
            recorded_by=actor.id,
        )
    )
    audit.record(
        actor.id,
        "training.referral",
        "case_file",
        case.id,
        district=case.district,
        course=course.title,
        source=REFERRAL_SOURCE_LABELS[source],
    )
    notify(
        case.seeker_id,
        "training",
        f"工作人员为你推荐了培训课程：{course.title}",
        f"{course.provider}，{course.starts_on:%Y-%m-%d} 开课，共 {course.hours} 课时。",
        link=f"/training/courses/{course.id}",
    )
    commit_or_conflict(ALREADY_REFERRED, code="already_referred")
    return row


def referral_status(row: Referral, enrolment: Enrolment | None) -> str:
    if enrolment is None:
        return "已推荐，未报名"
    return ENROLMENT_STATUS_LABELS.get(enrolment.status, enrolment.status)


def _enrolments_for(rows: list[Referral]) -> dict[tuple[int, int], Enrolment]:
    if not rows:
        return {}
    seekers = {r.seeker_id for r in rows}
    out = {}
    for e in db.session.scalars(db.select(Enrolment).where(Enrolment.seeker_id.in_(seekers))):
        out[(e.seeker_id, e.course_id)] = e
    return out


def referral_dict(row: Referral, enrolment: Enrolment | None, *, with_note: bool) -> dict:
    out = {
        "id": row.id,
        "seeker_id": row.seeker_id,
        "course_id": row.course_id,
        "course_title": row.course.title,
        "provider": row.course.provider,
        "source": row.source,
        "source_label": REFERRAL_SOURCE_LABELS.get(row.source, row.source),
        "case_id": row.case_id,
        "position_id": row.position_id,
        "skill": row.skill,
        "created_at": iso(row.created_at),
        "status": referral_status(row, enrolment),
        "enrolment_status": enrolment.status if enrolment else None,
    }
    if with_note:
        out["note"] = row.note
    return out


def my_referrals(user) -> list[dict]:
    if user.role != Role.SEEKER:
        raise NotFound()
    rows = list(
        db.session.scalars(
            db.select(Referral)
            .filter_by(seeker_id=user.id)
            .order_by(Referral.created_at.desc(), Referral.id.desc())
        )
    )
    enrolments = _enrolments_for(rows)
    return [
        referral_dict(r, enrolments.get((r.seeker_id, r.course_id)), with_note=False) for r in rows
    ]


def case_referrals(actor, case_id) -> list[dict]:
    case = case_for_update(actor, case_id)
    rows = list(
        db.session.scalars(
            db.select(Referral)
            .filter_by(seeker_id=case.seeker_id)
            .order_by(Referral.created_at.desc(), Referral.id.desc())
        )
    )
    enrolments = _enrolments_for(rows)
    return [
        referral_dict(r, enrolments.get((r.seeker_id, r.course_id)), with_note=True) for r in rows
    ]


def worker_referrals(actor, limit: int = 300) -> list[dict]:
    """Referrals made from case files in the worker's districts (supervisors: all)."""
    require_case_worker(actor)
    districts = scope(actor)
    stmt = (
        db.select(Referral, CaseFile.district)
        .join(CaseFile, CaseFile.id == Referral.case_id)
        .order_by(Referral.created_at.desc(), Referral.id.desc())
        .limit(limit)
    )
    if districts is not None:
        stmt = stmt.where(CaseFile.district.in_(districts or [""]))
    pairs = db.session.execute(stmt).all()
    rows = [r for r, _d in pairs]
    enrolments = _enrolments_for(rows)
    out = []
    for r, district in pairs:
        item = referral_dict(r, enrolments.get((r.seeker_id, r.course_id)), with_note=False)
        item["district"] = district
        out.append(item)
    return out
