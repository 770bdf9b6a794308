"""Policy rules as pure functions: the facts a condition may test, how a condition is judged
from facts, how an amount is computed from a policy's rule, and which period a claim is for.

No Flask, no database: callers gather facts (``jobfair.policies.facts``) and pass plain
values. A fact that is absent is *unknown*, never false: a condition on it is ``unknown`` and
says what would settle it, so a check never claims more than the facts show.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from jobfair.matching.docs import GROUP_LABELS

SEEKER, EMPLOYER = "seeker", "employer"
FOR_LABELS = {SEEKER: "求职者（个人）", EMPLOYER: "用人单位"}

HARDSHIP = ("urban_hardship", "zero_employment_household", "registered_poor")


@dataclass(frozen=True)
class FactSpec:
    """A fact a policy condition may test: its words, type, whose fact it is, and how an
    unknown value gets settled. ``askable``: the applicant may state it on an application
    (then an organiser checks it); a priority-group status never is: it must be 认定."""

    label: str
    kind: str  # bool | number | groups | text
    subject: str  # seeker | employer (facts about a hire are the employer's)
    settle: str
    unit: str = ""
    askable: bool = True


FACTS: dict[str, FactSpec] = {
    # --- about a person (the seeker themselves) ----------------------------------------
    "groups": FactSpec(
        "经认定的重点群体身份",
        "groups",
        SEEKER,
        "到社区（街道）或公共就业服务机构，带上证明材料（毕业证书、退役证、困难认定等）办理身份认定",
        askable=False,
    ),
    "unemployment_registered": FactSpec(
        "失业登记",
        "bool",
        SEEKER,
        "到常住地或户籍地的公共就业服务机构办理失业登记",
        askable=False,
    ),
    "unemployed_months": FactSpec(
        "失业登记时长", "number", SEEKER, "办理失业登记后由平台自动计算", "个月", askable=False
    ),
    "age": FactSpec("年龄", "number", SEEKER, "在个人资料中填写出生年份", "岁", askable=False),
    "flexible_employed": FactSpec(
        "灵活就业登记",
        "bool",
        SEEKER,
        "到社区（街道）办理灵活就业登记（就业登记中注明灵活就业）",
        askable=False,
    ),
    "flexible_insurance_months": FactSpec(
        "以个人身份缴纳社会保险的月数",
        "number",
        SEEKER,
        "提供社保缴费记录（可在人社APP或社保经办机构打印）",
        "个月",
    ),
    "training_certificate": FactSpec(
        "培训结业并取得证书",
        "bool",
        SEEKER,
        "完成培训后由培训机构录入结业情况，或提供职业资格证书、职业技能等级证书",
    ),
    "training_cost": FactSpec("培训费用", "number", SEEKER, "提供培训机构开具的培训费发票", "元"),
    "business_registered": FactSpec("已办理营业执照（首次创业）", "bool", SEEKER, "提供营业执照"),
    "business_months": FactSpec(
        "正常经营时长", "number", SEEKER, "提供营业执照和经营场所证明、纳税或缴费记录", "个月"
    ),
    "loan_granted": FactSpec("已获得创业担保贷款", "bool", SEEKER, "提供借款合同"),
    "loan_repaid_on_time": FactSpec("按期还本付息", "bool", SEEKER, "提供经办银行出具的还款记录"),
    "loan_amount": FactSpec("贷款金额", "number", SEEKER, "提供借款合同", "元"),
    "loan_rate": FactSpec("贷款年利率", "number", SEEKER, "提供借款合同", "%"),
    "loan_term_months": FactSpec("贷款期限", "number", SEEKER, "提供借款合同", "个月"),
    "insured_years": FactSpec("失业保险累计缴费年限", "number", SEEKER, "提供社保缴费记录", "年"),
    "involuntary_unemployment": FactSpec(
        "非因本人意愿中断就业",
        "bool",
        SEEKER,
        "提供原单位出具的解除或终止劳动合同证明",
    ),
    "benefit_expired_or_short": FactSpec(
        "失业保险金领取期满仍未就业，或参保缴费不满1年",
        "bool",
        SEEKER,
        "由社保经办机构核对失业保险待遇领取记录",
    ),
    # --- about an employer ---------------------------------------------------------------
    "employer_verified": FactSpec(
        "单位已通过平台认证", "bool", EMPLOYER, "在平台完善单位信息并等待组织方审核", askable=False
    ),
    "small_firm": FactSpec(
        "中小微企业（300人以下）",
        "bool",
        EMPLOYER,
        "在单位资料中填写人员规模",
        askable=False,
    ),
    "public_welfare_designated": FactSpec(
        "经组织方指定开发公益性岗位",
        "bool",
        EMPLOYER,
        "向人社部门申请开发公益性岗位，经组织方在平台上指定",
        askable=False,
    ),
    "layoff_rate": FactSpec(
        "上年度裁员率", "number", EMPLOYER, "提供上年度参保职工人数和减员情况", "%"
    ),
    "ui_paid_12_months": FactSpec(
        "足额缴纳失业保险满12个月", "bool", EMPLOYER, "提供单位失业保险缴费记录"
    ),
    "ui_paid_last_year": FactSpec(
        "上年度实际缴纳失业保险费", "number", EMPLOYER, "提供单位上年度失业保险缴费记录", "元"
    ),
    "on_job_training": FactSpec(
        "组织新招用人员以工代训（签订培训协议）",
        "bool",
        EMPLOYER,
        "提供以工代训计划和培训协议",
    ),
    # --- about one person the employer hired ---------------------------------------------
    "hire_groups": FactSpec(
        "所招用人员经认定的重点群体身份",
        "groups",
        EMPLOYER,
        "所招用人员到社区（街道）或公共就业服务机构办理身份认定",
        askable=False,
    ),
    "hire_age": FactSpec(
        "所招用人员年龄",
        "number",
        EMPLOYER,
        "所招用人员在个人资料中填写出生年份",
        "岁",
        askable=False,
    ),
    "hire_registered_unemployed": FactSpec(
        "所招用人员入职前已办理失业登记",
        "bool",
        EMPLOYER,
        "所招用人员入职前到公共就业服务机构办理失业登记",
        askable=False,
    ),
    "hire_insured": FactSpec(
        "为所招用人员缴纳社会保险",
        "bool",
        EMPLOYER,
        "提供所招用人员的社保参保缴费记录",
    ),
    "hire_contract_ok": FactSpec(
        "与所招用人员签订1年以上劳动合同",
        "bool",
        EMPLOYER,
        "上传劳动合同（合同期限1年以上）",
    ),
    "hire_channel": FactSpec(
        "岗位类别", "text", EMPLOYER, "岗位在平台发布时选择的渠道", askable=False
    ),
    "hire_months": FactSpec("所招用人员在岗月数", "number", EMPLOYER, "提供工资发放记录", "个月"),
}

CHANNEL_WORDS = {
    "public_sector": "机关事业单位录用",
    "trainee": "见习岗位",
    "enterprise": "企业招用",
    "grassroots": "政府购买岗位基层安排",
    "public_welfare": "公益性岗位",
}

OPS = {"is_true", "is_false", "any_of", "equals", "gte", "lte"}
MET, UNMET, UNKNOWN = "met", "unmet", "unknown"
STATE_LABELS = {MET: "符合", UNMET: "不符合", UNKNOWN: "待确认"}


@dataclass(frozen=True)
class Fact:
    """A known value and where it comes from (e.g. "2025-03-01 由工作人员认定")."""

    value: object
    note: str = ""
    declared: bool = False  # stated by the applicant, not yet checked by an organiser
    pending: tuple[str, ...] = ()  # groups declared by the person but not yet 认定


@dataclass(frozen=True)
class Condition:
    text: str
    fact: str = ""
    op: str = ""
    value: object = None
    settle: str = ""
    any: tuple["Condition", ...] = ()

    def facts(self) -> set[str]:
        if self.any:
            return set().union(*(c.facts() for c in self.any))
        return {self.fact}


@dataclass(frozen=True)
class Outcome:
    text: str
    state: str
    why: str
    missing: tuple[str, ...] = ()  # facts whose absence left it unknown

    def as_dict(self) -> dict:
        return {"text": self.text, "state": self.state, "why": self.why}


def show(key: str, value) -> str:
    """A fact's value in plain words."""
    spec = FACTS.get(key)
    if isinstance(value, bool):
        return "是" if value else "否"
    if spec is not None and spec.kind == "groups":
        names = [GROUP_LABELS.get(g, g) for g in sorted(value or ())]
        return "、".join(names) if names else "无"
    if key == "hire_channel":
        return CHANNEL_WORDS.get(value, str(value))
    if isinstance(value, int | float | Decimal):
        text = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")
        return text + (spec.unit if spec else "")
    return str(value)


