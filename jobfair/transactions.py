"""Committing a write whose uniqueness the database guards: a lost race is a 409, not a 500."""

from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from jobfair.errors import Conflict
from jobfair.extensions import db


def commit_or_conflict(message: str, code: str = "conflict") -> None:
    """Commit; if a UNIQUE constraint (or another integrity rule) refuses the write, roll
    back everything and raise Conflict with the caller's Chinese message, so nothing is left
    half-written and two tabs racing to create the same thing get a clear answer."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(message, code=code) from None


@contextmanager
def conflict_as(message: str, code: str = "conflict"):
    """The same rule for a block that flushes or commits part-way (``with conflict_as(…):``)."""
    try:
        yield
    except IntegrityError:
        db.session.rollback()
        raise Conflict(message, code=code) from None
