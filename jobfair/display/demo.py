"""Demo choices of 长辈版 and forms of address (seed/display.json), made by demo seekers
themselves; and one walk-in seeker without an education entry who applied to the demo
employer, so reps see 未填写 rather than a requirement word."""

from datetime import datetime

from sqlalchemy import select

from jobfair.applications.services import apply
from jobfair.extensions import db
from jobfair.models import Employer, Position, Role, SeekerProfile, User
from jobfair.models.common import Education
from jobfair.models.position import PositionStatus
from jobfair.security import hash_password
from jobfair.seeding import Tally, login_kw, read_seed, users_by_login, write_transaction
from jobfair.seekers.services import index_profile

LABEL = "称呼与长辈版设置"
WALK_IN = "服务站登记的求职者"


def seed_demo(now: datetime) -> Tally:
    tally = Tally(created={LABEL: 0, WALK_IN: 0})
    spec = read_seed("display")
    with write_transaction():
        users = users_by_login(p["login"] for p in spec["preferences"])
        for rec in spec["preferences"]:
            user = users.get(rec["login"])
            if user is None or user.role != Role.SEEKER:
                continue
            if user.address_form:  # chosen already (here or by the person): never overwrite
                tally.keep(LABEL)
                continue
            user.address_form = rec["address_form"]
            user.elder_mode = rec["elder_mode"]
            tally.add(LABEL)
    with write_transaction():
        _walk_in(spec["walk_in"], now, tally)
    return tally


def _walk_in(rec: dict, now: datetime, tally: Tally) -> None:
    if users_by_login([rec["login"]]):
        tally.keep(WALK_IN)
        return
    password = read_seed("accounts")["demo_password"]
    user = User(
        role=Role.SEEKER,
        name=rec["name"],
        password_hash=hash_password(password),
        address_form=rec["address_form"],
        elder_mode=rec["elder_mode"],
        created_at=now,
        password_changed_at=now,
        **login_kw(rec["login"]),
    )
    db.session.add(user)
    db.session.flush()
    profile = SeekerProfile(
        user_id=user.id,
        name=rec["name"],
        phone=rec["login"],
        birth_year=rec["birth_year"],
        education=str(Education.NONE),
        major="",
        skills=rec["skills"],
        experience=rec["experience"],
        districts=rec["districts"],
        hukou_district=rec["residence_district"],
        residence_district=rec["residence_district"],
        residence_street="",
        consent_note="",
        salary_min=0,
        work_forms=rec["work_forms"],
        intro="",
        group_consent=False,
        discoverable=False,
    )
    index_profile(profile, [])
    db.session.add(profile)
    db.session.flush()
    tally.add(WALK_IN)
    employer_user = users_by_login([rec["apply_to_employer"]]).get(rec["apply_to_employer"])
    position_id = db.session.scalar(
        select(Position.id)
        .join(Employer, Employer.id == Position.employer_id)
        .where(Employer.user_id == (employer_user.id if employer_user else -1))
        .where(Position.status == PositionStatus.PUBLISHED)
        .order_by(Position.id)
        .limit(1)
    )
    if position_id is not None:
        apply(user, position_id, {"note": rec["note"]})
