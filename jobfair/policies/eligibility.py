"""The eligibility check: each policy's conditions judged from what the platform knows, met /
not met / unknown with the reason, and what a hire or a course would change.

Rules worth knowing:
- Only recorded facts count. What an applicant states on an application is not used here;
  a check never says "eligible" unless every condition is met by a record.
- An employer sees whether a person it hired meets a status condition, never which status
  the person holds (``private``); before a hire it learns nothing about the person's status.
- A case worker may check a seeker who lives in their districts; each such check is logged.
"""

from datetime import date

from sqlalchemy import select

from jobfair import audit
from jobfair.casework.registrations import seeker_for_worker
from jobfair.employers.acting import employer_of
from jobfair.errors import DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.formatting import local_today
from jobfair.ids import parse_id
from jobfair.masking import mask_name
from jobfair.models.outcome import EmploymentRegistration
from jobfair.models.user import Role, User
from jobfair.policies import facts as facts_mod
from jobfair.policies import rules, store
from jobfair.policies.catalogue import Policy
from jobfair.policies.rules import Fact

audit.ACTION_LABELS.setdefault("policy.check_for_seeker", "为求职者查询政策资格")

NO_HIRE = "平台上还没有通过本平台入职的人员。招用符合条件的人员入职后再查看"


def evaluate(policy: Policy, known: dict[str, Fact], private: bool = False) -> dict:
    outcomes = [rules.judge(c, known, private) for c in policy.conditions]
    amount = rules.compute_amount(policy.amount, known)
    return {
        "code": policy.code,
        "name": policy.name,
        "for": policy.for_,
        "claim_by": policy.claim_by,
        "eligible": rules.eligibility(outcomes),
        "conditions": [o.as_dict() for o in outcomes],
        "amount": {
            "value": None if amount.value is None else f"{amount.value:.2f}",
            "text": amount.working,
            "rule": policy.amount["text"],
        },
    }


def rank(result: dict) -> int:
    return {True: 0, None: 1, False: 2}[result["eligible"]]


def _chosen(policies: list[Policy], codes) -> list[Policy]:
    if not codes:
        return policies
    wanted = set(codes)
    return [p for p in policies if p.code in wanted]


def check_seeker(user_id: int, on: date | None = None, codes=None) -> list[dict]:
    on = on or local_today()
    known = facts_mod.seeker_facts(user_id, on)
    return [evaluate(p, known) for p in _chosen(store.policies().for_role(rules.SEEKER), codes)]


def hire_label(reg: EmploymentRegistration) -> str:
    profile = facts_mod.profile_of(reg.seeker_id)
    name = profile.name if profile and profile.name else reg.seeker.name
    return f"{mask_name(name)}（{reg.started_on.isoformat()}入职 {reg.job_title}）"


def check_employer(employer, on: date | None = None, codes=None, hire_id=None) -> list[dict]:
    """Employer policies; a per-hire policy is judged for each person hired (best first)."""
    on = on or local_today()
    base = facts_mod.employer_facts(employer, on)
    hires = facts_mod.employer_hires(employer.id)
    if hire_id is not None:
        hires = [h for h in hires if h.id == hire_id]
        if not hires:
            raise NotFound("没有这条入职记录。")
    hire_facts = {h.id: facts_mod.hire_facts(h, on) for h in hires}
    out = []
    for policy in _chosen(store.policies().for_role(rules.EMPLOYER), codes):
        if policy.claim_by != "hire":
            out.append(evaluate(policy, base))
            continue
        subjects = []
        for h in hires:
            result = evaluate(policy, {**base, **hire_facts[h.id]}, private=True)
            result.update(hire_id=h.id, subject=hire_label(h))
            subjects.append(result)
        subjects.sort(key=rank)
        if subjects:
            best = dict(subjects[0])
        else:
            best = evaluate(policy, base, private=True)
            for cond in best["conditions"]:
                if cond["state"] == rules.UNKNOWN and "所招用" in cond["why"] + cond["text"]:
                    cond["why"] = NO_HIRE + "。"
            best["subject"] = None
        best["subjects"] = [
            {k: s[k] for k in ("hire_id", "subject", "eligible", "conditions", "amount")}
            for s in subjects
        ]
        out.append(best)
    return out


