"""Demo seeker profiles (seed/seekers.json), one per seeker login, indexed for matching as the
site would. Priority groups are stored only with the seeker's consent, as on the site."""

from datetime import datetime

from sqlalchemy import select

from jobfair.extensions import db
from jobfair.models import Role, SeekerGroup, SeekerOccupation, SeekerProfile
from jobfair.seeding import Tally, ago, occupations, read_seed, users_by_login, write_transaction
from jobfair.seekers.services import index_profile

LABEL = "求职者档案"


def seed_demo(now: datetime) -> Tally:
    tally = Tally(created={LABEL: 0})
    records = read_seed("seekers")
    with write_transaction():
        known = occupations({c for s in records for c in s["desired_occupations"]})
        users = {
            login: u
            for login, u in users_by_login(s["login"] for s in records).items()
            if u.role == Role.SEEKER
        }
        have = set(
            db.session.scalars(
                select(SeekerProfile.user_id).where(
                    SeekerProfile.user_id.in_([u.id for u in users.values()])
                )
            )
        )
        for rec in records:
            user = users.get(rec["login"])
            if user is None:
                continue
            if user.id in have:
                tally.keep(LABEL)
                continue
            created = ago(now, rec["created_days_ago"])
            consent = rec["group_consent"]
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
                hukou_district=rec.get("hukou_district", ""),
                residence_district=rec.get("residence_district", ""),
                residence_street=rec.get("residence_street", ""),
                consent_note="",
                salary_min=rec["salary_min"],
                work_forms=rec["work_forms"],
                intro=rec["intro"],
                group_consent=consent,
                group_consent_at=ago(now, rec["consent_days_ago"]) if consent else None,
                discoverable=rec["discoverable"],
                created_at=created,
                updated_at=created,
            )
            profile.occupations = [
                SeekerOccupation(occupation_code=c) for c in rec["desired_occupations"]
            ]
            profile.groups = [SeekerGroup(group=g) for g in rec["groups"]] if consent else []
            index_profile(profile, [known[c] for c in rec["desired_occupations"]])
            db.session.add(profile)
            tally.add(LABEL)
    return tally
