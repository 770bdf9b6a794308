"""Outcome funnel: who got how far, per fair (or campaign), priority group and district.

Stage definitions (the one place they are defined; the page, the chart, the API and the
CSV / Excel exports all take their numbers from ``report`` / ``funnel`` here):

Starting population
  * With a fair: seekers with a ``FairRegistration`` for that fair (报名参会). A campaign is
    the same over all of its fairs.
  * Without a fair: every seeker account on the platform (平台注册).
  * ``group`` narrows the population to seekers who gave explicit consent to store priority-group
    status (``SeekerProfile.group_consent``) and hold that ``SeekerGroup``. Without consent a
    seeker counts in no group, whatever was typed.
  * ``district`` narrows it to seekers whose district is the *first* entry of
    ``SeekerProfile.districts`` (the same rule casework uses; no entry = 未填写).

The funnel is nested and cohort-based: a stage counts the people of the population who
reached it *and passed every stage before it*, so no stage exceeds the one before. People who
reached a stage without passing the one before (e.g. applied at the fair without 到场) are
not counted there; they are reported beside it as ``not_nested`` so nothing is hidden.

  attended    到场: pressed 进入会场 online, joined a booth queue, or was checked in on site
              — at the door or at a booth by QR code / check-in code, by scanning a booth's
              QR code, or registered at the staff kiosk (all write ``FairAttendance``).
              Fairs only.
  engaged     与用人单位接触: queued at (``QueueEntry``), had a 1:1 chat (``InterviewChat``)
              with, or was checked in on site at (``BoothVisit``) one of the fair's booths,
              or applied (below). Fairs only.
  applied     submitted an ``Application``. With a fair: to a position shown at one of the fair's
              approved booths while the fair was running (starts_at..ends_at), or from a card
              pinned in the fair's lobby / live sessions (``LiveApplication``).
  invited     one of those applications reached 邀请面试 or later: its status is interview,
              hired or onboarded now, or its history has such a step (a rejection after the
              interview still counts as invited).
  hired       one of those applications is 录用 / 已入职 (status or history).
  employed_N  (N = 30, 90, 180) a hired seeker whose ``EmploymentFollowUp`` at day mark N says
              still employed (recorded by a case worker or confirmed by the seeker). With a fair,
              only follow-ups of hires dated on or after the fair's first day count.

Each stage is one query returning distinct seeker ids (at most a few thousand integers);
populations, groups, districts and the nesting are then plain set operations, so a funnel for
every group and district costs the same ~8 queries.
"""

from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import and_, or_, select, union

from jobfair import reference
from jobfair.errors import DomainError, NotFound
from jobfair.extensions import db
from jobfair.formatting import LOCAL_TZ
from jobfair.ids import is_id, parse_id
from jobfair.models.application import Application, ApplicationEvent, ApplicationStatus
from jobfair.models.campaign import Campaign
from jobfair.models.casework import EmploymentFollowUp
from jobfair.models.common import GROUP_LABELS, PriorityGroup
from jobfair.models.fair import (
    Booth,
    BoothPosition,
    BoothStatus,
    Fair,
    FairAttendance,
    FairRegistration,
    LiveSession,
)
from jobfair.models.live import InterviewChat, LiveApplication, QueueEntry
from jobfair.models.onsite import BoothVisit
from jobfair.models.seeker import SeekerGroup, SeekerProfile, group_of_key
from jobfair.models.user import Role, User

INVITED = (ApplicationStatus.INTERVIEW, ApplicationStatus.HIRED, ApplicationStatus.ONBOARDED)
HIRED = (ApplicationStatus.HIRED, ApplicationStatus.ONBOARDED)
DAY_MARKS = (30, 90, 180)
NO_DISTRICT = "未填写"

STAGES = (
    ("registered", "报名参会"),
    ("attended", "到场"),
    ("engaged", "与用人单位接触"),
    ("applied", "投递"),
    ("invited", "邀请面试"),
    ("hired", "录用/入职"),
    ("employed_30", "30天仍在岗"),
    ("employed_90", "90天仍在岗"),
    ("employed_180", "180天仍在岗"),
)
FAIR_ONLY_STAGES = ("attended", "engaged")
PLATFORM_FIRST_LABEL = "平台注册"


def stage_labels(with_fair: bool) -> list[tuple[str, str]]:
    """The stages in order: a fair's (or campaign's) funnel, or the platform's."""
    if with_fair:
        return list(STAGES)
    rest = [s for s in STAGES[1:] if s[0] not in FAIR_ONLY_STAGES]
    return [("registered", PLATFORM_FIRST_LABEL), *rest]


@dataclass
class Scope:
    """What a funnel is about: one fair, a campaign's fairs and sessions, or the platform."""

    fairs: list[Fair]
    session_ids: tuple[int, ...] = ()
    campaign: Campaign | None = None

    @property
    def with_fair(self) -> bool:
        return bool(self.fairs or self.session_ids)

    @classmethod
    def of(cls, fair: "Fair | Scope | None") -> "Scope":
        if isinstance(fair, Scope):
            return fair
        return cls([fair] if fair is not None else [])

    @classmethod
    def of_campaign(cls, campaign: Campaign) -> "Scope":
        """A campaign's fairs (in time order) and its own live sessions."""
        fairs = sorted((link.fair for link in campaign.fair_links), key=lambda f: f.starts_at)
        return cls(fairs, tuple(campaign.session_ids), campaign)


@dataclass
class SeekerIndex:
    """Who is a seeker, which consented groups they hold, and their district."""

    all: set[int]
    groups: dict[str, set[int]]
    districts: dict[str, set[int]]


def seeker_index() -> SeekerIndex:
    """Two queries: every seeker with their first district, and consented group rows."""
    rows = db.session.execute(
        select(User.id, SeekerProfile.districts)
        .outerjoin(SeekerProfile, SeekerProfile.user_id == User.id)
        .where(User.role == Role.SEEKER)
    ).all()
    everyone: set[int] = set()
    districts: dict[str, set[int]] = {}
    for user_id, wanted in rows:
        everyone.add(user_id)
        first = wanted[0] if isinstance(wanted, list) and wanted else NO_DISTRICT
        districts.setdefault(first, set()).add(user_id)
    groups: dict[str, set[int]] = {str(g): set() for g in PriorityGroup}
    for user_id, key in db.session.execute(
        select(SeekerProfile.user_id, SeekerGroup.group_key)
        .join(SeekerGroup, SeekerGroup.profile_id == SeekerProfile.id)
        .where(SeekerProfile.group_consent.is_(True))
    ):
        groups.setdefault(group_of_key(key), set()).add(user_id)
    return SeekerIndex(everyone, groups, districts)


def fair_application_filter(fair: Fair | Scope):
    """Applications that belong to a fair or scope (see "applied" in the module docstring)."""
    scope = Scope.of(fair)
    fair_ids = [f.id for f in scope.fairs]
    shown = (
        select(BoothPosition.position_id)
        .join(Booth, Booth.id == BoothPosition.booth_id)
        .where(Booth.status == BoothStatus.APPROVED)
    )
    live = select(LiveApplication.application_id).where(
        or_(
            LiveApplication.fair_id.in_(fair_ids),
            LiveApplication.session_id.in_(
                select(LiveSession.id).where(LiveSession.fair_id.in_(fair_ids))
            ),
            LiveApplication.session_id.in_(scope.session_ids),
        )
    )
    during = [
        and_(
            Application.position_id.in_(shown.where(Booth.fair_id == f.id)),
            Application.created_at >= f.starts_at,
            Application.created_at <= f.ends_at,
        )
        for f in scope.fairs
    ]
    return or_(*during, Application.id.in_(live))


def reached(statuses, app_filter=None):
    """Select of application ids whose status, now or in their history, is in ``statuses``."""
    now = select(Application.id).where(Application.status.in_(statuses))
    past = (
        select(ApplicationEvent.application_id)
        .join(Application, Application.id == ApplicationEvent.application_id)
        .where(ApplicationEvent.to_status.in_(statuses))
    )
    if app_filter is not None:
        now, past = now.where(app_filter), past.where(app_filter)
    return union(now, past)


