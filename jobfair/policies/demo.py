"""Demo policies and subsidies: the demo city's policy file (seed/policies/<city code>.json)
stored as the first catalogue version, then the subsidy applications of seed/subsidies.json
in every state (待审核, 退回补正, 审核通过, 不予通过, 已拨付, 已撤回), loaded by `flask seed`.

An application is keyed by policy, period and subject (natural keys: the seeker's login; the
employer's login and the login of the person it hired). Facts come from the platform's
records as for a real application, plus the facts the file states; the amount comes from the
policy's rule. An approved or paid one whose conditions the records no longer meet is skipped
with a warning, never written half-true.
"""

from datetime import datetime, timedelta

from sqlalchemy import select

from jobfair.extensions import db
from jobfair.models.employer import Employer
from jobfair.models.outcome import EmploymentRegistration
from jobfair.models.policy import (
    SubjectKind,
    SubsidyApplication,
    SubsidyEvent,
    SubsidyPayment,
    SubsidyStatus,
)
from jobfair.models.user import User
from jobfair.policies import eligibility, rules, store, subsidies
from jobfair.policies import facts as facts_mod
from jobfair.policies.rules import Fact
from jobfair.seeding import Tally, local_day, read_seed, write_transaction

# The history each final state went through (after the first submission).
PATHS = {
    SubsidyStatus.SUBMITTED: [],
    SubsidyStatus.RETURNED: ["return"],
    SubsidyStatus.APPROVED: ["approve"],
    SubsidyStatus.REJECTED: ["reject"],
    SubsidyStatus.PAID: ["approve", "pay"],
    SubsidyStatus.WITHDRAWN: ["withdraw"],
}
TO_STATUS = {
    "submit": SubsidyStatus.SUBMITTED,
    "return": SubsidyStatus.RETURNED,
    "resubmit": SubsidyStatus.SUBMITTED,
    "approve": SubsidyStatus.APPROVED,
    "reject": SubsidyStatus.REJECTED,
    "withdraw": SubsidyStatus.WITHDRAWN,
}


def _user(login: str) -> User | None:
    return db.session.scalar(select(User).filter_by(phone=login))


def _subject(item: dict, policy, on) -> dict | None:
    if policy.for_ == rules.SEEKER:
        user = _user(item["login"])
        if user is None:
            return None
        profile = facts_mod.profile_of(user.id)
        return {
            "kind": SubjectKind.PERSON,
            "id": user.id,
            "person_id": user.id,
            "applicant": user,
            "employer": None,
            "label": (profile.name if profile and profile.name else user.name),
            "district": profile.home_district if profile else "",
            "facts": facts_mod.seeker_facts(user.id, on),
        }
    owner = _user(item["employer"])
    employer = owner and db.session.scalar(select(Employer).filter_by(user_id=owner.id))
    if employer is None:
        return None
    base = facts_mod.employer_facts(employer, on)
    if policy.claim_by == "employer":
        return {
            "kind": SubjectKind.EMPLOYER,
            "id": employer.id,
            "person_id": None,
            "applicant": owner,
            "employer": employer,
            "label": employer.name,
            "district": employer.district,
            "facts": base,
        }
    person = _user(item["person"])
    reg = person and db.session.scalar(
        select(EmploymentRegistration)
        .filter_by(seeker_id=person.id, employer_id=employer.id)
        .order_by(EmploymentRegistration.started_on.desc())
    )
    if reg is None:
        return None
    return {
        "kind": SubjectKind.PERSON,
        "id": person.id,
        "person_id": person.id,
        "applicant": owner,
        "employer": employer,
        "label": eligibility.hire_label(reg),
        "district": employer.district,
        "facts": {**base, **facts_mod.hire_facts(reg, on)},
    }


