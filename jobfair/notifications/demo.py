"""Demo notifications for the three demo accounts (seed/notifications.json), loaded by
`flask seed` after the core records; keyed by user, kind and title."""

from datetime import datetime, timedelta

from sqlalchemy import select

from jobfair.extensions import db
from jobfair.models.notification import Notification
from jobfair.models.user import User
from jobfair.seeding import read_seed, write_transaction


def seed_demo(now: datetime) -> dict[str, int]:
    """Create the demo notifications once (natural key: user, kind, title)."""
    demo = read_seed("notifications")["by_login"]
    made = 0
    with write_transaction():
        users = {
            u.phone: u for u in db.session.scalars(select(User).where(User.phone.in_(list(demo))))
        }
        for login, items in demo.items():
            user = users.get(login)
            if user is None:
                continue
            have = set(
                db.session.execute(
                    select(Notification.kind, Notification.title).where(
                        Notification.user_id == user.id
                    )
                ).all()
            )
            for item in items:
                if (item["kind"], item["title"]) in have:
                    continue
                created = now - timedelta(days=item["days_ago"])
                db.session.add(
                    Notification(
                        user_id=user.id,
                        kind=item["kind"],
                        title=item["title"],
                        body=item["body"],
                        link=item["link"],
                        created_at=created,
                        read_at=created + timedelta(hours=2) if item["read"] else None,
                    )
                )
                made += 1
    return {"站内通知": made}