def _test(cond: Condition, value) -> bool:
    op, want = cond.op, cond.value
    if op == "is_true":
        return value is True
    if op == "is_false":
        return value is False
    if op == "any_of":
        return bool(set(value or ()) & set(want or ()))
    if op == "equals":
        return value == want
    number = Decimal(str(value))
    if op == "gte":
        return number >= Decimal(str(want))
    if op == "lte":
        return number <= Decimal(str(want))
    raise ValueError(f"unknown op {op!r}")


def judge(cond: Condition, facts: dict[str, Fact], private: bool = False) -> Outcome:
    """One condition against the facts: met, unmet or unknown, with the reason in words.

    ``private``: the reader is not the person (an employer about its employee), so a
    priority-group status is confirmed or not but never named.
    """
    if cond.any:
        parts = [judge(c, facts, private) for c in cond.any]
        met = [p for p in parts if p.state == MET]
        if met:
            return Outcome(cond.text, MET, met[0].why)
        unknown = [p for p in parts if p.state == UNKNOWN]
        if unknown:
            missing = tuple(m for p in unknown for m in p.missing)
            return Outcome(cond.text, UNKNOWN, "；".join(p.why for p in unknown), missing)
        return Outcome(cond.text, UNMET, "；".join(p.why for p in parts))
    spec = FACTS[cond.fact]
    fact = facts.get(cond.fact)
    settle = cond.settle or spec.settle
    if fact is None or fact.value is None:
        known = (
            f"{fact.note}。"
            if fact is not None and fact.note
            else f"平台上没有“{spec.label}”的记录。"
        )
        return Outcome(cond.text, UNKNOWN, f"{known}可以这样确认：{settle}。", (cond.fact,))
    ok = _test(cond, fact.value)
    if not ok and cond.op == "any_of" and set(fact.pending) & set(cond.value or ()):
        whose = "该人员" if private else "你"
        shown = (
            "" if private else "（" + "、".join(GROUP_LABELS.get(g, g) for g in fact.pending) + "）"
        )
        return Outcome(
            cond.text,
            UNKNOWN,
            f"{whose}申报的身份{shown}尚未认定。可以这样确认：{settle}。",
            (cond.fact,),
        )
    source = f"（{fact.note}）" if fact.note else ""
    if fact.declared:
        source = "（申请人填报，待工作人员核实）"
    if private and spec.kind == "groups":
        why = (
            "平台已核对其身份认定：符合本项要求（具体身份不向单位显示）"
            if ok
            else "平台核对其身份认定：不符合本项要求（具体身份不向单位显示）"
        )
        return Outcome(cond.text, MET if ok else UNMET, why)
    why = f"{spec.label}：{show(cond.fact, fact.value)}{source}"
    if not ok and cond.op == "any_of" and spec.kind == "groups":
        wanted = "、".join(GROUP_LABELS.get(g, g) for g in cond.value)
        why += f"；本政策面向：{wanted}"
        if not fact.value:
            why += f"。如属于以上人员，可{settle}"
    return Outcome(cond.text, MET if ok else UNMET, why)


