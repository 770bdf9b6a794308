"""Subsidy applications: an employer or seeker applies with the platform's facts filled in
and the missing ones stated; a returned application is corrected and sent again.

Rules worth knowing:
- One live claim per person (or employer) per policy and period. The database enforces it
  (``uq_subsidy_claim_once``); a lost race is a clear 409, never a second claim. A rejected
  or withdrawn application releases its claim.
- A fact the platform records cannot be overridden by the applicant; only facts the policy
  file marks askable may be stated, and an organiser checks them before approving.
- A priority-group status is never stated: without a 认定 on record the application is
  refused with what would settle it.
- The amount always comes from the policy's rule under the catalogue version the
  application was made under.
"""

import json
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from jobfair import audit, events
from jobfair.employers.acting import owned_employer
from jobfair.errors import Conflict, DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.formatting import local_today
from jobfair.ids import parse_id, require_id
from jobfair.models.outcome import EmploymentRegistration
from jobfair.models.policy import (
    CLAIMING,
    SubjectKind,
    SubsidyApplication,
    SubsidyEvent,
    SubsidyStatus,
)
from jobfair.models.user import Role, User
from jobfair.policies import eligibility, rules, store
from jobfair.policies import facts as facts_mod
from jobfair.policies.catalogue import Policy
from jobfair.policies.rules import Fact
from jobfair.seekers.services import clean_text
from jobfair.transactions import conflict_as

for _action, _label in (
    ("subsidy.submit", "提交补贴申请"),
    ("subsidy.resubmit", "补正后重新提交补贴申请"),
    ("subsidy.withdraw", "撤回补贴申请"),
    ("subsidy.approve", "补贴申请审核通过"),
    ("subsidy.return", "补贴申请退回补正"),
    ("subsidy.reject", "补贴申请不予通过"),
    ("subsidy.pay", "登记补贴拨付"),
):
    audit.ACTION_LABELS.setdefault(_action, _label)
audit.OBJECT_LABELS.setdefault("subsidy_application", "补贴申请")

ALREADY_CLAIMED = "该人员（或本单位）在这个期间已经申请过这项补贴，不能重复申请。"
NUMBER_LIMITS = {"元": 100_000_000, "%": 100, "个月": 600, "年": 60, "岁": 120}
TRUE_WORDS = {"true", "1", "yes", "是", "y", "on"}
FALSE_WORDS = {"false", "0", "no", "否", "n", "off"}


# --- the facts an application rests on ---------------------------------------------------


def dump_facts(known: dict[str, Fact]) -> str:
    return json.dumps(
        {
            k: {
                "value": list(f.value) if isinstance(f.value, tuple) else f.value,
                "note": f.note,
                "declared": f.declared,
                "pending": list(f.pending),
            }
            for k, f in known.items()
            if k in rules.FACTS
        },
        ensure_ascii=False,
        default=str,
    )


def load_facts(text: str) -> dict[str, Fact]:
    raw = json.loads(text or "{}")
    out = {}
    for k, v in raw.items():
        value = v.get("value")
        if isinstance(value, list):
            value = tuple(value)
        out[k] = Fact(
            value, v.get("note", ""), v.get("declared", False), tuple(v.get("pending", ()))
        )
    return out


def parse_fact(key: str, raw) -> object:
    """A stated fact's value, or DomainError naming the field."""
    spec = rules.FACTS[key]
    if spec.kind == "bool":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise DomainError(f"{spec.label}：请选择“是”或“否”。", fields={key: "请选择是或否。"})
    if spec.kind == "number":
        if isinstance(raw, bool):
            raise DomainError(f"{spec.label}应为数字。", fields={key: "应为数字。"})
        try:
            value = Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation:
            raise DomainError(f"{spec.label}应为数字。", fields={key: "应为数字。"}) from None
        limit = NUMBER_LIMITS.get(spec.unit, 1_000_000)
        if not value.is_finite() or value < 0 or value > limit:
            raise DomainError(
                f"{spec.label}应在 0 到 {limit:,} {spec.unit}之间。",
                fields={key: f"应在 0 到 {limit:,} 之间。"},
            )
        value = value.quantize(Decimal("0.01"))
        return int(value) if value == value.to_integral_value() else float(value)
    raise DomainError(f"{spec.label}不能由申请人填写。", fields={key: "不能填写。"})


