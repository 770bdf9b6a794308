"""每日汇总: the notifications a user chose to get gathered, sent as one summary a day.

``send_digests(now)`` is safe to run any number of times and from several processes: each
user's pending rows are claimed with one conditional UPDATE, so a row is summarised once.
"""

import logging
from datetime import datetime

from flask import url_for
from sqlalchemy import func, select, update

from jobfair.extensions import db
from jobfair.formatting import fmt_dt
from jobfair.models.common import utcnow
from jobfair.models.notification import NOTIFICATION_KIND_LABELS, DigestState, Notification
from jobfair.notifications.services import notify

log = logging.getLogger(__name__)

LISTED = 10  # items written out in the summary itself


def _link() -> str:
    try:
        return url_for("notifications.index")
    except RuntimeError:
        return "/notifications"


def send_digests(now: datetime | None = None) -> dict[str, int]:
    """One summary per user with pending notifications; returns {"users", "items"}."""
    now = now or utcnow()
    user_ids = list(
        db.session.scalars(
            select(Notification.user_id)
            .where(
                Notification.digest_state == DigestState.PENDING,
                Notification.created_at <= now,
            )
            .group_by(Notification.user_id)
            .order_by(Notification.user_id)
        )
    )
    db.session.commit()
    users = items = 0
    for user_id in user_ids:
        got = _send_one(user_id, now)
        if got:
            users += 1
            items += got
    return {"users": users, "items": items}


def _send_one(user_id: int, now: datetime) -> int:
    rows = list(
        db.session.scalars(
            select(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.digest_state == DigestState.PENDING,
                Notification.created_at <= now,
            )
            .order_by(Notification.id)
        )
    )
    if not rows:
        db.session.rollback()
        return 0
    ids = [n.id for n in rows]
    claimed = db.session.execute(
        update(Notification)
        .where(Notification.id.in_(ids), Notification.digest_state == DigestState.PENDING)
        .values(digest_state=DigestState.SENT)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != len(ids):  # another run took some of them: let it summarise
        db.session.rollback()
        return 0
    counts: dict[str, int] = {}
    for n in rows:
        counts[n.kind] = counts.get(n.kind, 0) + 1
    head = "、".join(
        f"{NOTIFICATION_KIND_LABELS.get(k, '通知')} {c} 条" for k, c in sorted(counts.items())
    )
    lines = [f"· {fmt_dt(n.created_at, '%m-%d %H:%M')} {n.title}" for n in rows[-LISTED:]]
    more = len(rows) - LISTED
    if more > 0:
        lines.insert(0, f"（较早的 {more} 条未列出）")
    notify(
        user_id,
        "digest",
        f"每日汇总：{len(rows)} 条通知",
        head + "\n" + "\n".join(lines),
        _link(),
    )
    db.session.commit()
    return len(rows)


def pending_count(user_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user_id,
                Notification.digest_state == DigestState.PENDING,
            )
        )
        or 0
    )
