"""The notification centre listens: new applications, status changes, and its own rows.

Texts for the application pipeline live in ``notifications.texts``; each committed
notification is announced with ``events.notification_created`` so that the live layer can
push it to the user's open tabs.
"""

from functools import partial

from sqlalchemy import event
from sqlalchemy.orm import Session

from jobfair import events
from jobfair.models.notification import Notification
from jobfair.notifications import texts
from jobfair.notifications.services import payload


def _application_submitted(position, reopened=False, **_kw) -> None:
    texts.application_submitted(position, reopened=reopened)


def _application_status_changed(application, to_status, note="", **_kw) -> None:
    texts.application_status_changed(application, to_status, note)


def _announce_after_commit(session, _flush_context) -> None:
    """Rows just inserted have their ids here; announce them only once they are committed."""
    for obj in session.new:
        if isinstance(obj, Notification) and obj.id is not None:
            events.after_commit(
                partial(
                    events.notification_created.send,
                    None,
                    user_id=obj.user_id,
                    payload=payload(obj),
                ),
                session=session,
            )


def connect() -> None:
    events.application_submitted.connect(_application_submitted)
    events.application_status_changed.connect(_application_status_changed)
    if not event.contains(Session, "after_flush", _announce_after_commit):
        event.listen(Session, "after_flush", _announce_after_commit)
