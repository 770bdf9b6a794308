"""Casework records as plain dicts for the API, the pages and exports (masked where asked)."""

from datetime import UTC, date

from jobfair.casework.cases import profile_of
from jobfair.casework.households import household_status
from jobfair.casework.queries import consented_groups
from jobfair.casework.targets import target_progress
from jobfair.masking import mask_name, mask_phone
from jobfair.models.casework import (
    CASE_OUTCOME_LABELS,
    CASE_STATUS_LABELS,
    CONTACT_CHANNEL_LABELS,
    PLAN_PATH_LABELS,
    RESPONSE_LABELS,
    CaseContact,
    CaseFile,
    EmploymentFollowUp,
    Household,
    Placement,
    Target,
)


def target_dict(target: Target, progress: dict | None = None) -> dict:
    progress = progress or target_progress(target)
    return {
        "id": target.id,
        "year": target.year,
        "district": target.district,
        "kind": target.kind,
        "kind_label": target.kind_label,
        "goal": target.goal,
        "note": target.note,
        "worker": {"id": target.worker_id, "name": target.worker.name if target.worker else ""},
        "progress": progress,
    }


def outcome_dict(row: dict, reveal: bool) -> dict:
    return {
        "name": row["name"] if reveal else mask_name(row["name"]),
        "phone": row["phone"] if reveal else mask_phone(row["phone"]),
        "date": row["date"].isoformat(),
        "source": row["source"],
        "source_label": row["source_label"],
        "employer_name": row["employer_name"],
        "job_title": row["job_title"],
    }


def placement_dict(p: Placement) -> dict:
    return {
        "id": p.id,
        "seeker_id": p.seeker_id,
        "district": p.district,
        "employer_name": p.employer_name,
        "job_title": p.job_title,
        "placed_on": p.placed_on.isoformat(),
        "evidence": p.evidence,
        "recorded_by": p.recorder.name if p.recorder else "",
    }


def case_dict(case: CaseFile, *, full: bool = True) -> dict:
    profile = getattr(case, "profile", None) or profile_of(case)
    out = {
        "id": case.id,
        "district": case.district,
        "status": case.status,
        "status_label": CASE_STATUS_LABELS.get(case.status, case.status),
        "seeker": {
            "id": case.seeker_id,
            "name": profile.name if profile else "",
            "phone": profile.phone if profile else "",
            "groups": sorted(consented_groups(profile)),
        },
        "worker": {"id": case.worker_id, "name": case.worker.name if case.worker else ""},
        "plan_paths": list(case.plan_paths or []),
        "plan_path_labels": [PLAN_PATH_LABELS[p] for p in case.plan_paths or []],
        "outcome": case.outcome,
        "outcome_label": CASE_OUTCOME_LABELS.get(case.outcome, case.outcome),
        "outcome_on": case.outcome_on.isoformat() if case.outcome_on else None,
        "created_at": case.created_at.replace(tzinfo=UTC).isoformat(),
        "plan_at": case.plan_at.replace(tzinfo=UTC).isoformat() if case.plan_at else None,
    }
    if full:
        out.update(
            needs=case.needs,
            plan_note=case.plan_note,
            outcome_note=case.outcome_note,
            contacts=[contact_dict(c) for c in case.contacts],
            recommendations=[
                {
                    "id": r.id,
                    "position_id": r.position_id,
                    "position_title": r.position.title,
                    "employer_name": r.position.employer.name,
                    "recommended_on": r.recommended_on.isoformat(),
                    "response": r.response,
                    "response_label": RESPONSE_LABELS.get(r.response, r.response),
                    "note": r.note,
                }
                for r in case.recommendations
            ],
            trainings=[
                {
                    "id": t.id,
                    "course": t.course,
                    "provider": t.provider,
                    "referred_on": t.referred_on.isoformat(),
                    "result": t.result,
                }
                for t in case.trainings
            ],
        )
    return out


def contact_dict(c: CaseContact) -> dict:
    return {
        "id": c.id,
        "contact_on": c.contact_on.isoformat(),
        "channel": c.channel,
        "channel_label": CONTACT_CHANNEL_LABELS.get(c.channel, c.channel),
        "summary": c.summary,
    }


def follow_up_dict(f: EmploymentFollowUp) -> dict:
    return {
        "id": f.id,
        "seeker_id": f.seeker_id,
        "hired_on": f.hired_on.isoformat(),
        "day_mark": f.day_mark,
        "still_employed": f.still_employed,
        "source": f.source,
        "note": f.note,
    }


def household_dict(hh: Household, reveal: bool = True, today: date | None = None) -> dict:
    st = household_status(hh, today)
    return {
        "id": hh.id,
        "district": hh.district,
        "label": hh.label if reveal else "",
        "identified_on": hh.identified_on.isoformat(),
        "deadline_days": hh.deadline_days,
        "deadline": st["deadline"].isoformat(),
        "closed_on": hh.closed_on.isoformat() if hh.closed_on else None,
        "closed_reason": hh.closed_reason,
        "escalated_at": hh.escalated_at.replace(tzinfo=UTC).isoformat()
        if hh.escalated_at
        else None,
        "open": st["open"],
        "days": st["days"],
        "overdue": st["overdue"],
        "rounds": st["rounds"],
        "rounds_ok": st["rounds_ok"],
        "members": [
            {"name": m.name, "relation": m.relation, "seeker_id": m.seeker_id} for m in hh.members
        ],
        "referrals": [
            {
                "round_no": r.round_no,
                "referred_on": r.referred_on.isoformat(),
                "note": r.note,
                "positions": [{"id": p.id, "title": p.title} for p in r.positions],
            }
            for r in hh.referrals
        ],
    }
