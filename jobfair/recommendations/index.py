"""The matching index of a process: built once, kept current incrementally, shared by requests.

How processes stay consistent:
- Any flush that adds, edits or deletes a position (or its welcomed groups) bumps the version
  stamp in `match_index_state` and writes one `match_index_changes` row per position, in the
  same transaction (session listeners below; bulk UPDATEs call `mark_positions_changed`).
- The process that committed applies the change on its next use of the index (same request
  cycle); other processes look at the stamp at most every CHECK_INTERVAL seconds and apply
  the changed positions with engine.add/remove, or rebuild from stored tokens when they are
  too far behind (more than MAX_INCREMENTAL changes, or the change log was pruned).
- `flask match rebuild` rebuilds and persists the engine to instance/match-index.bin with a
  stamp (database, version, weights) in instance/match-index.json; a process starting later
  loads that file when the stamp matches instead of building.
"""

import dataclasses
import hashlib
import json
import logging
import os
import threading
import time
from datetime import date
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from jobfair import events
from jobfair.extensions import db
from jobfair.matching import MatchingEngine, PositionDoc, ScoringWeights, features, ranking, reasons
from jobfair.matching import index as match_index
from jobfair.models.common import utcnow
from jobfair.models.position import Position, PositionGroup, PositionStatus
from jobfair.models.recommendation import MatchIndexChange, MatchIndexState

log = logging.getLogger(__name__)

CHECK_INTERVAL = 0.5  # seconds between two looks at the version stamp
MAX_INCREMENTAL = 2000  # more changed positions than this: rebuild instead
KEEP_VERSIONS = 10_000  # change-log rows kept by `flask match rebuild`
STATE_ID = 1


# --- weights from configuration -------------------------------------------------------------


def weights_from_config(app=None):
    """ScoringWeights from JOBFAIR_MATCH_WEIGHTS (a JSON object of its fields)."""

    raw = (app or current_app).config.get("MATCH_WEIGHTS") or ""
    if isinstance(raw, dict):
        values = raw
    elif raw.strip():
        try:
            values = json.loads(raw)
        except ValueError as err:
            raise RuntimeError(f"JOBFAIR_MATCH_WEIGHTS is not valid JSON: {err}") from None
        if not isinstance(values, dict):
            raise RuntimeError("JOBFAIR_MATCH_WEIGHTS must be a JSON object")
    else:
        values = {}
    try:
        return ScoringWeights.from_mapping(values)
    except (TypeError, ValueError) as err:
        raise RuntimeError(f"JOBFAIR_MATCH_WEIGHTS is not usable: {err}") from None


# --- models -> documents ----------------------------------------------------------------------

_POSITION_COLUMNS = (
    Position.id,
    Position.title,
    Position.description,
    Position.requirements,
    Position.occupation_code,
    Position.district,
    Position.salary_min,
    Position.salary_max,
    Position.education,
    Position.work_form,
    Position.search_tokens,
)


def _open_filter():
    today = date.today()
    return (Position.status == PositionStatus.PUBLISHED) & (
        Position.deadline.is_(None) | (Position.deadline >= today)
    )


def load_position_docs(ids=None) -> list:
    """PositionDocs of open published positions (all, or those among ids) from stored tokens."""

    q = select(*_POSITION_COLUMNS).where(_open_filter())
    gq = select(PositionGroup.position_id, PositionGroup.group)
    if ids is not None:
        ids = list(ids)
        if not ids:
            return []
        q = q.where(Position.id.in_(ids))
        gq = gq.where(PositionGroup.position_id.in_(ids))
    groups: dict[int, list[str]] = {}
    for pid, group in db.session.execute(gq):
        groups.setdefault(pid, []).append(group)
    return [
        position_doc(row, groups.get(row.id, ()))
        for row in db.session.execute(q.order_by(Position.id))
    ]


