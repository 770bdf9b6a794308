"""The recommendation index follows position changes: logged in the writing transaction,
applied by every process on its next use. A saved seeker profile gets its inferred
occupations refreshed in the same transaction."""

from sqlalchemy import event
from sqlalchemy.orm import Session

from jobfair import events
from jobfair.recommendations.index import mark_positions_changed, record_flush
from jobfair.recommendations.inferred import refresh_seekers


def _bulk_change(_sender, position_ids, **_kw) -> None:
    mark_positions_changed(position_ids)


def _profile_saved(profile, **_kw) -> None:
    refresh_seekers([profile])


def connect() -> None:
    events.positions_changed.connect(_bulk_change)
    events.seeker_profile_saved.connect(_profile_saved)
    if not event.contains(Session, "after_flush", record_flush):
        event.listen(Session, "after_flush", record_flush)
