"""Reference data shipped in jobfair/data: districts of the configured city, occupations."""

import csv
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
