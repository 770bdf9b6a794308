"""Start-up report: by district and by month, each fact counted on its own date (a case on the
day it was opened, a business on its registration, a loan on its disbursement). Aggregates
only, no name, phone or group of any person.
"""

from datetime import UTC, date, datetime

from jobfair.extensions import db
from jobfair.formatting import LOCAL_TZ, local_today
from jobfair.models.startup import LoanStatus, StartupCase, StartupLoan

NOTICE = "汇总统计，不含任何个人信息"
COLUMNS = (
    ("opened", "新建创业档案"),
    ("returning", "其中返乡入乡创业"),
    ("mentored", "已安排创业导师"),
    ("registered", "登记注册"),
    ("jobs", "带动就业（人）"),
    ("loans_applied", "贷款申请（笔）"),
    ("loans_disbursed", "放款（笔）"),
    ("loan_amount", "放款金额（元）"),
    ("interest_subsidy", "贴息（元）"),
)


def months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(0, months)


def _local(value: datetime) -> date:
    return value.replace(tzinfo=UTC).astimezone(LOCAL_TZ).date()


def _within(day: date | None, start: date | None, end: date | None) -> bool:
    return day is not None and (start is None or day >= start) and (end is None or day <= end)


def _blank() -> dict:
    return {key: 0 for key, _ in COLUMNS}


def report(start: date | None = None, end: date | None = None) -> dict:
    cases = list(db.session.scalars(db.select(StartupCase)))
    loans = list(db.session.scalars(db.select(StartupLoan)))
    by_district: dict[str, dict] = {}
    by_month: dict[str, dict] = {}

    def bump(district: str, day: date, key: str, n: int = 1) -> None:
        by_district.setdefault(district, _blank())[key] += n
        by_month.setdefault(day.strftime("%Y-%m"), _blank())[key] += n

    district_of = {c.id: c.district for c in cases}
    for c in cases:
        opened = _local(c.created_at)
        if _within(opened, start, end):
            bump(c.district, opened, "opened")
            if c.returning_home:
                bump(c.district, opened, "returning")
            if c.mentor_id is not None:
                bump(c.district, opened, "mentored")
        if _within(c.registered_on, start, end):
            bump(c.district, c.registered_on, "registered")
            bump(c.district, c.registered_on, "jobs", c.employees)
    for loan in loans:
        district = district_of[loan.startup_id]
        applied = _local(loan.created_at)
        if _within(applied, start, end):
            bump(district, applied, "loans_applied")
        if loan.status in (LoanStatus.DISBURSED, LoanStatus.SETTLED) and _within(
            loan.disbursed_on, start, end
        ):
            bump(district, loan.disbursed_on, "loans_disbursed")
            bump(district, loan.disbursed_on, "loan_amount", loan.amount)
            bump(district, loan.disbursed_on, "interest_subsidy", loan.interest_subsidy)
    total = _blank()
    for row in by_district.values():
        for key in total:
            total[key] += row[key]
    return {
        "today": local_today().isoformat(),
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "columns": [{"key": k, "label": v} for k, v in COLUMNS],
        "districts": [{"label": d, "counts": by_district[d]} for d in sorted(by_district)],
        "months": [{"label": m, "counts": by_month[m]} for m in sorted(by_month)],
        "total": total,
    }


def tables(data: dict) -> list[tuple[str, list[list]]]:
    head = [label for _k, label in COLUMNS]
    period = f"统计期间 {data['start'] or '不限'} 至 {data['end'] or '不限'}"
    out = []
    for name, first, rows in (
        ("创业扶持按区", "区", data["districts"]),
        ("创业扶持按月份", "月份", data["months"]),
    ):
        table = [[f"{name} — {NOTICE}"], [period], [first, *head]]
        for r in rows:
            table.append([r["label"], *(r["counts"][k] for k, _ in COLUMNS)])
        table.append(["合计", *(data["total"][k] for k, _ in COLUMNS)])
        out.append((name, table))
    return out


def dashboard_chart() -> dict:
    data = report()
    months = data["months"][-12:]
    return {
        "months": [m["label"] for m in months],
        "series": [
            {"name": "新建创业档案", "data": [m["counts"]["opened"] for m in months]},
            {"name": "登记注册", "data": [m["counts"]["registered"] for m in months]},
            {"name": "贷款放款（笔）", "data": [m["counts"]["loans_disbursed"] for m in months]},
        ],
        "total": data["total"],
    }
