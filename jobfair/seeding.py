"""Demo data: load the JSON files in seed/ idempotently, and the `flask seed` command.

Records are linked by natural keys: a user by login (phone or e-mail), an employer by its
统一社会信用代码, a position by employer credit code + title, an application by seeker login
+ position key. A record whose key already exists is skipped, never updated, so running the
command twice changes nothing and edits made through the site are kept.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select, tuple_

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import (
    Application,
    ApplicationEvent,
    AuditLog,
    Employer,
    Occupation,
    Position,
    PositionGroup,
    Role,
    SeekerGroup,
    SeekerOccupation,
    SeekerProfile,
    User,
)
from jobfair.models.common import utcnow
from jobfair.models.user import ROLE_LABELS
from jobfair.positions.indexing import index_position
from jobfair.security import hash_password
from jobfair.seekers.services import index_profile

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
FILES = ("accounts", "employers", "positions", "seekers", "applications")
EMPLOYER_SIDE = {"viewed", "interview", "hired", "onboarded", "rejected"}
KINDS = {
    "users": "账号",
    "employers": "用人单位",
    "positions": "岗位",
    "seekers": "求职者档案",
    "applications": "投递记录",
    "audit": "审核记录",
}


class SeedError(Exception):
    """The seed files are inconsistent with the database (e.g. an unknown occupation)."""


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    accounts: list[dict] = field(default_factory=list)
    extra: Counter = field(default_factory=Counter)  # feature demos: {中文标签: 新增条数}
    password: str = ""


def read_seed(data_dir: Path = SEED_DIR) -> dict:
    data = {}
    for name in FILES:
        with open(data_dir / f"{name}.json", encoding="utf-8") as fh:
            data[name] = json.load(fh)
    return data


def _ago(now: datetime, days) -> datetime | None:
    return None if days is None else now - timedelta(days=float(days))


def _login_kw(login: str) -> dict:
    return {"phone": login, "email": None} if login.isdigit() else {"phone": None, "email": login}


class _Loader:
    def __init__(self, data: dict, now: datetime):
        self.data = data
        self.now = now
        self.report = SeedReport(password=data["accounts"]["demo_password"])
        self._hash: str | None = None
        self.users: dict[str, User] = {}
        self.employers: dict[str, Employer] = {}
        self.positions: dict[tuple[str, str], Position] = {}

    @property
    def password_hash(self) -> str:
        # Argon2 is slow by design: hash the one demo password once and share it.
        if self._hash is None:
            self._hash = hash_password(self.report.password)
        return self._hash

    # --- users ---------------------------------------------------------------------------
    def load_users(self) -> None:
        wanted: dict[str, tuple[str, str, int | None]] = {}
        for org in self.data["accounts"]["organisers"]:
            wanted[org["login"]] = (Role.ORGANISER, org["name"], None)
        for emp in self.data["employers"]:
            wanted[emp["login"]] = (Role.EMPLOYER, emp["contact_name"], emp["created_days_ago"])
        for s in self.data["seekers"]:
            wanted[s["login"]] = (Role.SEEKER, s["name"], s["created_days_ago"])

        phones = [k for k in wanted if k.isdigit()]
        emails = [k for k in wanted if not k.isdigit()]
        existing = db.session.scalars(
            select(User).where(User.phone.in_(phones) | User.email.in_(emails))
        ).all()
        for user in existing:
            for login in (user.phone, user.email):
                if login in wanted:
                    self.users[login] = user
        new = []
        for login, (role, name, days) in wanted.items():
            user = self.users.get(login)
            if user is not None:
                self.report.skipped["users"] += 1
                if user.role != role:
                    self.report.warnings.append(
                        f"账号 {login} 已存在但角色为“{ROLE_LABELS.get(user.role, user.role)}”，"
                        "跳过与它相关的演示数据。"
                    )
                    del self.users[login]
                continue
            created = _ago(self.now, days) or self.now
            user = User(
                role=role,
                name=name,
                password_hash=self.password_hash,
                must_change_password=False,
                created_at=created,
                password_changed_at=created,
                **_login_kw(login),
            )
            self.users[login] = user
            new.append(user)
        db.session.add_all(new)
        db.session.flush()
        self.report.created["users"] += len(new)

    # --- employers -----------------------------------------------------------------------
    def load_employers(self) -> None:
        records = self.data["employers"]
        codes = [e["credit_code"] for e in records]
        for emp in db.session.scalars(select(Employer).where(Employer.credit_code.in_(codes))):
            self.employers[emp.credit_code] = emp
        user_ids = {u.id for u in self.users.values()}
        taken_users = set(
            db.session.scalars(select(Employer.user_id).where(Employer.user_id.in_(user_ids)))
        )
        organiser = self.users.get(self.data["accounts"]["organisers"][0]["login"])
        new, audits = [], []
        for rec in records:
            if rec["credit_code"] in self.employers:
                self.report.skipped["employers"] += 1
                continue
            user = self.users.get(rec["login"])
            if user is None or user.id in taken_users:
                self.report.warnings.append(
                    f"跳过单位“{rec['name']}”：账号 {rec['login']} 不可用。"
                )
                continue
            reviewed = _ago(self.now, rec["reviewed_days_ago"])
            emp = Employer(
                user_id=user.id,
                name=rec["name"],
                credit_code=rec["credit_code"],
                industry=rec["industry"],
                size=rec["size"],
                district=rec["district"],
                address=rec["address"],
                contact_name=rec["contact_name"],
                contact_phone=rec["contact_phone"],
                description=rec["description"],
                status=rec["status"],
                review_reason=rec["review_reason"],
                reviewed_at=reviewed,
                created_at=_ago(self.now, rec["created_days_ago"]),
                updated_at=reviewed or _ago(self.now, rec["created_days_ago"]),
            )
            self.employers[rec["credit_code"]] = emp
            new.append(emp)
            if rec["status"] != "pending":
                audits.append((emp, rec, reviewed))
        db.session.add_all(new)
        db.session.flush()
        self.report.created["employers"] += len(new)
        # The organiser's decisions on the seeded employers, as the console would record them.
        for emp, rec, reviewed in audits:
            action = "employer.verify" if rec["status"] == "verified" else "employer.reject"
            detail = {
                "name": emp.name,
                "credit_code": emp.credit_code,
                "previous_status": "pending",
            }
            if rec["review_reason"]:
                detail["reason"] = rec["review_reason"]
            db.session.add(
                AuditLog(
                    actor_id=organiser.id if organiser else None,
                    action=action,
                    object_type="employer",
                    object_id=emp.id,
                    detail=detail,
                    created_at=reviewed,
                )
            )
        self.report.created["audit"] += len(audits)

    # --- positions -----------------------------------------------------------------------
    def _occupations(self, codes: set[str]) -> dict[str, Occupation]:
        found = {
            o.code: o
            for o in db.session.scalars(select(Occupation).where(Occupation.code.in_(codes)))
        }
        missing = sorted(codes - set(found))
        if missing:
            raise SeedError(
                "演示数据引用了不存在的职业编码："
                + "、".join(missing)
                + "（请先执行 flask db upgrade）"
            )
        return found

    def load_positions(self) -> None:
        records = self.data["positions"]
        occupations = self._occupations({p["occupation_code"] for p in records})
        employer_ids = [e.id for e in self.employers.values()]
        by_id = {e.id: code for code, e in self.employers.items()}
        for pos in db.session.scalars(
            select(Position).where(Position.employer_id.in_(employer_ids))
        ):
            self.positions[(by_id[pos.employer_id], pos.title)] = pos
        new = []
        for rec in records:
            key = (rec["employer"], rec["title"])
            if key in self.positions:
                self.report.skipped["positions"] += 1
                continue
            emp = self.employers.get(rec["employer"])
            if emp is None:
                continue
            published = _ago(self.now, rec["published_days_ago"])
            deadline = rec["deadline_in_days"]
            pos = Position(
                employer_id=emp.id,
                title=rec["title"],
                description=rec["description"],
                requirements=rec["requirements"],
                occupation_code=rec["occupation_code"],
                salary_min=rec["salary_min"],
                salary_max=rec["salary_max"],
                headcount=rec["headcount"],
                district=rec["district"],
                address=rec["address"],
                education=rec["education"],
                work_form=rec["work_form"],
                channel=rec["channel"],
                deadline=None if deadline is None else (self.now + timedelta(days=deadline)).date(),
                status=rec["status"],
                review_flags=self._flags(rec),
                published_at=published,
                created_at=published or emp.created_at,
                updated_at=published or emp.created_at,
            )
            pos.groups = [PositionGroup(group=g) for g in rec["groups"]]
            index_position(pos, occupations[rec["occupation_code"]])
            self.positions[key] = pos
            new.append(pos)
        db.session.add_all(new)
        db.session.flush()
        self.report.created["positions"] += len(new)

    @staticmethod
    def _flags(rec: dict) -> list:
        """Held positions carry the phrases the moderation rules flag, as the site would."""
        if rec["status"] != "held":
            return []
        from jobfair import moderation

        fields = {k: rec[k] for k in ("title", "description", "requirements")}
        return moderation.check_fields(fields) or rec["review_flags"]

    # --- seekers -------------------------------------------------------------------------
    def load_seekers(self) -> None:
        records = self.data["seekers"]
        occupations = self._occupations({c for s in records for c in s["desired_occupations"]})
        user_ids = [u.id for u in self.users.values() if u.role == Role.SEEKER]
        have = set(
            db.session.scalars(
                select(SeekerProfile.user_id).where(SeekerProfile.user_id.in_(user_ids))
            )
        )
        new = []
        for rec in records:
            user = self.users.get(rec["login"])
            if user is None:
                continue
            if user.id in have:
                self.report.skipped["seekers"] += 1
                continue
            created = _ago(self.now, rec["created_days_ago"])
            profile = SeekerProfile(
                user_id=user.id,
                name=rec["name"],
                phone=rec["phone"],
                birth_year=rec["birth_year"],
                education=rec["education"],
                major=rec["major"],
                skills=rec["skills"],
                experience=rec["experience"],
                districts=rec["districts"],
                salary_min=rec["salary_min"],
                work_forms=rec["work_forms"],
                intro=rec["intro"],
                group_consent=rec["group_consent"],
                group_consent_at=_ago(self.now, rec["consent_days_ago"])
                if rec["group_consent"]
                else None,
                discoverable=rec["discoverable"],
                created_at=created,
                updated_at=created,
            )
            profile.occupations = [
                SeekerOccupation(occupation_code=c) for c in rec["desired_occupations"]
            ]
            # Priority-group status is sensitive: stored only with the seeker's consent.
            profile.groups = (
                [SeekerGroup(group=g) for g in rec["groups"]] if rec["group_consent"] else []
            )
            index_profile(profile, [occupations[c] for c in rec["desired_occupations"]])
            new.append(profile)
        db.session.add_all(new)
        db.session.flush()
        self.report.created["seekers"] += len(new)

    # --- applications --------------------------------------------------------------------
    def load_applications(self) -> None:
        records = self.data["applications"]
        pairs = []
        for rec in records:
            seeker = self.users.get(rec["seeker"])
            pos = self.positions.get((rec["employer"], rec["position"]))
            if seeker is not None and pos is not None and seeker.role == Role.SEEKER:
                pairs.append((rec, seeker, pos))
        have = set()
        ids = [(p.id, s.id) for _, s, p in pairs]
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            have.update(
                db.session.execute(
                    select(Application.position_id, Application.seeker_id).where(
                        tuple_(Application.position_id, Application.seeker_id).in_(part)
                    )
                ).all()
            )
        employer_users = {e.id: e.user_id for e in self.employers.values()}
        new = []
        for rec, seeker, pos in pairs:
            if (pos.id, seeker.id) in have:
                self.report.skipped["applications"] += 1
                continue
            events = rec["events"]
            first, last = (
                _ago(self.now, events[0]["days_ago"]),
                _ago(self.now, events[-1]["days_ago"]),
            )
            app = Application(
                position_id=pos.id,
                seeker_id=seeker.id,
                note=rec["note"],
                status=events[-1]["status"],
                created_at=first,
                updated_at=last,
            )
            previous = None
            for ev in events:
                status = ev["status"]
                actor = employer_users[pos.employer_id] if status in EMPLOYER_SIDE else seeker.id
                app.events.append(
                    ApplicationEvent(
                        from_status=previous,
                        to_status=status,
                        actor_id=actor,
                        note=ev["note"],
                        created_at=_ago(self.now, ev["days_ago"]),
                    )
                )
                previous = status
            have.add((pos.id, seeker.id))
            new.append(app)
        db.session.add_all(new)
        db.session.flush()
        self.report.created["applications"] += len(new)

    # --- summary -------------------------------------------------------------------------
    def describe_accounts(self) -> None:
        acc = self.data["accounts"]
        org = acc["organisers"][0]
        self.report.accounts = [
            {"role": ROLE_LABELS[Role.ORGANISER], "login": org["login"], "hint": org["hint"]},
            {
                "role": ROLE_LABELS[Role.EMPLOYER],
                "login": acc["demo_employer"],
                "hint": acc["demo_employer_hint"],
            },
            {
                "role": ROLE_LABELS[Role.SEEKER],
                "login": acc["demo_seeker"],
                "hint": acc["demo_seeker_hint"],
            },
        ]


def load_seed(data_dir: Path = SEED_DIR, now: datetime | None = None) -> SeedReport:
    """Load the demo data in one write transaction; existing records are left as they are."""
    loader = _Loader(read_seed(data_dir), now or utcnow())
    with writing():
        try:
            loader.load_users()
            loader.load_employers()
            loader.load_positions()
            loader.load_seekers()
            loader.load_applications()
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    loader.describe_accounts()
    load_feature_demos(loader.report, now or utcnow())
    return loader.report


# Features that add their own demo records after the core ones, in dependency order. Each
# module's seed_demo(now) is idempotent and returns {中文标签: 新增条数}.
FEATURE_DEMOS = (
    "jobfair.recommendations.demo",
    "jobfair.notifications.demo",
    "jobfair.fairs.demo",
    "jobfair.live.demo",
    "jobfair.casework.demo",
)


def load_feature_demos(report: SeedReport, now: datetime) -> None:
    import importlib

    for name in FEATURE_DEMOS:
        made = importlib.import_module(name).seed_demo(now)
        report.extra.update(made)


def format_report(report: SeedReport) -> str:
    lines = ["演示数据加载完成（已存在的记录保持不变）："]
    for kind, label in KINDS.items():
        made, kept = report.created[kind], report.skipped[kind]
        text = f"  {label}：新增 {made}"
        if kept:
            text += f"，已存在 {kept}"
        lines.append(text)
    lines.extend(f"  {label}：新增 {made}" for label, made in report.extra.items())
    lines.extend(f"  注意：{w}" for w in report.warnings)
    lines.append("")
    lines.append(f"演示账号（密码均为 {report.password}，仅供本地演示）：")
    for acc in report.accounts:
        lines.append(f"  {acc['role']}  登录名 {acc['login']}  可以试试：{acc['hint']}")
    lines.append("  其他演示单位和求职者账号见 seed/employers.json、seed/seekers.json，密码相同。")
    return "\n".join(lines)


@click.command("seed", help="加载 seed/ 中的演示数据（可重复执行，已存在的记录不会改动）")
@with_appcontext
def seed_command():
    try:
        report = load_seed()
    except (SeedError, OSError, json.JSONDecodeError) as err:
        raise click.ClickException(f"演示数据加载失败：{err}") from None
    click.echo(format_report(report))
