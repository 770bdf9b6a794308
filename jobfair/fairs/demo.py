"""Demo data of the fairs feature, loaded by `flask seed` after the core records.

Three fairs keyed by title, booths keyed by (fair, employer credit code), registrations by
(fair, seeker), live sessions by (fair, title) and the demo rep by phone: anything that
already exists is left alone, so running the seed twice creates nothing new.
"""

import json
from datetime import datetime, timedelta

from sqlalchemy import select

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import (
    Booth,
    BoothPosition,
    Employer,
    EmployerRep,
    Fair,
    FairGroup,
    FairRegistration,
    LiveSession,
    LiveSessionEmployer,
    Position,
    Role,
    SeekerProfile,
    User,
)

ORGANISER = "13900000001"
DEMO_EMPLOYER = "13900000002"
DEMO_SEEKER = "13900000003"
DEMO_REP = {"phone": "13900000004", "name": "王小凤"}
POSITIONS_PER_BOOTH = 4

# Times are offsets from `now` in hours; booths name employers by their login phone.
FAIRS = [
    {
        "title": "2027 年春风行动线上招聘会",
        "theme": "春风送岗位 · 就业暖民心",
        "description": (
            "面向农村转移劳动力、就业困难人员等重点群体的线上专场。\n"
            "报名后可进入各单位展位排队，与招聘代表一对一视频洽谈；每天下午安排直播带岗。"
        ),
        "start": -24,
        "hours": 24 * 7,
        "capacity": None,
        "eligibility": None,
        "groups": ["rural_migrant", "urban_hardship", "zero_employment_household"],
        "approved": [
            DEMO_EMPLOYER,
            "13900000101",
            "13900000103",
            "13900000105",
            "13900000106",
            "13900000110",
            "13900000116",
            "13900000119",
        ],
        "pending": "13900000108",
        "declined": (
            "13900000107",
            "展示岗位与本场招聘会面向的群体不符，请选择适合农村转移劳动力的岗位后重新申请。",
        ),
        "seeker_groups": ["rural_migrant", "urban_hardship", "zero_employment_household"],
        "seekers": 30,
        "sessions": [
            {
                "title": "直播带岗：制造业普工专场",
                "description": "宁钢精工等企业 HR 在线讲岗，现场答疑薪资、住宿和班车。",
                "start": -0.5,
                "hours": 2,
                "status": "live",
                "stream_url": "https://live.example.cn/hls/chunfeng-1.m3u8",
                "employers": [DEMO_EMPLOYER, "13900000101", "13900000105"],
            },
            {
                "title": "直播带岗：物流与家政服务",
                "description": "快递分拣、仓储、家政服务岗位集中介绍。",
                "start": 24,
                "hours": 1.5,
                "status": "scheduled",
                "stream_url": "https://live.example.cn/embed/chunfeng-2",
                "employers": ["13900000110", "13900000119"],
            },
        ],
    },
    {
        "title": "高校毕业生云招聘专场",
        "theme": "青春留宁 · 就业启航",
        "description": "仅面向高校毕业生（含离校未就业毕业生），提供软件、客服、酒店管理等岗位。",
        "start": 24 * 7,
        "hours": 24 * 2,
        "capacity": 2000,
        "eligibility": "graduate",
        "groups": ["graduate"],
        "approved": [
            "13900000137",
            "13900000138",
            "13900000121",
            "13900000104",
            "13900000102",
            "13900000124",
            "13900000116",
            "13900000117",
        ],
        "pending": "13900000120",
        "declined": (
            "13900000122",
            "请补充适合应届毕业生的岗位说明（培养计划、试用期安排）后重新申请。",
        ),
        "seeker_groups": ["graduate"],
        "seekers": 40,
        "sessions": [
            {
                "title": "直播带岗：软件与数字经济岗位",
                "description": "云栖软件、数智信息科技技术负责人讲解校招岗位与培养计划。",
                "start": 24 * 7 + 2,
                "hours": 2,
                "status": "scheduled",
                "stream_url": "https://live.example.cn/hls/graduate-1.m3u8",
                "employers": ["13900000137", "13900000138"],
            }
        ],
    },
    {
        "title": "退捕渔民转产就业专场",
        "theme": "长江禁渔 · 转产上岸",
        "description": "面向长江退捕渔民，提供水产养殖、船舶修造、港口物流和农业岗位。",
        "start": -2,
        "hours": 24 * 3,
        "capacity": 500,
        "eligibility": None,
        "groups": ["retired_fisher"],
        "approved": [
            "13900000130",
            "13900000131",
            "13900000132",
            "13900000133",
            "13900000109",
            "13900000115",
            "13900000135",
            "13900000139",
        ],
        "pending": "13900000136",
        "declined": ("13900000134", "本场招聘会展位已满，欢迎报名下一期专场。"),
        "seeker_groups": ["retired_fisher"],
        "seekers": 20,
        "sessions": [
            {
                "title": "直播带岗：水产养殖与船舶修造",
                "description": "合作社与船厂负责人介绍岗位，讲解转产技能培训补贴。",
                "start": 3,
                "hours": 1.5,
                "status": "scheduled",
                "stream_url": "https://live.example.cn/embed/fisher-1",
                "employers": ["13900000130", "13900000109"],
            }
        ],
    },
]


