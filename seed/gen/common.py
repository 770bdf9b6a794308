"""Paths, fixed codes and small helpers shared by the generator modules."""

import csv
import json
import zlib
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent
DATA = SEED / "data"
OCCUPATIONS = SEED.parent / "jobfair" / "data" / "occupations-2022.csv"

DISTRICT_CODES = {
    "玄武区": "320102",
    "秦淮区": "320104",
    "建邺区": "320105",
    "鼓楼区": "320106",
    "浦口区": "320111",
    "栖霞区": "320113",
    "雨花台区": "320114",
    "江宁区": "320115",
    "六合区": "320116",
    "溧水区": "320117",
    "高淳区": "320118",
}

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def read_csv(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_json(name: str):
    with open(DATA / name, encoding="utf-8") as fh:
        return json.load(fh)


def words(value: str) -> list[str]:
    """A space-separated list cell of a CSV file."""
    return value.split()


def org_code(serial: int) -> str:
    """A 9-character organisation code with its GB 11714 check character ("JF" + 6 digits)."""
    body = f"JF{serial:06d}"
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    c9 = 11 - sum(v * w for v, w in zip(values, [3, 7, 9, 10, 5, 8, 4, 2], strict=True)) % 11
    return body + ("X" if c9 == 10 else "0" if c9 == 11 else str(c9))


def credit_code(type_code: str, district: str, serial: int) -> str:
    """A 统一社会信用代码 with a valid GB 32100 check character."""
    body = type_code + DISTRICT_CODES[district] + org_code(serial)
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    return body + ALPHABET[(31 - total % 31) % 31]


def stable(*parts) -> int:
    return zlib.crc32("|".join(map(str, parts)).encode())


def level4_codes() -> dict[str, str]:
    best: dict[str, tuple[int, str]] = {}
    with open(OCCUPATIONS, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            lvl = int(r["level"])
            if r["code"] not in best or lvl > best[r["code"]][0]:
                best[r["code"]] = (lvl, r["name"])
    return {code: name for code, (lvl, name) in best.items() if lvl == 4}


# The year the stories are told in: graduation and job years never pass it. Bump it (and
# check the stories still read well) when the demo is refreshed for a new year.
REFERENCE_YEAR = 2026