def eligibility(outcomes: list[Outcome]) -> bool | None:
    """True when every condition is met, False when one is not, None while any is unknown."""
    if any(o.state == UNMET for o in outcomes):
        return False
    if all(o.state == MET for o in outcomes):
        return True
    return None


# --- amounts ---------------------------------------------------------------------------------

AMOUNT_KINDS = {
    "fixed": ("amount",),
    "per_person": ("rate",),
    "per_month": ("rate",),
    "percent_of": ("percent", "base_fact"),
    "loan_interest": ("max_principal", "rate_cap", "share_percent"),
    "tiered_months": ("rate", "tiers_fact", "tiers"),
}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Amount:
    """What a rule gives for these facts: the sum (None while a fact is missing), how it was
    worked out in words, and the facts still missing."""

    value: Decimal | None
    working: str
    missing: tuple[str, ...] = field(default=())

    @property
    def fen(self) -> int | None:
        return None if self.value is None else int(self.value * 100)


def yuan(value) -> str:
    """1234.5 -> "1,234.50元"."""
    return f"{Decimal(value).quantize(CENT, ROUND_HALF_UP):,}元"


def _num(facts: dict[str, Fact], key: str):
    fact = facts.get(key)
    if fact is None or fact.value is None or isinstance(fact.value, bool):
        return None
    return Decimal(str(fact.value))


def _money(value: Decimal) -> Decimal:
    return max(Decimal(0), value).quantize(CENT, ROUND_HALF_UP)


