"""What every joiner of a fair lobby gets, built once and shared while nothing changed.

A fair opening at 9:00 is a join storm: thousands of seekers ask for the same counts,
announcements and pins within seconds. The snapshot is cached per process against the fair
room's generation (bumped by every event this process passes to that room, whichever process
sent it) and for at most LOBBY_CACHE_SECONDS, so a joiner reads it without touching the
database. A joiner enters the room before reading the snapshot, so whatever happens after the
snapshot was built reaches them live.
"""

import threading
import time

from flask import current_app

from jobfair.errors import NotFound
from jobfair.extensions import db
from jobfair.ids import require_id
from jobfair.live import queries
from jobfair.live.realtime import fair_room, room_generation
from jobfair.live.serializers import announcement_dict
from jobfair.models.fair import Fair

LOBBY_CACHE_SECONDS = 2.0
_lock = threading.Lock()


def _cache() -> dict[int, tuple[int, float, dict, list[int]]]:
    """fair id → (room generation, monotonic time, snapshot, numbers of its announcements);
    kept on the app, so two apps in one process (tests) never share it."""
    return current_app.extensions.setdefault("jobfair.lobby", {})


def public_fair_id(value) -> int:
    """A public fair's id, from the cache when a joiner of it was served just now."""
    fair_id = require_id(value, "招聘会不存在。")
    if _fresh(fair_id) is None:
        fair = db.session.get(Fair, fair_id)
        if fair is None or not fair.is_public:
            raise NotFound("招聘会不存在。")
    return fair_id


def _fresh(fair_id: int):
    hit = _cache().get(fair_id)
    if hit is None:
        return None
    gen, at, _snap, _ids = hit
    if gen != room_generation(fair_room(fair_id)) or time.monotonic() - at > LOBBY_CACHE_SECONDS:
        return None
    return hit


def snapshot(fair_id: int, announcement_seq=None) -> dict:
    """Counts, announcements (the recent ones, or a page after the client's last number) and
    pins; "more_announcements" tells the client to ask for the next page."""
    hit = _fresh(fair_id)
    if hit is None:
        gen = room_generation(fair_room(fair_id))
        fair = db.session.get(Fair, fair_id)
        if fair is None or not fair.is_public:
            raise NotFound("招聘会不存在。")
        snap = queries.lobby_state(fair_id) | {"more_announcements": False}
        hit = (gen, time.monotonic(), snap, [a["seq"] for a in snap["announcements"]])
        with _lock:
            _cache()[fair_id] = hit
    _gen, _at, snap, seqs = hit
    after = queries.parse_seq(announcement_seq)
    if after is None:
        return snap
    if seqs and after >= seqs[0] - 1:  # everything the client lacks is in the cached window
        return snap | {"announcements": [a for a in snap["announcements"] if a["seq"] > after]}
    rows, more = queries.announcements_after(f"fair:{fair_id}", after)
    return snap | {
        "announcements": [announcement_dict(a) for a in rows],
        "more_announcements": more,
    }