def _demo_password() -> str:
    from jobfair.seeding import SEED_DIR

    with open(SEED_DIR / "accounts.json", encoding="utf-8") as fh:
        return json.load(fh)["demo_password"]


def _h(now: datetime, hours: float) -> datetime:
    return (now + timedelta(hours=hours)).replace(second=0, microsecond=0)


class _Demo:
    def __init__(self, now: datetime):
        self.now = now
        self.made = {"招聘会": 0, "展位": 0, "招聘会报名": 0, "直播场次": 0, "招聘代表账号": 0}
        phones = {DEMO_EMPLOYER, ORGANISER, DEMO_SEEKER}
        for spec in FAIRS:
            phones.update(spec["approved"])
            phones.update([spec["pending"], spec["declined"][0]])
        rows = db.session.execute(
            select(User.phone, Employer)
            .outerjoin(Employer, Employer.user_id == User.id)
            .where(User.phone.in_(phones))
        ).all()
        self.employers = {phone: emp for phone, emp in rows if emp is not None}
        self.organiser = db.session.scalar(
            select(User).filter_by(phone=ORGANISER, role=Role.ORGANISER)
        )

    def fair(self, spec: dict) -> Fair:
        fair = db.session.scalar(select(Fair).filter_by(title=spec["title"]))
        if fair is not None:
            return fair
        fair = Fair(
            title=spec["title"],
            theme=spec["theme"],
            description=spec["description"],
            status="published",
            starts_at=_h(self.now, spec["start"]),
            ends_at=_h(self.now, spec["start"] + spec["hours"]),
            capacity=spec["capacity"],
            eligibility_group=spec["eligibility"],
            created_by=self.organiser.id if self.organiser else None,
            created_at=_h(self.now, -24 * 10),
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
            .limit(POSITIONS_PER_BOOTH)
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
        from jobfair.models import SeekerGroup

        user_ids = list(
            db.session.scalars(
                select(SeekerProfile.user_id)
                .join(SeekerGroup, SeekerGroup.profile_id == SeekerProfile.id)
                .where(
                    SeekerProfile.group_consent.is_(True),
                    SeekerGroup.group.in_(spec["seeker_groups"]),
                )
                .order_by(SeekerProfile.user_id)
                .distinct()
                .limit(spec["seekers"])
            )
        )
        demo_seeker = db.session.scalar(select(User.id).filter_by(phone=DEMO_SEEKER))
        # The demo seeker (a rural migrant worker) is registered for the spring fair.
        if demo_seeker and spec["title"].startswith("2027 年春风") and demo_seeker not in user_ids:
            user_ids.append(demo_seeker)
        have = set(
            db.session.scalars(select(FairRegistration.seeker_user_id).filter_by(fair_id=fair.id))
        )
        for i, uid in enumerate(user_ids):
            if uid in have:
                continue
            created = min(fair.created_at + timedelta(hours=6 + i), self.now)
            db.session.add(
                FairRegistration(fair_id=fair.id, seeker_user_id=uid, created_at=created)
            )
            self.made["招聘会报名"] += 1

    def sessions(self, fair: Fair, spec: dict) -> None:
        have = set(db.session.scalars(select(LiveSession.title).filter_by(fair_id=fair.id)))
        for s in spec["sessions"]:
            if s["title"] in have:
                continue
            ls = LiveSession(
                fair_id=fair.id,
                title=s["title"],
                description=s["description"],
                host_user_id=self.organiser.id if self.organiser else None,
                stream_url=s["stream_url"],
                starts_at=_h(self.now, s["start"]),
                ends_at=_h(self.now, s["start"] + s["hours"]),
                status=s["status"],
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
        emp = self.employers.get(DEMO_EMPLOYER)
        if emp is None or db.session.scalar(select(User.id).filter_by(phone=DEMO_REP["phone"])):
            return
        from jobfair.security import hash_password

        user = User(
            role=Role.EMPLOYER,
            phone=DEMO_REP["phone"],
            name=DEMO_REP["name"],
            password_hash=hash_password(_demo_password()),
            must_change_password=False,
        )
        db.session.add(user)
        db.session.flush()
        db.session.add(EmployerRep(employer_id=emp.id, user_id=user.id))
        self.made["招聘代表账号"] += 1


def seed_demo(now: datetime) -> dict[str, int]:
    """Create this feature's demo records idempotently; return {中文标签: 新增条数}."""
    with writing():
        try:
            demo = _Demo(now)
            if not demo.employers or demo.organiser is None:
                return {}
            for spec in FAIRS:
                fair = demo.fair(spec)
                for phone in spec["approved"]:
                    demo.booth(fair, phone, "approved")
                demo.booth(fair, spec["pending"], "pending")
                demo.booth(fair, spec["declined"][0], "declined", spec["declined"][1])
                db.session.flush()
                demo.registrations(fair, spec)
                demo.sessions(fair, spec)
            demo.rep()
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return demo.made
