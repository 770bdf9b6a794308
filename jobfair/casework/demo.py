"""Demo data of the casework feature (seed/casework.json), loaded by `flask seed` after the core
records.

Fictional records linked by natural keys (seeker login, target year+district+kind, household
label, placement seeker+employer+job): a second organiser who is the 六合区 case worker, the
demo organiser as supervisor, this year's targets, case files in every state (retired
fishermen for the 百日攻坚 view), placements, follow-ups at 30/90/180 days and households
open, overdue and escalated, and closed. Running it twice creates nothing new.
"""

from datetime import date, datetime, timedelta

from jobfair.casework import households, placements, queries
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
from jobfair.seeding import read_seed, write_transaction


def seed_demo(now: datetime) -> dict[str, int]:
    """Create this feature's demo records idempotently; return {中文标签: 新增条数}."""
    with write_transaction():
        made = _Demo(read_seed("casework"), now).run()
    return {k: v for k, v in made.items() if v}


class _Demo:
    def __init__(self, spec: dict, now: datetime):
        self.spec = spec
        self.now = now
        self.today = queries.local_date(now)
        worker = spec["district_worker"]
        self.worker_label = f"个案工作人员（{worker['districts'][0]}演示账号 {worker['login']}）"
        self.made = {
            self.worker_label: 0,
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
        supervisor = users.get(self.spec["supervisor"])
        if supervisor is None or supervisor.role != "organiser":
            return self.made
        self.supervisor = supervisor
        self.liuhe = self._district_worker()
        self._workers()
        self._settings()
        self._targets()
        self._placements()
        self._cases()
        self._follow_ups()
        self._households()
        return self.made

    # --- people and settings ---------------------------------------------------------------
    def _district_worker(self):
        spec = self.spec["district_worker"]
        user = self.users.get(spec["login"])
        if user is None:
            # Same demo password as the core accounts (reuse their hash: argon2 is slow).
            user = User(
                role="organiser",
                phone=spec["login"],
                name=spec["name"],
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
            (self.liuhe, self.spec["district_worker"]["districts"], False),
        ):
            if db.session.scalar(db.select(CaseWorker).filter_by(user_id=user.id)) is None:
                db.session.add(CaseWorker(user_id=user.id, districts=districts, is_supervisor=sup))
                self.made[self.worker_label] += 1
        db.session.flush()

    def _settings(self):
        if db.session.get(CaseworkSettings, 1) is None:
            campaign = self.spec["campaign"]
            start = self.today - timedelta(days=campaign["started_days_ago"])
            db.session.add(
                CaseworkSettings(
                    id=1,
                    campaign_start=start,
                    campaign_end=start + timedelta(days=campaign["days"] - 1),
                    plan_days=campaign["plan_days"],
                    household_deadline_days=campaign["household_deadline_days"],
                    updated_by=self.supervisor.id,
                )
            )

    def _worker(self, key: str):
        return self.liuhe if key == "district" else self.supervisor

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
        for rec in self.spec["targets"]:
            if (rec["district"], rec["kind"]) in have:
                continue
            db.session.add(
                Target(
                    year=year,
                    district=rec["district"],
                    kind=rec["kind"],
                    goal=rec["goal"],
                    worker_id=self._worker(rec["worker"]).id,
                    created_by=self.supervisor.id,
                    note="演示目标",
                )
            )
            self.made["年度目标"] += 1

    def _placements(self):
        for rec in self.spec["placements"]:
            employer, job, days = rec["employer"], rec["job"], rec["days_ago"]
            seeker = self._seeker(rec["seeker"])
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
                    evidence=rec["evidence"],
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
        for rec in self.spec["cases"]:
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
            created = self._ago(rec["created_days_ago"])
            plan = rec.get("plan")
            case = CaseFile(
                seeker_id=seeker.id,
                district=district,
                worker_id=worker.id,
                status=rec["status"],
                needs=rec["needs"],
                plan_paths=list(plan["paths"]) if plan else [],
                plan_note=self.spec["plan_note"] if plan else "",
                plan_at=created + timedelta(days=plan["days_after_opening"]) if plan else None,
                created_by=worker.id,
                created_at=created,
                updated_at=created,
            )
            if rec.get("outcome"):
                outcome = rec["outcome"]
                case.outcome = outcome["kind"]
                case.outcome_on = self._day(outcome["days_ago"])
                case.outcome_note = outcome["note"]
            for contact in rec.get("contacts", []):
                case.contacts.append(
                    CaseContact(
                        contact_on=self._day(contact["days_ago"]),
                        channel=contact["channel"],
                        summary=contact["summary"],
                        recorded_by=worker.id,
                        created_at=self._ago(contact["days_ago"]),
                    )
                )
            responses = rec.get("recommendation_responses", [])
            for pos, response in zip(
                self._positions(district, len(responses)), responses, strict=False
            ):
                case.recommendations.append(
                    CaseRecommendation(
                        position_id=pos.id,
                        recommended_on=self._day(max(1, rec["created_days_ago"] // 2)),
                        response=response,
                        recorded_by=worker.id,
                    )
                )
            for training in rec.get("trainings", []):
                case.trainings.append(
                    CaseTraining(
                        course=training["course"],
                        provider=training["provider"],
                        referred_on=self._day(training["days_ago"]),
                        result=training["result"],
                        recorded_by=worker.id,
                    )
                )
            db.session.add(case)
            self.made["帮扶档案"] += 1
        db.session.flush()

    # --- follow-ups --------------------------------------------------------------------------
    def _follow_ups(self):
        rows = [
            (
                f["seeker"],
                f["hired_days_ago"],
                f["day_mark"],
                f["still_employed"],
                f["source"],
                f["note"],
            )
            for f in self.spec["follow_ups"]
        ]
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
        for rec in self.spec["households"]:
            if rec["label"] in have:
                continue
            identified = self._day(rec["identified_days_ago"])
            hh = Household(
                district=rec["district"],
                label=rec["label"],
                identified_on=identified,
                deadline_days=rec["deadline_days"],
                closed_reason="",
                created_by=self.supervisor.id,
                created_at=self._ago(rec["identified_days_ago"]),
            )
            for m in rec["members"]:
                seeker = self._seeker(m["login"]) if m["login"] else None
                hh.members.append(
                    HouseholdMember(
                        name=m["name"],
                        relation=m["relation"],
                        seeker_id=seeker.id if seeker else None,
                    )
                )
            positions = self._positions(rec["district"], 6)
            for i, round_ in enumerate(rec["referral_rounds"], start=1):
                n = round_["positions"]
                ref = HouseholdReferral(
                    round_no=i,
                    referred_on=self._day(round_["days_ago"]),
                    note=f"第 {i} 轮：本区适合岗位",
                    recorded_by=self.supervisor.id,
                )
                ref.positions = positions[(i - 1) % 2 : (i - 1) % 2 + n]
                hh.referrals.append(ref)
            if rec.get("escalated_days_after_deadline") is not None:
                deadline = identified + timedelta(days=rec["deadline_days"])
                hh.escalated_at = datetime.combine(
                    deadline + timedelta(days=rec["escalated_days_after_deadline"]),
                    datetime.min.time(),
                )
            db.session.add(hh)
            db.session.flush()
            if hh.escalated_at is not None:
                households.notify_escalation(hh, [self.supervisor.id])
            self._close_if_employed(hh, rec)
            self.made["零就业家庭"] += 1

    def _close_if_employed(self, hh, rec):
        """Close a household whose member's hire or placement is recorded, as the site would."""
        closed_by = rec.get("closed_by", {})
        login = closed_by.get("placement") or closed_by.get("hire")
        seeker = self._seeker(login) if login else None
        if seeker is None:
            return
        if closed_by.get("placement"):
            dates = [p["date"] for p in queries.placement_rows(seeker_ids=[seeker.id])]
            source = "placement"
        else:
            dates = [h["date"] for h in queries.hire_rows(seeker_ids=[seeker.id])]
            source = "hire"
        if dates:
            placements.record_hire(seeker.id, max(dates), source=source)
