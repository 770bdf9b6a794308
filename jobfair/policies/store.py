"""The policy catalogue in force and its history: organisers replace the city's file through
the site; every version is kept, and going back to an old one adds a new version.

Before any version is stored, the city's file in seed/policies is the catalogue in force (read
only), so a fresh installation shows the demo city's policies at once.
"""

import functools
import hashlib
import json

from flask import current_app
from sqlalchemy import func, select

from jobfair import audit
from jobfair.errors import DomainError, NotFound
from jobfair.extensions import db
from jobfair.ids import require_id
from jobfair.models.policy import PolicyCatalogue
from jobfair.policies import catalogue
from jobfair.policies.catalogue import Catalogue, CatalogueError
from jobfair.transactions import commit_or_conflict

for _action, _label in (
    ("policy.catalogue_replace", "更换政策文件"),
    ("policy.catalogue_revert", "恢复政策文件旧版本"),
):
    audit.ACTION_LABELS.setdefault(_action, _label)
audit.OBJECT_LABELS.setdefault("policy_catalogue", "政策文件")

EMPTY = Catalogue(city="", city_code="", title="", note="", policies=())


def city_code() -> str:
    return str(current_app.config["CITY_CODE"])


@functools.lru_cache(maxsize=16)
def _parsed(_digest: str, content_json: str) -> Catalogue:
    return catalogue.parse(json.loads(content_json))


@functools.lru_cache(maxsize=4)
def _seed(code: str) -> Catalogue:
    data = catalogue.read_seed(code)
    return EMPTY if data is None else catalogue.parse(data)


def latest_row(code: str | None = None) -> PolicyCatalogue | None:
    return db.session.scalar(
        select(PolicyCatalogue)
        .filter_by(city_code=code or city_code())
        .order_by(PolicyCatalogue.version.desc())
        .limit(1)
    )


def current() -> tuple[Catalogue, PolicyCatalogue | None]:
    """The catalogue in force and its stored version (None: the seed file, not yet stored)."""
    row = latest_row()
    if row is None:
        return _seed(city_code()), None
    return version_catalogue(row), row


def version_catalogue(row: PolicyCatalogue) -> Catalogue:
    # Keyed by the content itself: ids are reused when a database is emptied (tests, a new
    # installation), the content never lies.
    text = json.dumps(row.content, sort_keys=True, ensure_ascii=False)
    return _parsed(hashlib.sha256(text.encode()).hexdigest(), text)


def policies() -> Catalogue:
    return current()[0]


def policy(code: str):
    found = policies().get(code)
    if found is None:
        raise NotFound("没有这项政策。")
    return found


def history() -> list[PolicyCatalogue]:
    return list(
        db.session.scalars(
            select(PolicyCatalogue)
            .filter_by(city_code=city_code())
            .order_by(PolicyCatalogue.version.desc())
        )
    )


def get_version(version_id) -> PolicyCatalogue:
    row = db.session.get(PolicyCatalogue, require_id(version_id, "没有这个版本。"))
    if row is None or row.city_code != city_code():
        raise NotFound("没有这个版本。")
    return row


def _next_version(code: str) -> int:
    top = db.session.scalar(select(func.max(PolicyCatalogue.version)).filter_by(city_code=code))
    return (top or 0) + 1


def _add_version(actor_id, data: dict, source_name: str, note: str, reverted_from=None):
    code = city_code()
    parsed = catalogue.parse(data)
    if parsed.city_code != code:
        raise DomainError(
            f"文件的 city_code 是“{parsed.city_code}”，与本平台所在城市（{code}）不一致。",
            code="wrong_city",
        )
    row = PolicyCatalogue(
        city_code=code,
        version=_next_version(code),
        content=data,
        source_name=source_name[:200],
        note=note[:500],
        reverted_from=reverted_from,
        created_by=actor_id,
    )
    db.session.add(row)
    db.session.flush()
    return row, parsed


def replace(actor, raw, source_name: str = "", note: str = "") -> PolicyCatalogue:
    """Store an uploaded file as the new version in force (the old ones are kept).

    Every problem in the file is reported at once; nothing changes unless it is all valid.
    """
    note = (note or "").strip()
    try:
        data = raw if isinstance(raw, dict) else catalogue.decode(raw)
        row, parsed = _add_version(actor.id, data, source_name or "上传的文件", note)
    except CatalogueError as err:
        db.session.rollback()
        raise DomainError(
            "政策文件有误，没有更换：" + "；".join(err.problems),
            code="invalid_catalogue",
            fields={"file": err.problems[0]},
        ) from None
    audit.record(
        actor.id,
        "policy.catalogue_replace",
        "policy_catalogue",
        row.id,
        version=row.version,
        policies=len(parsed.policies),
        note=note or None,
    )
    commit_or_conflict("刚才有其他人更换了政策文件，请刷新后再试。")
    return row


def revert(actor, version_id, note: str = "") -> PolicyCatalogue:
    """Put an older version back in force, as a new version (history stays linear)."""
    old = get_version(version_id)
    latest = latest_row()
    if latest is not None and latest.id == old.id:
        raise DomainError("这个版本已经是现行版本。", code="already_current")
    row, _parsed = _add_version(
        actor.id,
        old.content,
        old.source_name,
        (note or "").strip() or f"恢复为第{old.version}版",
        reverted_from=old.version,
    )
    audit.record(
        actor.id,
        "policy.catalogue_revert",
        "policy_catalogue",
        row.id,
        version=row.version,
        reverted_from=old.version,
    )
    commit_or_conflict("刚才有其他人更换了政策文件，请刷新后再试。")
    return row


def store_seed(actor_id=None) -> PolicyCatalogue | None:
    """Store the seed file as version 1 if the city has no stored version (demo data)."""
    if latest_row() is not None:
        return None
    data = catalogue.read_seed(city_code())
    if data is None:
        return None
    row, _parsed = _add_version(actor_id, data, catalogue.seed_file(city_code()).name, "初始版本")
    return row
