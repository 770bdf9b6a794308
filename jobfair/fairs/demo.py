"""Demo data of the fairs feature (seed/fairs.json), loaded by `flask seed` after the core records.

Fairs keyed by title, booths by (fair, employer), registrations by (fair, seeker), live
sessions by (fair, title) and the demo rep by phone: anything that already exists is left
alone, so running the seed twice creates nothing new.

Running fairs get 到场 records (online joins and on-site QR check-ins, ``attended``) and every
registration a check-in code. One 专项活动 (``campaign_record``) is named after the season of
the current fair and groups the fairs that fall in that season.

Times are Beijing working hours on days counted from the day the seed runs: a fair opens at
09:00 and closes at 17:00, sessions start at their clock time. A campaign fair is named after
the campaign of the season it runs in and the year it starts in ("2027 年春风行动…" runs in
January–March 2027); the next campaign's fair opens on the second Monday of its first month.
"""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from jobfair.extensions import db
from jobfair.fairs.attendance import new_code
from jobfair.models import (
    Booth,
    BoothPosition,
    Campaign,
    CampaignFair,
    Employer,
    EmployerRep,
    Fair,
    FairAttendance,
    FairGroup,
    FairRegistration,
    LiveSession,
    LiveSessionEmployer,
    Position,
    Role,
    SeekerGroup,
    SeekerProfile,
    User,
)
from jobfair.security import hash_password
from jobfair.seeding import at_local, local_clock, local_day, read_seed, write_transaction


def campaign_for(campaigns: list[dict], day: date) -> dict:
    return next(c for c in campaigns if day.month in c["months"])


def second_monday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7 + 7)


