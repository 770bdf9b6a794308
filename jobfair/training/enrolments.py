"""Enrolment (报名) with the seats enforced under concurrency, withdrawal, completion (结业)
with a certificate, and the rosters organisers keep.

Rules worth knowing:
- A seat is taken by one conditional UPDATE (``enrolled = enrolled + 1 WHERE enrolled <
  seats``): on PostgreSQL the row lock makes racing enrolments re-check the condition, on
  SQLite writers are serialised by BEGIN IMMEDIATE; a CHECK (enrolled <= seats) is the last
  guard. The enrolment row is inserted in the same transaction, so a refused insert (the same
  seeker in two tabs, UNIQUE course+seeker) gives the seat back with the rollback.
- Withdrawing before the course ends gives the seat back; a withdrawn seeker may enrol again.
- 结业 is recorded by an organiser on or after the first day of the course and never in the
  future; a pass issues the certificate number (the one printed by the assessing body, or one
  the platform makes). The completion is announced (``events.training_completed``) in the
  same transaction, so what depends on it (subsidy eligibility) sees a committed fact only.
"""

from sqlalchemy import update

from jobfair import audit, events
from jobfair.errors import Conflict, DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.formatting import iso, local_today
from jobfair.ids import require_id
from jobfair.masking import mask_phone
from jobfair.models.common import utcnow
from jobfair.models.position import Position
from jobfair.models.seeker import SeekerProfile
from jobfair.models.training import (
    CERTIFICATE_LABELS,
    ENROLMENT_STATUS_LABELS,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Referral,
    ReferralSource,
)
from jobfair.models.user import Role, User
from jobfair.notifications.services import notify
from jobfair.training.courses import enrolment_problem, get_course, require_organiser
from jobfair.training.schemas import COMPLETION_LABELS, CompletionSchema
from jobfair.transactions import commit_or_conflict
from jobfair.validation import load

ALREADY_ENROLLED = "你已报名该课程。"
COURSE_FULL = "该课程名额已满。"
CERT_PREFIX = {"skill_level": "JN", "special": "ZX", "training": "PX"}


def _require_seeker(user) -> None:
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者可以报名培训课程。")


def enrolment_of(user, course_id: int) -> Enrolment | None:
    if user is None or not user.is_authenticated or user.role != Role.SEEKER:
        return None
    return db.session.scalar(db.select(Enrolment).filter_by(course_id=course_id, seeker_id=user.id))


