"""What a course may earn under 职业技能培训补贴, worked out by the policy catalogue's own rule
(jobfair.policies.rules.compute_amount): the platform has one rule engine, not two."""

from jobfair.policies import rules, store

TRAINING_POLICY = "skills_training"


def course_subsidy(course) -> dict | None:
    """The subsidy per person for this course's fee, or None when the catalogue in force has
    no 职业技能培训补贴 (a city may replace its file)."""
    policy = store.policies().get(TRAINING_POLICY)
    if policy is None:
        return None
    amount = rules.compute_amount(policy.amount, {"training_cost": rules.Fact(course.fee)})
    return {
        "policy_code": policy.code,
        "policy_name": policy.name,
        "amount": None if amount.value is None else float(amount.value),
        "amount_text": None if amount.value is None else rules.yuan(amount.value),
        "working": amount.working,
        "rule": policy.amount.get("text", ""),
        "conditions": [c.text for c in policy.conditions],
        "demo": policy.demo,
    }
