"""Organisers review subsidy applications (approve, return for correction, reject with a
reason) and record the payments made; the applicant is told each decision.

Rules worth knowing:
- Approving recomputes the amount by the policy's rule from the facts the organiser
  confirms (a stated fact may be corrected, e.g. fewer months than claimed); the organiser
  never types an amount.
- Payments never exceed the approved amount; once they reach it the application is 已拨付.
- Each decision and payment is audit-logged in the same transaction.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from jobfair.errors import Conflict, DomainError, Forbidden
from jobfair.extensions import db
from jobfair.formatting import local_today
from jobfair.models.common import utcnow
from jobfair.models.notification import NOTIFICATION_KIND_LABELS
from jobfair.models.policy import SubsidyApplication, SubsidyPayment, SubsidyStatus
from jobfair.models.user import Role
from jobfair.notifications.services import notify
from jobfair.policies import rules, subsidies
from jobfair.policies.rules import Fact
from jobfair.seekers.services import clean_text
from jobfair.transactions import conflict_as

NOTIFICATION_KIND_LABELS.setdefault("subsidy", "政策补贴")
ACTIONS = {"approve": "审核通过", "return": "退回补正", "reject": "不予通过"}
PAGE = 200


def _organiser(actor) -> None:
    if actor.role != Role.ORGANISER:
        raise Forbidden()


def _tell(application: SubsidyApplication, title: str, body: str) -> None:
    if application.applicant_id is None:
        return
    notify(
        application.applicant_id,
        "subsidy",
        title,
        body,
        link=f"/subsidies/{application.id}",  # the subsidies.detail page
    )


def _reason(raw) -> str:
    reason = clean_text(raw or "") if isinstance(raw, str | type(None)) else None
    if reason is None:
        raise DomainError("理由应为文字。", fields={"reason": "应为文字。"})
    if len(reason) > 500:
        raise DomainError("理由不能超过500字。", fields={"reason": "不能超过500字。"})
    return reason


def decide(actor, application_id, data: dict) -> SubsidyApplication:
    """approve / return / reject an application waiting for review."""
    _organiser(actor)
    if not isinstance(data, dict):
        raise DomainError("请求格式不正确。", code="bad_request", status=400)
    action = data.get("action")
    if not isinstance(action, str) or action not in ACTIONS:
        raise DomainError(
            "请选择审核结果：通过、退回补正或不予通过。", fields={"action": "请选择审核结果。"}
        )
    reason = _reason(data.get("reason"))
    application = subsidies.own_application(actor, application_id, lock=True)
    allowed = {
        "approve": (SubsidyStatus.SUBMITTED,),
        "return": (SubsidyStatus.SUBMITTED,),
        "reject": (SubsidyStatus.SUBMITTED, SubsidyStatus.RETURNED),
    }[action]
    if application.status not in allowed:
        raise Conflict(
            f"这份申请现在是“{application.status_label}”，不能{ACTIONS[action]}。",
            code="wrong_status",
        )
    if action in ("return", "reject") and not reason:
        raise DomainError(
            "退回或不予通过时，请写明理由（申请人会看到）。", fields={"reason": "请写明理由。"}
        )
    money = f"{rules.yuan(application.amount_fen / 100)}" if application.amount_fen else ""
    if action == "approve":
        policy = subsidies.policy_of(application)
        known = subsidies.load_facts(application.facts_json)
        confirmed = data.get("facts") or {}
        if not isinstance(confirmed, dict):
            raise DomainError("facts 应为对象。", fields={"facts": "应为对象。"})
        for key, raw in confirmed.items():
            fact = known.get(key)
            if fact is None or not fact.declared:
                raise DomainError(
                    "只能核定申请人填报的情况。", fields={str(key)[:40]: "不能修改。"}
                )
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            known[key] = Fact(subsidies.parse_fact(key, raw), "工作人员核定")
        for key, fact in known.items():
            if fact.declared:
                known[key] = Fact(fact.value, "工作人员核定")
        outcomes = [rules.judge(c, known, policy.for_ == rules.EMPLOYER) for c in policy.conditions]
        if rules.eligibility(outcomes) is not True:
            failing = [o for o in outcomes if o.state != rules.MET]
            raise DomainError(
                "按核定的情况不符合条件，请退回补正或不予通过："
                + "；".join(f"{o.text}（{o.why}）" for o in failing),
                code="not_eligible",
            )
        amount = rules.compute_amount(policy.amount, known)
        application.facts_json = subsidies.dump_facts(known)
        application.conditions = [o.as_dict() for o in outcomes]
        application.approved_fen = amount.fen
        application.amount_working = amount.working[:500]
        application.status = SubsidyStatus.APPROVED
        money = rules.yuan(amount.value)
        _tell(
            application,
            f"补贴申请已通过：{application.policy_name}",
            f"你提交的“{application.policy_name}”（{rules.period_label(application.period_key)}）"
            f"已审核通过，核定金额 {money}，将按规定拨付。{reason}",
        )
    elif action == "return":
        application.status = SubsidyStatus.RETURNED
        _tell(
            application,
            f"补贴申请需要补正：{application.policy_name}",
            f"你提交的“{application.policy_name}”被退回补正，原因：{reason}。请修改后重新提交。",
        )
    else:
        application.status = SubsidyStatus.REJECTED
        application.claim_open = None
        _tell(
            application,
            f"补贴申请未通过：{application.policy_name}",
            f"很遗憾，你提交的“{application.policy_name}”{money and '（' + money + '）'}未通过审核，"
            f"原因：{reason}。如有疑问，可携带材料到就业服务窗口咨询。",
        )
    application.review_reason = reason
    application.decided_at = utcnow()
    application.decided_by = actor.id
    subsidies._record(application, action, actor.id, reason)
    db.session.commit()
    return application


def _fen(raw) -> int:
    """Yuan as typed (up to two decimals) to fen; a clear message for anything else."""
    bad = DomainError(
        "拨付金额应为大于 0 的数字（元，最多两位小数）。", fields={"amount": "应为金额。"}
    )
    if isinstance(raw, bool):
        raise bad
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise bad from None
    if not value.is_finite() or value <= 0 or value > 100_000_000:
        raise bad
    if value != value.quantize(Decimal("0.01")):
        raise bad
    return int(value * 100)


def record_payment(actor, application_id, data: dict) -> SubsidyPayment:
    """Record money paid on an approved application (several instalments allowed)."""
    _organiser(actor)
    if not isinstance(data, dict):
        raise DomainError("请求格式不正确。", code="bad_request", status=400)
    application = subsidies.own_application(actor, application_id, lock=True)
    if application.status != SubsidyStatus.APPROVED:
        raise Conflict(
            f"这份申请现在是“{application.status_label}”，只有审核通过待拨付的申请可以登记拨付。",
            code="wrong_status",
        )
    raw_amount = data.get("amount")
    left = (application.approved_fen or 0) - application.paid_fen
    fen = left if raw_amount in (None, "") else _fen(raw_amount)
    if fen > left:
        raise DomainError(
            f"拨付金额超过尚未拨付的 {rules.yuan(left / 100)}。",
            fields={"amount": "超过应拨付金额。"},
        )
    paid_on = data.get("paid_on") or local_today().isoformat()
    try:
        paid_on = date.fromisoformat(str(paid_on))
    except ValueError:
        raise DomainError(
            "拨付日期格式应为 2026-05-01。", fields={"paid_on": "日期格式不对。"}
        ) from None
    if paid_on > local_today():
        raise DomainError("拨付日期不能晚于今天。", fields={"paid_on": "不能晚于今天。"})
    reference = clean_text(str(data.get("reference") or ""))
    if not reference or len(reference) > 60:
        raise DomainError("请填写拨付凭证号（60字以内）。", fields={"reference": "请填写凭证号。"})
    with conflict_as("这个凭证号已经登记过了。", code="duplicate_payment"):
        payment = SubsidyPayment(
            application_id=application.id,
            amount_fen=fen,
            paid_on=paid_on,
            reference=reference,
            recorded_by=actor.id,
        )
        application.payments.append(payment)
        application.paid_fen += fen
        if application.paid_fen >= (application.approved_fen or 0):
            application.status = SubsidyStatus.PAID
        _tell(
            application,
            f"补贴已拨付：{application.policy_name}",
            f"“{application.policy_name}”已拨付 {rules.yuan(fen / 100)}（{paid_on.isoformat()}，"
            f"凭证号 {reference}），请留意账户到账情况。",
        )
        subsidies._record(
            application, "pay", actor.id, f"{rules.yuan(fen / 100)}，凭证号 {reference}"
        )
        db.session.commit()
    return payment


def queue(actor, status: str = "", policy: str = "", district: str = "") -> list:
    """Applications for organisers, waiting ones first."""
    _organiser(actor)
    stmt = select(SubsidyApplication)
    if status:
        if status not in set(SubsidyStatus):
            raise DomainError("状态无效。", fields={"status": "状态无效。"})
        stmt = stmt.filter_by(status=status)
    if policy:
        stmt = stmt.filter_by(policy_code=policy[:40])
    if district:
        stmt = stmt.filter_by(district=district[:50])
    order = {
        SubsidyStatus.SUBMITTED: 0,
        SubsidyStatus.APPROVED: 1,
        SubsidyStatus.RETURNED: 2,
    }
    rows = list(db.session.scalars(stmt.order_by(SubsidyApplication.id.desc()).limit(PAGE)))
    rows.sort(key=lambda a: order.get(a.status, 3))
    return rows


def counts() -> dict[str, int]:
    return dict(
        db.session.execute(
            select(SubsidyApplication.status, func.count()).group_by(SubsidyApplication.status)
        ).all()
    )
