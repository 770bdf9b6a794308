"""The recommendation index follows position changes: logged in the writing transaction,
applied by every process on its next use."""

from sqlalchemy import event
from sqlalchemy.orm import Session

from jobfair import events
from jobfair.recommendations.index import mark_positions_changed, record_flush


def _bulk_change(_sender, position_ids, **_kw) -> None:
    mark_positions_changed(position_ids)


def connect() -> None:
    events.positions_changed.connect(_bulk_change)
    if not event.contains(Session, "after_flush", record_flush):
        event.listen(Session, "after_flush", record_flush)
