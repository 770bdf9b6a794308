"""Demo data of the casework feature, loaded by `flask seed` after the core records.

Fictional records linked by natural keys (seeker login, target year+district+kind, household
label, placement seeker+employer+job): a second organiser who is the 六合区 case worker, the
demo organiser as supervisor, this year's targets, case files in every state (retired
fishermen for the 百日攻坚 view), placements, follow-ups at 30/90/180 days and households
open, overdue and escalated, and closed. Running it twice creates nothing new.
"""

from datetime import date, datetime, timedelta

from jobfair.casework import households, placements, queries
from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import (
    CaseContact,
    CaseFile,
    CaseRecommendation,
    CaseTraining,
    CaseWorker,
    CaseworkSettings,
    EmploymentFollowUp,
    Household,
    HouseholdMember,
    HouseholdReferral,
    Placement,
    Position,
    SeekerProfile,
    Target,
    User,
)
from jobfair.security import hash_password

SUPERVISOR = "13900000001"
LIUHE_WORKER = {"login": "13900000005", "name": "六合区就业服务站（演示）"}

TARGETS = [
    # district, kind, goal, responsible worker
    ("六合区", "hardship", 6, LIUHE_WORKER["login"]),
    ("六合区", "retired_fisher", 8, LIUHE_WORKER["login"]),
    ("六合区", "urban_unemployed", 20, LIUHE_WORKER["login"]),
    ("江宁区", "urban_unemployed", 8, SUPERVISOR),
    ("江宁区", "graduate", 25, SUPERVISOR),
    ("玄武区", "hardship", 5, SUPERVISOR),
    ("栖霞区", "zero_employment_household", 4, SUPERVISOR),
    ("浦口区", "registered_poor", 6, SUPERVISOR),
    ("鼓楼区", "graduate", 12, SUPERVISOR),
    ("建邺区", "hardship", 4, SUPERVISOR),
]

# Placements: jobs found outside the platform, with evidence (days ago).
PLACEMENTS = [
    (
        "13700000176",
        "六合区龙袍街道社区服务中心",
        "公益性岗位·保洁员",
        20,
        "社区出具的公益性岗位安置证明，已核验",
    ),
    ("13700000150", "六合区横梁蔬菜专业合作社", "分拣包装工", 2, "合作社用工证明及首月工资流水"),
    ("13700000185", "六合区家政服务中心", "家政服务员", 200, "劳动合同（一年期）已核验，社保已缴"),
    ("13700000140", "建邺区某物业服务公司", "小区绿化工", 100, "劳动合同已核验"),
]

# Follow-ups: (seeker, hire source days ago, day mark, still employed, source).
FOLLOW_UPS = [
    ("13700000185", 200, 30, True, "case_worker", "电话回访，工作稳定"),
    ("13700000185", 200, 90, True, "case_worker", "上门走访，雇主评价好"),
    ("13700000185", 200, 180, True, "seeker", "本人在线确认"),
    ("13700000140", 100, 30, True, "case_worker", "电话回访"),
    ("13700000140", 100, 90, False, "case_worker", "因家庭原因离职，已重新登记求职"),
]