def position_doc(position, groups=None) -> PositionDoc:
    """The engine's view of a position: a Position (its welcomed groups read from it), or a row
    of _POSITION_COLUMNS with its groups. One adapter, so the index and one-off scores agree."""
    if groups is None:
        groups = position.welcomed_groups
    return PositionDoc(
        id=position.id,
        title=position.title,
        description=position.description or "",
        requirements=position.requirements or "",
        occupation_code=position.occupation_code,
        district=position.district,
        salary_min=position.salary_min,
        salary_max=position.salary_max,
        education=position.education,
        work_form=position.work_form,
        welcomed_groups=tuple(sorted(groups)),
        tokens=position.search_tokens or "",
    )


# --- the per-process holder -------------------------------------------------------------------


class IndexHolder:
    """The engine of one app in this process, with the stamp version it reflects."""

    def __init__(self):
        self.lock = threading.RLock()
        self.engine = None
        self.version = -1
        self.last_check = 0.0
        self.dirty = False
        self.stats: dict = {}

    def mark_dirty(self) -> None:
        self.dirty = True


def _holder(app=None) -> IndexHolder:
    app = app or current_app._get_current_object()
    holder = app.extensions.get("match_index")
    if holder is None:
        holder = app.extensions.setdefault("match_index", IndexHolder())
    return holder


def read_state() -> tuple[int, str]:
    row = db.session.execute(
        select(MatchIndexState.version, MatchIndexState.updated_at).where(
            MatchIndexState.id == STATE_ID
        )
    ).first()
    if row is None:
        return 0, ""
    return row.version, row.updated_at.isoformat() if row.updated_at else ""


def index_paths(app=None) -> tuple[str, str]:
    app = app or current_app
    base = app.config.get("MATCH_INDEX_PATH") or os.path.join(app.instance_path, "match-index.bin")
    return base, os.path.splitext(base)[0] + ".json"


def _db_key(app=None) -> str:
    url = (app or current_app).config["SQLALCHEMY_DATABASE_URI"]
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def _code_key() -> str:
    """Changes whenever the engine's code changes, so a file from older code is not loaded."""
    digest = hashlib.sha256()
    for module in (features, match_index, ranking, reasons):
        digest.update(Path(module.__file__).read_bytes())
    return f"{match_index.FORMAT_VERSION}-{digest.hexdigest()[:16]}"


def _stamp(version: int, weights) -> dict:
    return {
        "db": _db_key(),
        "version": version,
        "weights": dataclasses.asdict(weights),
        "code": _code_key(),
    }


def build(holder: IndexHolder | None = None):
    """Build the engine from the stored tokens of open published positions."""

    holder = holder or _holder()
    started = time.perf_counter()
    version, _ = read_state()  # read first: changes committed meanwhile are applied again later
    docs = load_position_docs()
    engine = MatchingEngine.build(docs, weights=weights_from_config())
    with holder.lock:
        holder.engine = engine
        holder.version = version
        holder.last_check = time.monotonic()
        holder.dirty = False
        holder.stats = {
            "positions": len(docs),
            "seconds": time.perf_counter() - started,
            "source": "build",
        }
    return engine


def save(holder: IndexHolder | None = None) -> str:
    """Persist the engine and its stamp (used by `flask match rebuild`)."""
    holder = holder or _holder()
    path, meta_path = index_paths()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with holder.lock:
        holder.engine.save(path)
        stamp = _stamp(holder.version, weights_from_config())
    tmp = meta_path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(stamp, fh)
    os.replace(tmp, meta_path)
    return path


def _try_load(holder: IndexHolder) -> bool:
    """Load the persisted engine when its stamp fits this database and these weights."""

    path, meta_path = index_paths()
    if not (os.path.exists(path) and os.path.exists(meta_path)):
        return False
    try:
        with open(meta_path, encoding="utf-8") as fh:
            stamp = json.load(fh)
        version, _ = read_state()
        wanted = _stamp(version, weights_from_config())
        if any(stamp.get(key) != wanted[key] for key in ("db", "weights", "code")):
            return False
        if not isinstance(stamp.get("version"), int) or stamp["version"] > version:
            return False
        started = time.perf_counter()
        engine = MatchingEngine.load(path)
    except Exception:  # a damaged or foreign file: build instead
        log.warning("Ignoring persisted match index %s", path, exc_info=True)
        return False
    holder.engine = engine
    holder.version = stamp["version"]
    holder.stats = {
        "positions": len(engine),
        "seconds": time.perf_counter() - started,
        "source": "file",
    }
    _sync(holder)  # catch up on changes made after the file was written
    return True


