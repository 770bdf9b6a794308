"""Training outcomes: per course and per month of completion, how many finished and how many
were in work within six months of finishing (就业登记 started from the first day of the course
to six months after 结业). Aggregates only: no name, phone or group of any person.

A completion whose six months have not yet passed and who has no employment yet is *pending*:
counted apart and left out of the rate, so a young course is not shown as a failure.
"""

import calendar
from datetime import date

from sqlalchemy import func

from jobfair.extensions import db
from jobfair.formatting import local_today
from jobfair.models.outcome import EmploymentRegistration
from jobfair.models.training import SEAT_HOLDING, Course, Enrolment, EnrolmentStatus

WINDOW_MONTHS = 6
NOTICE = "汇总统计，不含任何个人信息"
COLUMNS = (
    ("enrolled", "报名（含结业、未结业）"),
    ("completed", "结业"),
    ("not_completed", "未结业"),
    ("employed", "结业后6个月内就业"),
    ("not_employed", "满6个月未就业"),
    ("pending", "未满6个月、暂未就业"),
    ("rate", "就业率（%）"),
)
PER_COURSE_ONLY = ("enrolled", "not_completed")  # counted per course, not per month of 结业


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _blank() -> dict:
    return {key: 0 for key, _ in COLUMNS if key != "rate"}


def _rate(row: dict) -> float | None:
    known = row["employed"] + row["not_employed"]
    return round(100 * row["employed"] / known, 1) if known else None


def _starts(seeker_ids) -> dict[int, list[date]]:
    ids = list(seeker_ids)
    out: dict[int, list[date]] = {}
    for start in range(0, len(ids), 500):
        for seeker_id, started in db.session.execute(
            db.select(EmploymentRegistration.seeker_id, EmploymentRegistration.started_on).where(
                EmploymentRegistration.seeker_id.in_(ids[start : start + 500])
            )
        ):
            out.setdefault(seeker_id, []).append(started)
    return out


def report(start: date | None = None, end: date | None = None, today: date | None = None) -> dict:
    """Outcomes of completions dated in [start, end] (either may be open), as of ``today``."""
    today = today or local_today()
    courses = {c.id: c for c in db.session.scalars(db.select(Course))}
    enrolled = dict(
        db.session.execute(
            db.select(Enrolment.course_id, func.count(Enrolment.id))
            .where(Enrolment.status.in_([str(s) for s in SEAT_HOLDING]))
            .group_by(Enrolment.course_id)
        ).all()
    )
    not_completed = dict(
        db.session.execute(
            db.select(Enrolment.course_id, func.count(Enrolment.id))
            .where(Enrolment.status == EnrolmentStatus.NOT_COMPLETED)
            .group_by(Enrolment.course_id)
        ).all()
    )
    stmt = db.select(Enrolment.course_id, Enrolment.seeker_id, Enrolment.completed_on).where(
        Enrolment.status == EnrolmentStatus.COMPLETED
    )
    if start is not None:
        stmt = stmt.where(Enrolment.completed_on >= start)
    if end is not None:
        stmt = stmt.where(Enrolment.completed_on <= end)
    done = db.session.execute(stmt).all()
    starts = _starts({seeker for _c, seeker, _d in done})
    by_course: dict[int, dict] = {}
    by_month: dict[str, dict] = {}
    for course_id, seeker_id, completed_on in done:
        course = courses[course_id]
        until = add_months(completed_on, WINDOW_MONTHS)
        employed = any(
            course.starts_on <= s <= until and s <= today for s in starts.get(seeker_id, ())
        )
        outcome = "employed" if employed else ("not_employed" if today > until else "pending")
        for bucket in (
            by_course.setdefault(course_id, _blank()),
            by_month.setdefault(completed_on.strftime("%Y-%m"), _blank()),
        ):
            bucket["completed"] += 1
            bucket[outcome] += 1
    course_ids = set(by_course)
    if start is None and end is None:
        course_ids |= set(enrolled)
    rows = []
    for course_id in sorted(course_ids, key=lambda i: (courses[i].starts_on, i)):
        row = by_course.get(course_id, _blank())
        row["enrolled"] = enrolled.get(course_id, 0)
        row["not_completed"] = not_completed.get(course_id, 0)
        row["rate"] = _rate(row)
        c = courses[course_id]
        rows.append({"course_id": c.id, "label": c.title, "provider": c.provider, "counts": row})
    months = []
    for month in sorted(by_month):
        row = by_month[month]
        row["rate"] = _rate(row)
        months.append({"label": month, "counts": row})
    total = _blank()
    for r in rows:
        for key in total:
            total[key] += r["counts"][key]
    total["rate"] = _rate(total)
    return {
        "today": today.isoformat(),
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "columns": [{"key": k, "label": v} for k, v in COLUMNS],
        "courses": rows,
        "months": months,
        "total": total,
    }


def tables(data: dict) -> list[tuple[str, list[list]]]:
    head = [label for _k, label in COLUMNS]
    period = (
        f"结业日期 {data['start'] or '不限'} 至 {data['end'] or '不限'}，统计日 {data['today']}"
    )
    by_course = [
        [f"培训成效（按课程）— {NOTICE}"],
        [period],
        ["课程", "培训机构", *head],
    ]
    for r in data["courses"]:
        by_course.append([r["label"], r["provider"], *(_cell(r["counts"][k]) for k, _ in COLUMNS)])
    by_course.append(["合计", "", *(_cell(data["total"][k]) for k, _ in COLUMNS)])
    month_cols = [(k, label) for k, label in COLUMNS if k not in PER_COURSE_ONLY]
    by_month = [
        [f"培训成效（按结业月份）— {NOTICE}"],
        [period],
        ["结业月份", *(label for _k, label in month_cols)],
    ]
    for r in data["months"]:
        by_month.append([r["label"], *(_cell(r["counts"][k]) for k, _ in month_cols)])
    return [("培训成效按课程", by_course), ("培训成效按月份", by_month)]


def _cell(value):
    return "—" if value is None else value


def dashboard_chart(today: date | None = None) -> dict:
    """By month of completion: completed, employed within six months, pending."""
    data = report(today=today)
    months = data["months"][-12:]
    return {
        "months": [m["label"] for m in months],
        "series": [
            {"name": "结业", "data": [m["counts"]["completed"] for m in months]},
            {"name": "6个月内就业", "data": [m["counts"]["employed"] for m in months]},
            {"name": "未满6个月", "data": [m["counts"]["pending"] for m in months]},
        ],
        "total": data["total"],
    }
