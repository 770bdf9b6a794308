"""Report exports as background jobs: the file is built off the request, with progress."""

import os

from flask import current_app

from jobfair import jobs
from jobfair.errors import DomainError
from jobfair.reports import funnel
from jobfair.reports.downloads import FORMATS, fair_export_tables, funnel_export_tables

KINDS = ("funnel", "fair")


def export_dir() -> str:
    path = current_app.config.get("EXPORTS_DIR") or os.path.join(
        current_app.instance_path, "exports"
    )
    os.makedirs(path, exist_ok=True)
    return path


def check_request(kind: str, fmt: str, params: dict) -> dict:
    """Validate an export request in the request (so mistakes are a message, not a failed
    job); returns the plain parameters the job gets."""
    if kind not in KINDS or fmt not in FORMATS:
        raise DomainError("导出的报表或格式不对。", code="bad_export", status=400)
    if kind == "fair":
        fair = funnel.get_fair(int(params.get("fair_id") or 0))
        return {"fair_id": fair.id}
    funnel.parse_filters(params)  # raises a Chinese 400 for a bad fair, group or district
    return {k: str(params.get(k) or "") for k in ("fair", "group", "district")}


def export_report(kind: str, fmt: str, params: dict) -> dict:
    """Build the tables, write the file under instance/exports/, say where it is."""
    jobs.progress(0, 4, "正在统计数据", force=True)
    if kind == "fair":
        fair = funnel.get_fair(params["fair_id"])
        tables = fair_export_tables(fair)
        stem, ascii_stem = f"招聘会成果-{fair.id}", f"fair-{fair.id}-results"
    else:
        tables = funnel_export_tables(funnel.parse_filters(params))
        stem, ascii_stem = "就业成效漏斗", "funnel"
    rows = sum(len(t[1]) for t in tables)
    jobs.progress(2, 4, f"正在生成文件（{rows} 行）", force=True)
    body = FORMATS[fmt][1](tables)
    name = f"run-{jobs.current_run_id()}.{fmt}"
    tmp = os.path.join(export_dir(), name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(body)
    os.replace(tmp, os.path.join(export_dir(), name))  # a retry overwrites, never doubles
    jobs.progress(4, 4, "已完成", force=True)
    return {
        "file": name,
        "filename": f"{stem}.{fmt}",
        "ascii_filename": f"{ascii_stem}.{fmt}",
        "rows": rows,
        "format": fmt,
    }