class Calendar:
    """Where the demo's fairs and sessions fall, seen from `now` (naive UTC)."""

    def __init__(self, spec: dict, now: datetime):
        self.now = now
        self.today = local_day(now)
        self.opens, self.closes = map(time.fromisoformat, spec["working_hours"])
        self.on_air_next = time.fromisoformat(spec["on_air_next"])
        self.campaigns = spec["campaigns"]
        self.current = next(f["first_day"] for f in spec["fairs"] if f.get("campaign") == "current")

    def first_day(self, fair: dict) -> date:
        if fair.get("campaign") == "next":
            current = self.today + timedelta(days=self.current)
            index = self.campaigns.index(campaign_for(self.campaigns, current))
            months = self.campaigns[(index + 1) % len(self.campaigns)]["months"]
            year = current.year + (months[0] <= current.month)
            return second_monday(year, months[0])
        return self.today + timedelta(days=fair["first_day"])

    def title_and_theme(self, fair: dict, first: date) -> tuple[str, str]:
        if "campaign" not in fair:
            return fair["title"], fair["theme"]
        campaign = campaign_for(self.campaigns, first)
        return campaign["title"].format(year=first.year), campaign["theme"]

    def window(self, first: date, days: int) -> tuple[datetime, datetime]:
        return at_local(first, self.opens), at_local(first + timedelta(days=days - 1), self.closes)

    def session(self, first: date, s: dict) -> tuple[datetime, str]:
        """Start (naive UTC) and status of a session."""
        if not s.get("on_air"):
            return at_local(first + timedelta(days=s["day"]), s["at"]), "scheduled"
        clock = local_clock(self.now)
        if self.opens <= clock.time() < self.closes:
            # On air now: it began on the half hour, between 20 and 50 minutes ago.
            began = clock - timedelta(minutes=20)
            began = began.replace(minute=began.minute // 30 * 30, second=0, microsecond=0)
            began = max(began, datetime.combine(clock.date(), self.opens))
            return at_local(began.date(), began.time()), "live"
        day = clock.date() if clock.time() < self.opens else clock.date() + timedelta(days=1)
        return at_local(day, self.on_air_next), "scheduled"


class _Demo:
    def __init__(self, spec: dict, now: datetime):
        self.spec = spec
        self.now = now
        self.calendar = Calendar(spec, now)
        self.made = {
            "招聘会": 0,
            "展位": 0,
            "招聘会报名": 0,
            "到场记录": 0,
            "直播场次": 0,
            "招聘代表账号": 0,
            "专项活动": 0,
        }
        phones = {spec["rep"]["employer"], spec["demo_seeker"]}
        for fair in spec["fairs"]:
            phones.update(fair["approved"])
            phones.update([fair["pending"], fair["declined"][0]])
        rows = db.session.execute(
            select(User.phone, Employer)
            .outerjoin(Employer, Employer.user_id == User.id)
            .where(User.phone.in_(phones))
        ).all()
        self.employers = {phone: emp for phone, emp in rows if emp is not None}
        organiser_login = read_seed("accounts")["organisers"][0]["login"]
        self.organiser = db.session.scalar(
            select(User).filter_by(phone=organiser_login, role=Role.ORGANISER)
        )

    def fair(self, spec: dict, first: date) -> Fair:
        title, theme = self.calendar.title_and_theme(spec, first)
        fair = db.session.scalar(select(Fair).filter_by(title=title))
        if fair is not None:
            return fair
        starts, ends = self.calendar.window(first, spec["days"])
        fair = Fair(
            title=title,
            theme=theme,
            description=spec["description"],
            status="published",
            starts_at=starts,
            ends_at=ends,
            capacity=spec["capacity"],
            eligibility_group=spec["eligibility"],
            created_by=self.organiser.id,
            created_at=self.now - timedelta(days=10),
        )
        fair.groups = [FairGroup(group=g) for g in spec["groups"]]
        db.session.add(fair)
        db.session.flush()
        self.made["招聘会"] += 1
        return fair

    def booth(self, fair: Fair, phone: str, status: str, reason: str = "") -> None:
        emp = self.employers.get(phone)
        if emp is None or not emp.is_verified:
            return
        if db.session.scalar(select(Booth.id).filter_by(fair_id=fair.id, employer_id=emp.id)):
            return
        positions = db.session.scalars(
            select(Position.id)
            .filter_by(employer_id=emp.id, status="published")
            .order_by(Position.id)
            .limit(self.spec["positions_per_booth"])
        ).all()
        if not positions:
            return
        booth = Booth(
            fair_id=fair.id,
            employer_id=emp.id,
            status=status,
            decline_reason=reason,
            intro=(emp.description or "")[:300],
            chat_minutes=10,
            created_at=fair.created_at + timedelta(days=1),
            decided_at=None if status == "pending" else fair.created_at + timedelta(days=2),
        )
        booth.position_links = [BoothPosition(position_id=pid) for pid in positions]
        db.session.add(booth)
        self.made["展位"] += 1

    def registrations(self, fair: Fair, spec: dict) -> None:
        user_ids = list(
            db.session.scalars(
                select(SeekerProfile.user_id)
                .join(SeekerGroup, SeekerGroup.profile_id == SeekerProfile.id)
                .where(
                    SeekerProfile.group_consent.is_(True),
                    SeekerGroup.group.in_(spec["seeker_groups"]),
                    # Walk-ins registered at the window (no smartphone) do not sign up online.
                    SeekerProfile.registered_by.is_(None),
                )
                .order_by(SeekerProfile.user_id)
                .distinct()
                .limit(spec["seekers"])
            )
        )
        demo_seeker = db.session.scalar(select(User.id).filter_by(phone=self.spec["demo_seeker"]))
        if demo_seeker and spec.get("register_demo_seeker") and demo_seeker not in user_ids:
            user_ids.append(demo_seeker)
        have = set(
            db.session.scalars(select(FairRegistration.seeker_user_id).filter_by(fair_id=fair.id))
        )
        for i, uid in enumerate(user_ids):
            if uid in have:
                continue
            created = min(fair.created_at + timedelta(hours=6 + i), self.now)
            db.session.add(
                FairRegistration(
                    fair_id=fair.id, seeker_user_id=uid, created_at=created, checkin_code=new_code()
                )
            )
            self.made["招聘会报名"] += 1

    def attendance(self, fair: Fair, spec: dict) -> None:
        """到场 of a running fair: the first registrants joined online, the next checked in on
        site (scanned by the organiser), an hour apart from the opening."""
        plan = spec.get("attended")
        if not plan or fair.starts_at > self.now:
            return
        registrants = db.session.scalars(
            select(FairRegistration.seeker_user_id)
            .filter_by(fair_id=fair.id)
            .order_by(FairRegistration.created_at, FairRegistration.id)
        ).all()
        have = set(
            db.session.scalars(select(FairAttendance.seeker_user_id).filter_by(fair_id=fair.id))
        )
        # The demo seeker is left to press 进入会场 (or show the QR code) themselves.
        demo_seeker = db.session.scalar(select(User.id).filter_by(phone=self.spec["demo_seeker"]))
        registrants = [uid for uid in registrants if uid != demo_seeker]
        online, onsite = plan["online"], plan["onsite"]
        for i, uid in enumerate(registrants[: online + onsite]):
            if uid in have:
                continue
            at = min(fair.starts_at + timedelta(minutes=20 * (i + 1)), self.now)
            row = FairAttendance(fair_id=fair.id, seeker_user_id=uid, created_at=at)
            if i < online:
                row.online_at = at
            else:
                row.onsite_at, row.checked_in_by = at, self.organiser.id
            db.session.add(row)
            self.made["到场记录"] += 1

    def campaign(self, fairs: list[tuple[Fair, date, int]]) -> None:
        """The season's 专项活动 over the demo fairs that fall in it."""
        current = next(
            (first for spec, first in self.firsts if spec.get("campaign") == "current"), None
        )
        if current is None:
            return
        season = campaign_for(self.calendar.campaigns, current)
        title = season["campaign"].format(year=current.year)
        if db.session.scalar(select(Campaign.id).filter_by(title=title)) is not None:
            return
        months = season["months"]
        starts = date(current.year, months[0], 1)
        last = date(current.year + (months[-1] == 12), months[-1] % 12 + 1, 1)
        ends = last - timedelta(days=1)
        campaign = Campaign(
            title=title,
            description=self.spec["campaign_record"]["description"],
            starts_on=starts,
            ends_on=ends,
            created_by=self.organiser.id,
            created_at=self.now - timedelta(days=12),
        )
        campaign.fair_links = [
            CampaignFair(fair_id=fair.id)
            for fair, first, days in fairs
            if starts <= first and first + timedelta(days=days - 1) <= ends
        ]
        db.session.add(campaign)
        self.made["专项活动"] += 1

    def sessions(self, fair: Fair, spec: dict, first: date) -> None:
        have = set(db.session.scalars(select(LiveSession.title).filter_by(fair_id=fair.id)))
        for s in spec["sessions"]:
            if s["title"] in have:
                continue
            starts, status = self.calendar.session(first, s)
            ls = LiveSession(
                fair_id=fair.id,
                title=s["title"],
                description=s["description"],
                host_user_id=self.organiser.id,
                stream_url=s["stream_url"],
                starts_at=starts,
                ends_at=starts + timedelta(minutes=s["minutes"]),
                status=status,
                created_at=fair.created_at,
            )
            ls.employer_links = [
                LiveSessionEmployer(employer_id=self.employers[p].id)
                for p in s["employers"]
                if p in self.employers
            ]
            db.session.add(ls)
            self.made["直播场次"] += 1

    def rep(self) -> None:
        rep = self.spec["rep"]
        emp = self.employers.get(rep["employer"])
        if emp is None or db.session.scalar(select(User.id).filter_by(phone=rep["phone"])):
            return

        user = User(
            role=Role.EMPLOYER,
            phone=rep["phone"],
            name=rep["name"],
            password_hash=hash_password(read_seed("accounts")["demo_password"]),
            must_change_password=False,
        )
        db.session.add(user)
        db.session.flush()
        db.session.add(EmployerRep(employer_id=emp.id, user_id=user.id))
        self.made["招聘代表账号"] += 1


def seed_demo(now: datetime) -> dict[str, int]:
    """Create this feature's demo records idempotently; return {中文标签: 新增条数}."""
    spec = read_seed("fairs")
    with write_transaction():
        demo = _Demo(spec, now)
        if not demo.employers or demo.organiser is None:
            return {}
        demo.firsts = [(f, demo.calendar.first_day(f)) for f in spec["fairs"]]
        made = []
        for fair_spec, first in demo.firsts:
            fair = demo.fair(fair_spec, first)
            made.append((fair, first, fair_spec["days"]))
            for phone in fair_spec["approved"]:
                demo.booth(fair, phone, "approved")
            demo.booth(fair, fair_spec["pending"], "pending")
            phone, reason = fair_spec["declined"]
            demo.booth(fair, phone, "declined", reason)
            db.session.flush()
            demo.registrations(fair, fair_spec)
            db.session.flush()
            demo.attendance(fair, fair_spec)
            demo.sessions(fair, fair_spec, first)
        demo.campaign(made)
        demo.rep()
    return demo.made