def check_for(actor, data: dict) -> dict:
    """POST /policies/check: a seeker or employer for themselves, a case worker for a seeker."""
    codes = data.get("codes")
    if codes is not None and (
        not isinstance(codes, list) or not all(isinstance(c, str) for c in codes)
    ):
        raise DomainError("codes 应为政策代码的列表。", fields={"codes": "应为文字列表。"})
    if actor.role == Role.SEEKER:
        return {"subject": "本人", "policies": check_seeker(actor.id, codes=codes)}
    if actor.role == Role.EMPLOYER:
        employer = employer_of(actor)
        if employer is None:
            raise DomainError("请先完善单位信息。", code="no_employer")
        hire_id = None
        if data.get("hire_id") is not None:
            hire_id = parse_id(data.get("hire_id"))
            if hire_id is None:
                raise NotFound("没有这条入职记录。")
        return {
            "subject": employer.name,
            "policies": check_employer(employer, codes=codes, hire_id=hire_id),
        }
    if actor.role == Role.ORGANISER:
        if data.get("seeker_id") is None:
            raise DomainError(
                "请指明要查询的求职者（seeker_id）。", fields={"seeker_id": "此项必填。"}
            )
        seeker, profile = seeker_for_worker(actor, data.get("seeker_id"))
        audit.record(actor.id, "policy.check_for_seeker", "seeker", seeker.id)
        db.session.commit()
        return {
            "subject": mask_name(profile.name or seeker.name),
            "policies": check_seeker(seeker.id, codes=codes),
        }
    raise Forbidden()


# --- what a hire or a course would change --------------------------------------------------


def _not_false(result: dict) -> bool:
    return result["eligible"] is not False


def seeker_prospects(user_id: int, on: date | None = None) -> dict:
    """For a seeker's home: what finishing a course would let them claim, and what an
    employer could claim for hiring them (their own status, shown only to them)."""
    on = on or local_today()
    known = facts_mod.seeker_facts(user_id, on)
    cat = store.policies()
    course = []
    for p in cat.for_role(rules.SEEKER):
        if "training_certificate" not in p.facts():
            continue
        now = evaluate(p, known)
        if now["eligible"] is True:
            continue
        after = evaluate(p, {**known, "training_certificate": Fact(True, "假设培训结业并取得证书")})
        if _not_false(after):
            course.append(after)
    profile = facts_mod.profile_of(user_id)
    hypothetical = {
        "employer_verified": Fact(True, "假设单位已认证"),
        "hire_insured": Fact(True, "假设单位为你缴纳社保"),
        "hire_contract_ok": Fact(True, "假设签订1年以上劳动合同"),
    }
    groups = facts_mod._groups(profile, on, "本人")
    if groups is not None:
        hypothetical["hire_groups"] = groups
    if profile is not None and profile.birth_year:
        hypothetical["hire_age"] = Fact(on.year - profile.birth_year)
    if "unemployment_registered" in known:
        hypothetical["hire_registered_unemployed"] = known["unemployment_registered"]
    hire = []
    for p in cat.for_role(rules.EMPLOYER):
        if p.claim_by != "hire" or "hire_groups" not in p.facts() | {"hire_age"}:
            continue
        result = evaluate(p, hypothetical)
        group_ok = all(
            o["state"] == rules.MET
            for c, o in zip(p.conditions, result["conditions"], strict=True)
            if c.facts() & {"hire_groups", "hire_age"}
        )
        if group_ok and _not_false(result):
            hire.append(result)
    return {"course": course, "hire": hire}


def hire_prospects(employer, channel: str, on: date | None = None) -> list[dict]:
    """For an employer about to hire: the per-hire policies the hire could bring, judged on
    the employer's record and the position; the person's own status is never looked at."""
    on = on or local_today()
    base = facts_mod.employer_facts(employer, on)
    known = {
        **base,
        "hire_channel": Fact(channel, "岗位渠道"),
        "hire_insured": Fact(True, "入职后为其缴纳社会保险"),
        "hire_contract_ok": Fact(True, "签订1年以上劳动合同"),
    }
    out = []
    for p in store.policies().for_role(rules.EMPLOYER):
        if p.claim_by != "hire":
            continue
        result = evaluate(p, known, private=True)
        for c, o in zip(p.conditions, result["conditions"], strict=True):
            if c.facts() & {"hire_groups", "hire_age", "hire_registered_unemployed"}:
                o["why"] = "以其身份认定为准：入职后申请时由平台核对（平台不向单位显示个人身份）"
        if _not_false(result):
            out.append(result)
    return out


def hires_of(employer) -> list[EmploymentRegistration]:
    return facts_mod.employer_hires(employer.id)


def seeker_user(user_id: int) -> User | None:
    return db.session.scalar(select(User).filter_by(id=user_id, role=Role.SEEKER))