def askable_missing(policy: Policy, known: dict[str, Fact]) -> list[str]:
    """The facts this policy needs that the platform does not record and the applicant may
    state (in the order the policy uses them)."""
    keys = []
    for cond in policy.conditions:
        for c in cond.any or (cond,):
            keys.append(c.fact)
    for key in sorted(policy.facts()):
        if key not in keys:
            keys.append(key)
    return [
        k for k in keys if rules.FACTS[k].askable and (k not in known or known[k].value is None)
    ]


def _declared(policy: Policy, known: dict[str, Fact], stated) -> dict[str, Fact]:
    if stated is None:
        stated = {}
    if not isinstance(stated, dict):
        raise DomainError("facts 应为对象：{事实代码: 值}。", fields={"facts": "应为对象。"})
    allowed = set(askable_missing(policy, known))
    out = {}
    for key, raw in stated.items():
        if key not in allowed:
            if key in rules.FACTS and key in known and known[key].value is not None:
                continue  # the platform's record wins; a stale form field is ignored
            raise DomainError(
                f"“{rules.FACTS[key].label if key in rules.FACTS else key}”不需要也不能由申请人填写。",
                fields={str(key)[:40]: "不能填写。"},
            )
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        out[key] = Fact(parse_fact(key, raw), "申请人填报", declared=True)
    return out


# --- whom the application is for -----------------------------------------------------------


def acting_party(actor, policy: Policy):
    """The employer (for an employer policy) or None (a seeker's own), checking the role."""
    if actor.role != policy.for_:
        raise Forbidden(f"“{policy.name}”由{rules.FOR_LABELS[policy.for_]}申请。")
    if policy.for_ == rules.EMPLOYER:
        employer = owned_employer(actor)
        if employer is None:
            raise Forbidden("只有单位账号本身可以申请补贴（招聘代表不能申请），请先完善单位信息。")
        return employer
    return None


def subject_of(actor, policy: Policy, employer, subject_id, on: date) -> dict:
    """Subject kind and id, the person concerned, a label, the district and platform facts."""
    if policy.for_ == rules.SEEKER:
        profile = facts_mod.profile_of(actor.id)
        return {
            "kind": SubjectKind.PERSON,
            "id": actor.id,
            "person_id": actor.id,
            "label": (profile.name if profile and profile.name else actor.name) or "本人",
            "district": profile.home_district if profile else "",
            "facts": facts_mod.seeker_facts(actor.id, on),
        }
    base = facts_mod.employer_facts(employer, on)
    if policy.claim_by == "employer":
        return {
            "kind": SubjectKind.EMPLOYER,
            "id": employer.id,
            "person_id": None,
            "label": employer.name,
            "district": employer.district,
            "facts": base,
        }
    hire_id = parse_id(subject_id)
    reg = db.session.get(EmploymentRegistration, hire_id) if hire_id else None
    if reg is None or reg.employer_id != employer.id:
        raise DomainError(
            "请选择一名在本单位入职的人员。", code="no_hire", fields={"subject_id": "请选择人员。"}
        )
    return {
        "kind": SubjectKind.PERSON,
        "id": reg.seeker_id,
        "person_id": reg.seeker_id,
        "label": eligibility.hire_label(reg),
        "district": employer.district,
        "facts": {**base, **facts_mod.hire_facts(reg, on)},
        "hire_id": reg.id,
    }


def periods(policy: Policy, on: date) -> list[tuple[str, str]]:
    current = rules.period_key(policy.period_kind, on)
    keys = [current]
    previous = rules.previous_period(policy.period_kind, on)
    if previous != current:
        keys.append(previous)
    return [(k, rules.period_label(k)) for k in keys]


def _period(policy: Policy, raw, on: date) -> str:
    allowed = [k for k, _ in periods(policy, on)]
    if raw in (None, ""):
        return allowed[0]
    if raw not in allowed:
        raise DomainError("申请期间只能是本期或上一期。", fields={"period": "请选择本期或上一期。"})
    return raw


def _note(raw, default: str = "") -> str:
    if raw is None:
        return default
    if not isinstance(raw, str):
        raise DomainError("说明应为文字。", fields={"note": "应为文字。"})
    note = clean_text(raw)
    if len(note) > 1000:
        raise DomainError("说明不能超过1000字。", fields={"note": "不能超过1000字。"})
    return note


def _evaluate(policy: Policy, known: dict[str, Fact], private: bool) -> tuple[list, object]:
    outcomes = [rules.judge(c, known, private) for c in policy.conditions]
    return outcomes, rules.compute_amount(policy.amount, known)


