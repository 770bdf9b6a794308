"""Amounts of start-up support, worked out by the policy catalogue's own rules
(jobfair.policies.rules.compute_amount): 创业担保贷款贴息 and 一次性创业补贴."""

from decimal import Decimal

from jobfair.policies import rules, store

LOAN_POLICY = "loan_interest"
STARTUP_POLICY = "startup_once"


def loan_subsidy(amount: int, annual_rate: Decimal, term_months: int) -> dict | None:
    """The interest subsidy over the whole term, or None when the catalogue in force has no
    创业担保贷款贴息 policy. ``annual_rate`` is a percentage (3.45 for 3.45%)."""
    policy = store.policies().get(LOAN_POLICY)
    if policy is None:
        return None
    facts = {
        "loan_amount": rules.Fact(amount),
        "loan_rate": rules.Fact(annual_rate),
        "loan_term_months": rules.Fact(term_months),
    }
    result = rules.compute_amount(policy.amount, facts)
    return {
        "policy_code": policy.code,
        "policy_name": policy.name,
        "value": result.value,
        "working": result.working,
        "rule": policy.amount.get("text", ""),
        "demo": policy.demo,
        "max_principal": policy.amount.get("max_principal"),
    }


def startup_grant() -> dict | None:
    """一次性创业补贴 as the catalogue in force words and computes it (None: no such policy)."""
    policy = store.policies().get(STARTUP_POLICY)
    if policy is None:
        return None
    result = rules.compute_amount(policy.amount, {})
    return {
        "policy_code": policy.code,
        "policy_name": policy.name,
        "value": result.value,
        "amount_text": None if result.value is None else rules.yuan(result.value),
        "working": result.working,
        "rule": policy.amount.get("text", ""),
        "conditions": [c.text for c in policy.conditions],
        "how_to_apply": policy.how_to_apply,
        "demo": policy.demo,
    }