def _application(item: dict, policy, version, subject, now: datetime, organiser) -> tuple:
    on = local_day(now)
    status = SubsidyStatus(item["status"])
    stated = {k: Fact(v, "申请人填报", declared=True) for k, v in item.get("facts", {}).items()}
    known = {**subject["facts"], **stated}
    private = policy.for_ == rules.EMPLOYER
    outcomes = [rules.judge(c, known, private) for c in policy.conditions]
    amount = rules.compute_amount(policy.amount, known)
    decided = status in (SubsidyStatus.APPROVED, SubsidyStatus.PAID)
    if decided:
        known = {k: Fact(f.value, "工作人员核定") if f.declared else f for k, f in known.items()}
        outcomes = [rules.judge(c, known, private) for c in policy.conditions]
    # Only what the service itself would accept (a rejected one may fail its conditions).
    if status != SubsidyStatus.REJECTED and (
        rules.eligibility(outcomes) is not True or not amount.value
    ):
        return None, "按平台记录不符合条件"
    if amount.value is None:
        return None, "缺少计算金额所需的情况"
    submitted = now - timedelta(days=item["days_ago"])
    period = item.get("period") or rules.period_key(policy.period_kind, on)
    application = SubsidyApplication(
        policy_code=policy.code,
        policy_name=policy.name,
        catalogue_id=version.id if version else None,
        period_key=period,
        applicant_id=subject["applicant"].id,
        applicant_role=policy.for_,
        employer_id=subject["employer"].id if subject["employer"] else None,
        subject_kind=subject["kind"],
        subject_id=subject["id"],
        person_id=subject["person_id"],
        subject_label=subject["label"][:100],
        district=subject["district"] or "",
        facts_json=subsidies.dump_facts(known),
        conditions=[o.as_dict() for o in outcomes],
        amount_fen=amount.fen,
        amount_working=amount.working[:500],
        approved_fen=amount.fen if decided else None,
        paid_fen=0,
        status=status,
        claim_open=None if status in (SubsidyStatus.REJECTED, SubsidyStatus.WITHDRAWN) else True,
        note=item.get("note", ""),
        review_reason=item.get("reason", ""),
        submitted_at=submitted,
        created_at=submitted,
    )
    steps = ["submit", *PATHS[status]]
    if status == SubsidyStatus.APPROVED and item.get("payments"):
        steps.append("pay")  # a first instalment of a monthly benefit
    decided_at = now - timedelta(days=item.get("decided_days_ago", max(item["days_ago"] - 5, 0)))
    for i, action in enumerate(steps):
        at = submitted if i == 0 else decided_at
        if action == "pay":
            for pay in item.get("payments", []):
                fen = int(round(float(pay["amount"]) * 100))
                paid_on = local_day(now - timedelta(days=pay["days_ago"]))
                application.payments.append(
                    SubsidyPayment(
                        amount_fen=fen,
                        paid_on=paid_on,
                        reference=pay["reference"],
                        recorded_by=organiser.id if organiser else None,
                        created_at=now - timedelta(days=pay["days_ago"]),
                    )
                )
                application.paid_fen += fen
                application.events.append(
                    SubsidyEvent(
                        action="pay",
                        to_status=SubsidyStatus.PAID
                        if application.paid_fen >= (application.approved_fen or 0)
                        else SubsidyStatus.APPROVED,
                        reason=f"{rules.yuan(fen / 100)}，凭证号 {pay['reference']}",
                        actor_id=organiser.id if organiser else None,
                        created_at=now - timedelta(days=pay["days_ago"]),
                    )
                )
            continue
        by_organiser = action in ("approve", "return", "reject")
        application.events.append(
            SubsidyEvent(
                action=action,
                to_status=TO_STATUS[action],
                reason=item.get("reason", "") if by_organiser else "",
                actor_id=(organiser.id if organiser else None)
                if by_organiser
                else subject["applicant"].id,
                created_at=at,
            )
        )
    if status in (
        SubsidyStatus.APPROVED,
        SubsidyStatus.PAID,
        SubsidyStatus.RETURNED,
        SubsidyStatus.REJECTED,
    ):
        application.decided_at = decided_at
        application.decided_by = organiser.id if organiser else None
    return application, ""


def seed_demo(now: datetime) -> Tally:
    tally = Tally()
    with write_transaction():
        if store.store_seed() is not None:
            tally.add("政策文件")
        else:
            tally.keep("政策文件")
        db.session.flush()
        cat, version = store.current()
        organiser = _user(read_seed("accounts")["organisers"][0]["login"])
        on = local_day(now)
        for item in read_seed("subsidies")["applications"]:
            policy = cat.get(item["policy"])
            if policy is None:
                tally.warnings.append(f"补贴申请：政策清单中没有 {item['policy']}")
                continue
            subject = _subject(item, policy, on)
            who = item.get("person") or item.get("login") or item.get("employer")
            if subject is None:
                tally.warnings.append(f"补贴申请：找不到 {policy.name} 的申请对象 {who}")
                continue
            period = item.get("period") or rules.period_key(policy.period_kind, on)
            exists = db.session.scalar(
                select(SubsidyApplication.id).filter_by(
                    policy_code=policy.code,
                    period_key=period,
                    subject_kind=subject["kind"],
                    subject_id=subject["id"],
                )
            )
            if exists is not None:
                tally.keep("补贴申请")
                continue
            application, why = _application(item, policy, version, subject, now, organiser)
            if application is None:
                tally.warnings.append(f"补贴申请：{policy.name}（{who}）{why}，未导入")
                continue
            db.session.add(application)
            db.session.flush()
            tally.add("补贴申请")
    return tally
