"""百日攻坚 and the deadlines supervisors set: the campaign window, the plan rule and the
retired fishermen's coverage view."""

from collections import defaultdict
from datetime import date, timedelta

from flask import current_app

from jobfair import audit
from jobfair.casework.access import require_supervisor, scope
from jobfair.casework.queries import local_date, local_today, seeker_district
from jobfair.casework.schemas import SettingsSchema
from jobfair.errors import DomainError
from jobfair.extensions import db
from jobfair.models.casework import CaseFile, CaseworkSettings
from jobfair.models.common import PriorityGroup
from jobfair.models.seeker import SeekerProfile
from jobfair.validation import load

# --- settings ------------------------------------------------------------------------------


def settings() -> dict:
    """The saved campaign window and deadlines, else the config defaults."""
    row = db.session.get(CaseworkSettings, 1)
    cfg = current_app.config
    start = row.campaign_start if row else None
    end = row.campaign_end if row else None
    if start is None and cfg.get("CASEWORK_CAMPAIGN_START"):
        start = date.fromisoformat(str(cfg["CASEWORK_CAMPAIGN_START"]))
    if end is None and start is not None:
        end = start + timedelta(days=int(cfg.get("CASEWORK_CAMPAIGN_DAYS", 100)) - 1)
    return {
        "campaign_start": start,
        "campaign_end": end,
        "plan_days": (row.plan_days if row and row.plan_days else None)
        or int(cfg.get("CASEWORK_PLAN_DAYS", 30)),
        "household_deadline_days": (
            row.household_deadline_days if row and row.household_deadline_days else None
        )
        or int(cfg.get("CASEWORK_HOUSEHOLD_DEADLINE_DAYS", 30)),
        "refusal_limit": (row.refusal_limit if row and row.refusal_limit else None)
        or int(cfg.get("CASEWORK_REFUSAL_LIMIT", 2)),
    }


def save_settings(actor, data, *, form: bool = False) -> dict:
    require_supervisor(actor)
    if form and not (data.get("refusal_limit") or "").strip():
        # An empty box keeps the local rule as it is.
        data = {k: v for k, v in data.items() if k != "refusal_limit"}
    values = load(SettingsSchema(), data, form=form)
    if values["campaign_end"] < values["campaign_start"]:
        raise DomainError(
            "攻坚结束日期不能早于开始日期。", fields={"campaign_end": "不能早于开始日期"}
        )
    row = db.session.get(CaseworkSettings, 1)
    if row is None:
        row = CaseworkSettings(id=1)
        db.session.add(row)
    for key, value in values.items():
        if key != "refusal_limit" or value is not None:
            setattr(row, key, value)
    row.updated_by = actor.id
    audit.record(
        actor.id,
        "casework.settings",
        "casework_settings",
        1,
        **{k: str(v) for k, v in values.items()},
    )
    db.session.commit()
    return settings()


# --- 百日攻坚 (retired fishermen) ------------------------------------------------------------


def plan_state(case: CaseFile, plan_days: int, today: date) -> dict:
    """Was the plan made within N days of creating the file (百日攻坚 rule)?"""
    created = local_date(case.created_at)
    due = created + timedelta(days=plan_days)
    if case.plan_at is not None:
        made = local_date(case.plan_at)
        ok = made <= due
        return {
            "state": "ok" if ok else "late",
            "label": "按期制定" if ok else "逾期制定",
            "due": due,
            "made": made,
        }
    if today > due:
        return {"state": "overdue", "label": "逾期未制定", "due": due, "made": None}
    return {
        "state": "pending",
        "label": f"待制定（剩 {(due - today).days} 天）",
        "due": due,
        "made": None,
    }


def fisher_campaign(actor, today: date | None = None) -> dict:
    today = today or local_today()
    districts = scope(actor)
    conf = settings()
    fishers = [
        p
        for p in db.session.scalars(
            db.select(SeekerProfile)
            .where(SeekerProfile.group_consent.is_(True))
            .where(SeekerProfile.groups.any(group=PriorityGroup.RETIRED_FISHER))
            .order_by(SeekerProfile.name)
        )
        # Only 认定 fishers are on the 百日攻坚 roster; a self-declared one waits for 认定.
        if PriorityGroup.RETIRED_FISHER in p.verified_groups(today)
        and (districts is None or seeker_district(p) in districts)
    ]
    cases = {
        c.seeker_id: c
        for c in db.session.scalars(
            db.select(CaseFile).where(CaseFile.seeker_id.in_([p.user_id for p in fishers] or [0]))
        )
    }
    rows = []
    for p in fishers:
        case = cases.get(p.user_id)
        rows.append(
            {
                "profile": p,
                "district": seeker_district(p),
                "case": case,
                "plan": plan_state(case, conf["plan_days"], today) if case else None,
            }
        )
    with_file = sum(1 for r in rows if r["case"])
    start, end = conf["campaign_start"], conf["campaign_end"]
    if start is None:
        days_left, phase = None, "unset"
    elif today < start:
        days_left, phase = (end - start).days + 1, "before"
    elif today > end:
        days_left, phase = 0, "over"
    else:
        days_left, phase = (end - today).days + 1, "running"
    states = defaultdict(int)
    for r in rows:
        states[r["plan"]["state"] if r["plan"] else "no_file"] += 1
    return {
        "registered": len(rows),
        "with_file": with_file,
        "coverage_pct": round(with_file * 100 / len(rows)) if rows else 0,
        "plan_states": dict(states),
        "plan_days": conf["plan_days"],
        "start": start,
        "end": end,
        "days_left": days_left,
        "phase": phase,
        "rows": rows,
    }