def _take_seat(course_id: int) -> bool:
    result = db.session.execute(
        update(Course)
        .where(
            Course.id == course_id,
            Course.enrolled < Course.seats,
            Course.status == CourseStatus.OPEN,
        )
        .values(enrolled=Course.enrolled + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _give_seat_back(course_id: int) -> None:
    db.session.execute(
        update(Course)
        .where(Course.id == course_id, Course.enrolled > 0)
        .values(enrolled=Course.enrolled - 1)
        .execution_options(synchronize_session=False)
    )


def _skill_gap_referral(user, course: Course, position_id, skill: str) -> Referral | None:
    """The seeker enrols from their own skill-gap list: the referral is recorded with it."""
    if not position_id:
        return None
    from_position = db.session.get(Position, require_id(position_id, "岗位不存在。"))
    if from_position is None:
        raise NotFound("岗位不存在。")
    row = Referral(
        seeker_id=user.id,
        course_id=course.id,
        source=ReferralSource.SKILL_GAP,
        position_id=from_position.id,
        skill=(skill or "")[:40],
        referred_by=None,
    )
    db.session.add(row)
    return row


def enrol(user, course_id, *, position_id=None, skill: str = "") -> Enrolment:
    _require_seeker(user)
    course = get_course(course_id)
    if course.status == CourseStatus.CANCELLED:
        raise NotFound("课程不存在。")
    existing = enrolment_of(user, course.id)
    if existing is not None and existing.status != EnrolmentStatus.WITHDRAWN:
        raise Conflict(ALREADY_ENROLLED, code="already_enrolled")
    problem = enrolment_problem(course)
    if problem and course.enrolled < course.seats:
        raise Conflict(problem, code="enrolment_closed")
    if not _take_seat(course.id):
        db.session.rollback()
        raise Conflict(COURSE_FULL, code="course_full")
    referral = db.session.scalar(
        db.select(Referral).filter_by(seeker_id=user.id, course_id=course.id)
    ) or _skill_gap_referral(user, course, position_id, skill)
    if existing is not None:
        existing.status = EnrolmentStatus.ENROLLED
        existing.enrolled_at = utcnow()
        existing.withdrawn_at = None
        row = existing
    else:
        row = Enrolment(course_id=course.id, seeker_id=user.id, status=EnrolmentStatus.ENROLLED)
        db.session.add(row)
    if referral is not None:
        db.session.flush()
        row.referral_id = referral.id
    commit_or_conflict(ALREADY_ENROLLED, code="already_enrolled")
    db.session.refresh(course)
    return row


def withdraw(user, enrolment_id) -> Enrolment:
    row = db.session.get(Enrolment, require_id(enrolment_id, "报名记录不存在。"))
    if row is None or user.role != Role.SEEKER or row.seeker_id != user.id:
        raise NotFound("报名记录不存在。")
    if row.status != EnrolmentStatus.ENROLLED:
        raise Conflict("只有“已报名”的课程可以退出。", code="not_enrolled")
    if row.course.ends_on < local_today():
        raise Conflict("课程已结束，不能退出。", code="course_over")
    # Lock the enrolment so two clicks give one seat back, not two.
    locked = db.session.execute(
        update(Enrolment)
        .where(Enrolment.id == row.id, Enrolment.status == EnrolmentStatus.ENROLLED)
        .values(status=EnrolmentStatus.WITHDRAWN, withdrawn_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if locked.rowcount != 1:
        db.session.rollback()
        raise Conflict("只有“已报名”的课程可以退出。", code="not_enrolled")
    _give_seat_back(row.course_id)
    db.session.commit()
    db.session.refresh(row)
    return row


def _certificate_no(row: Enrolment, given: str) -> str:
    given = (given or "").strip()
    if given:
        return given
    prefix = CERT_PREFIX.get(row.course.certificate, "PX")
    return f"{prefix}{row.completed_on:%Y}{row.course_id:05d}{row.id:06d}"


def record_result(actor, enrolment_id, data, *, form: bool = False) -> Enrolment:
    """An organiser records 结业 (pass, with certificate) or 未结业 for one enrolment."""
    require_organiser(actor)
    row = db.session.get(Enrolment, require_id(enrolment_id, "报名记录不存在。"))
    if row is None:
        raise NotFound("报名记录不存在。")
    values = load(CompletionSchema(), data, labels=COMPLETION_LABELS, form=form)
    if row.status == EnrolmentStatus.WITHDRAWN:
        raise Conflict("该学员已退出课程，不能登记结业。", code="withdrawn")
    course = row.course
    today = local_today()
    on = values["completed_on"] or today
    if on > today:
        raise DomainError("结业日期不能晚于今天。", fields={"completed_on": "不能晚于今天"})
    if on < course.starts_on:
        raise DomainError("结业日期不能早于开课日期。", fields={"completed_on": "不能早于开课日期"})
    hours = values["hours_attended"]
    if hours is not None and hours > course.hours:
        raise DomainError(
            f"出勤课时不能超过课程总课时（{course.hours}）。",
            fields={"hours_attended": f"不能超过 {course.hours}"},
        )
    was_completed = row.status == EnrolmentStatus.COMPLETED
    row.hours_attended = hours
    row.result_note = values["result_note"]
    row.recorded_by = actor.id
    if values["passed"]:
        row.status = EnrolmentStatus.COMPLETED
        row.completed_on = on
        row.certificate_no = _certificate_no(row, values["certificate_no"])
    else:
        row.status = EnrolmentStatus.NOT_COMPLETED
        row.completed_on = None
        row.certificate_no = None
    audit.record(
        actor.id,
        "training.completion" if values["passed"] else "training.not_completed",
        "enrolment",
        row.id,
        course=course.title,
        certificate=row.certificate_no,
    )
    if values["passed"] and not was_completed:
        notify(
            row.seeker_id,
            "training",
            f"你已结业：{course.title}",
            f"证书编号 {row.certificate_no}。可在“我的培训”查看结业证明。",
            link=f"/training/enrolments/{row.id}/certificate",
        )
    if values["passed"]:
        events.training_completed.send(row, seeker_id=row.seeker_id, course_id=course.id)
    commit_or_conflict("证书编号已被其他学员使用，请核对。", code="certificate_taken")
    return row


# --- reads -----------------------------------------------------------------------------------


def own_enrolment(user, enrolment_id) -> Enrolment:
    row = db.session.get(Enrolment, require_id(enrolment_id, "报名记录不存在。"))
    if row is None:
        raise NotFound("报名记录不存在。")
    if user.role == Role.ORGANISER or (user.role == Role.SEEKER and row.seeker_id == user.id):
        return row
    raise NotFound("报名记录不存在。")


def certificate(user, enrolment_id) -> Enrolment:
    row = own_enrolment(user, enrolment_id)
    if row.status != EnrolmentStatus.COMPLETED:
        raise NotFound("该课程尚未结业，没有结业证明。")
    return row


def my_enrolments(user) -> list[Enrolment]:
    _require_seeker(user)
    return list(
        db.session.scalars(
            db.select(Enrolment)
            .filter_by(seeker_id=user.id)
            .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc())
        )
    )


def roster(actor, course_id) -> tuple[Course, list[dict]]:
    require_organiser(actor)
    course = get_course(course_id)
    rows = db.session.execute(
        db.select(Enrolment, User, SeekerProfile)
        .join(User, User.id == Enrolment.seeker_id)
        .outerjoin(SeekerProfile, SeekerProfile.user_id == User.id)
        .where(Enrolment.course_id == course.id)
        .order_by(Enrolment.enrolled_at, Enrolment.id)
    ).all()
    out = []
    for enrolment, user, profile in rows:
        name = (profile.name if profile and profile.name else user.name) or "（未填写姓名）"
        out.append(
            {
                **enrolment_dict(enrolment),
                "name": name,
                "phone": mask_phone((profile.phone if profile else "") or user.phone),
            }
        )
    return course, out


def enrolment_dict(row: Enrolment) -> dict:
    course = row.course
    return {
        "id": row.id,
        "course_id": row.course_id,
        "course_title": course.title,
        "provider": course.provider,
        "starts_on": iso(course.starts_on),
        "ends_on": iso(course.ends_on),
        "status": row.status,
        "status_label": ENROLMENT_STATUS_LABELS.get(row.status, row.status),
        "enrolled_at": iso(row.enrolled_at),
        "hours_attended": row.hours_attended,
        "completed_on": iso(row.completed_on),
        "certificate_no": row.certificate_no,
        "certificate_label": CERTIFICATE_LABELS.get(course.certificate, course.certificate)
        if row.status == EnrolmentStatus.COMPLETED
        else None,
        "result_note": row.result_note,
        "referral_id": row.referral_id,
    }
