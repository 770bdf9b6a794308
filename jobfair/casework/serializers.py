"""Casework records as plain dicts for the API, the pages and exports (masked where asked)."""

from datetime import UTC, date

from jobfair.casework.cases import profile_of
from jobfair.casework.households import household_status
from jobfair.casework.queries import consented_groups
from jobfair.casework.targets import target_progress
from jobfair.extensions import db
from jobfair.masking import mask_name, mask_phone
from jobfair.models.casework import (
    CASE_OUTCOME_LABELS,
    CASE_STATUS_LABELS,
    CONTACT_CHANNEL_LABELS,
    PLAN_PATH_LABELS,
    REFERRAL_ANSWER_LABELS,
    RESPONSE_LABELS,
    CaseContact,
    CaseFile,
    EmploymentFollowUp,
    Household,
    Placement,
    Target,
)
from jobfair.models.common import GROUP_LABELS
from jobfair.models.outcome import (
    CONTRACT_LABELS,
    EMPLOYMENT_SOURCE_LABELS,
    ENDED_BY_LABELS,
    EVIDENCE_LABELS,
    EmploymentRegistration,
    UnemploymentRegistration,
)
from jobfair.models.seeker import SeekerGroup, SeekerProfile
from jobfair.models.user import User


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
    """A counted change of a target: +1 a counted record, -1 its correction."""
    return {
        "record_id": row["record_id"],
        "delta": row["delta"],
        "name": row["name"] if reveal else mask_name(row["name"]),
        "phone": row["phone"] if reveal else mask_phone(row["phone"]),
        "date": row["date"].isoformat(),
        "period": row["period"].strftime("%Y-%m"),
        "district": row["district"],
        "street": row["street"],
        "kind": row["kind"],
        "kind_label": row["kind_label"],
        "source": row["source"],
        "source_label": row["source_label"],
        "employer_name": row["employer_name"],
        "job_title": row["job_title"],
        "reason": row["reason"],
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
        "refusals": st["refusals"],
        "refusal_limit": st["refusal_limit"],
        "flagged": st["flagged"],
        "fallback_open": st["fallback_open"],
        "reopened": st["reopened"],
        "closed_by_registration_id": hh.closed_by_registration_id,
        "members": [
            {"id": m.id, "name": m.name, "relation": m.relation, "seeker_id": m.seeker_id}
            for m in hh.members
        ],
        "referrals": [
            {
                "round_no": r.round_no,
                "referred_on": r.referred_on.isoformat(),
                "note": r.note,
                "answer": r.answer,
                "answer_label": REFERRAL_ANSWER_LABELS.get(r.answer, r.answer),
                "answer_reason": r.answer_reason,
                "answered_on": r.answered_on.isoformat() if r.answered_on else None,
                "positions": [{"id": p.id, "title": p.title} for p in r.positions],
            }
            for r in hh.referrals
        ],
    }


# --- 认定, 登记 ------------------------------------------------------------------------------


def status_dict(g: SeekerGroup, reveal_evidence: bool = True, names: dict | None = None) -> dict:
    return {
        "group": g.group,
        "label": GROUP_LABELS.get(g.group, g.group),
        "source": g.source,
        "source_label": "已认定" if g.verified_on else "本人申报（待认定）",
        "evidence_type": g.evidence_type or None,
        "evidence_label": EVIDENCE_LABELS.get(g.evidence_type, "") if g.evidence_type else "",
        "evidence_note": g.evidence_note if reveal_evidence else "",
        "verified_by": g.verified_by,
        "verified_by_name": (names or {}).get(g.verified_by, "") if g.verified_by else "",
        "verified_on": g.verified_on.isoformat() if g.verified_on else None,
        "valid_until": g.valid_until.isoformat() if g.valid_until else None,
    }


def unemployment_dict(u: UnemploymentRegistration) -> dict:
    return {
        "id": u.id,
        "seeker_id": u.seeker_id,
        "registered_on": u.registered_on.isoformat(),
        "place": u.place,
        "ended_on": u.ended_on.isoformat() if u.ended_on else None,
        "end_reason": u.end_reason,
    }


def employment_dict(r: EmploymentRegistration, *, evidence: bool = True) -> dict:
    return {
        "id": r.id,
        "seeker_id": r.seeker_id,
        "application_id": r.application_id,
        "employer_name": r.employer_name,
        "job_title": r.job_title,
        "started_on": r.started_on.isoformat(),
        "contract_type": r.contract_type,
        "contract_label": CONTRACT_LABELS.get(r.contract_type, r.contract_type),
        "work_form": r.work_form,
        "social_insurance": r.social_insurance,
        "source": r.source,
        "source_label": EMPLOYMENT_SOURCE_LABELS.get(r.source, r.source),
        "evidence_note": r.evidence_note if evidence else "",
        "fallback": r.fallback,
        "ended_on": r.ended_on.isoformat() if r.ended_on else None,
        "end_reason": r.end_reason,
        "ended_by": ENDED_BY_LABELS.get(r.ended_role, r.ended_role) if r.ended_role else None,
        "outcome_id": r.outcome_id,
    }


def seeker_records_dict(profile: SeekerProfile, unemployment, employments) -> dict:
    ids = {g.verified_by for g in profile.groups if g.verified_by}
    names = dict(
        db.session.execute(db.select(User.id, User.name).where(User.id.in_(ids or {0}))).all()
    )
    return {
        "seeker_id": profile.user_id,
        "name": profile.name,
        "hukou_district": profile.hukou_district,
        "residence_district": profile.residence_district,
        "residence_street": profile.residence_street,
        "consent": profile.group_consent,
        "consent_note": profile.consent_note,
        "statuses": [
            status_dict(g, names=names) for g in sorted(profile.groups, key=lambda g: g.group)
        ],
        "unemployment": [unemployment_dict(u) for u in unemployment],
        "employments": [employment_dict(r) for r in employments],
    }
