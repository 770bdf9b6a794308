"""Training facts other features may rely on (e.g. 职业技能培训补贴 needs a completed course).

Plain frozen records, read from committed rows: a pass (结业) with its certificate, never a
mere enrolment.
"""

from dataclasses import dataclass
from datetime import date

from jobfair.extensions import db
from jobfair.models.training import Course, Enrolment, EnrolmentStatus


@dataclass(frozen=True)
class CompletedCourse:
    enrolment_id: int
    course_id: int
    title: str
    provider: str
    occupation_codes: tuple[str, ...]
    skills: tuple[str, ...]
    hours: int
    hours_attended: int | None
    fee: int
    certificate: str
    certificate_no: str
    completed_on: date


def completed_courses(seeker_id: int, since: date | None = None) -> list[CompletedCourse]:
    """The seeker's passed courses, newest first (``since``: completed on or after it)."""
    stmt = (
        db.select(Enrolment, Course)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.seeker_id == seeker_id, Enrolment.status == EnrolmentStatus.COMPLETED)
        .order_by(Enrolment.completed_on.desc(), Enrolment.id.desc())
    )
    if since is not None:
        stmt = stmt.where(Enrolment.completed_on >= since)
    return [
        CompletedCourse(
            enrolment_id=e.id,
            course_id=c.id,
            title=c.title,
            provider=c.provider,
            occupation_codes=tuple(c.occupation_codes or ()),
            skills=tuple(c.skills or ()),
            hours=c.hours,
            hours_attended=e.hours_attended,
            fee=c.fee,
            certificate=c.certificate,
            certificate_no=e.certificate_no or "",
            completed_on=e.completed_on,
        )
        for e, c in db.session.execute(stmt)
    ]
