"""Demo data: `flask seed` runs the features' demo hooks, in order, on the files in seed/.

A feature with demo records has a `demo` module whose `seed_demo(now)` creates what is
missing, keyed by natural keys (a user by login, an employer by 统一社会信用代码, a position by
employer credit code + title, a fair by title …), and skips what exists: never updates it. So
running the command twice changes nothing and edits made through the site are kept. A hook
returns {中文标签: 新增条数}, or a Tally that also counts what was already there and warns.

This module knows no feature: jobfair/cli.py passes the ordered hooks to `seed_command`.
Helpers for the hooks live here too: reading seed/ files, logins, Beijing local time.
"""

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import Occupation, User
from jobfair.models.common import utcnow
from jobfair.models.user import ROLE_LABELS, Role

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
LOCAL_TZ = ZoneInfo("Asia/Shanghai")  # the demo city's clock; the database stores naive UTC


class SeedError(Exception):
    """The seed files are inconsistent with the database (e.g. an unknown occupation)."""


@dataclass
class Tally:
    """What one hook did, by 中文标签: records added, records already there; warnings."""

    created: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def add(self, label: str, n: int = 1) -> None:
        self.created[label] = self.created.get(label, 0) + n

    def keep(self, label: str, n: int = 1) -> None:
        self.kept[label] = self.kept.get(label, 0) + n


DemoHook = Callable[[datetime], Mapping[str, int] | Tally]


# --- helpers for the hooks -----------------------------------------------------------------
def read_seed(name: str, data_dir: Path = SEED_DIR):
    """One of the JSON files in seed/ (without the .json)."""
    with open(data_dir / f"{name}.json", encoding="utf-8") as fh:
        return json.load(fh)


def ago(now: datetime, days) -> datetime | None:
    return None if days is None else now - timedelta(days=float(days))


def login_kw(login: str) -> dict:
    return {"phone": login, "email": None} if login.isdigit() else {"phone": None, "email": login}


def users_by_login(logins: Iterable[str]) -> dict[str, User]:
    logins = set(logins)
    phones = [k for k in logins if k.isdigit()]
    emails = [k for k in logins if not k.isdigit()]
    found = {}
    for user in db.session.scalars(
        select(User).where(User.phone.in_(phones) | User.email.in_(emails))
    ):
        for login in (user.phone, user.email):
            if login in logins:
                found[login] = user
    return found


def occupations(codes: set[str]) -> dict[str, Occupation]:
    found = {
        o.code: o for o in db.session.scalars(select(Occupation).where(Occupation.code.in_(codes)))
    }
    missing = sorted(codes - set(found))
    if missing:
        raise SeedError(
            "演示数据引用了不存在的职业编码："
            + "、".join(missing)
            + "（请先执行 flask db upgrade）"
        )
    return found


def local_day(now: datetime) -> date:
    """The date in Beijing at naive-UTC `now`."""
    return now.replace(tzinfo=ZoneInfo("UTC")).astimezone(LOCAL_TZ).date()


def local_clock(now: datetime) -> datetime:
    """Naive-UTC `now` as a naive Beijing wall-clock time."""
    return now.replace(tzinfo=ZoneInfo("UTC")).astimezone(LOCAL_TZ).replace(tzinfo=None)


def at_local(day: date, clock: str | time) -> datetime:
    """Beijing wall-clock time on `day` ('09:00') as the naive UTC the database stores."""
    if isinstance(clock, str):
        clock = time.fromisoformat(clock)
    local = datetime.combine(day, clock, tzinfo=LOCAL_TZ)
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


@contextmanager
def write_transaction():
    """One write transaction for a hook: committed at the end, rolled back on an error."""
    db.session.commit()  # end any read transaction so the writes below take the lock first
    with writing():
        try:
            yield
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise


# --- the run ------------------------------------------------------------------------------
@dataclass
class SeedReport:
    counts: dict[str, list[int]] = field(default_factory=dict)  # 中文标签: [新增, 已存在]
    warnings: list[str] = field(default_factory=list)

    def record(self, result: Mapping[str, int] | Tally) -> None:
        tally = result if isinstance(result, Tally) else Tally(created=dict(result))
        for label in [*tally.created, *tally.kept]:
            self.counts.setdefault(label, [0, 0])
        for label, n in tally.created.items():
            self.counts[label][0] += n
        for label, n in tally.kept.items():
            self.counts[label][1] += n
        self.warnings.extend(tally.warnings)


def run_demo(hooks: Sequence[DemoHook], now: datetime | None = None) -> SeedReport:
    """Run the hooks in order (each in its own transaction); later ones build on earlier ones."""
    now = now or utcnow()
    report = SeedReport()
    for hook in hooks:
        report.record(hook(now))
    return report


def format_report(report: SeedReport, accounts: dict) -> str:
    lines = ["演示数据加载完成（已存在的记录保持不变）："]
    for label, (made, kept) in report.counts.items():
        lines.append(f"  {label}：新增 {made}" + (f"，已存在 {kept}" if kept else ""))
    lines.extend(f"  注意：{w}" for w in report.warnings)
    org = accounts["organisers"][0]
    lines += [
        "",
        f"演示账号（密码均为 {accounts['demo_password']}，仅供本地演示）：",
        f"  {ROLE_LABELS[Role.ORGANISER]}  登录名 {org['login']}  可以试试：{org['hint']}",
        f"  {ROLE_LABELS[Role.EMPLOYER]}  登录名 {accounts['demo_employer']}  "
        f"可以试试：{accounts['demo_employer_hint']}",
        f"  {ROLE_LABELS[Role.SEEKER]}  登录名 {accounts['demo_seeker']}  "
        f"可以试试：{accounts['demo_seeker_hint']}",
        "  其他演示单位和求职者账号见 seed/employers.json、seed/seekers.json，密码相同。",
    ]
    return "\n".join(lines)


def seed_command(hooks: Sequence[DemoHook]) -> click.Command:
    """The `flask seed` command over these hooks, in this order."""

    @click.command("seed", help="加载 seed/ 中的演示数据（可重复执行，已存在的记录不会改动）")
    @with_appcontext
    def seed():
        try:
            accounts = read_seed("accounts")
            report = run_demo(hooks)
        except (SeedError, OSError, json.JSONDecodeError) as err:
            raise click.ClickException(f"演示数据加载失败：{err}") from None
        click.echo(format_report(report, accounts))

    return seed