def _ids(stmt) -> set[int]:
    return set(db.session.scalars(stmt))


def stage_sets(fair: Fair | Scope | None) -> dict[str, set[int]]:
    """Seeker ids that reached each stage (not yet limited to a population, nor nested)."""
    scope = Scope.of(fair)
    out: dict[str, set[int]] = {}
    app_filter = fair_application_filter(scope) if scope.with_fair else None
    if scope.with_fair:
        fair_ids = [f.id for f in scope.fairs]
        booths = select(Booth.id).where(Booth.fair_id.in_(fair_ids))
        out["registered"] = _ids(
            select(FairRegistration.seeker_user_id)
            .where(FairRegistration.fair_id.in_(fair_ids))
            .distinct()
        )
        out["attended"] = _ids(
            select(FairAttendance.seeker_user_id)
            .where(FairAttendance.fair_id.in_(fair_ids))
            .distinct()
        )
        queued = select(QueueEntry.seeker_user_id).where(QueueEntry.booth_id.in_(booths))
        chatted = select(InterviewChat.seeker_user_id).where(InterviewChat.booth_id.in_(booths))
        visited = select(BoothVisit.seeker_user_id).where(BoothVisit.fair_id.in_(fair_ids))
    applied = select(Application.seeker_id).distinct()
    if app_filter is not None:
        applied = applied.where(app_filter)
    out["applied"] = _ids(applied)
    if scope.with_fair:
        out["engaged"] = _ids(union(queued, chatted, visited)) | out["applied"]
    out["invited"] = _ids(
        select(Application.seeker_id)
        .where(Application.id.in_(reached(INVITED, app_filter).scalar_subquery()))
        .distinct()
    )
    out["hired"] = _ids(
        select(Application.seeker_id)
        .where(Application.id.in_(reached(HIRED, app_filter).scalar_subquery()))
        .distinct()
    )
    follow = select(EmploymentFollowUp.seeker_id, EmploymentFollowUp.day_mark).where(
        EmploymentFollowUp.still_employed.is_(True)
    )
    if scope.fairs:
        first = min(f.starts_at for f in scope.fairs)
        follow = follow.where(
            EmploymentFollowUp.hired_on >= first.replace(tzinfo=UTC).astimezone(LOCAL_TZ).date()
        )
    marks: dict[int, set[int]] = {m: set() for m in DAY_MARKS}
    for seeker_id, mark in db.session.execute(follow.distinct()):
        if mark in marks:
            marks[mark].add(seeker_id)
    for mark in DAY_MARKS:
        out[f"employed_{mark}"] = marks[mark] & out["hired"]
    return out


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _stages(population: set[int], sets: dict[str, set[int]], with_fair: bool) -> list[dict]:
    """Nested counts: each stage keeps only those who passed the stage before."""
    rows = []
    first = None
    passed = population
    for key, label in stage_labels(with_fair):
        here = population if key == "registered" else population & sets.get(key, set())
        nested = here & passed
        n = len(nested)
        if first is None:
            first = n
        rows.append(
            {
                "key": key,
                "label": label,
                "count": n,
                "pct_of_start": _pct(n, first),
                "pct_of_previous": _pct(n, len(passed)) if rows else None,
                "not_nested": len(here - passed),
            }
        )
        passed = nested
    return rows


# --- filters -------------------------------------------------------------------------------


def get_fair(fair_id) -> Fair:
    fair = db.session.get(Fair, fair_id) if is_id(fair_id) else None
    if fair is None:
        raise NotFound("招聘会不存在。")
    return fair


