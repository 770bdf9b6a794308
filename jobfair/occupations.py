"""Occupation lookup over the 2022 classification: suggestions, validation, grouped choices."""

import threading

from sqlalchemy import or_

from jobfair import reference
from jobfair.errors import DomainError
from jobfair.extensions import db
from jobfair.matching.text import normalise
from jobfair.matching.vocabulary import codes_named_within, picker_codes
from jobfair.models.occupation import Occupation

MAX_LIMIT = 50
_lock = threading.Lock()
_majors: dict[str, str] | None = None
_grouped: list[tuple[str, list[tuple[str, str]]]] | None = None


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so "%" and "_" typed by a person match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def major_code(code: str) -> str:
    """The level-1 group of an occupation code: 6-18-02-04 -> 6-00-00-00."""
    return code.split("-", 1)[0] + "-00-00-00"


def major_names() -> dict[str, str]:
    """Level-1 group names by code (8 rows; the classification never changes at run time)."""
    global _majors
    if _majors is None:
        with _lock:
            if _majors is None:
                rows = db.session.execute(
                    db.select(Occupation.code, Occupation.name).filter_by(level=1)
                ).all()
                _majors = {code: name for code, name in rows}
    return _majors


def occupation_names(codes) -> dict[str, str]:
    """Names of the given occupation codes (codes not in the classification are left out)."""
    codes = list(set(codes))
    if not codes:
        return {}
    rows = db.session.execute(
        db.select(Occupation.code, Occupation.name).where(Occupation.code.in_(codes))
    )
    return {code: name for code, name in rows}


def as_dict(occ: Occupation) -> dict:
    """An occupation for the API: the bare name, and its marks as a separate field."""
    return {
        "code": occ.code,
        "name": reference.occupation_display_name(occ.name),
        "marks": reference.occupation_marks(occ.code),
        "major_name": major_names().get(major_code(occ.code), ""),
    }


def search(q: str, limit: int = 10) -> list[dict]:
    """Level-4 occupations for what someone typed into the picker, best first.

    Uses the suggestion service's vocabulary (matching.vocabulary.picker_codes), so the words
    people use find the official occupation (电焊 -> 焊工, 外卖 -> 网约配送员, 普工 -> 电子设备装接工).
    Order: exact name, then what the suggester recognises, then name prefix, name contains,
    alias contains (the classification's aliases and the job-board names: 普工 also offers
    包装工, 缝纫工, 装卸搬运工 ...); ties by shorter name, then code. What was typed is read as
    search reads it (ＣＮＣ as cnc, 電焊 as 电焊, 电 焊 as 电焊).
    """
    q = " ".join(normalise((q or "")[:50]).split())[:50]
    limit = max(1, min(int(limit or 10), MAX_LIMIT))
    if not q:
        return []
    suggested = picker_codes(q, limit)
    named = codes_named_within(q)
    pattern = "%" + escape_like(q) + "%"
    rows = db.session.scalars(
        db.select(Occupation)
        .filter(Occupation.level == 4)
        .filter(
            or_(
                Occupation.name.ilike(pattern, escape="\\"),
                Occupation.aliases.ilike(pattern, escape="\\"),
                Occupation.code.in_(suggested),
                Occupation.code.in_(named),
            )
        )
    ).all()
    lowered = q.lower()
    order = {code: i for i, code in enumerate(suggested)}

    def rank(occ: Occupation) -> tuple:
        name = occ.name.lower()
        if name == lowered:
            tier = 0
        elif occ.code in order:
            tier = 1
        elif name.startswith(lowered):
            tier = 2
        elif lowered in name:
            tier = 3
        else:
            tier = 4
        return (tier, order.get(occ.code, 0), len(occ.name), occ.code)

    rows = sorted(rows, key=rank)[:limit]
    return [as_dict(o) for o in rows]


def get_leaf(code: str | None) -> Occupation:
    """The level-4 occupation with this code, or a DomainError naming the field."""
    occ = db.session.get(Occupation, (code or "").strip()) if code else None
    if occ is None or occ.level != 4:
        raise DomainError(
            "请选择具体的职业（职业分类大典中的细类）。",
            code="validation_error",
            fields={"occupation_code": "请选择具体的职业。"},
        )
    return occ


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """[(major group name, [(code, name), ...]), ...] for a <select> with <optgroup>s.

    This is the no-JavaScript fallback of the occupation picker; cached per process.
    """
    global _grouped
    if _grouped is None:
        with _lock:
            if _grouped is None:
                majors = db.session.execute(
                    db.select(Occupation.code, Occupation.name).filter_by(level=1)
                ).all()
                leaves = db.session.execute(
                    db.select(Occupation.code, Occupation.name)
                    .filter_by(level=4)
                    .order_by(Occupation.code)
                ).all()
                groups: dict[str, list[tuple[str, str]]] = {code: [] for code, _ in majors}
                for code, name in leaves:
                    groups.setdefault(major_code(code), []).append((code, name))
                names = dict(majors)
                _grouped = [
                    (names.get(code, code), items)
                    for code, items in sorted(groups.items())
                    if items
                ]
    return _grouped
