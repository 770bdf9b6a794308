"""Start-up support answers the policy check: a registered business and how long it has
traded (一次性创业补贴), a 创业担保贷款 that was disbursed, its terms and, once settled, that it
was repaid (贴息). What the platform has not recorded stays unknown."""

from jobfair import events
from jobfair.models.startup import LoanStatus
from jobfair.startups.facts import loans, registered_business

PAID_OUT = (LoanStatus.DISBURSED, LoanStatus.SETTLED)


def policy_facts(subject, user_id=None, on=None, **_kw) -> dict:
    if subject != "seeker" or user_id is None:
        return {}
    out = {}
    business = registered_business(user_id)
    if business is not None and (on is None or business.registered_on <= on):
        note = f"{business.registered_on:%Y-%m-%d} 登记，统一社会信用代码 {business.credit_code}"
        out["business_registered"] = {"value": True, "note": note}
        if on is not None:
            out["business_months"] = {
                "value": business.months_operating(on),
                "note": "从营业执照登记日算起（平台创业档案）",
            }
    granted = [
        loan
        for loan in loans(user_id)
        if loan.status in PAID_OUT
        and loan.disbursed_on is not None
        and (on is None or loan.disbursed_on <= on)
    ]
    if granted:
        loan = granted[0]
        note = f"{loan.disbursed_on:%Y-%m-%d} 放款（平台创业档案）"
        out["loan_granted"] = {"value": True, "note": note}
        out["loan_amount"] = {"value": loan.amount, "note": note}
        out["loan_rate"] = {"value": loan.annual_rate, "note": "借款合同年利率（平台登记）"}
        out["loan_term_months"] = {"value": loan.term_months, "note": "借款合同期限（平台登记）"}
        if loan.status == LoanStatus.SETTLED:
            out["loan_repaid_on_time"] = {"value": True, "note": "经办银行确认已结清"}
    return out


def connect() -> None:
    events.policy_facts_wanted.connect(policy_facts)
