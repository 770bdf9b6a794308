"""Fair results per booth, and CSV / Excel files of fair results and funnels.

Exports hold aggregate counts only (no names, phones or priority status of any person), which
is why they need no masking; every file says so in its first row / sheet title.
"""

import csv
import io
from datetime import UTC

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import case, func, select

from jobfair.extensions import db
from jobfair.formatting import LOCAL_TZ
from jobfair.models.application import Application
from jobfair.models.employer import Employer
from jobfair.models.fair import (
    Booth,
    BoothPosition,
    BoothStatus,
    Fair,
    FairAttendance,
    FairRegistration,
)
from jobfair.models.live import InterviewChat, QueueEntry
from jobfair.reports import funnel as funnel_mod

NOTICE = "汇总统计，不含任何个人信息"
NOT_NESTED_LABEL = "未经上一阶段、未计入"
BOOTH_COLUMNS = (
    ("employer", "参会单位"),
    ("positions", "展示岗位"),
    ("queue_joins", "排队人次"),
    ("calls", "叫号人次"),
    ("chats", "面谈场次"),
    ("applications", "投递"),
    ("invitations", "邀请面试"),
    ("hires", "录用/入职"),
)
TOTAL_COLUMNS = (
    ("booths", "参会展位"),
    ("positions", "展示岗位"),
    ("registrations", "报名人数"),
    ("attended", "到场人数"),
    ("queue_joins", "排队人次"),
    ("calls", "叫号人次"),
    ("chats", "面谈场次"),
    ("applications", "投递"),
    ("invitations", "邀请面试"),
    ("hires", "录用/入职"),
)


def _local(dt) -> str:
    return dt.replace(tzinfo=UTC).astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def _grouped(stmt) -> dict[int, tuple]:
    return {row[0]: tuple(row[1:]) for row in db.session.execute(stmt)}


def fair_results(fair: Fair) -> dict:
    """Per approved booth: positions, queue joins, calls, chats, applications, invitations,
    hires; plus fair totals (registrations and 到场 only exist per fair). Six queries."""
    app_filter = funnel_mod.fair_application_filter(fair)
    invited = funnel_mod.reached(funnel_mod.INVITED, app_filter).scalar_subquery()
    hired = funnel_mod.reached(funnel_mod.HIRED, app_filter).scalar_subquery()
    booths = db.session.execute(
        select(Booth.id, Employer.name)
        .join(Employer, Employer.id == Booth.employer_id)
        .where(Booth.fair_id == fair.id, Booth.status == BoothStatus.APPROVED)
        .order_by(Employer.name, Booth.id)
    ).all()
    booth_ids = [b.id for b in booths]
    positions = _grouped(
        select(BoothPosition.booth_id, func.count(BoothPosition.position_id))
        .where(BoothPosition.booth_id.in_(booth_ids))
        .group_by(BoothPosition.booth_id)
    )
    queues = _grouped(
        select(
            QueueEntry.booth_id,
            func.count(QueueEntry.id),
            func.sum(case((QueueEntry.called_at.is_not(None), 1), else_=0)),
        )
        .where(QueueEntry.booth_id.in_(booth_ids))
        .group_by(QueueEntry.booth_id)
    )
    chats = _grouped(
        select(InterviewChat.booth_id, func.count(InterviewChat.id))
        .where(InterviewChat.booth_id.in_(booth_ids))
        .group_by(InterviewChat.booth_id)
    )
    apps = _grouped(
        select(
            BoothPosition.booth_id,
            func.count(func.distinct(Application.id)),
            func.count(func.distinct(case((Application.id.in_(invited), Application.id)))),
            func.count(func.distinct(case((Application.id.in_(hired), Application.id)))),
        )
        .join(Application, Application.position_id == BoothPosition.position_id)
        .where(BoothPosition.booth_id.in_(booth_ids), app_filter)
        .group_by(BoothPosition.booth_id)
    )
    rows = []
    for booth_id, name in booths:
        q = queues.get(booth_id, (0, 0))
        a = apps.get(booth_id, (0, 0, 0))
        rows.append(
            {
                "booth_id": booth_id,
                "employer": name,
                "positions": positions.get(booth_id, (0,))[0],
                "queue_joins": q[0] or 0,
                "calls": q[1] or 0,
                "chats": chats.get(booth_id, (0,))[0],
                "applications": a[0],
                "invitations": a[1],
                "hires": a[2],
            }
        )
    fair_apps = db.session.execute(
        select(
            func.count(Application.id),
            func.sum(case((Application.id.in_(invited), 1), else_=0)),
            func.sum(case((Application.id.in_(hired), 1), else_=0)),
        ).where(app_filter)
    ).one()
    totals = {
        "booths": len(rows),
        "positions": sum(r["positions"] for r in rows),
        "registrations": db.session.scalar(
            select(func.count(FairRegistration.id)).where(FairRegistration.fair_id == fair.id)
        ),
        "attended": db.session.scalar(
            select(func.count(FairAttendance.id)).where(FairAttendance.fair_id == fair.id)
        ),
        "queue_joins": sum(r["queue_joins"] for r in rows),
        "calls": sum(r["calls"] for r in rows),
        "chats": sum(r["chats"] for r in rows),
        # Fair-wide applications include those made from pinned cards of positions not at a booth.
        "applications": fair_apps[0] or 0,
        "invitations": int(fair_apps[1] or 0),
        "hires": int(fair_apps[2] or 0),
    }
    return {
        "fair": {
            "id": fair.id,
            "title": fair.title,
            "theme": fair.theme,
            "status": fair.status,
            "starts_at": _local(fair.starts_at),
            "ends_at": _local(fair.ends_at),
        },
        "totals": totals,
        "booths": rows,
    }


# --- tables shared by CSV and Excel --------------------------------------------------------


def fair_tables(results: dict, fair_funnel: dict) -> list[tuple[str, list[list]]]:
    """[(sheet name, rows)] for a fair: totals + per booth, and the fair's funnel."""
    f = results["fair"]
    head = [
        [f"招聘会成果统计：{f['title']}（{NOTICE}）"],
        ["时间", f"{f['starts_at']} 至 {f['ends_at']}（北京时间）"],
        [],
        [label for _, label in TOTAL_COLUMNS],
        [results["totals"][k] for k, _ in TOTAL_COLUMNS],
        [],
        [label for _, label in BOOTH_COLUMNS],
    ]
    booths = [[r[k] for k, _ in BOOTH_COLUMNS] for r in results["booths"]]
    total_row = ["合计（各展位）"] + [
        sum(r[k] for r in results["booths"]) for k, _ in BOOTH_COLUMNS[1:]
    ]
    return [
        ("展位成果", head + booths + [total_row]),
        ("参会漏斗", funnel_rows(fair_funnel, f"参会漏斗：{f['title']}")),
    ]


def funnel_rows(data: dict, title: str) -> list[list]:
    rows = [
        [f"{title}（{NOTICE}）"],
        ["阶段", "人数", "占起点", "占上一阶段", NOT_NESTED_LABEL],
    ]
    for s in data["stages"]:
        rows.append(
            [
                s["label"],
                s["count"],
                _pct(s["pct_of_start"]),
                _pct(s["pct_of_previous"]),
                s["not_nested"],
            ]
        )
    return rows


def breakdown_rows(rows: list[dict], title: str, first: str, with_fair: bool) -> list[list]:
    labels = funnel_mod.stage_labels(with_fair)
    out = [[f"{title}（{NOTICE}）"], [first] + [label for _, label in labels]]
    for r in rows:
        out.append([r["label"]] + [r["counts"][k] for k, _ in labels])
    return out


def funnel_tables(data: dict, by_group: list[dict], by_district: list[dict]) -> list:
    where = data["fair"] or data.get("campaign")
    with_fair = where is not None
    scope = [where["title"] if with_fair else "全平台"]
    if data["group_label"]:
        scope.append(data["group_label"])
    if data["district"]:
        scope.append(data["district"])
    title = "就业成效漏斗：" + "·".join(scope)
    kind = "招聘会：" if data["fair"] else "专项活动："
    base = kind + where["title"] if with_fair else "全平台"
    return [
        ("漏斗", funnel_rows(data, title)),
        (
            "按重点群体",
            breakdown_rows(
                by_group, f"按重点群体（{base}，仅统计本人同意的身份）", "重点群体", with_fair
            ),
        ),
        ("按区", breakdown_rows(by_district, f"按区（{base}）", "区", with_fair)),
    ]


def _pct(value) -> str:
    return "" if value is None else f"{value}%"


# --- file formats --------------------------------------------------------------------------


def to_csv(tables: list[tuple[str, list[list]]]) -> bytes:
    """One CSV with the tables one after another; UTF-8 with BOM so Excel reads Chinese."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    for i, (name, rows) in enumerate(tables):
        if i:
            writer.writerow([])
        writer.writerow([f"【{name}】"])
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _csv_cell(value):
    """Spreadsheet formula injection: text starting with = + - @ is prefixed with '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_xlsx(tables: list[tuple[str, list[list]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in tables:
        ws = wb.create_sheet(title=f"{name}（汇总无个人信息）"[:31])
        for row in rows:
            ws.append([_xlsx_cell(v) for v in row])
        ws["A1"].font = Font(bold=True, size=13)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(vertical="top")
        for idx in range(1, max((len(r) for r in rows), default=1) + 1):
            ws.column_dimensions[get_column_letter(idx)].width = 16 if idx > 1 else 28
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_cell(value):
    if isinstance(value, str) and value[:1] == "=":
        return "'" + value  # text, never a formula
    return value