def compute_amount(rule: dict, facts: dict[str, Fact]) -> Amount:
    """The sum a policy's amount rule gives for these facts (pure, exact to the fen).

    Kinds: fixed; per_person (rate × people, default one person); per_month (rate × months,
    months from ``months_fact`` or a fixed ``months``, capped by ``max_months``); percent_of
    (percent of ``base_fact``, the percent switching on ``percent_when``, capped by ``cap``);
    loan_interest (principal up to ``max_principal`` × rate up to ``rate_cap`` ×
    ``share_percent`` × months / 12, months capped by ``max_term_months``); tiered_months
    (rate × the months the first matching tier gives for ``tiers_fact``). Every kind honours
    ``cap``.
    """
    kind = rule["kind"]
    cap = Decimal(str(rule["cap"])) if rule.get("cap") is not None else None
    if kind == "fixed":
        value = Decimal(str(rule["amount"]))
        working = f"定额 {yuan(value)}"
    elif kind == "per_person":
        people = _num(facts, "people") or Decimal(1)
        rate = Decimal(str(rule["rate"]))
        value = rate * people
        working = f"每人 {yuan(rate)} × {people}人"
    elif kind == "per_month":
        rate = Decimal(str(rule["rate"]))
        if rule.get("months") is not None:
            months = Decimal(str(rule["months"]))
        else:
            months = _num(facts, rule["months_fact"])
            if months is None:
                return Amount(None, f"每月 {yuan(rate)} × 月数（待确认）", (rule["months_fact"],))
        months = months.to_integral_value(rounding="ROUND_FLOOR")
        if rule.get("max_months") is not None:
            months = min(months, Decimal(str(rule["max_months"])))
        value = rate * months
        working = f"每月 {yuan(rate)} × {months}个月"
    elif kind == "percent_of":
        base = _num(facts, rule["base_fact"])
        percent = Decimal(str(rule["percent"]))
        for when in rule.get("percent_when", ()):
            fact = facts.get(when["fact"])
            if fact is not None and fact.value == when["equals"]:
                percent = Decimal(str(when["percent"]))
                break
        label = FACTS[rule["base_fact"]].label
        if base is None:
            return Amount(None, f"{label}（待确认）× {percent}%", (rule["base_fact"],))
        value = base * percent / 100
        working = f"{label} {yuan(base)} × {percent}%"
    elif kind == "loan_interest":
        principal = _num(facts, rule.get("principal_fact", "loan_amount"))
        rate = _num(facts, rule.get("rate_fact", "loan_rate"))
        months = _num(facts, rule.get("term_fact", "loan_term_months"))
        missing = tuple(
            k
            for k, v in (
                (rule.get("principal_fact", "loan_amount"), principal),
                (rule.get("rate_fact", "loan_rate"), rate),
                (rule.get("term_fact", "loan_term_months"), months),
            )
            if v is None
        )
        if missing:
            return Amount(None, "贷款金额 × 贴息利率 × 期限（待确认）", missing)
        principal = min(principal, Decimal(str(rule["max_principal"])))
        rate = min(rate, Decimal(str(rule["rate_cap"])))
        if rule.get("max_term_months") is not None:
            months = min(months, Decimal(str(rule["max_term_months"])))
        share = Decimal(str(rule["share_percent"]))
        value = principal * rate / 100 * share / 100 * months / 12
        working = f"贷款 {yuan(principal)} × 年利率 {rate}% × 贴息 {share}% × {months}个月 ÷ 12"
    elif kind == "tiered_months":
        rate = Decimal(str(rule["rate"]))
        years = _num(facts, rule["tiers_fact"])
        if years is None:
            return Amount(None, f"每月 {yuan(rate)} × 领取月数（待确认）", (rule["tiers_fact"],))
        months = Decimal(0)
        for least, tier_months in sorted(rule["tiers"], key=lambda t: -Decimal(str(t[0]))):
            if years >= Decimal(str(least)):
                months = Decimal(str(tier_months))
                break
        value = rate * months
        working = f"每月 {yuan(rate)} × {months}个月（缴费{years}年）"
    else:
        raise ValueError(f"unknown amount kind {kind!r}")
    if cap is not None and value > cap:
        value = cap
        working += f"，最高 {yuan(cap)}"
    return Amount(_money(value), working)


# --- periods ---------------------------------------------------------------------------------

PERIOD_KINDS = {
    "once": "每人（每单位）限享受一次",
    "year": "按年度",
    "quarter": "按季度",
    "month": "按月",
}


def period_key(kind: str, day: date) -> str:
    """The claim period a day falls in: "once", "2026", "2026Q2" or "2026-05"."""
    if kind == "once":
        return "once"
    if kind == "year":
        return f"{day.year}"
    if kind == "quarter":
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    if kind == "month":
        return f"{day.year}-{day.month:02d}"
    raise ValueError(f"unknown period kind {kind!r}")


def previous_period(kind: str, day: date) -> str:
    """The period before the one ``day`` falls in (claims for last year are common)."""
    if kind == "once":
        return "once"
    if kind == "year":
        return f"{day.year - 1}"
    if kind == "quarter":
        q = (day.month - 1) // 3
        return f"{day.year - 1}Q4" if q == 0 else f"{day.year}Q{q}"
    if kind == "month":
        return f"{day.year - 1}-12" if day.month == 1 else f"{day.year}-{day.month - 1:02d}"
    raise ValueError(f"unknown period kind {kind!r}")


def period_label(key: str) -> str:
    if key == "once":
        return "一次性"
    if "Q" in key:
        year, q = key.split("Q")
        return f"{year}年第{q}季度"
    if "-" in key:
        year, month = key.split("-")
        return f"{year}年{int(month)}月"
    return f"{key}年度"
