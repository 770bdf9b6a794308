"""Named signals between features, and the one queue of work that waits for a commit.

A core service that changes something others care about sends a signal; the feature that
cares connects a handler in its own package (its ``subscribers`` module), and the factory's
``register_subscribers`` step connects them all. Senders never import their listeners, so a
lower layer never imports a higher one. Handlers run synchronously in the sender's thread,
inside its transaction unless the signal says "after the commit".

Work that must not happen unless the data is committed (a socket broadcast, a cache clear, an
index refresh) goes through ``after_commit(fn)``: queued on the session, run once the
outermost transaction commits, dropped when it rolls back.
"""

import logging
from collections.abc import Callable

from blinker import Namespace
from sqlalchemy import event
from sqlalchemy.orm import Session

from jobfair.extensions import db

log = logging.getLogger(__name__)

_signals = Namespace()

# --- accounts and sessions ----------------------------------------------------------------

login_sessions_ended = _signals.signal(
    "login-sessions-ended",
    doc="""Login sessions were deleted (logout, password change, suspension, rep removal).

    Sent by ``jobfair.security`` after the rows are gone, with
    ``login_session_ids: list[int]``. The live layer closes the sockets opened with them.""",
)

user_access_revoked = _signals.signal(
    "user-access-revoked",
    doc="""A user lost an access they held (a booth rep was removed), after the commit.

    Sent with ``user_id: int``. The live layer closes all of that user's sockets, so a room
    they may no longer see stops streaming to them at once.""",
)

# --- applications ------------------------------------------------------------------------

application_submitted = _signals.signal(
    "application-submitted",
    doc="""A seeker applied to a position (or re-opened a withdrawn application).

    Sent by ``jobfair.applications`` inside the transaction; the sender is the ``Position``,
    with ``reopened: bool``. Notifications tell the employer.""",
)

application_status_changed = _signals.signal(
    "application-status-changed",
    doc="""An employer or rep moved an application on (已查看, 邀请面试, 录用, 入职, 未通过).

    Sent by ``jobfair.applications`` inside the transaction; the sender is the
    ``Application``, with ``to_status``, ``note`` and ``actor_id``. Notifications tell the seeker; case work records
    a hire (录用/入职) on the seeker's case file and household in the same transaction.""",
)

# --- positions ---------------------------------------------------------------------------

positions_changed = _signals.signal(
    "positions-changed",
    doc="""Positions were changed by a bulk UPDATE that bypasses the ORM's change tracking.

    Sent inside the transaction (sender ``None``) with ``position_ids: set[int]``. The
    recommendation index records the change in the same transaction. (The search cache sees
    bulk statements itself and is cleared after the commit.)""",
)

# --- seekers ------------------------------------------------------------------------------

seeker_profile_saved = _signals.signal(
    "seeker-profile-saved",
    doc="""A seeker's profile was written (created or edited), before the commit.

    Sent inside the transaction with the ``SeekerProfile`` as sender. The recommendations
    feature refreshes the occupations inferred from the profile's words in the same
    transaction (only while the seeker wishes for no occupation).""",
)

# --- notifications -----------------------------------------------------------------------

notification_created = _signals.signal(
    "notification-created",
    doc="""A notification row was committed.

    Sent by ``jobfair.notifications`` after the commit, with ``user_id: int`` and
    ``payload: dict`` (the JSON the notification centre shows). The live layer pushes it to
    the user's open tabs.""",
)

# --- policies and subsidies ---------------------------------------------------------------

policy_facts_wanted = _signals.signal(
    "policy-facts-wanted",
    doc="""The policy check gathers what the platform knows about a seeker or an employer.

    Sent by ``jobfair.policies.facts`` with the subject kind as sender (``"seeker"`` with
    ``user_id: int``, or ``"employer"`` with ``employer_id: int``) and ``on: date``. A
    feature that records policy facts (training: ``training_certificate``,
    ``training_cost``; start-ups: ``business_registered``, ``business_months``,
    ``loan_granted``, ``loan_amount``, ``loan_rate``, ``loan_term_months``,
    ``loan_repaid_on_time``) returns ``{fact key: {"value": ..., "note": "where it comes
    from"}}`` with the keys of ``jobfair.policies.rules.FACTS`` it knows; a fact no receiver
    returns stays unknown. Read-only: receivers must not write.""",
)

subsidy_decided = _signals.signal(
    "subsidy-decided",
    doc="""A subsidy application was submitted, returned, approved, rejected, paid or withdrawn.

    Sent by ``jobfair.policies`` inside the transaction; the sender is the
    ``SubsidyApplication``, with ``action: str`` and ``actor_id``. Start-up support can
    follow its 一次性创业补贴 / 贴息 claims by it.""",
)

# --- the after-commit queue ----------------------------------------------------------------

_QUEUE = "jobfair_after_commit"


def after_commit(fn: Callable[[], object], *, key: str | None = None, session=None) -> None:
    """Run ``fn()`` once the current transaction commits; forget it if it rolls back.

    ``key`` de-duplicates: work queued twice under one key (a cache clear, an index refresh)
    runs once. Without an explicit ``session`` the app's ``db.session`` is used. ``fn`` runs
    after the commit, when the session cannot emit SQL: capture plain values, not rows.
    """
    if session is None:
        session = db.session()
    queue: dict = session.info.setdefault(_QUEUE, {})
    queue[key if key is not None else object()] = fn


def pending_after_commit(session) -> int:
    """How much work waits for this session's commit (for tests and diagnostics)."""
    return len(session.info.get(_QUEUE, {}))


@event.listens_for(Session, "after_commit")
def _run_queue(session) -> None:
    queue = session.info.pop(_QUEUE, None)
    if not queue:
        return
    for fn in queue.values():
        try:
            fn()
        except Exception:  # the data is committed; a failed side effect must not undo the request
            log.exception("after-commit work failed: %r", fn)


@event.listens_for(Session, "after_soft_rollback")
def _drop_queue(session, _previous_transaction) -> None:
    if not session.in_transaction():
        session.info.pop(_QUEUE, None)