# Case files: seeker, worker, status, created days ago, plan (paths, days after creation),
# needs, contacts (days ago, channel, summary), recommendations (response list), trainings,
# outcome.
CASES = [
    # 退捕渔民 (百日攻坚)
    {
        "seeker": "13700000164",
        "worker": "liuhe",
        "status": "in_progress",
        "created": 35,
        "plan": (["transfer", "training"], 6),
        "needs": "船上作业多年，想学一门手艺，希望在六合本地上班",
        "contacts": [
            (34, "visit", "上门摸底，了解家庭和技能情况"),
            (20, "phone", "推荐叉车培训，本人同意报名"),
        ],
        "recs": ["interested", "no_answer"],
        "trainings": [("叉车司机（N1）", "六合区职业技能培训中心", 18, "在训")],
    },
    {
        "seeker": "13700000168",
        "worker": "liuhe",
        "status": "employed",
        "created": 38,
        "plan": (["transfer", "services"], 4),
        "needs": "希望找离家近的工厂岗位",
        "contacts": [(37, "office", "窗口面谈，登记求职意向"), (9, "phone", "通知面试时间")],
        "recs": ["applied"],
        "outcome": ("platform_hire", 6),
    },
    {
        "seeker": "13700000169",
        "worker": "liuhe",
        "status": "employed",
        "created": 39,
        "plan": (["transfer"], 10),
        "needs": "会开船、懂水产养殖",
        "contacts": [(38, "visit", "上门摸底"), (5, "phone", "确认已入职")],
        "recs": ["applied", "declined"],
        "outcome": ("platform_hire", 3),
    },
    {
        "seeker": "13700000171",
        "worker": "liuhe",
        "status": "in_progress",
        "created": 36,
        "plan": (["startup"], 33),
        "needs": "想开一家水产零售店，需要创业担保贷款咨询",
        "contacts": [(35, "visit", "上门摸底"), (3, "office", "介绍创业担保贷款申请流程")],
    },
    {
        "seeker": "13700000172",
        "worker": "liuhe",
        "status": "open",
        "created": 34,
        "plan": None,
        "needs": "年龄较大，身体一般，希望公益性岗位",
        "contacts": [(33, "phone", "电话摸底，约定上门时间")],
    },
    {
        "seeker": "13700000198",
        "worker": "liuhe",
        "status": "open",
        "created": 5,
        "plan": None,
        "needs": "需要照顾老人，希望弹性工作",
    },
    {
        "seeker": "13700000159",
        "worker": "supervisor",
        "status": "in_progress",
        "created": 30,
        "plan": (["training", "services"], 12),
        "needs": "想学电工",
        "contacts": [(29, "office", "窗口登记")],
        "trainings": [("低压电工作业", "浦口区职业培训学校", 15, "")],
    },
    {
        "seeker": "13700000160",
        "worker": "supervisor",
        "status": "open",
        "created": 10,
        "plan": None,
        "needs": "希望到江北新区企业上班",
    },
    {
        "seeker": "13700000163",
        "worker": "supervisor",
        "status": "closed",
        "created": 33,
        "plan": (["services"], 8),
        "needs": "随子女迁往外地",
        "contacts": [(20, "phone", "本人告知将迁往外地，结案")],
        "outcome": ("other", 18),
    },
    {
        "seeker": "13700000161",
        "worker": "supervisor",
        "status": "in_progress",
        "created": 25,
        "plan": (["public_welfare"], 20),
        "needs": "腿脚不便，希望公益性岗位",
        "recs": ["interested"],
    },
    {
        "seeker": "13700000162",
        "worker": "supervisor",
        "status": "employed",
        "created": 30,
        "plan": (["transfer"], 5),
        "needs": "会修船机，想做机修",
        "recs": ["applied"],
        "outcome": ("platform_hire", 1),
    },
    # 就业困难人员 / 零就业家庭 / 建档立卡
    {
        "seeker": "13700000145",
        "worker": "liuhe",
        "status": "in_progress",
        "created": 12,
        "plan": (["services", "public_welfare"], 2),
        "needs": "零就业家庭，父亲多病，需就近就业",
        "contacts": [(11, "visit", "入户核实家庭情况"), (4, "phone", "推荐 3 个本区岗位")],
        "recs": ["interested", "no_answer", "declined"],
    },
    {
        "seeker": "13700000148",
        "worker": "liuhe",
        "status": "in_progress",
        "created": 44,
        "plan": (["training", "public_welfare"], 7),
        "needs": "零就业家庭，希望做保洁或食堂帮厨",
        "contacts": [
            (43, "visit", "入户核实"),
            (30, "phone", "第二轮岗位推荐"),
            (15, "phone", "第三轮推荐，本人因照顾孩子暂未应聘"),
        ],
        "recs": ["declined", "no_answer"],
    },
    {
        "seeker": "13700000176",
        "worker": "liuhe",
        "status": "employed",
        "created": 40,
        "plan": (["public_welfare"], 3),
        "needs": "建档立卡人员，希望公益性岗位",
        "outcome": ("placement", 20),
    },
    {
        "seeker": "13700000184",
        "worker": "liuhe",
        "status": "in_progress",
        "created": 18,
        "plan": (["training"], 9),
        "needs": "想学育婴师",
        "trainings": [("育婴员（五级）", "六合区妇女就业培训基地", 8, "已报名")],
    },
    {
        "seeker": "13700000193",
        "worker": "liuhe",
        "status": "closed",
        "created": 30,
        "plan": (["services"], 5),
        "needs": "已办理退休手续",
        "outcome": ("other", 10),
    },
    {
        "seeker": "13700000135",
        "worker": "supervisor",
        "status": "in_progress",
        "created": 22,
        "plan": (["services"], 4),
        "needs": "希望找文员工作",
        "recs": ["no_answer"],
    },
    {
        "seeker": "13700000137",
        "worker": "supervisor",
        "status": "employed",
        "created": 28,
        "plan": (["services"], 6),
        "needs": "希望就近就业",
        "recs": ["applied"],
        "outcome": ("platform_hire", 1),
    },
]