def _require_eligible(policy: Policy, known: dict[str, Fact], outcomes, amount) -> None:
    unmet = [o for o in outcomes if o.state == rules.UNMET]
    if unmet:
        raise DomainError(
            "不符合申请条件：" + "；".join(f"{o.text}（{o.why}）" for o in unmet),
            code="not_eligible",
        )
    ask = askable_missing(policy, known)
    unknown = [o for o in outcomes if o.state == rules.UNKNOWN]
    if ask:
        raise DomainError(
            "请补充填写：" + "、".join(rules.FACTS[k].label for k in ask) + "。",
            code="facts_missing",
            fields={k: f"请填写{rules.FACTS[k].label}。" for k in ask},
        )
    if unknown:
        raise DomainError(
            "以下条件平台无法确认，暂不能申请："
            + "；".join(f"{o.text}（{o.why}）" for o in unknown),
            code="not_settled",
        )
    if amount.value is None:
        raise DomainError("补贴金额无法计算，请补充填写所需情况。", code="facts_missing")
    if amount.value <= 0:
        raise DomainError(
            f"按现有情况，补贴金额为0（{amount.working}），暂不需要申请。", code="nothing_to_claim"
        )


def _record(application, action: str, actor_id, reason: str = "") -> None:
    application.events.append(
        SubsidyEvent(action=action, to_status=application.status, reason=reason, actor_id=actor_id)
    )
    audit.record(
        actor_id,
        f"subsidy.{action}",
        "subsidy_application",
        application.id,
        policy=application.policy_code,
        period=application.period_key,
        status=application.status,
        reason=reason or None,
    )
    events.subsidy_decided.send(application, action=action, actor_id=actor_id)


def submit(actor, code: str, data: dict) -> SubsidyApplication:
    """Apply for a subsidy: the platform's facts plus the stated ones; the amount by rule."""
    if not isinstance(data, dict):
        raise DomainError("请求格式不正确。", code="bad_request", status=400)
    cat, version = store.current()
    policy = cat.get(code)
    if policy is None:
        raise NotFound("没有这项政策。")
    employer = acting_party(actor, policy)
    on = local_today()
    subject = subject_of(actor, policy, employer, data.get("subject_id"), on)
    period = _period(policy, data.get("period"), on)
    private = policy.for_ == rules.EMPLOYER
    known = {**subject["facts"], **_declared(policy, subject["facts"], data.get("facts"))}
    outcomes, amount = _evaluate(policy, known, private)
    _require_eligible(policy, known, outcomes, amount)
    taken = db.session.scalar(
        select(SubsidyApplication.id).filter_by(
            policy_code=policy.code,
            period_key=period,
            subject_kind=subject["kind"],
            subject_id=subject["id"],
            claim_open=True,
        )
    )
    if taken is not None:
        raise Conflict(ALREADY_CLAIMED, code="already_claimed")
    note = _note(data.get("note"))
    application = SubsidyApplication(
        policy_code=policy.code,
        policy_name=policy.name,
        catalogue_id=version.id if version else None,
        period_key=period,
        applicant_id=actor.id,
        applicant_role=actor.role,
        employer_id=employer.id if employer else None,
        subject_kind=subject["kind"],
        subject_id=subject["id"],
        person_id=subject["person_id"],
        subject_label=subject["label"][:100],
        district=subject["district"] or "",
        facts_json=dump_facts(known),
        conditions=[o.as_dict() for o in outcomes],
        amount_fen=amount.fen,
        amount_working=amount.working[:500],
        status=SubsidyStatus.SUBMITTED,
        claim_open=True,
        note=note,
        review_reason="",
    )
    with conflict_as(ALREADY_CLAIMED, code="already_claimed"):
        db.session.add(application)
        db.session.flush()
        _record(application, "submit", actor.id)
        db.session.commit()
    return application


def own_application(actor, application_id, lock: bool = False) -> SubsidyApplication:
    """An application the actor made (or, for organisers, any); others get 404."""
    ident = require_id(application_id, "没有这份申请。")
    application = db.session.get(SubsidyApplication, ident, with_for_update=lock or None)
    if application is None:
        raise NotFound("没有这份申请。")
    if actor.role == Role.ORGANISER:
        return application
    if application.applicant_role != actor.role:
        raise NotFound("没有这份申请。")
    if actor.role == Role.EMPLOYER:
        employer = owned_employer(actor)
        if employer is None or application.employer_id != employer.id:
            raise NotFound("没有这份申请。")
    elif application.applicant_id != actor.id:
        raise NotFound("没有这份申请。")
    return application


