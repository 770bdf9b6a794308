"""Subsidy applications as the API and the pages show them: the facts in words, masked for
those who should not read a person's status."""

from jobfair.formatting import iso
from jobfair.models.policy import SUBSIDY_STATUS_LABELS, SubsidyApplication
from jobfair.models.user import Role
from jobfair.policies import rules, subsidies


def money(fen: int | None) -> str | None:
    return None if fen is None else f"{fen / 100:.2f}"


def facts_shown(application: SubsidyApplication, viewer) -> list[dict]:
    """The facts in words. An employer never sees which status its employee holds."""
    out = []
    for key, fact in subsidies.load_facts(application.facts_json).items():
        spec = rules.FACTS.get(key)
        if spec is None:
            continue
        if spec.kind == "groups" and viewer.role == Role.EMPLOYER:
            value = "已核对（不向单位显示）" if fact.value else "无认定记录"
        elif fact.value is None:
            value = "未知"
        else:
            value = rules.show(key, fact.value)
        source = "申请人填报" if fact.declared else (fact.note or "平台记录")
        out.append({"key": key, "label": spec.label, "value": value, "source": source})
    return out


def application_dict(application: SubsidyApplication, viewer, detail: bool = True) -> dict:
    data = {
        "id": application.id,
        "policy_code": application.policy_code,
        "policy_name": application.policy_name,
        "period": application.period_key,
        "period_label": rules.period_label(application.period_key),
        "applicant_role": application.applicant_role,
        "subject_kind": application.subject_kind,
        "subject": application.subject_label,
        "district": application.district,
        "status": application.status,
        "status_label": SUBSIDY_STATUS_LABELS.get(application.status, application.status),
        "amount": money(application.amount_fen),
        "approved_amount": money(application.approved_fen),
        "paid_amount": money(application.paid_fen),
        "amount_working": application.amount_working,
        "review_reason": application.review_reason,
        "submitted_at": iso(application.submitted_at),
        "decided_at": iso(application.decided_at) if application.decided_at else None,
    }
    if detail:
        data.update(
            conditions=application.conditions,
            facts=facts_shown(application, viewer),
            note=application.note,
            events=[
                {
                    "action": e.action,
                    "status": e.to_status,
                    "status_label": SUBSIDY_STATUS_LABELS.get(e.to_status, e.to_status),
                    "reason": e.reason,
                    "at": iso(e.created_at),
                }
                for e in application.events
            ],
            payments=[
                {
                    "amount": money(p.amount_fen),
                    "paid_on": p.paid_on.isoformat(),
                    "reference": p.reference,
                }
                for p in application.payments
            ],
        )
    return data
