"""The course catalogue (技能超市): organisers publish courses; everyone can browse them.

Rules worth knowing:
- A course names the occupations (2022 classification) and the skill phrases it teaches; the
  skill-gap referral reads those phrases, so they are short words a job ad would use
  (叉车驾驶, 电工作业, 育婴).
- Seats may not go below the seats already taken (a CHECK on the table says so too).
- The subsidy a course may earn is computed by the policy catalogue's rule for
  职业技能培训补贴 (see jobfair.training.subsidy), never by a second rule here.
"""

from jobfair import audit
from jobfair.errors import DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.formatting import iso, local_today
from jobfair.ids import require_id
from jobfair.models.occupation import Occupation
from jobfair.models.training import (
    CERTIFICATE_LABELS,
    COURSE_STATUS_LABELS,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
)
from jobfair.models.user import Role
from jobfair.notifications.services import notify
from jobfair.occupations import occupation_names
from jobfair.training.schemas import COURSE_LABELS, CourseSchema
from jobfair.validation import body, load

MAX_SCAN = 2000  # courses read for one catalogue page before the text filter


def require_organiser(user) -> None:
    if user is None or not user.is_authenticated or user.role != Role.ORGANISER:
        raise Forbidden("只有组织方（人社部门）工作人员可以管理培训课程。")


def get_course(course_id) -> Course:
    course = db.session.get(Course, require_id(course_id, "课程不存在。"))
    if course is None:
        raise NotFound("课程不存在。")
    return course


def visible_course(user, course_id) -> Course:
    """A cancelled course is shown only to organisers (and to those enrolled, via their list)."""
    course = get_course(course_id)
    is_org = user is not None and user.is_authenticated and user.role == Role.ORGANISER
    if course.status == CourseStatus.CANCELLED and not is_org:
        raise NotFound("课程不存在。")
    return course


def _occupations(codes: list[str]) -> list[str]:
    if not codes:
        return []
    found = set(
        db.session.scalars(
            db.select(Occupation.code).where(Occupation.code.in_(codes), Occupation.level == 4)
        )
    )
    bad = [c for c in codes if c not in found]
    if bad:
        raise DomainError(
            "职业编码不存在：" + "、".join(bad[:5]),
            fields={"occupation_codes": "请选择《职业分类大典（2022）》中的职业"},
        )
    return codes


def save_course(actor, data, *, course: Course | None = None, form: bool = False) -> Course:
    require_organiser(actor)
    data = dict(body(data))
    values = load(CourseSchema(), data, labels=COURSE_LABELS, form=form)
    values["occupation_codes"] = _occupations(values["occupation_codes"])
    creating = course is None
    if creating:
        if values["starts_on"] < local_today():
            raise DomainError("开课日期不能早于今天。", fields={"starts_on": "不能早于今天"})
        course = Course(created_by=actor.id, enrolled=0)
        db.session.add(course)
    else:
        # Lock the row: an enrolment racing with a cut in seats must not pass the check.
        db.session.execute(db.select(Course.id).filter_by(id=course.id).with_for_update())
        db.session.refresh(course)
        if values["seats"] < course.enrolled:
            raise DomainError(
                f"名额不能少于已报名人数（{course.enrolled} 人）。",
                fields={"seats": f"已有 {course.enrolled} 人报名"},
            )
    cancelling = not creating and course.status != CourseStatus.CANCELLED
    cancelling = cancelling and values["status"] == CourseStatus.CANCELLED
    for key, value in values.items():
        setattr(course, key, value)
    db.session.flush()
    if cancelling:
        _tell_enrolled(course)
    audit.record(
        actor.id,
        "training.course_create" if creating else "training.course_update",
        "course",
        course.id,
        title=course.title,
        seats=course.seats,
    )
    db.session.commit()
    return course


def _tell_enrolled(course: Course) -> None:
    """A cancelled course: everyone still enrolled is told, in the same transaction."""
    seekers = db.session.scalars(
        db.select(Enrolment.seeker_id).filter_by(
            course_id=course.id, status=EnrolmentStatus.ENROLLED
        )
    )
    for seeker_id in seekers:
        notify(
            seeker_id,
            "training",
            f"培训课程已取消：{course.title}",
            f"{course.provider}取消了 {course.starts_on:%Y-%m-%d} 开课的这门课程。可以在技能超市另选课程。",
            link="/training",
        )


def list_courses(
    *,
    q: str = "",
    district: str = "",
    occupation: str = "",
    include_past: bool = False,
    include_cancelled: bool = False,
    limit: int = 200,
) -> list[Course]:
    stmt = db.select(Course)
    if not include_cancelled:
        stmt = stmt.where(Course.status != CourseStatus.CANCELLED)
    if not include_past:
        stmt = stmt.where(Course.ends_on >= local_today())
    if district:
        stmt = stmt.where(Course.district == district)
    courses = list(db.session.scalars(stmt.order_by(Course.starts_on, Course.id).limit(MAX_SCAN)))
    q = (q or "").strip()[:50]
    if q:
        # skills is a JSON list: matched here rather than in SQL, on a catalogue of courses
        # (hundreds, not millions).
        courses = [
            c
            for c in courses
            if q in c.title or q in c.provider or any(q in s for s in c.skills or [])
        ]
    if occupation:
        courses = [
            c for c in courses if any(code.startswith(occupation) for code in c.occupation_codes)
        ]
    return courses[:limit]


def course_dict(course: Course, names: dict[str, str] | None = None) -> dict:
    names = names if names is not None else occupation_names(course.occupation_codes)
    return {
        "id": course.id,
        "title": course.title,
        "provider": course.provider,
        "district": course.district,
        "address": course.address,
        "occupations": [
            {"code": c, "name": names.get(c, "")} for c in course.occupation_codes or []
        ],
        "skills": list(course.skills or []),
        "hours": course.hours,
        "starts_on": iso(course.starts_on),
        "ends_on": iso(course.ends_on),
        "seats": course.seats,
        "enrolled": course.enrolled,
        "seats_left": course.seats_left,
        "fee": course.fee,
        "certificate": course.certificate,
        "certificate_label": CERTIFICATE_LABELS.get(course.certificate, course.certificate),
        "subsidy_note": course.subsidy_note,
        "description": course.description,
        "status": course.status,
        "status_label": COURSE_STATUS_LABELS.get(course.status, course.status),
        "open_for_enrolment": enrolment_problem(course) is None,
    }


def enrolment_problem(course: Course) -> str | None:
    """Why nobody can enrol on this course now, or None."""
    if course.status == CourseStatus.CANCELLED:
        return "该课程已取消。"
    if course.status == CourseStatus.CLOSED:
        return "该课程已停止报名。"
    if course.starts_on < local_today():
        return "该课程已开课，不能再报名。"
    if course.enrolled >= course.seats:
        return "该课程名额已满。"
    return None


def form_values(course: Course | None) -> dict:
    if course is None:
        return {"certificate": "training", "status": "open"}
    return {
        "title": course.title,
        "provider": course.provider,
        "district": course.district,
        "address": course.address,
        "occupation_codes": list(course.occupation_codes or []),
        "skills": "、".join(course.skills or []),
        "hours": course.hours,
        "starts_on": iso(course.starts_on),
        "ends_on": iso(course.ends_on),
        "seats": course.seats,
        "fee": course.fee,
        "certificate": course.certificate,
        "subsidy_note": course.subsidy_note,
        "description": course.description,
        "status": course.status,
    }
