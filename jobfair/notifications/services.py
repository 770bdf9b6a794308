"""Notification services: notify, list, mark read.

`notify()` only adds a row to the caller's session; the caller commits together with the
change it announces. Once that commit succeeds, ``notifications.subscribers`` announces the
row (``events.notification_created``) and the live layer pushes it to the user's open tabs;
a user who is not online finds it in the list.
"""

import logging
import re

from sqlalchemy import func, select, update

from jobfair.errors import DomainError, NotFound
from jobfair.extensions import db
from jobfair.formatting import iso
from jobfair.ids import is_id
from jobfair.models.common import utcnow
from jobfair.models.notification import NOTIFICATION_KIND_LABELS, DigestState, Notification
from jobfair.notifications.preferences import delivery

log = logging.getLogger(__name__)

PAGE_SIZE = 30
MAX_PAGE = 10_000
TITLE_MAX = 200
BODY_MAX = 2000
# Links stay inside the site: a path, never a scheme or //host.
_LINK_RE = re.compile(r"^/(?!/)[^\s\\]*$")


def notify(user_id: int, kind: str, title: str, body: str = "", link: str | None = None):
    """Add a notification to the current session; the caller commits it with its change.

    The user's choices for this kind (``notifications.preferences``) decide whether it is
    listed in the centre, kept for the daily summary, and pushed to open pages."""
    if link is not None and not _LINK_RE.match(link):
        raise ValueError(f"notification links must be site paths: {link!r}")
    choice = delivery(user_id, kind[:30])
    row = Notification(
        user_id=user_id,
        kind=kind[:30],
        title=(title or "")[:TITLE_MAX],
        body=(body or "")[:BODY_MAX],
        link=link[:300] if link else None,
        created_at=utcnow(),
        in_centre=choice.centre,
        digest_state=DigestState.PENDING if choice.digest else None,
    )
    # Read by notifications.subscribers when announcing the committed row (not a column).
    row.push_live = choice.live
    db.session.add(row)
    return row


def payload(n: Notification) -> dict:
    return {
        "id": n.id,
        "kind": n.kind,
        "kind_label": NOTIFICATION_KIND_LABELS.get(n.kind, "通知"),
        "title": n.title,
        "body": n.body,
        "link": n.link,
        "read": n.read_at is not None,
        "read_at": iso(n.read_at),
        "created_at": iso(n.created_at),
        "in_centre": n.in_centre is not False,
    }


# --- reading ---------------------------------------------------------------------------------


def unread_count(user_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user_id,
                Notification.read_at.is_(None),
                Notification.in_centre.is_(True),
            )
        )
        or 0
    )


def list_for(user, *, page: int = 1, per_page: int = PAGE_SIZE, unread_only: bool = False):
    """(notifications on this page, total, unread) — unread first, newest first."""
    page = min(max(1, int(page or 1)), MAX_PAGE)
    q = select(Notification).where(
        Notification.user_id == user.id, Notification.in_centre.is_(True)
    )
    if unread_only:
        q = q.where(Notification.read_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = db.session.scalars(
        q.order_by(
            Notification.read_at.is_not(None),
            Notification.created_at.desc(),
            Notification.id.desc(),
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(rows), total, unread_count(user.id)


def own(user, notification_id: int) -> Notification:
    """The user's own notification; anybody else's is 404."""
    if not is_id(notification_id):
        raise NotFound("通知不存在。")
    n = db.session.get(Notification, notification_id)
    if n is None or n.user_id != user.id or not n.in_centre:
        raise NotFound("通知不存在。")
    return n


def mark_read(user, notification_id: int) -> Notification:
    n = own(user, notification_id)
    if n.read_at is None:
        n.read_at = utcnow()
        db.session.commit()
    return n


def mark_all_read(user) -> int:
    result = db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.read_at.is_(None),
            Notification.in_centre.is_(True),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount or 0


def parse_page(value) -> int:
    try:
        return min(max(1, int(value or 1)), MAX_PAGE)
    except (TypeError, ValueError):
        raise DomainError("页码应为正整数。", code="validation_error", status=400) from None