# Households: label, district, identified days ago, deadline, members (name, relation, login),
# referral rounds (days ago, number of positions), escalated (days after the deadline).
HOUSEHOLDS = [
    {
        "label": "六合区龙袍街道东沟社区 范家",
        "district": "六合区",
        "identified": 12,
        "deadline": 30,
        "members": [("范强", "户主", "13700000145"), ("范父", "父亲", None)],
        "rounds": [(4, 3)],
    },
    {
        "label": "六合区雄州街道滁河社区 孟家",
        "district": "六合区",
        "identified": 45,
        "deadline": 30,
        "members": [("孟桂芳", "户主", "13700000148"), ("孟某", "配偶", None)],
        "rounds": [(43, 3), (30, 3), (15, 4)],
        "escalated": 1,
    },
    {
        "label": "六合区横梁街道新篁社区 姚家",
        "district": "六合区",
        "identified": 40,
        "deadline": 45,
        "members": [("姚斌", "户主", "13700000150")],
        "rounds": [(35, 3), (20, 3)],
        "closed_by_placement": "13700000150",
    },
    {
        "label": "栖霞区八卦洲街道 黄家",
        "district": "栖霞区",
        "identified": 20,
        "deadline": 30,
        "members": [("黄子涵", "户主", "13700000147"), ("黄母", "母亲", None)],
        "rounds": [(15, 3), (6, 3)],
    },
    {
        "label": "栖霞区燕子矶街道 戴家",
        "district": "栖霞区",
        "identified": 50,
        "deadline": 60,
        "members": [("戴宁", "户主", "13700000158")],
        "rounds": [(45, 3), (30, 3), (12, 3)],
        "closed_by_hire": "13700000158",
    },
    {
        "label": "雨花台区西善桥街道 熊家",
        "district": "雨花台区",
        "identified": 52,
        "deadline": 30,
        "members": [("熊涛", "户主", "13700000149"), ("熊某", "配偶", None)],
        "rounds": [(50, 3), (35, 3)],
        "escalated": 2,
    },
]


def seed_demo(now: datetime) -> dict[str, int]:
    """Create this feature's demo records idempotently; return {中文标签: 新增条数}."""
    with writing():
        try:
            made = _Demo(now).run()
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return {k: v for k, v in made.items() if v}