def _sync(holder: IndexHolder) -> None:
    """Apply the positions changed since holder.version, or rebuild when too far behind."""
    holder.last_check = time.monotonic()
    holder.dirty = False
    version, _ = read_state()
    if version == holder.version:
        return
    if version < holder.version:  # the database was reset
        build(holder)
        return
    oldest = db.session.scalar(select(func.min(MatchIndexChange.version)))
    changed = db.session.scalars(
        select(MatchIndexChange.position_id)
        .where(MatchIndexChange.version > holder.version, MatchIndexChange.version <= version)
        .distinct()
        .limit(MAX_INCREMENTAL + 1)
    ).all()
    if len(changed) > MAX_INCREMENTAL or oldest is None or oldest > holder.version + 1:
        build(holder)
        return
    docs = {d.id: d for d in load_position_docs(changed)}
    engine = holder.engine
    for pid in sorted(changed):
        doc = docs.get(pid)
        if doc is not None:
            engine.add(doc)
        else:
            engine.remove(pid)
    holder.version = version


def get_engine(app=None):
    """The current engine: built or loaded at first use, kept in step with the stamp."""
    holder = _holder(app)
    with holder.lock:
        if holder.engine is None:
            if not _try_load(holder):
                build(holder)
        elif holder.dirty or time.monotonic() - holder.last_check >= CHECK_INTERVAL:
            _sync(holder)
        return holder.engine


def index_version(app=None) -> int:
    return _holder(app).version


# --- the version stamp, bumped in the writer's transaction -----------------------------------


def _bump(connection, position_ids) -> int:
    now = utcnow()
    state = MatchIndexState.__table__
    row = connection.execute(
        update(state)
        .where(state.c.id == STATE_ID)
        .values(version=state.c.version + 1, updated_at=now)
        .returning(state.c.version)
    ).first()
    if row is None:  # the row is missing (tables emptied between tests)
        version = (
            connection.execute(select(func.max(MatchIndexChange.__table__.c.version))).scalar() or 0
        ) + 1
        connection.execute(insert(state).values(id=STATE_ID, version=version, updated_at=now))
    else:
        version = row[0]
    connection.execute(
        insert(MatchIndexChange.__table__),
        [{"position_id": pid, "version": version} for pid in sorted(position_ids)],
    )
    return version


def prune_changes(keep_versions: int = KEEP_VERSIONS) -> int:
    """Drop change-log rows older than the last keep_versions versions (a process that far
    behind rebuilds anyway). Returns the number of rows deleted; the caller commits."""
    version, _ = read_state()
    result = db.session.execute(
        delete(MatchIndexChange).where(MatchIndexChange.version <= version - keep_versions)
    )
    return result.rowcount or 0


def mark_positions_changed(position_ids) -> None:
    """For bulk UPDATEs that bypass the ORM: record the change in the current transaction."""
    ids = {int(i) for i in position_ids if i is not None}
    if ids:
        _bump(db.session.connection(), ids)
        _refresh_after_commit(db.session())


def _refresh_after_commit(session) -> None:
    if has_app_context():
        holder = current_app.extensions.get("match_index")
        if holder is not None:
            # Apply on the next use, without waiting for the polling interval.
            events.after_commit(holder.mark_dirty, key="match-index", session=session)


def changed_position_ids(session: Session) -> set[int]:
    """Positions (or their priority-group tags) this flush wrote, for the change log."""
    ids: set[int] = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Position):
            if obj.id is not None:
                ids.add(obj.id)
        elif isinstance(obj, PositionGroup) and obj.position_id is not None:
            ids.add(obj.position_id)
    return ids


def record_flush(session, _flush_context) -> None:
    """Session hook: log changed positions in the flushing transaction (bumps the version)."""
    ids = changed_position_ids(session)
    if ids:
        _bump(session.connection(), ids)
        _refresh_after_commit(session)
