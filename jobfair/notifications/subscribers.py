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
from jobfair.notifications import employer_texts, texts
from jobfair.notifications.services import payload


def _application_submitted(position, reopened=False, **_kw) -> None:
    texts.application_submitted(position, reopened=reopened)


def _application_status_changed(application, to_status, note="", **_kw) -> None:
    texts.application_status_changed(application, to_status, note)


def _employer_reviewed(employer, verified, reason="", **_kw) -> None:
    employer_texts.employer_reviewed(employer, verified=verified, reason=reason)


def _position_held(position, phrases=(), **_kw) -> None:
    employer_texts.position_held(position, phrases=list(phrases))


def _position_reviewed(position, approved, note="", **_kw) -> None:
    employer_texts.position_reviewed(position, approved=approved, note=note)


def _booth_decided(booth, approved, reason="", **_kw) -> None:
    employer_texts.booth_decided(booth, approved=approved, reason=reason)


def _rep_changed(_sender, employer_id, rep_user_id, rep_name, added, actor_id, **_kw) -> None:
    employer_texts.rep_changed(
        employer_id=employer_id,
        rep_user_id=rep_user_id,
        rep_name=rep_name,
        added=added,
        actor_id=actor_id,
    )


def _announce_after_commit(session, _flush_context) -> None:
    """Rows just inserted have their ids here; announce them only once they are committed."""
    for obj in session.new:
        if isinstance(obj, Notification) and obj.id is not None and getattr(obj, "push_live", True):
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
    events.employer_reviewed.connect(_employer_reviewed)
    events.position_held.connect(_position_held)
    events.position_reviewed.connect(_position_reviewed)
    events.booth_decided.connect(_booth_decided)
    events.rep_changed.connect(_rep_changed)
    if not event.contains(Session, "after_flush", _announce_after_commit):
        event.listen(Session, "after_flush", _announce_after_commit)