class _Demo:
    def __init__(self, now: datetime):
        self.now = now
        self.today = queries.local_date(now)
        self.made = {
            "个案工作人员（六合区演示账号 13900000005）": 0,
            "年度目标": 0,
            "帮扶档案": 0,
            "平台外就业登记": 0,
            "就业回访": 0,
            "零就业家庭": 0,
        }

    def run(self) -> dict[str, int]:
        users = {
            u.phone: u
            for u in db.session.scalars(db.select(User).where(User.phone.like("13%")))
            if u.phone
        }
        self.users = users
        supervisor = users.get(SUPERVISOR)
        if supervisor is None or supervisor.role != "organiser":
            return self.made
        self.supervisor = supervisor
        self.liuhe = self._liuhe_worker()
        self._workers()
        self._settings()
        self._targets()
        self._placements()
        self._cases()
        self._follow_ups()
        self._households()
        return self.made

    # --- people and settings ---------------------------------------------------------------
    def _liuhe_worker(self):
        user = self.users.get(LIUHE_WORKER["login"])
        if user is None:
            # Same demo password as the core accounts (reuse their hash: argon2 is slow).
            user = User(
                role="organiser",
                phone=LIUHE_WORKER["login"],
                name=LIUHE_WORKER["name"],
                password_hash=self.supervisor.password_hash or hash_password("x"),
                created_at=self.now,
                password_changed_at=self.now,
            )
            db.session.add(user)
            db.session.flush()
            self.users[user.phone] = user
        return user if user.role == "organiser" else self.supervisor

    def _workers(self):
        for user, districts, sup in (
            (self.supervisor, [], True),
            (self.liuhe, ["六合区"], False),
        ):
            if db.session.scalar(db.select(CaseWorker).filter_by(user_id=user.id)) is None:
                db.session.add(CaseWorker(user_id=user.id, districts=districts, is_supervisor=sup))
                self.made["个案工作人员（六合区演示账号 13900000005）"] += 1
        db.session.flush()

    def _settings(self):
        if db.session.get(CaseworkSettings, 1) is None:
            start = self.today - timedelta(days=40)
            db.session.add(
                CaseworkSettings(
                    id=1,
                    campaign_start=start,
                    campaign_end=start + timedelta(days=99),
                    plan_days=30,
                    household_deadline_days=30,
                    updated_by=self.supervisor.id,
                )
            )

    def _worker(self, key: str):
        return self.liuhe if key == "liuhe" else self.supervisor

    def _seeker(self, login: str):
        user = self.users.get(login)
        return user if user is not None and user.role == "seeker" else None

    def _ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    def _day(self, days: int) -> date:
        return self.today - timedelta(days=days)

    # --- targets, placements -----------------------------------------------------------------
    def _targets(self):
        year = self.today.year
        have = set(db.session.execute(db.select(Target.district, Target.kind).filter_by(year=year)))
        for district, kind, goal, login in TARGETS:
            if (district, kind) in have:
                continue
            worker = self.liuhe if login == LIUHE_WORKER["login"] else self.supervisor
            db.session.add(
                Target(
                    year=year,
                    district=district,
                    kind=kind,
                    goal=goal,
                    worker_id=worker.id,
                    created_by=self.supervisor.id,
                    note="演示目标",
                )
            )
            self.made["年度目标"] += 1

    def _placements(self):
        for login, employer, job, days, evidence in PLACEMENTS:
            seeker = self._seeker(login)
            if seeker is None:
                continue
            exists = db.session.scalar(
                db.select(Placement).filter_by(
                    seeker_id=seeker.id, employer_name=employer, job_title=job
                )
            )
            if exists is not None:
                continue
            profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=seeker.id))
            district = queries.seeker_district(profile)
            if district is None:
                continue
            recorder = self.liuhe if district == "六合区" else self.supervisor
            db.session.add(
                Placement(
                    seeker_id=seeker.id,
                    district=district,
                    employer_name=employer,
                    job_title=job,
                    placed_on=self._day(days),
                    evidence=evidence,
                    recorded_by=recorder.id,
                    created_at=self._ago(days),
                )
            )
            self.made["平台外就业登记"] += 1
        db.session.flush()

    # --- case files --------------------------------------------------------------------------
    def _positions(self, district: str, n: int):
        return list(
            db.session.scalars(
                db.select(Position)
                .filter_by(district=district, status="published")
                .order_by(Position.id)
                .limit(n)
            )
        )

    def _cases(self):
        for rec in CASES:
            seeker = self._seeker(rec["seeker"])
            if seeker is None:
                continue
            if db.session.scalar(db.select(CaseFile).filter_by(seeker_id=seeker.id)) is not None:
                continue
            profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=seeker.id))
            district = queries.seeker_district(profile)
            if not district or not queries.consented_groups(profile):
                continue
            worker = self._worker(rec["worker"])
            created = self._ago(rec["created"])
            case = CaseFile(
                seeker_id=seeker.id,
                district=district,
                worker_id=worker.id,
                status=rec["status"],
                needs=rec["needs"],
                plan_paths=list(rec["plan"][0]) if rec.get("plan") else [],
                plan_note="按“一人一策”制定，定期电话跟进。" if rec.get("plan") else "",
                plan_at=created + timedelta(days=rec["plan"][1]) if rec.get("plan") else None,
                created_by=worker.id,
                created_at=created,
                updated_at=created,
            )
            if rec.get("outcome"):
                kind, days = rec["outcome"]
                case.outcome = kind
                case.outcome_on = self._day(days)
                case.outcome_note = "本人已随子女迁居外地" if kind == "other" else ""
            for days, channel, summary in rec.get("contacts", []):
                case.contacts.append(
                    CaseContact(
                        contact_on=self._day(days),
                        channel=channel,
                        summary=summary,
                        recorded_by=worker.id,
                        created_at=self._ago(days),
                    )
                )
            responses = rec.get("recs", [])
            for pos, response in zip(
                self._positions(district, len(responses)), responses, strict=False
            ):
                case.recommendations.append(
                    CaseRecommendation(
                        position_id=pos.id,
                        recommended_on=self._day(max(1, rec["created"] // 2)),
                        response=response,
                        recorded_by=worker.id,
                    )
                )
            for course, provider, days, result in rec.get("trainings", []):
                case.trainings.append(
                    CaseTraining(
                        course=course,
                        provider=provider,
                        referred_on=self._day(days),
                        result=result,
                        recorded_by=worker.id,
                    )
                )
            db.session.add(case)
            self.made["帮扶档案"] += 1
        db.session.flush()

    # --- follow-ups --------------------------------------------------------------------------
    def _follow_ups(self):
        rows = list(FOLLOW_UPS)
        # A seeded platform hire old enough for its 30-day follow-up, confirmed by the seeker.
        for hire in queries.hire_rows(until=self._day(31)):
            rows.append((hire["seeker_id"], hire["date"], 30, True, "seeker", "本人在线确认"))
            break
        for seeker_ref, hired, mark, still, source, note in rows:
            if isinstance(seeker_ref, str):
                seeker = self._seeker(seeker_ref)
                if seeker is None:
                    continue
                seeker_id, hired_on = seeker.id, self._day(hired)
            else:
                seeker_id, hired_on = seeker_ref, hired
            if hired_on + timedelta(days=mark) > self.today:
                continue
            exists = db.session.scalar(
                db.select(EmploymentFollowUp).filter_by(
                    seeker_id=seeker_id, hired_on=hired_on, day_mark=mark
                )
            )
            if exists is not None:
                continue
            at = datetime.combine(hired_on + timedelta(days=mark), datetime.min.time())
            db.session.add(
                EmploymentFollowUp(
                    seeker_id=seeker_id,
                    hired_on=hired_on,
                    day_mark=mark,
                    still_employed=still,
                    source=source,
                    recorded_by=seeker_id if source == "seeker" else self.supervisor.id,
                    note=note,
                    created_at=at,
                    updated_at=at,
                )
            )
            self.made["就业回访"] += 1

    # --- households --------------------------------------------------------------------------
    def _households(self):
        have = set(db.session.scalars(db.select(Household.label)))
        for rec in HOUSEHOLDS:
            if rec["label"] in have:
                continue
            identified = self._day(rec["identified"])
            hh = Household(
                district=rec["district"],
                label=rec["label"],
                identified_on=identified,
                deadline_days=rec["deadline"],
                closed_reason="",
                created_by=self.supervisor.id,
                created_at=self._ago(rec["identified"]),
            )
            for name, relation, login in rec["members"]:
                seeker = self._seeker(login) if login else None
                hh.members.append(
                    HouseholdMember(
                        name=name, relation=relation, seeker_id=seeker.id if seeker else None
                    )
                )
            positions = self._positions(rec["district"], 6)
            for i, (days, n) in enumerate(rec["rounds"], start=1):
                ref = HouseholdReferral(
                    round_no=i,
                    referred_on=self._day(days),
                    note=f"第 {i} 轮：本区适合岗位",
                    recorded_by=self.supervisor.id,
                )
                ref.positions = positions[(i - 1) % 2 : (i - 1) % 2 + n]
                hh.referrals.append(ref)
            if rec.get("escalated") is not None:
                deadline = identified + timedelta(days=rec["deadline"])
                hh.escalated_at = datetime.combine(
                    deadline + timedelta(days=rec["escalated"]), datetime.min.time()
                )
            db.session.add(hh)
            db.session.flush()
            if hh.escalated_at is not None:
                households.notify_escalation(hh, [self.supervisor.id])
            self._close_if_employed(hh, rec)
            self.made["零就业家庭"] += 1

    def _close_if_employed(self, hh, rec):
        """Close a household whose member's hire or placement is recorded, as the site would."""
        login = rec.get("closed_by_placement") or rec.get("closed_by_hire")
        seeker = self._seeker(login) if login else None
        if seeker is None:
            return
        if rec.get("closed_by_placement"):
            dates = [p["date"] for p in queries.placement_rows(seeker_ids=[seeker.id])]
            source = "placement"
        else:
            dates = [h["date"] for h in queries.hire_rows(seeker_ids=[seeker.id])]
            source = "hire"
        if dates:
            placements.record_hire(seeker.id, max(dates), source=source)
