"""Demo 技能超市 (seed/training.json), loaded by `flask seed` after case work: courses of
fictional providers, enrolments, 结业 with certificates (old courses, so the outcome report has
something to count), referrals from case files and from skill gaps.

Natural keys: a course by title + provider; an enrolment by course + seeker login; a referral by
seeker + course. What exists is kept as it is.
"""

from datetime import datetime, timedelta

from sqlalchemy import select

from jobfair.extensions import db
from jobfair.models.casework import CaseFile
from jobfair.models.position import Position
from jobfair.models.training import (
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Referral,
    ReferralSource,
)
from jobfair.seeding import Tally, local_day, read_seed, users_by_login, write_transaction

CERT_PREFIX = {"skill_level": "JN", "special": "ZX", "training": "PX"}


def seed_demo(now: datetime) -> Tally:
    tally = Tally()
    spec = read_seed("training")
    today = local_day(now)
    with write_transaction():
        courses = {}
        for item in spec["courses"]:
            course = db.session.scalar(
                select(Course).filter_by(title=item["title"], provider=item["provider"])
            )
            if course is None:
                starts = today + timedelta(days=item["starts_in"])
                course = Course(
                    title=item["title"],
                    provider=item["provider"],
                    district=item["district"],
                    address=item["address"],
                    occupation_codes=item["occupation_codes"],
                    skills=item["skills"],
                    hours=item["hours"],
                    starts_on=starts,
                    ends_on=starts + timedelta(days=item["days"]),
                    seats=item["seats"],
                    enrolled=0,
                    fee=item["fee"],
                    certificate=item["certificate"],
                    subsidy_note=item["subsidy_note"],
                    description=item["description"],
                    status=CourseStatus.OPEN,
                    created_at=now - timedelta(days=max(30, -item["starts_in"] + 30)),
                )
                db.session.add(course)
                db.session.flush()
                tally.add("培训课程")
            else:
                tally.keep("培训课程")
            courses[item["title"]] = course
        users = users_by_login(e["seeker"] for e in spec["enrolments"])
        for item in spec["enrolments"]:
            user, course = users.get(item["seeker"]), courses[item["course"]]
            if user is None:
                tally.warnings.append(f"培训演示数据：找不到求职者 {item['seeker']}")
                continue
            if db.session.scalar(
                select(Enrolment.id).filter_by(course_id=course.id, seeker_id=user.id)
            ):
                tally.keep("培训报名")
                continue
            referral = _referral(item, user.id, course, now)
            if referral is not None:
                tally.add("培训推荐")
            row = Enrolment(
                course_id=course.id,
                seeker_id=user.id,
                status=EnrolmentStatus.ENROLLED,
                enrolled_at=now - timedelta(days=item["days_ago"]),
                referral_id=referral.id if referral else None,
            )
            if item.get("result") == "pass":
                row.status = EnrolmentStatus.COMPLETED
                row.completed_on = course.ends_on
                row.hours_attended = item.get("hours")
            elif item.get("result") == "fail":
                row.status = EnrolmentStatus.NOT_COMPLETED
                row.hours_attended = item.get("hours")
                row.result_note = item.get("note", "")
            db.session.add(row)
            course.enrolled += 1
            db.session.flush()
            if row.status == EnrolmentStatus.COMPLETED:
                prefix = CERT_PREFIX[course.certificate]
                row.certificate_no = f"{prefix}{row.completed_on:%Y}{course.id:05d}{row.id:06d}"
                tally.add("培训结业")
            tally.add("培训报名")
    return tally


def _referral(item: dict, seeker_id: int, course: Course, now: datetime) -> Referral | None:
    source = item.get("referral")
    if not source:
        return None
    case = db.session.scalar(select(CaseFile).filter_by(seeker_id=seeker_id))
    position = None
    if item.get("position"):
        position = db.session.scalar(
            select(Position).filter_by(title=item["position"]).order_by(Position.id).limit(1)
        )
    if source == ReferralSource.CASE_FILE and case is None:
        return None
    row = Referral(
        seeker_id=seeker_id,
        course_id=course.id,
        source=source,
        case_id=case.id if source == ReferralSource.CASE_FILE else None,
        position_id=position.id if position else None,
        skill=item.get("skill", ""),
        note=item.get("note", ""),
        referred_by=case.worker_id if source == ReferralSource.CASE_FILE else None,
        created_at=now - timedelta(days=item["days_ago"] + 1),
    )
    db.session.add(row)
    db.session.flush()
    return row