def policy_of(application: SubsidyApplication) -> Policy:
    """The policy as it stood in the catalogue version the application was made under."""
    from_version = None
    if application.catalogue_id is not None:
        row = store.get_version(application.catalogue_id)
        from_version = store.version_catalogue(row).get(application.policy_code)
    policy = from_version or store.policies().get(application.policy_code)
    if policy is None:
        raise DomainError("这项政策已不在政策清单中。", code="policy_gone")
    return policy


def resubmit(actor, application_id, data: dict) -> SubsidyApplication:
    """The applicant corrects a returned application and sends it again."""
    if not isinstance(data, dict):
        raise DomainError("请求格式不正确。", code="bad_request", status=400)
    application = own_application(actor, application_id, lock=True)
    if actor.role == Role.ORGANISER:
        raise Forbidden()
    if application.status != SubsidyStatus.RETURNED:
        raise Conflict("只有退回补正的申请可以重新提交。", code="not_returned")
    policy = policy_of(application)
    stored = load_facts(application.facts_json)
    platform = {k: f for k, f in stored.items() if not f.declared}
    known = {**platform, **_declared(policy, platform, data.get("facts"))}
    outcomes, amount = _evaluate(policy, known, policy.for_ == rules.EMPLOYER)
    _require_eligible(policy, known, outcomes, amount)
    note = _note(data.get("note"), application.note or "")
    application.facts_json = dump_facts(known)
    application.conditions = [o.as_dict() for o in outcomes]
    application.amount_fen = amount.fen
    application.amount_working = amount.working[:500]
    application.note = note
    application.status = SubsidyStatus.SUBMITTED
    _record(application, "resubmit", actor.id)
    db.session.commit()
    return application


def withdraw(actor, application_id) -> SubsidyApplication:
    application = own_application(actor, application_id, lock=True)
    if actor.role == Role.ORGANISER:
        raise Forbidden()
    if application.status not in (SubsidyStatus.SUBMITTED, SubsidyStatus.RETURNED):
        raise Conflict("已审核的申请不能撤回。", code="decided")
    application.status = SubsidyStatus.WITHDRAWN
    application.claim_open = None
    _record(application, "withdraw", actor.id)
    db.session.commit()
    return application


def mine(actor) -> list[SubsidyApplication]:
    stmt = select(SubsidyApplication).order_by(SubsidyApplication.id.desc())
    if actor.role == Role.EMPLOYER:
        employer = owned_employer(actor)
        if employer is None:
            return []
        stmt = stmt.filter_by(employer_id=employer.id, applicant_role=Role.EMPLOYER)
    elif actor.role == Role.SEEKER:
        stmt = stmt.filter_by(applicant_id=actor.id, applicant_role=Role.SEEKER)
    else:
        raise Forbidden()
    return list(db.session.scalars(stmt))


def form_context(actor, code: str, subject_id=None) -> dict:
    """What the application form shows: the policy, the subjects, the facts the platform
    has, the ones to state, the periods, and the amount as far as it can be worked out."""
    policy = store.policy(code)
    employer = acting_party(actor, policy)
    on = local_today()
    choices = []
    if policy.claim_by == "hire":
        choices = [(h.id, eligibility.hire_label(h)) for h in facts_mod.employer_hires(employer.id)]
        if subject_id is None and choices:
            subject_id = choices[0][0]
    subject = None
    if policy.claim_by != "hire" or subject_id is not None:
        subject = subject_of(actor, policy, employer, subject_id, on)
    known = subject["facts"] if subject else {}
    outcomes, amount = _evaluate(policy, known, policy.for_ == rules.EMPLOYER)
    return {
        "policy": policy,
        "subject": subject,
        "subject_id": parse_id(subject_id) if subject_id is not None else None,
        "choices": choices,
        "outcomes": outcomes,
        "amount": amount,
        "ask": [(k, rules.FACTS[k]) for k in askable_missing(policy, known)] if subject else [],
        "periods": periods(policy, on),
        "eligible": rules.eligibility(outcomes),
    }


def person_name(user_id: int | None) -> str:
    if user_id is None:
        return ""
    user = db.session.get(User, user_id)
    return user.name if user else ""


CLAIMING_STATUSES = CLAIMING
