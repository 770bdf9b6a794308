"""Organiser dashboard figures: key counts, weekly trends, targets and households.

All numbers are aggregates (no personal data). Weeks and months are Beijing-time calendar
periods; stored timestamps are naive UTC, so period bounds are converted before comparing.
"""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import case, func, select

from jobfair.casework.households import household_summary
from jobfair.casework.targets import targets_with_progress
from jobfair.extensions import db
from jobfair.formatting import LOCAL_TZ
from jobfair.models.application import Application, ApplicationEvent
from jobfair.models.employer import Employer, EmployerStatus
from jobfair.models.position import Position, PositionStatus
from jobfair.models.user import Role, User
from jobfair.reports import funnel as funnel_mod
from jobfair.startups import reports as startup_reports
from jobfair.training import outcomes as training_outcomes

TREND_WEEKS = 12


def local_today(now: datetime) -> date:
    return now.replace(tzinfo=UTC).astimezone(LOCAL_TZ).date()


def utc_bound(day: date) -> datetime:
    """Beijing midnight of ``day`` as naive UTC (how timestamps are stored)."""
    return (
        datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)
    )


def month_start(today: date) -> date:
    return today.replace(day=1)


def hires_subquery():
    """One row per hired application with the time it was hired (first 录用/已入职 step).

    Applications hired without a recorded step (imported data) fall back to their last update.
    """
    first_step = (
        select(
            ApplicationEvent.application_id.label("application_id"),
            func.min(ApplicationEvent.created_at).label("at"),
        )
        .where(ApplicationEvent.to_status.in_(funnel_mod.HIRED))
        .group_by(ApplicationEvent.application_id)
        .subquery()
    )
    return (
        select(
            Application.id.label("application_id"),
            func.coalesce(first_step.c.at, Application.updated_at).label("hired_at"),
        )
        .outerjoin(first_step, first_step.c.application_id == Application.id)
        .where(Application.status.in_(funnel_mod.HIRED))
        .subquery()
    )


def key_counts(now: datetime) -> dict:
    today = local_today(now)
    since = utc_bound(month_start(today))
    employers = dict(
        db.session.execute(
            select(Employer.status, func.count(Employer.id)).group_by(Employer.status)
        ).all()
    )
    hires = hires_subquery()
    return {
        "employers_verified": employers.get(EmployerStatus.VERIFIED, 0),
        "employers_pending": employers.get(EmployerStatus.PENDING, 0),
        "positions_published": db.session.scalar(
            select(func.count(Position.id)).where(Position.status == PositionStatus.PUBLISHED)
        ),
        "seekers": db.session.scalar(select(func.count(User.id)).where(User.role == Role.SEEKER)),
        "applications": db.session.scalar(select(func.count(Application.id))),
        "applications_this_month": db.session.scalar(
            select(func.count(Application.id)).where(Application.created_at >= since)
        ),
        "hires_this_month": db.session.scalar(
            select(func.count()).select_from(hires).where(hires.c.hired_at >= since)
        ),
        "month": f"{today.year}年{today.month}月",
    }


def week_starts(today: date, weeks: int = TREND_WEEKS) -> list[date]:
    """Mondays of the last ``weeks`` weeks, oldest first, the current week last."""
    this_monday = today - timedelta(days=today.weekday())
    return [this_monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def _bucket_sums(column, starts: list[date]):
    bounds = [utc_bound(d) for d in starts] + [utc_bound(starts[-1] + timedelta(weeks=1))]
    return [
        func.sum(
            case((column >= bounds[i], 1), else_=0) * case((column < bounds[i + 1], 1), else_=0)
        )
        for i in range(len(starts))
    ]


def weekly_trend(now: datetime, weeks: int = TREND_WEEKS) -> dict:
    """Applications and hires per Beijing week: two queries of conditional sums."""
    starts = week_starts(local_today(now), weeks)
    first, end = utc_bound(starts[0]), utc_bound(starts[-1] + timedelta(weeks=1))
    apps = db.session.execute(
        select(*_bucket_sums(Application.created_at, starts)).where(
            Application.created_at >= first, Application.created_at < end
        )
    ).one()
    hires = hires_subquery()
    hired = db.session.execute(
        select(*_bucket_sums(hires.c.hired_at, starts)).where(
            hires.c.hired_at >= first, hires.c.hired_at < end
        )
    ).one()
    return {
        "weeks": [d.strftime("%m-%d") for d in starts],
        "week_starts": [d.isoformat() for d in starts],
        "applications": [int(v or 0) for v in apps],
        "hires": [int(v or 0) for v in hired],
    }


def casework_figures(today: date) -> dict:
    """Targets and households from the casework feature."""
    targets = []
    for target, progress in targets_with_progress(year=today.year):
        targets.append(
            {
                "id": target.id,
                "year": target.year,
                "district": target.district,
                "kind": target.kind,
                "label": target.kind_label,
                "worker": target.worker.name if target.worker else "",
                "goal": progress["goal"],
                "done": progress["done"],
                "pct": progress["pct"],
                "bar_pct": progress["bar_pct"],
                "by_source": progress.get("by_source", {}),
            }
        )
    return {"targets": targets, "households": household_summary(today=today)}


def dashboard(now: datetime) -> dict:
    today = local_today(now)
    return {
        "today": today.isoformat(),
        "counts": key_counts(now),
        "trend": weekly_trend(now),
        "funnel": funnel_mod.funnel(),
        "casework": casework_figures(today),
        "training": training_outcomes.dashboard_chart(today),
        "startups": startup_reports.dashboard_chart(),
    }
