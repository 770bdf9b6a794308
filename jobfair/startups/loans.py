"""创业担保贷款: the application (amount, term, guarantee, bank, rate), its interest subsidy
computed by the policy catalogue, and the case worker's decisions.

Rules worth knowing:
- The person applies for their own case, or a case worker for a case of their district.
- One live application per start-up (submitted, approved or disbursed): a partial UNIQUE
  index says so, so two simultaneous submissions give one row and one clean 409.
- The interest subsidy is ``jobfair.policies.rules.compute_amount`` of the catalogue's
  创业担保贷款贴息 rule (principal and rate capped by the policy), stored with its working so
  a later change of the catalogue does not silently rewrite what was told to the applicant.
- Decisions move forward only: 已提交 → 审核通过 / 未通过 (with a reason); 审核通过 → 已放款
  (with the date); 已放款 → 已结清. Each is audit-logged and told to the person.
"""

from decimal import Decimal

from sqlalchemy import update

from jobfair import audit
from jobfair.casework.access import require_case_worker
from jobfair.errors import Conflict, DomainError, NotFound
from jobfair.extensions import db
from jobfair.formatting import iso, local_today
from jobfair.ids import require_id
from jobfair.models.common import utcnow
from jobfair.models.startup import (
    GUARANTEE_LABELS,
    LOAN_STATUS_LABELS,
    LoanStatus,
    StartupCase,
    StartupLoan,
    StartupStatus,
)
from jobfair.models.user import Role
from jobfair.notifications.services import notify
from jobfair.startups import amounts
from jobfair.startups.cases import get_case
from jobfair.startups.schemas import DECISION_LABELS, LOAN_LABELS, DecisionSchema, LoanSchema
from jobfair.transactions import conflict_as
from jobfair.validation import load

LIVE_EXISTS = "该创业项目已有一笔在办的创业担保贷款申请，办结后才能再申请。"
# decision -> (from status, to status, words)
MOVES = {
    "approve": (LoanStatus.SUBMITTED, LoanStatus.APPROVED, "审核通过，已推荐至经办银行"),
    "reject": (LoanStatus.SUBMITTED, LoanStatus.REJECTED, "未通过"),
    "disburse": (LoanStatus.APPROVED, LoanStatus.DISBURSED, "已放款"),
    "settle": (LoanStatus.DISBURSED, LoanStatus.SETTLED, "已结清"),
}


def _case_for(actor, startup_id) -> StartupCase:
    row = get_case(startup_id)
    if actor.role == Role.SEEKER:
        if row.seeker_id != actor.id:
            raise NotFound("创业档案不存在。")
    else:
        require_case_worker(actor, row.district)
    return row


def rate_bp(rate: str) -> int:
    return int((Decimal(rate) * 100).to_integral_value())


def apply(actor, startup_id, data, *, form: bool = False) -> StartupLoan:
    row = _case_for(actor, startup_id)
    if row.status == StartupStatus.CLOSED:
        raise DomainError("已停止的创业项目不能申请贷款。", code="closed")
    values = load(LoanSchema(), data, labels=LOAN_LABELS, form=form)
    rate = Decimal(values["annual_rate"])
    computed = amounts.loan_subsidy(values["amount"], rate, values["term_months"])
    subsidy = int(computed["value"] or 0) if computed else 0
    loan = StartupLoan(
        startup_id=row.id,
        amount=values["amount"],
        term_months=values["term_months"],
        guarantee=values["guarantee"],
        guarantor=values["guarantor"],
        bank=values["bank"],
        annual_rate_bp=rate_bp(values["annual_rate"]),
        interest_subsidy=subsidy,
        subsidy_basis=(computed["working"] if computed else "政策文件中没有创业担保贷款贴息")[:300],
        policy_code=computed["policy_code"] if computed else "",
        status=LoanStatus.SUBMITTED,
        submitted_by=actor.id,
    )
    db.session.add(loan)
    with conflict_as(LIVE_EXISTS, code="loan_in_progress"):
        db.session.flush()
    audit.record(actor.id, "startup.loan_apply", "startup_loan", loan.id, amount=loan.amount)
    db.session.commit()
    return loan


def decide(actor, loan_id, data, *, form: bool = False) -> StartupLoan:
    loan = db.session.get(StartupLoan, require_id(loan_id, "贷款申请不存在。"))
    if loan is None:
        raise NotFound("贷款申请不存在。")
    require_case_worker(actor, loan.startup.district)
    values = load(DecisionSchema(), data, labels=DECISION_LABELS, form=form)
    before, after, words = MOVES[values["decision"]]
    reason = values["reason"]
    if values["decision"] == "reject" and not reason:
        raise DomainError("不通过时请填写理由。", fields={"reason": "请填写理由"})
    changes = {"status": after, "decided_by": actor.id, "decided_at": utcnow()}
    if reason:
        changes["decision_reason"] = reason
    if values["decision"] == "disburse":
        day = values["disbursed_on"] or local_today()
        if day > local_today():
            raise DomainError("放款日期不能晚于今天。", fields={"disbursed_on": "不能晚于今天"})
        changes["disbursed_on"] = day
    # Compare-and-set: of two reviewers deciding at once, one wins and the other is told.
    done = db.session.execute(
        update(StartupLoan)
        .where(StartupLoan.id == loan.id, StartupLoan.status == before)
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        db.session.rollback()
        raise Conflict(
            f"该申请当前为“{LOAN_STATUS_LABELS[loan.status]}”，不能执行此操作。",
            code="loan_state",
        )
    audit.record(
        actor.id,
        f"startup.loan_{values['decision']}",
        "startup_loan",
        loan.id,
        amount=loan.amount,
        reason=reason or None,
    )
    notify(
        loan.startup.seeker_id,
        "startup",
        f"创业担保贷款申请{words}",
        (
            f"理由：{reason}"
            if reason
            else f"贷款 {loan.amount:,} 元，期限 {loan.term_months} 个月。"
        ),
        link=f"/startups/{loan.startup_id}",
    )
    db.session.commit()
    db.session.refresh(loan)
    return loan


def loans_of(row: StartupCase) -> list[StartupLoan]:
    return list(
        db.session.scalars(
            db.select(StartupLoan)
            .filter_by(startup_id=row.id)
            .order_by(StartupLoan.created_at.desc(), StartupLoan.id.desc())
        )
    )


def loan_dict(loan: StartupLoan, *, with_guarantor: bool) -> dict:
    out = {
        "id": loan.id,
        "startup_id": loan.startup_id,
        "amount": loan.amount,
        "term_months": loan.term_months,
        "guarantee": loan.guarantee,
        "guarantee_label": GUARANTEE_LABELS.get(loan.guarantee, loan.guarantee),
        "bank": loan.bank,
        "annual_rate": f"{Decimal(loan.annual_rate_bp) / 100:.2f}",
        "interest_subsidy": loan.interest_subsidy,
        "subsidy_basis": loan.subsidy_basis,
        "policy_code": loan.policy_code,
        "status": loan.status,
        "status_label": LOAN_STATUS_LABELS.get(loan.status, loan.status),
        "decision_reason": loan.decision_reason,
        "decided_at": iso(loan.decided_at),
        "disbursed_on": iso(loan.disbursed_on),
        "created_at": iso(loan.created_at),
    }
    if with_guarantor:
        out["guarantor"] = loan.guarantor
    return out
