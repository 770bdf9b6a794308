"""Demo accounts, loaded first by `flask seed`: the organiser and the login of every seeded
employer and seeker (seed/accounts.json, employers.json, seekers.json), keyed by login."""

from datetime import datetime

from jobfair.extensions import db
from jobfair.models import Role, User
from jobfair.models.user import ROLE_LABELS
from jobfair.security import hash_password
from jobfair.seeding import Tally, ago, login_kw, read_seed, users_by_login, write_transaction

LABEL = "账号"


def wanted_accounts() -> dict[str, tuple[str, str, float | None]]:
    """login: (role, display name, created days ago)."""
    wanted: dict[str, tuple[str, str, float | None]] = {}
    for org in read_seed("accounts")["organisers"]:
        wanted[org["login"]] = (Role.ORGANISER, org["name"], None)
    for emp in read_seed("employers"):
        wanted[emp["login"]] = (Role.EMPLOYER, emp["contact_name"], emp["created_days_ago"])
    for s in read_seed("seekers"):
        wanted[s["login"]] = (Role.SEEKER, s["name"], s["created_days_ago"])
    return wanted


def seed_demo(now: datetime) -> Tally:
    tally = Tally(created={LABEL: 0})
    wanted = wanted_accounts()
    password = read_seed("accounts")["demo_password"]
    with write_transaction():
        existing = users_by_login(wanted)
        password_hash = None
        for login, (role, name, days) in wanted.items():
            user = existing.get(login)
            if user is not None:
                tally.keep(LABEL)
                if user.role != role:
                    tally.warnings.append(
                        f"账号 {login} 已存在但角色为“{ROLE_LABELS.get(user.role, user.role)}”，"
                        "跳过与它相关的演示数据。"
                    )
                continue
            # Argon2 is slow by design: hash the one demo password once and share it.
            password_hash = password_hash or hash_password(password)
            created = ago(now, days) or now
            db.session.add(
                User(
                    role=role,
                    name=name,
                    password_hash=password_hash,
                    must_change_password=False,
                    created_at=created,
                    password_changed_at=created,
                    **login_kw(login),
                )
            )
            tally.add(LABEL)
    return tally
