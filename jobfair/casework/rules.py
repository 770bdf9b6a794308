"""Which employments count, by form of work: the one table for flexible and part-time work.

Each row says whether a 就业登记 of that form of work counts as 城镇新增就业 and as
再就业 (城镇失业人员 / 就业困难人员), and whether it only counts with social insurance
paid. The defaults follow common bureau practice (a demo city's choice, not a national
rule); a city changes them with ``JOBFAIR_EMPLOYMENT_RULES`` — a JSON object with the same
keys, e.g. ``{"temporary": {"counts": true, "needs_insurance": true}}``. The table is shown
on the targets page, so what counts is never hidden in code.
"""

import json

from flask import current_app

from jobfair.models.common import WORK_FORM_LABELS, WorkForm

GIG_SHIFTS = "gig_shifts"  # the row of 零工 shifts (EmploymentSource.GIG_SHIFTS)
GIG_DAYS = 30  # the window in which confirmed shifts are added up

DEFAULT_RULES: dict[str, dict] = {
    WorkForm.FULL_TIME: {"counts": True, "needs_insurance": False, "note": "全日制用工均计入"},
    WorkForm.PART_TIME: {
        "counts": True,
        "needs_insurance": True,
        "note": "非全日制用工须缴纳社会保险才计入",
    },
    WorkForm.SEASONAL: {
        "counts": True,
        "needs_insurance": True,
        "note": "季节性用工须缴纳社会保险才计入",
    },
    WorkForm.FLEXIBLE: {
        "counts": True,
        "needs_insurance": True,
        "note": "灵活就业须以灵活就业人员身份参加社会保险才计入",
    },
    WorkForm.TEMPORARY: {"counts": False, "needs_insurance": False, "note": "临时性零工不计入"},
    # 零工 found on the platform: a 就业登记 is written for a person once their shifts
    # confirmed by employers (到岗 and pay settled) reach GIG_SHIFTS within GIG_DAYS days
    # (gigs.services); it then counts as 灵活就业 per this row.
    GIG_SHIFTS: {
        "counts": True,
        "needs_insurance": False,
        "note": "零工：用人单位确认到岗并结清报酬的班次，30 天内累计满 5 个，按灵活就业计入一次",
    },
}
GIG_LABEL = "零工（平台确认的班次）"


def rules() -> dict[str, dict]:
    """The table in force: the defaults, overridden row by row from the configuration."""
    table = {str(k): dict(v) for k, v in DEFAULT_RULES.items()}
    raw = current_app.config.get("EMPLOYMENT_RULES") or {}
    if isinstance(raw, str):
        raw = json.loads(raw)
    for form, row in raw.items():
        if form in table:
            table[form].update({k: bool(row[k]) for k in ("counts", "needs_insurance") if k in row})
            table[form]["note"] = str(row.get("note", table[form]["note"]))
    return table


def gig_threshold() -> int:
    """Confirmed shifts within GIG_DAYS that make a 零工 就业登记 (JOBFAIR_GIG_SHIFTS)."""
    return max(1, int(current_app.config.get("GIG_SHIFTS") or 5))


def rule_key(work_form: str, source: str = "") -> str:
    """The row an employment is counted by: 零工 shifts have their own, else the work form."""
    return GIG_SHIFTS if source == GIG_SHIFTS else work_form


def counts(work_form: str, social_insurance: bool) -> bool:
    """Does an employment of this form (with or without social insurance) count?"""
    row = rules().get(work_form) or rules()[WorkForm.FULL_TIME]
    return row["counts"] and (social_insurance or not row["needs_insurance"])


def rules_table() -> list[dict]:
    """The table for pages and the API, in the order of the work forms."""
    table = rules()
    rows = [{"work_form": str(f), "label": WORK_FORM_LABELS[f], **table[str(f)]} for f in WorkForm]
    gig = table[GIG_SHIFTS]
    if gig["note"] == DEFAULT_RULES[GIG_SHIFTS]["note"]:
        gig["note"] = gig["note"].replace("满 5 个", f"满 {gig_threshold()} 个")
    return [*rows, {"work_form": GIG_SHIFTS, "label": GIG_LABEL, **gig}]
