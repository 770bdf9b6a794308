"""One-click CSV and Excel exports of targets (with progress) and case files.

Personal data is masked (张**, 138****5678) unless the exporting organiser is a case worker
for that row's district; ID-like data (身份证号, internal account ids) is never exported.
Every export is written to the audit log with who, when and why.
"""

import csv
import io

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font

from jobfair import audit
from jobfair.casework.access import case_worker_of, require_case_worker
from jobfair.casework.cases import list_cases
from jobfair.casework.queries import consented_groups, local_today, verified_groups
from jobfair.casework.serializers import outcome_dict
from jobfair.casework.targets import target_outcomes, targets_with_progress
from jobfair.errors import DomainError
from jobfair.extensions import db
from jobfair.formatting import fmt_dt
from jobfair.masking import mask_name, mask_phone
from jobfair.models.casework import (
    CASE_OUTCOME_LABELS,
    CASE_STATUS_LABELS,
    PLAN_PATH_LABELS,
)
from jobfair.models.common import GROUP_LABELS
from jobfair.models.user import Role

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}

TARGET_HEADER = [
    "年度",
    "区",
    "目标类别",
    "目标人数",
    "已完成",
    "完成率(%)",
    "平台招聘入职",
    "工作人员安置",
    "回访核实",
    "更正（离职等）",
    "负责人",
]
PEOPLE_HEADER = [
    "年度",
    "区",
    "目标类别",
    "姓名",
    "手机号",
    "日期",
    "计数",
    "来源",
    "就业单位",
    "岗位",
    "更正原因",
]
CASE_HEADER = [
    "档案编号",
    "姓名",
    "手机号",
    "区",
    "重点群体",
    "状态",
    "负责人",
    "需求",
    "帮扶路径",
    "建档时间",
    "方案制定时间",
    "联系次数",
    "最近联系",
    "推荐岗位数",
    "培训推荐数",
    "就业结果",
    "就业日期",
]


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise DomainError("导出格式只能是 csv 或 xlsx。", code="bad_format", status=400)
    return fmt


def _csv(header: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else _safe_cell(v) for v in row])
    # A BOM so that Excel on Windows opens the Chinese text correctly.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _safe_cell(value):
    """Neutralise spreadsheet formulas in user text (=, +, -, @ at the start)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _xlsx(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title)
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([_safe_cell(v) for v in row])
        for i, name in enumerate(header, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(10, len(name) * 2 + 4)
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_targets(actor, year: int | None, fmt: str) -> tuple[bytes, str, str]:
    """Targets with progress (CSV: the summary; Excel: summary + the people counted)."""
    _check_format(fmt)
    if actor.role != Role.ORGANISER:
        raise DomainError("没有权限执行此操作。", code="forbidden", status=403)
    year = year or local_today().year
    pairs = targets_with_progress(year)
    summary = [
        [
            t.year,
            t.district,
            t.kind_label,
            t.goal,
            p["done"],
            p["pct"],
            p["by_source"]["platform_hire"],
            p["by_source"]["placement"],
            p["by_source"]["follow_up"],
            p["corrections"],
            t.worker.name if t.worker else "",
        ]
        for t, p in pairs
    ]
    cw = case_worker_of(actor)
    people = []
    for t, _p in pairs:
        reveal = cw is not None and cw.covers(t.district)
        for r in target_outcomes(t):
            o = outcome_dict(r, reveal)
            people.append(
                [
                    t.year,
                    t.district,
                    t.kind_label,
                    o["name"],
                    o["phone"],
                    o["date"],
                    o["delta"],
                    o["source_label"],
                    o["employer_name"],
                    o["job_title"],
                    o["reason"],
                ]
            )
    audit.record(actor.id, "casework.targets_export", "target", None, note=f"{year} 年 {fmt}")
    db.session.commit()
    name = f"targets-{year}.{FORMATS[fmt][1]}"
    if fmt == "csv":
        return _csv(TARGET_HEADER, summary), name, FORMATS[fmt][0]
    body = _xlsx([("目标进度", TARGET_HEADER, summary), ("计入人员", PEOPLE_HEADER, people)])
    return body, name, FORMATS[fmt][0]


def _case_row(case, cw) -> list:
    profile = case.profile
    reveal = cw.covers(case.district)
    name = profile.name if profile else ""
    phone = profile.phone if profile else ""
    contacts = case.contacts
    groups = consented_groups(profile)
    verified = verified_groups(profile)
    return [
        case.id,
        name if reveal else mask_name(name),
        phone if reveal else mask_phone(phone),
        case.district,
        "、".join(
            label + ("" if g in verified else "（本人申报）")
            for g, label in GROUP_LABELS.items()
            if g in groups
        )
        if reveal
        else "",
        CASE_STATUS_LABELS.get(case.status, case.status),
        case.worker.name if case.worker else "",
        case.needs if reveal else "",
        "、".join(PLAN_PATH_LABELS.get(p, p) for p in case.plan_paths or []),
        fmt_dt(case.created_at),
        fmt_dt(case.plan_at) if case.plan_at else "",
        len(contacts),
        contacts[0].contact_on.isoformat() if contacts else "",
        len(case.recommendations),
        len(case.trainings),
        CASE_OUTCOME_LABELS.get(case.outcome, case.outcome) if case.outcome else "",
        case.outcome_on.isoformat() if case.outcome_on else "",
    ]


def export_cases(actor, reason: str, fmt: str, *, status=None, group=None, district=None):
    """The case files the worker may see, with a required reason in the audit log."""
    _check_format(fmt)
    cw = require_case_worker(actor)
    cases = list_cases(actor, status=status, group=group, district=district)
    rows = [_case_row(c, cw) for c in cases]
    audit.record(
        actor.id,
        "casework.cases_export",
        "case_file",
        None,
        reason=reason,
        note=f"{len(rows)} 份 {fmt}",
    )
    db.session.commit()
    stamp = local_today().isoformat()
    name = f"case-files-{stamp}.{FORMATS[fmt][1]}"
    if fmt == "csv":
        return _csv(CASE_HEADER, rows), name, FORMATS[fmt][0]
    return _xlsx([("帮扶档案", CASE_HEADER, rows)]), name, FORMATS[fmt][0]


def attachment(body: bytes, name: str, mimetype: str) -> Response:
    """An export as the file it is saved as (names are ASCII: targets-2026.xlsx …)."""
    resp = Response(body, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp
