"""What the platform knows, as policy facts: a seeker's verified status and registrations, an
employer's record, one person an employer hired. Other features add what they record
(training completed, a business registered, a loan) by answering ``events.policy_facts_wanted``.

A fact the platform has no record of is left out, so the condition on it stays unknown; a
fact known to be absent (a 失业登记 that ended) is recorded as such, with where it comes from.
"""

import re
from datetime import date

from sqlalchemy import select

from jobfair import events
from jobfair.extensions import db
from jobfair.models.application import Application
from jobfair.models.employer import Employer, EmployerStatus
from jobfair.models.outcome import ContractType, EmploymentRegistration, UnemploymentRegistration
from jobfair.models.position import Position
from jobfair.models.seeker import SeekerProfile
from jobfair.policies import rules
from jobfair.policies.rules import Fact

FLEXIBLE_CONTRACTS = {ContractType.FLEXIBLE, ContractType.PART_TIME, ContractType.SELF_EMPLOYED}
FLEXIBLE_FORMS = {"part_time", "temporary", "seasonal", "flexible"}
SMALL_FIRM_MAX = 299  # 中小微企业: under 300 people (the demo file's wording)


def months_between(start: date, end: date) -> int:
    """Whole months from start to end (a month counts once its day-of-month is reached)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(0, months)


def profile_of(user_id: int) -> SeekerProfile | None:
    return db.session.scalar(select(SeekerProfile).filter_by(user_id=user_id))


def _groups(profile: SeekerProfile | None, on: date, whose: str) -> Fact | None:
    """Verified groups; declared but unverified ones ride along as ``pending``."""
    if profile is None:
        return None
    if not profile.group_consent:
        return Fact(None, f"{whose}未同意平台使用重点群体身份信息，平台无法核对")
    verified = sorted(g.group for g in profile.groups if g.is_verified(on))
    pending = tuple(sorted(g.group for g in profile.groups if not g.is_verified(on)))
    days = [g.verified_on for g in profile.groups if g.is_verified(on) and g.verified_on]
    note = f"认定于{min(days).isoformat()}" if days else "平台上没有身份认定记录"
    return Fact(tuple(verified), note, pending=pending)


def _unemployment(user_id: int, on: date) -> dict[str, Fact]:
    regs = list(
        db.session.scalars(
            select(UnemploymentRegistration)
            .filter_by(seeker_id=user_id)
            .order_by(UnemploymentRegistration.registered_on.desc())
        )
    )
    if not regs:
        return {}
    open_ = [r for r in regs if r.registered_on <= on and (r.ended_on is None or r.ended_on > on)]
    if open_:
        reg = open_[0]
        return {
            "unemployment_registered": Fact(
                True, f"{reg.registered_on.isoformat()}在{reg.place}登记"
            ),
            "unemployed_months": Fact(months_between(reg.registered_on, on), "按失业登记日期计算"),
        }
    last = regs[0]
    ended = last.ended_on.isoformat() if last.ended_on else ""
    return {
        "unemployment_registered": Fact(
            False, f"最近一次失业登记已于{ended}结束（{last.end_reason or '已结束'}）"
        )
    }


def seeker_facts(user_id: int, on: date) -> dict[str, Fact]:
    """Facts about a seeker as the platform records them on day ``on``."""
    profile = profile_of(user_id)
    out: dict[str, Fact] = {}
    groups = _groups(profile, on, "本人")
    if groups is not None:
        out["groups"] = groups
    out.update(_unemployment(user_id, on))
    if profile is not None and profile.birth_year:
        out["age"] = Fact(on.year - profile.birth_year, "按资料中的出生年份计算")
    current = db.session.scalars(
        select(EmploymentRegistration)
        .filter_by(seeker_id=user_id)
        .where(EmploymentRegistration.started_on <= on)
        .where((EmploymentRegistration.ended_on.is_(None)) | (EmploymentRegistration.ended_on > on))
        .order_by(EmploymentRegistration.started_on.desc())
    ).first()
    if current is not None:
        flexible = (
            current.contract_type in FLEXIBLE_CONTRACTS or current.work_form in FLEXIBLE_FORMS
        )
        out["flexible_employed"] = Fact(
            flexible,
            f"{current.started_on.isoformat()}起在{current.employer_name}就业"
            + ("（灵活就业）" if flexible else "（全日制）"),
        )
    out.update(_from_features(rules.SEEKER, on, user_id=user_id))
    return out


def _size_bounds(size: str) -> tuple[int | None, int | None]:
    numbers = [int(n) for n in re.findall(r"\d+", size or "")]
    if not numbers:
        return None, None
    if "以上" in size or len(numbers) == 1:
        return numbers[0], None if "以上" in size else numbers[0]
    return numbers[0], numbers[-1]


def employer_facts(employer: Employer, on: date) -> dict[str, Fact]:
    out = {
        "employer_verified": Fact(
            employer.status == EmployerStatus.VERIFIED,
            "组织方已审核" if employer.status == EmployerStatus.VERIFIED else "单位尚未通过审核",
        ),
        "public_welfare_designated": Fact(
            bool(employer.public_welfare_designated),
            "组织方已指定" if employer.public_welfare_designated else "未经组织方指定",
        ),
    }
    low, high = _size_bounds(employer.size)
    if high is not None and high <= SMALL_FIRM_MAX:
        out["small_firm"] = Fact(True, f"单位资料：人员规模{employer.size}")
    elif low is not None and low > SMALL_FIRM_MAX:
        out["small_firm"] = Fact(False, f"单位资料：人员规模{employer.size}")
    elif employer.size:
        out["small_firm"] = Fact(
            None, f"单位资料中的人员规模为{employer.size}，无法判断是否不足300人"
        )
    out.update(_from_features(rules.EMPLOYER, on, employer_id=employer.id))
    return out


def hire_facts(reg: EmploymentRegistration, on: date) -> dict[str, Fact]:
    """Facts about one person an employer hired (a 就业登记 at that employer)."""
    out: dict[str, Fact] = {}
    profile = profile_of(reg.seeker_id)
    groups = _groups(profile, on, "该人员")
    if groups is not None:
        out["hire_groups"] = groups
    if profile is not None and profile.birth_year:
        out["hire_age"] = Fact(reg.started_on.year - profile.birth_year, "入职当年的年龄")
    regs = list(
        db.session.scalars(select(UnemploymentRegistration).filter_by(seeker_id=reg.seeker_id))
    )
    if regs:
        before = any(
            r.registered_on < reg.started_on
            and (r.ended_on is None or r.ended_on >= reg.started_on)
            for r in regs
        )
        out["hire_registered_unemployed"] = Fact(
            before, "入职时处于失业登记状态" if before else "入职时不在失业登记状态"
        )
    if reg.social_insurance:
        out["hire_insured"] = Fact(True, "就业登记记载已参加社会保险")
    contract = reg.contract_type
    if contract == ContractType.OPEN_ENDED:
        out["hire_contract_ok"] = Fact(True, "就业登记：无固定期限劳动合同")
    elif contract in (ContractType.PART_TIME, ContractType.FLEXIBLE, ContractType.NONE):
        out["hire_contract_ok"] = Fact(False, "就业登记：未签订1年以上劳动合同")
    position = None
    if reg.application_id is not None:
        position = db.session.scalar(
            select(Position)
            .join(Application, Application.position_id == Position.id)
            .where(Application.id == reg.application_id)
        )
    if position is not None:
        out["hire_channel"] = Fact(position.channel, f"通过平台岗位“{position.title}”入职")
    end = min(on, reg.ended_on) if reg.ended_on else on
    out["hire_months"] = Fact(
        months_between(reg.started_on, end),
        f"{reg.started_on.isoformat()}入职"
        + (f"，{reg.ended_on.isoformat()}离职" if reg.ended_on else "，仍在岗"),
    )
    return out


def _from_features(subject: str, on: date, **ids) -> dict[str, Fact]:
    """Facts other features record (training, start-ups), asked for through the event bus."""
    out: dict[str, Fact] = {}
    for _receiver, answer in events.policy_facts_wanted.send(subject, on=on, **ids):
        for key, raw in (answer or {}).items():
            if key not in rules.FACTS or rules.FACTS[key].subject != subject:
                continue
            if isinstance(raw, dict):
                out[key] = Fact(raw.get("value"), str(raw.get("note", "")))
            else:
                out[key] = Fact(raw)
    return out


def employer_hires(employer_id: int, since: date | None = None) -> list[EmploymentRegistration]:
    """The people who started work at this employer (newest first)."""
    stmt = (
        select(EmploymentRegistration)
        .filter_by(employer_id=employer_id)
        .order_by(EmploymentRegistration.started_on.desc(), EmploymentRegistration.id.desc())
    )
    if since is not None:
        stmt = stmt.where(
            (EmploymentRegistration.ended_on.is_(None)) | (EmploymentRegistration.ended_on >= since)
        )
    return list(db.session.scalars(stmt))
