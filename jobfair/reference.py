"""Reference data shipped in jobfair/data: districts of the configured city, occupations."""

import csv
import re
from functools import cache
from pathlib import Path

from flask import current_app

DATA = Path(__file__).resolve().parent / "data"


@cache
def _districts_of(city_code: str) -> tuple[str, ...]:
    with open(DATA / "regions-cn.csv", encoding="utf-8") as fh:
        return tuple(row["name"] for row in csv.DictReader(fh) if row["parent_id"] == city_code)


def districts() -> tuple[str, ...]:
    return _districts_of(str(current_app.config["CITY_CODE"]))


@cache
def city_name(city_code: str) -> str:
    with open(DATA / "regions-cn.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["id"] == city_code:
                return row["name"]
    return ""


@cache
def occupation_rows() -> tuple[dict, ...]:
    with open(DATA / "occupations-2022.csv", encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


# --- occupation marks (绿色职业 L / 数字职业 S) --------------------------------------------
#
# The 2022 classification glues its marks to names: 保洁员L (green), 工业机器人系统运维员S
# (digital), 大地测量工程技术人员L/S (both). Everything that shows an occupation reads the
# marks from occupation_marks() and the bare name from occupation_display_name(), so the
# letters never reach a page, an export or the API.

MARK_LABELS = {"green": "绿色职业", "digital": "数字职业"}
_MARK_SUFFIX = re.compile(r"(?<=[^\x00-\x7f])(L/S|L|S)$")
_LETTER_MARKS = {"L": ("green",), "S": ("digital",), "L/S": ("green", "digital")}


def split_marks(name: str | None) -> tuple[str, tuple[str, ...]]:
    """'保洁员L' -> ('保洁员', ('green',)); a name without marks comes back as it is."""
    name = name or ""
    found = _MARK_SUFFIX.search(name)
    if not found:
        return name, ()
    return name[: found.start()], _LETTER_MARKS[found.group(1)]


@cache
def _marks_index() -> dict[str, tuple[str, ...]]:
    """Marks by code and by bare name, from the classification file."""
    out: dict[str, tuple[str, ...]] = {}
    for row in occupation_rows():
        bare, marks = split_marks(row["name"])
        if marks:
            out[row["code"]] = marks
            out[bare] = marks
    return out


def occupation_marks(code_or_name: str | None) -> list[str]:
    """The occupation's marks ("green", "digital") by code, bare name or marked name."""
    if not code_or_name:
        return []
    bare, marks = split_marks(code_or_name)
    return list(marks or _marks_index().get(bare, ()))


def occupation_display_name(name: str | None) -> str:
    """The name without the classification's letters (保洁员L -> 保洁员)."""
    return split_marks(name)[0]


def marks_text(code_or_name: str | None) -> str:
    """The marks as words for a table cell: '绿色职业、数字职业', or ''."""
    return "、".join(MARK_LABELS[m] for m in occupation_marks(code_or_name))
