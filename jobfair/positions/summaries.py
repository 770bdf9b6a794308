"""One position as the public list shows it: PositionSummary, its JSON item, and a page of them.

The search index renders each visible position's item once (textindex keeps the bytes beside
the position's tokens), so a page of the API is the items of its rows joined, with no query
and no serialisation per request. Only public fields: no contact, address or review notes.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from jobfair import reference
from jobfair.formatting import pay_line
from jobfair.models.common import PayUnit


@dataclass
class PositionSummary:
    """One row of the public list (what the list page and the API show)."""

    id: int
    title: str
    employer_id: int
    employer_name: str
    occupation_code: str
    occupation_name: str
    salary_min: int
    salary_max: int
    headcount: int
    district: str
    education: str
    work_form: str
    channel: str
    deadline: date | None
    published_at: datetime | None
    pay_unit: str = PayUnit.MONTH
    daily_pay: bool = False
    groups: list[str] = field(default_factory=list)

    @property
    def welcomed_groups(self) -> list[str]:
        return self.groups


def summary_of_row(row) -> PositionSummary:
    """A PositionSummary from SUMMARY_COLUMNS (+ groups as 'a,b') in that order."""
    return PositionSummary(
        *row[:15],
        row[15] or PayUnit.MONTH,
        bool(row[16]),
        sorted(row[17].split(",")) if row[17] else [],
    )


def summary_dict(item: PositionSummary) -> dict:
    """The API's list item (documented by api.positions.PositionSummaryOut)."""
    return {
        "id": item.id,
        "title": item.title,
        "employer_id": item.employer_id,
        "employer_name": item.employer_name,
        "occupation_code": item.occupation_code,
        "occupation_name": reference.occupation_display_name(item.occupation_name),
        "occupation_marks": reference.occupation_marks(item.occupation_code),
        "salary_min": item.salary_min,
        "salary_max": item.salary_max,
        "pay_unit": str(item.pay_unit),
        "daily_pay": bool(item.daily_pay),
        "salary_text": pay_line(item),
        "headcount": item.headcount,
        "district": item.district,
        "education": item.education,
        "work_form": item.work_form,
        "channel": item.channel,
        "welcomed_groups": item.groups,
        "deadline": item.deadline.isoformat() if item.deadline else None,
        "published_at": item.published_at.isoformat() if item.published_at else None,
    }


def item_json(item: PositionSummary) -> bytes:
    return json.dumps(summary_dict(item), ensure_ascii=False).encode()


def summary_of_json(raw: bytes) -> PositionSummary:
    """Back from the item to a PositionSummary (the HTML list renders these)."""
    d = json.loads(raw)
    return PositionSummary(
        id=d["id"],
        title=d["title"],
        employer_id=d["employer_id"],
        employer_name=d["employer_name"],
        occupation_code=d["occupation_code"],
        occupation_name=d["occupation_name"],
        salary_min=d["salary_min"],
        salary_max=d["salary_max"],
        headcount=d["headcount"],
        district=d["district"],
        education=d["education"],
        work_form=d["work_form"],
        channel=d["channel"],
        deadline=date.fromisoformat(d["deadline"]) if d["deadline"] else None,
        published_at=datetime.fromisoformat(d["published_at"]) if d["published_at"] else None,
        pay_unit=d["pay_unit"],
        daily_pay=d["daily_pay"],
        groups=d["welcomed_groups"],
    )


def page_json(
    items: list[bytes], total: int, page: int, pages: int, page_size: int, notice: str = ""
) -> bytes:
    """The API's page body: what json.dumps of {"items": [...], "total": …} gives, joined
    from the rendered items."""
    return b"".join(
        (
            b'{"items": [',
            b", ".join(items),
            b'], "total": %d, "page": %d, "pages": %d, "page_size": %d, "notice": %s}'
            % (total, page, pages, page_size, json.dumps(notice).encode() if notice else b'""'),
        )
    )
