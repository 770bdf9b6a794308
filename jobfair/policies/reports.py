"""Subsidy reports: approved subsidies by policy, by district and by month — applications,
people, employers, the amounts approved and paid — as tables, CSV and Excel.

What counts: applications approved (审核通过 or 已拨付) in the year, in the month of the
decision (Beijing time). People are distinct persons a subsidy was for (a seeker, or an
employee an employer claimed for); employers are distinct employers that claimed. Totals
count each person and employer once, so they may be less than the sum of the rows.
"""

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from jobfair.extensions import db
from jobfair.formatting import LOCAL_TZ, local_today
from jobfair.models.policy import SubsidyApplication, SubsidyStatus
from jobfair.policies import store
from jobfair.reports import exports

COUNTED = (SubsidyStatus.APPROVED, SubsidyStatus.PAID)
COLUMNS = (
    ("applications", "申请数"),
    ("people", "人数"),
    ("employers", "单位数"),
    ("approved", "核定金额（元）"),
    ("paid", "已拨付（元）"),
)


def _local_month(moment: datetime) -> int:
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_TZ).month


def _local_year_bounds(year: int) -> tuple[datetime, datetime]:
    start = datetime(year, 1, 1, tzinfo=LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)
    end = datetime(year + 1, 1, 1, tzinfo=LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)
    return start, end


class _Bucket:
    def __init__(self):
        self.applications = 0
        self.people: set[int] = set()
        self.employers: set[int] = set()
        self.approved = 0
        self.paid = 0

    def add(self, a: SubsidyApplication) -> None:
        self.applications += 1
        if a.person_id is not None:
            self.people.add(a.person_id)
        if a.employer_id is not None:
            self.employers.add(a.employer_id)
        self.approved += a.approved_fen or 0
        self.paid += a.paid_fen or 0

    def row(self) -> dict:
        return {
            "applications": self.applications,
            "people": len(self.people),
            "employers": len(self.employers),
            "approved": f"{self.approved / 100:.2f}",
            "paid": f"{self.paid / 100:.2f}",
        }


def report(year: int | None = None, policy: str = "", district: str = "") -> dict:
    year = year or local_today().year
    start, end = _local_year_bounds(year)
    stmt = select(SubsidyApplication).where(
        SubsidyApplication.status.in_(COUNTED),
        SubsidyApplication.decided_at >= start,
        SubsidyApplication.decided_at < end,
    )
    if policy:
        stmt = stmt.filter_by(policy_code=policy)
    if district:
        stmt = stmt.filter_by(district=district)
    names = {p.code: p.name for p in store.policies().policies}
    total = _Bucket()
    by_policy: dict[str, _Bucket] = defaultdict(_Bucket)
    by_district: dict[str, _Bucket] = defaultdict(_Bucket)
    by_month: dict[int, _Bucket] = {m: _Bucket() for m in range(1, 13)}
    for a in db.session.scalars(stmt):
        names.setdefault(a.policy_code, a.policy_name)
        total.add(a)
        by_policy[a.policy_code].add(a)
        by_district[a.district or "未填写"].add(a)
        by_month[_local_month(a.decided_at)].add(a)
    return {
        "year": year,
        "policy": policy,
        "district": district,
        "total": total.row(),
        "by_policy": [
            {"code": code, "name": names.get(code, code), **b.row()}
            for code, b in sorted(by_policy.items(), key=lambda kv: -kv[1].approved)
        ],
        "by_district": [{"district": d, **b.row()} for d, b in sorted(by_district.items())],
        "by_month": [{"month": f"{year}-{m:02d}", **b.row()} for m, b in by_month.items()],
    }


def _rows(items: list[dict], key: str, label: str, title: str) -> list[list]:
    rows = [[title], [label, *(name for _k, name in COLUMNS)]]
    for item in items:
        rows.append([item[key], *(_cell(item[k]) for k, _n in COLUMNS)])
    return rows


def _cell(value):
    # Amounts are exact decimals: "1000.00" in CSV, a number in Excel.
    return Decimal(value) if isinstance(value, str) else value


def tables(data: dict) -> list:
    scope = f"{data['year']}年"
    if data["policy"]:
        scope += "·" + next(
            (p["name"] for p in data["by_policy"] if p["code"] == data["policy"]), data["policy"]
        )
    if data["district"]:
        scope += "·" + data["district"]
    total = [
        [f"政策补贴汇总（{scope}，审核通过和已拨付的申请，按审核月份）；{exports.NOTICE}"],
        [name for _k, name in COLUMNS],
        [_cell(data["total"][k]) for k, _n in COLUMNS],
    ]
    return [
        ("合计", total),
        ("按政策", _rows(data["by_policy"], "name", "政策", f"按政策（{scope}）")),
        ("按区", _rows(data["by_district"], "district", "区", f"按区（{scope}）")),
        ("按月", _rows(data["by_month"], "month", "月份", f"按月（{scope}）")),
    ]


def years_available() -> list[int]:
    this = local_today().year
    return [this, this - 1, this - 2]


def report_filters(year, policy, district) -> dict:
    """The report's filters as asked for in a query string: a sane year, bounded texts."""
    return {
        "year": parse_year(year),
        "policy": (policy or "")[:40],
        "district": (district or "")[:50],
    }


def parse_year(raw) -> int:
    this = local_today().year
    try:
        year = int(raw) if raw not in (None, "") else this
    except (TypeError, ValueError):
        return this
    return year if 2000 <= year <= this + 1 else this


def today() -> date:
    return local_today()
