"""A campaign's own totals and funnel, over its fairs and live sessions (aggregates only).

Totals (each counted once across the campaign, however many of its fairs a person attended):
  fairs             fairs in the campaign
  sessions          live sessions: those of its fairs and those added to it directly
  employers         employers with an approved booth at one of its fairs, or presenting in
                    one of its sessions
  positions         published-or-closed positions shown at those approved booths
  seekers_attending seekers with 到场 (online join or on-site check-in) at one of its fairs
  session_viewers   seekers who opened one of its live session rooms
  applications      applications that belong to the campaign (the funnel's "applied" rule,
                    applied to each of its fairs and sessions), counted as applications
  hires             those applications that reached 录用 / 已入职
The funnel is reports.funnel over the campaign's fairs and sessions, so its stages are nested
exactly like a fair's.
"""

from sqlalchemy import func, select, union

from jobfair.extensions import db
from jobfair.models.application import Application
from jobfair.models.campaign import Campaign
from jobfair.models.fair import (
    Booth,
    BoothPosition,
    BoothStatus,
    FairAttendance,
    LiveSession,
    LiveSessionEmployer,
)
from jobfair.models.live import SessionView
from jobfair.models.user import Role, User
from jobfair.reports import exports
from jobfair.reports import funnel as funnel_mod


def scope(campaign: Campaign) -> funnel_mod.Scope:
    return funnel_mod.Scope.of_campaign(campaign)


def _count(stmt) -> int:
    return int(db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def session_ids(campaign: Campaign) -> list[int]:
    fair_ids = campaign.fair_ids
    own = set(campaign.session_ids)
    at_fairs = set(
        db.session.scalars(select(LiveSession.id).where(LiveSession.fair_id.in_(fair_ids)))
    )
    return sorted(own | at_fairs)


def totals(campaign: Campaign) -> dict:
    s = scope(campaign)
    fair_ids = campaign.fair_ids
    sessions = session_ids(campaign)
    booths = select(Booth.id, Booth.employer_id).where(
        Booth.fair_id.in_(fair_ids), Booth.status == BoothStatus.APPROVED
    )
    booth_employers = select(booths.subquery().c.employer_id)
    session_employers = select(LiveSessionEmployer.employer_id).where(
        LiveSessionEmployer.session_id.in_(sessions)
    )
    app_filter = funnel_mod.fair_application_filter(s) if s.with_fair else None
    applications = hires = 0
    if app_filter is not None:
        applications = int(
            db.session.scalar(select(func.count(Application.id)).where(app_filter)) or 0
        )
        hires = int(
            db.session.scalar(
                select(func.count()).select_from(
                    funnel_mod.reached(funnel_mod.HIRED, app_filter).subquery()
                )
            )
            or 0
        )
    return {
        "fairs": len(fair_ids),
        "sessions": len(sessions),
        "employers": _count(union(booth_employers, session_employers)),
        "positions": _count(
            select(BoothPosition.position_id)
            .join(Booth, Booth.id == BoothPosition.booth_id)
            .where(Booth.fair_id.in_(fair_ids), Booth.status == BoothStatus.APPROVED)
            .distinct()
        ),
        "seekers_attending": _count(
            select(FairAttendance.seeker_user_id)
            .where(FairAttendance.fair_id.in_(fair_ids))
            .distinct()
        ),
        "session_viewers": _count(
            select(SessionView.user_id)
            .join(User, User.id == SessionView.user_id)
            .where(SessionView.session_id.in_(sessions), User.role == Role.SEEKER)
            .distinct()
        ),
        "applications": applications,
        "hires": hires,
    }


TOTAL_LABELS = (
    ("fairs", "招聘会"),
    ("sessions", "直播带岗"),
    ("employers", "参与单位"),
    ("positions", "展示岗位"),
    ("seekers_attending", "到场求职者"),
    ("session_viewers", "观看直播的求职者"),
    ("applications", "投递"),
    ("hires", "录用/入职"),
)


def report(campaign: Campaign) -> dict:
    """The campaign, its totals and its nested funnel (the page and the API show this)."""
    s = scope(campaign)
    # A funnel starts at registration for a fair; a campaign of live sessions only has none.
    stages = funnel_mod.funnel(s)["stages"] if s.fairs else []
    return {
        "campaign": {
            "id": campaign.id,
            "title": campaign.title,
            "description": campaign.description,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "fair_ids": campaign.fair_ids,
            "session_ids": campaign.session_ids,
        },
        "fairs": [
            {"id": f.id, "title": f.title, "starts_at": f.starts_at, "ends_at": f.ends_at}
            for f in s.fairs
        ],
        "totals": totals(campaign),
        "stages": stages,
    }


def export_tables(data: dict) -> list[tuple[str, list[list]]]:
    """The campaign page's numbers as tables for CSV / Excel (aggregates only)."""
    c = data["campaign"]
    head = [
        [f"专项活动成果：{c['title']}（{exports.NOTICE}）"],
        ["时间", f"{c['starts_on'].isoformat()} 至 {c['ends_on'].isoformat()}"],
        [],
        [label for _, label in TOTAL_LABELS],
        [data["totals"][key] for key, _ in TOTAL_LABELS],
        [],
        ["包含的招聘会"],
        *[[f["title"]] for f in data["fairs"]],
    ]
    tables = [("活动总成果", head)]
    if data["stages"]:
        tables.append(
            ("活动漏斗", exports.funnel_rows({"stages": data["stages"]}, f"活动漏斗：{c['title']}"))
        )
    return tables
