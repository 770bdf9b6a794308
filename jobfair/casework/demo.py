"""Demo data of the casework feature (seed/casework.json), loaded by `flask seed` after the core
records.

Fictional records linked by natural keys (seeker login, target year+district+kind, household
label, placement seeker+employer+job): a second organiser who is the 六合区 case worker, the
demo organiser as supervisor, this year's targets, case files in every state (retired
fishermen for the 百日攻坚 view), placements, follow-ups at 30/90/180 days and households
open, overdue and escalated, and closed. Running it twice creates nothing new.
"""

from datetime import date, datetime, timedelta

from jobfair.casework import households, queries, registrations
from jobfair.extensions import db
from jobfair.models import (
    Application,
    CaseContact,
    CaseFile,
    CaseRecommendation,
    CaseTraining,
    CaseWorker,
    CaseworkSettings,
    EmploymentFollowUp,
    EmploymentRegistration,
    Household,
    HouseholdMember,
    HouseholdReferral,
    Placement,
    Position,
    SeekerGroup,
    SeekerProfile,
    Target,
    UnemploymentRegistration,
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
            "身份认定": 0,
            "失业登记": 0,
            "就业登记": 0,
            "离职登记": 0,
            "窗口登记求职者": 0,
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
        self._walk_ins()
        self._verifications()
        self._unemployment()
        self._cases()
        # Households first, so the 就业登记 that follow clear them as the site would.
        self._households()
        self._placements()
        self._platform_hires()
        self._employment_ends()
        self._follow_ups()
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
            registrations.record_registration(
                EmploymentRegistration(
                    seeker_id=seeker.id,
                    employer_name=employer,
                    job_title=job,
                    started_on=self._day(days),
                    contract_type=rec.get("contract_type", "fixed_term"),
                    work_form=rec.get("work_form", "full_time"),
                    social_insurance=rec.get("social_insurance", True),
                    source="placement",
                    evidence_note=rec["evidence"],
                    end_reason="",
                    ended_role="",
                    recorded_by=recorder.id,
                    created_at=self._ago(days),
                ),
                profile,
                recorder.id,
                self._day(days),
            )
            self.made["平台外就业登记"] += 1
            self.made["就业登记"] += 1
        db.session.flush()

    # --- 认定, 失业登记, platform hires at 入职, 离职 ---------------------------------------
    def _walk_ins(self):
        """A seeker registered at the window with paper consent (no smartphone)."""
        for rec in self.spec["walk_ins"]:
            if rec["login"] in self.users:
                continue
            at = self._ago(rec["days_ago"])
            user = User(
                role="seeker",
                phone=rec["login"],
                name=rec["name"],
                password_hash=self.supervisor.password_hash,
                must_change_password=True,
                created_at=at,
                password_changed_at=at,
            )
            db.session.add(user)
            db.session.flush()
            self.users[user.phone] = user
            profile = SeekerProfile(
                user_id=user.id,
                name=rec["name"],
                phone=rec["login"],
                birth_year=rec["birth_year"],
                education="none",
                major="",
                skills="",
                experience="",
                intro="",
                districts=rec["districts"],
                salary_min=0,
                work_forms=[],
                hukou_district=rec["hukou_district"],
                residence_district=rec["residence_district"],
                residence_street=rec["residence_street"],
                consent_note=rec["consent_note"],
                registered_by=self.liuhe.id,
                group_consent=True,
                group_consent_at=at,
                discoverable=False,
                created_at=at,
                updated_at=at,
            )
            profile.groups = [
                SeekerGroup(
                    group=rec["group"],
                    evidence_type=rec["evidence_type"],
                    evidence_note=rec["evidence_note"],
                    verified_by=self.liuhe.id,
                    verified_at=at,
                    verified_on=self._day(rec["days_ago"]),
                )
            ]
            db.session.add(profile)
            self.made["窗口登记求职者"] += 1
        db.session.flush()

    def _verifications(self):
        """认定 of the groups of seekers the case workers know; others stay 本人申报."""
        spec = self.spec["verifications"]
        for rec in spec["records"]:
            seeker = self._seeker(rec["seeker"])
            profile = (
                db.session.scalar(db.select(SeekerProfile).filter_by(user_id=seeker.id))
                if seeker
                else None
            )
            if profile is None or not profile.group_consent:
                continue
            for row in profile.groups:
                if row.verified_on is not None:
                    continue
                worker = self.liuhe if profile.home_district == "六合区" else self.supervisor
                on = self._day(rec["days_ago"])
                row.evidence_type = spec["evidence_by_group"][row.group]
                row.evidence_note = spec["notes_by_group"][row.group]
                row.verified_by = worker.id
                row.verified_at = self._ago(rec["days_ago"])
                row.verified_on = on
                row.valid_until = (
                    on + timedelta(days=rec["valid_days"]) if rec.get("valid_days") else None
                )
                self.made["身份认定"] += 1
        db.session.flush()

    def _unemployment(self):
        for rec in self.spec["unemployment"]:
            seeker = self._seeker(rec["seeker"])
            if seeker is None or db.session.scalar(
                db.select(UnemploymentRegistration.id).filter_by(seeker_id=seeker.id)
            ):
                continue
            db.session.add(
                UnemploymentRegistration(
                    seeker_id=seeker.id,
                    registered_on=self._day(rec["days_ago"]),
                    place=rec["place"],
                    end_reason="",
                    recorded_by=self.supervisor.id,
                    created_at=self._ago(rec["days_ago"]),
                )
            )
            self.made["失业登记"] += 1
        db.session.flush()

    def _platform_hires(self):
        """Seeded applications at 已入职 get their 就业登记, dated the day of 入职."""
        apps = db.session.scalars(
            db.select(Application)
            .filter_by(status="onboarded")
            .where(
                ~Application.id.in_(
                    db.select(EmploymentRegistration.application_id).where(
                        EmploymentRegistration.application_id.is_not(None)
                    )
                )
            )
            .order_by(Application.id)
        ).all()
        for app in apps:
            started = queries.local_date(app.updated_at)
            registrations.register_platform_hire(app, None, started)
            self.made["就业登记"] += 1
        db.session.flush()

    def _employment_ends(self):
        """A reversed hire: an employment that ended, with its correcting record."""
        for rec in self.spec["employment_ends"]:
            seeker = self._seeker(rec["seeker"])
            if seeker is None or db.session.scalar(
                db.select(EmploymentRegistration.id).where(
                    EmploymentRegistration.seeker_id == seeker.id,
                    EmploymentRegistration.ended_on.is_not(None),
                )
            ):
                continue
            reg = db.session.scalar(
                db.select(EmploymentRegistration)
                .filter_by(seeker_id=seeker.id, ended_on=None)
                .order_by(EmploymentRegistration.id)
            )
            if reg is None:
                continue
            day = self._day(rec["days_ago"])
            worker = self.liuhe if reg.source != "platform_hire" else self.supervisor
            registrations.record_end(reg, day, rec["reason"], worker.id, rec["role"], day)
            self.made["离职登记"] += 1
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
        first = db.session.scalar(
            db.select(EmploymentRegistration)
            .where(
                EmploymentRegistration.source == "platform_hire",
                EmploymentRegistration.started_on <= self._day(31),
                EmploymentRegistration.ended_on.is_(None),
            )
            .order_by(EmploymentRegistration.id)
        )
        if first is not None:
            rows.append((first.seeker_id, first.started_on, 30, True, "seeker", "本人在线确认"))
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
            self.made["零就业家庭"] += 1