def parse_filters(args) -> dict:
    """fair / group / district from a query string; unknown values are a Chinese 400."""
    out: dict = {"fair": None, "campaign": None, "group": None, "district": None}
    fair = (args.get("fair") or "").strip()
    if fair:
        if parse_id(fair) is None:
            raise DomainError(
                "招聘会编号应为正整数。",
                code="bad_filter",
                status=400,
                fields={"fair": "应为整数。"},
            )
        fair_obj = db.session.get(Fair, int(fair))
        if fair_obj is None:
            raise DomainError(
                "招聘会不存在。", code="bad_filter", status=400, fields={"fair": "招聘会不存在。"}
            )
        out["fair"] = fair_obj
    campaign = (args.get("campaign") or "").strip()
    if campaign:
        found = db.session.get(Campaign, int(campaign)) if parse_id(campaign) else None
        if found is None:
            raise DomainError(
                "专项活动不存在。",
                code="bad_filter",
                status=400,
                fields={"campaign": "专项活动不存在。"},
            )
        if out["fair"] is not None:
            raise DomainError(
                "招聘会和专项活动只能选一个。",
                code="bad_filter",
                status=400,
                fields={"campaign": "已选了招聘会。"},
            )
        out["campaign"] = found
    group = (args.get("group") or "").strip()
    if group:
        if group not in {str(g) for g in PriorityGroup}:
            raise DomainError(
                f"未知的重点群体“{group}”。",
                code="bad_filter",
                status=400,
                fields={"group": "不是可选的重点群体。"},
            )
        out["group"] = group
    district = (args.get("district") or "").strip()
    if district:
        if district not in (*reference.districts(), NO_DISTRICT):
            raise DomainError(
                f"未知的区“{district}”。",
                code="bad_filter",
                status=400,
                fields={"district": "不是本市的区。"},
            )
        out["district"] = district
    return out


def target(filters: dict) -> "Fair | Scope | None":
    """What the chosen filters count over: a fair, a campaign's scope, or the platform."""
    if filters.get("campaign") is not None:
        return Scope.of_campaign(filters["campaign"])
    return filters.get("fair")


# --- public API of this module -------------------------------------------------------------


def population(
    index: SeekerIndex, sets: dict, fair, group: str | None, district: str | None
) -> set[int]:
    with_fair = Scope.of(fair).with_fair
    people = set(sets["registered"]) & index.all if with_fair else set(index.all)
    if group:
        people &= index.groups.get(group, set())
    if district:
        people &= index.districts.get(district, set())
    return people


def funnel(
    fair: Fair | Scope | None = None, group: str | None = None, district: str | None = None
) -> dict:
    """One funnel for the chosen fair / group / district (any of them optional)."""
    return _funnel(seeker_index(), stage_sets(fair), fair, group, district)


def _funnel(index: SeekerIndex, sets: dict, fair, group, district) -> dict:
    people = population(index, sets, fair, group, district)
    one = fair if isinstance(fair, Fair) else None
    campaign = fair.campaign if isinstance(fair, Scope) else None
    return {
        "fair": {"id": one.id, "title": one.title} if one is not None else None,
        "campaign": {"id": campaign.id, "title": campaign.title} if campaign else None,
        "group": group,
        "group_label": GROUP_LABELS[PriorityGroup(group)] if group else None,
        "district": district,
        "stages": _stages(people, sets, Scope.of(fair).with_fair),
    }


def breakdown(by: str, fair: Fair | None = None) -> list[dict]:
    """The funnel for every priority group (by="group") or district (by="district") at once."""
    return _breakdown(seeker_index(), stage_sets(fair), by, fair)


def _breakdown(index: SeekerIndex, sets: dict, by: str, fair) -> list[dict]:
    if by == "group":
        keys = [(str(g), GROUP_LABELS[g], str(g), None) for g in PriorityGroup]
    else:
        names = list(reference.districts())
        if index.districts.get(NO_DISTRICT):
            names.append(NO_DISTRICT)
        keys = [(d, d, None, d) for d in names]
    rows = []
    for key, label, group, district in keys:
        people = population(index, sets, fair, group, district)
        stages = _stages(people, sets, Scope.of(fair).with_fair)
        rows.append({"key": key, "label": label, "counts": {s["key"]: s["count"] for s in stages}})
    return rows


def report(fair: Fair | None = None, group: str | None = None, district: str | None = None):
    """The chosen funnel plus the by-group and by-district tables, from one set of queries."""
    index, sets = seeker_index(), stage_sets(fair)
    data = _funnel(index, sets, fair, group, district)
    data["by_group"] = _breakdown(index, sets, "group", fair)
    data["by_district"] = _breakdown(index, sets, "district", fair)
    return data
