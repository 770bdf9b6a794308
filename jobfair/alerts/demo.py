"""Demo job alerts (seed/alerts.json), loaded by `flask seed` after the core records;
keyed by the owner's login and the alert's name. Digests come from `flask alerts send`."""

from datetime import datetime, timedelta

from sqlalchemy import select

from jobfair.alerts.saved import PROFILE_ALERT_NAME, clean_filters
from jobfair.extensions import db
from jobfair.models.alert import AlertKind, JobAlert
from jobfair.models.employer import Employer
from jobfair.models.position import Position
from jobfair.models.user import User
from jobfair.seeding import read_seed, write_transaction


def seed_demo(now: datetime) -> dict[str, int]:
    """Create the demo alerts once (natural key: owner, name)."""
    made = 0
    with write_transaction():
        for item in read_seed("alerts")["alerts"]:
            user = db.session.scalar(select(User).filter_by(phone=item["login"]))
            if user is None:
                continue
            values = {"kind": item["kind"], "filters": {}, "position_id": None}
            if item["kind"] == AlertKind.SEARCH:
                values.update(name=item["name"], filters=clean_filters(item["filters"]))
            elif item["kind"] == AlertKind.PROFILE:
                values["name"] = PROFILE_ALERT_NAME
            else:
                position = db.session.scalar(
                    select(Position)
                    .join(Employer, Employer.id == Position.employer_id)
                    .where(Employer.user_id == user.id, Position.title == item["position"])
                )
                if position is None:
                    continue
                values.update(name=f"人才：{position.title}"[:30], position_id=position.id)
            if db.session.scalar(
                select(JobAlert.id).filter_by(user_id=user.id, name=values["name"])
            ):
                continue
            created = now - timedelta(days=item["days_ago"])
            sent = item.get("sent_days_ago")
            db.session.add(
                JobAlert(
                    user_id=user.id,
                    active=True,
                    created_at=created,
                    last_sent_at=now - timedelta(days=sent) if sent is not None else None,
                    **values,
                )
            )
            made += 1
    return {"职位提醒": made}
