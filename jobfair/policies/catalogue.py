"""The policy file: one per city (seed/policies/<city code>.json), read into plain objects.

A file is a JSON object::

    {"city": "南京市", "city_code": "320100", "title": "...", "note": "...",
     "policies": [{
        "code": "hire_once",                 stable, lowercase letters, digits, "_"
        "name": "一次性吸纳就业补贴",
        "for": "employer",                   seeker | employer
        "claim_by": "hire",                  self (a seeker for themselves) | hire (an employer,
                                             per person it hired) | employer (the employer itself)
        "summary": "一句话说明",
        "conditions": [{"text": "…", "fact": "hire_insured", "op": "is_true",
                        "settle": "what settles it (optional)"},
                       {"text": "…", "any": [ …conditions… ]}],
        "amount": {"kind": "per_person", "rate": 1000, "text": "每招用1人补贴1000元"},
        "period": {"kind": "once", "text": "每名人员只能申领一次"},
        "how_to_apply": "…", "materials": ["…"], "basis": "《…》", "demo": true}]}

Facts and operators are those of ``jobfair.policies.rules``; an amount's kinds are listed
there too. ``parse`` checks everything and raises CatalogueError with every problem found in
plain Chinese, so an organiser replacing the file sees what to fix before anything changes.
"""

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from jobfair.policies import rules

SEED_DIR = Path(__file__).resolve().parent.parent.parent / "seed" / "policies"
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
CLAIM_BY = {
    "self": ("seeker", "本人"),
    "hire": ("employer", "所招用的人员（每人单独申请）"),
    "employer": ("employer", "本单位"),
}
MAX_BYTES = 512 * 1024
MAX_POLICIES = 200


class CatalogueError(Exception):
    """The file is not a valid policy catalogue; ``problems`` lists each fault in Chinese."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Policy:
    code: str
    name: str
    for_: str
    claim_by: str
    summary: str
    conditions: tuple[rules.Condition, ...]
    amount: dict
    period: dict
    how_to_apply: str
    materials: tuple[str, ...]
    basis: str
    demo: bool

    @property
    def for_label(self) -> str:
        return rules.FOR_LABELS[self.for_]

    @property
    def claim_label(self) -> str:
        return CLAIM_BY[self.claim_by][1]

    @property
    def period_kind(self) -> str:
        return self.period["kind"]

    def facts(self) -> set[str]:
        out: set[str] = set()
        for cond in self.conditions:
            out |= cond.facts()
        kind = self.amount["kind"]
        for key in ("months_fact", "base_fact", "tiers_fact"):
            if self.amount.get(key):
                out.add(self.amount[key])
        if kind == "loan_interest":
            out |= {
                self.amount.get("principal_fact", "loan_amount"),
                self.amount.get("rate_fact", "loan_rate"),
                self.amount.get("term_fact", "loan_term_months"),
            }
        return out

    def as_dict(self) -> dict:
        """The policy as the API and the pages show it."""
        numbers = {k: v for k, v in self.amount.items() if k != "text"}
        return {
            "code": self.code,
            "name": self.name,
            "for": self.for_,
            "for_label": self.for_label,
            "claim_by": self.claim_by,
            "summary": self.summary,
            "conditions": [c.text for c in self.conditions],
            "amount": {"text": self.amount["text"], "rule": numbers},
            "period": {"kind": self.period_kind, "text": self.period["text"]},
            "how_to_apply": self.how_to_apply,
            "materials": list(self.materials),
            "basis": self.basis,
            "demo": self.demo,
        }


@dataclass(frozen=True)
class Catalogue:
    city: str
    city_code: str
    title: str
    note: str
    policies: tuple[Policy, ...]

    def get(self, code: str) -> Policy | None:
        return next((p for p in self.policies if p.code == code), None)

    def for_role(self, role: str) -> list[Policy]:
        return [p for p in self.policies if p.for_ == role]


def _text(d: dict, key: str, where: str, problems: list, *, required=True, max_len=2000) -> str:
    value = d.get(key, "")
    if not isinstance(value, str):
        problems.append(f"{where}的 {key} 应为文字")
        return ""
    value = value.strip()
    if required and not value:
        problems.append(f"{where}缺少 {key}")
    elif len(value) > max_len:
        problems.append(f"{where}的 {key} 超过 {max_len} 字")
    return value


def _number(value) -> bool:
    """A count or an amount: 1e309 parses as infinity, which is no amount of money."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def _known(value, table) -> bool:
    """Is value one of the table's codes? Only a string can be: a list or an object from the
    file is not a code (and cannot be looked up in a dict or a set)."""
    return isinstance(value, str) and value in table


def _condition(raw, where: str, role: str, problems: list, depth: int = 0) -> rules.Condition:
    if not isinstance(raw, dict):
        problems.append(f"{where}应为对象")
        return rules.Condition(text="")
    text = _text(raw, "text", where, problems, max_len=300)
    settle = _text(raw, "settle", where, problems, required=False, max_len=300)
    if "any" in raw:
        subs = raw["any"]
        if depth > 0 or not isinstance(subs, list) or len(subs) < 2:
            problems.append(f"{where}的 any 应列出至少两个条件（只能一层）")
            return rules.Condition(text=text)
        parts = tuple(
            _condition(s, f"{where}的第{i}个可选条件", role, problems, depth + 1)
            for i, s in enumerate(subs, 1)
        )
        return rules.Condition(text=text, settle=settle, any=parts)
    fact, op, value = raw.get("fact"), raw.get("op"), raw.get("value")
    spec = rules.FACTS.get(fact) if isinstance(fact, str) else None
    if spec is None:
        problems.append(f"{where}的 fact “{fact}” 不是平台认识的事实")
        return rules.Condition(text=text)
    if spec.subject != role:
        problems.append(f"{where}的 fact “{fact}” 不适用于{rules.FOR_LABELS[role]}")
    if not _known(op, rules.OPS):
        problems.append(f"{where}的 op “{op}” 无效（可用：{'、'.join(sorted(rules.OPS))}）")
    elif op in ("is_true", "is_false") and spec.kind != "bool":
        problems.append(f"{where}：{spec.label}不是“是/否”类事实，不能用 {op}")
    elif op in ("gte", "lte") and (spec.kind != "number" or not _number(value)):
        problems.append(f"{where}：{op} 需要数值类事实和一个数值 value")
    elif op == "any_of":
        if spec.kind != "groups" or not isinstance(value, list) or not value:
            problems.append(f"{where}：any_of 需要身份类事实和身份列表 value")
        elif not all(_known(v, rules.GROUP_LABELS) for v in value):
            problems.append(f"{where}：value 中有不认识的重点群体代码")
        value = tuple(value) if isinstance(value, list) else value
    elif op == "equals" and not isinstance(value, str | int | float | bool):
        problems.append(f"{where}：equals 需要一个 value")
    return rules.Condition(text=text, fact=fact, op=op, value=value, settle=settle)


def _amount(raw, where: str, role: str, problems: list) -> dict:
    if not isinstance(raw, dict):
        problems.append(f"{where}的 amount 应为对象")
        return {"kind": "fixed", "amount": 0, "text": ""}
    _text(raw, "text", f"{where}的 amount", problems, max_len=300)
    kind = raw.get("kind")
    if not _known(kind, rules.AMOUNT_KINDS):
        problems.append(f"{where}的 amount.kind “{kind}” 无效")
        return raw
    for key in rules.AMOUNT_KINDS[kind]:
        if key not in raw:
            problems.append(f"{where}的 amount 缺少 {key}")
    for key in ("amount", "rate", "percent", "cap", "max_months", "months", "max_principal"):
        if key in raw and not _number(raw[key]):
            problems.append(f"{where}的 amount.{key} 应为不小于 0 的数")
    for key in ("rate_cap", "share_percent", "max_term_months"):
        if key in raw and not _number(raw[key]):
            problems.append(f"{where}的 amount.{key} 应为不小于 0 的数")
    if kind == "per_month" and "months" not in raw and "months_fact" not in raw:
        problems.append(f"{where}的 amount 需要 months 或 months_fact")
    for key in ("months_fact", "base_fact", "tiers_fact"):
        if key in raw:
            spec = rules.FACTS.get(raw[key]) if _known(raw[key], rules.FACTS) else None
            if spec is None or spec.kind != "number" or spec.subject != role:
                problems.append(f"{where}的 amount.{key} “{raw[key]}” 不是可用的数值事实")
    if kind == "tiered_months":
        tiers = raw.get("tiers")
        if (
            not isinstance(tiers, list)
            or not tiers
            or not all(
                isinstance(t, list) and len(t) == 2 and all(_number(x) for x in t) for t in tiers
            )
        ):
            problems.append(f"{where}的 amount.tiers 应为 [[最少年限, 月数], …]")
    whens = raw.get("percent_when", []) if kind == "percent_of" else []
    if not isinstance(whens, list):
        problems.append(f"{where}的 amount.percent_when 应为列表")
        whens = []
    for when in whens:
        if (
            not isinstance(when, dict)
            or not _known(when.get("fact"), rules.FACTS)
            or not _number(when.get("percent"))
        ):
            problems.append(f"{where}的 amount.percent_when 每项需要 fact、equals、percent")
    return dict(raw)


def _policy(raw, index: int, problems: list) -> Policy | None:
    where = f"第{index}项政策"
    if not isinstance(raw, dict):
        problems.append(f"{where}应为对象")
        return None
    code = raw.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        problems.append(f"{where}的 code 应为 2–40 位小写字母、数字或下划线，以字母开头")
        code = str(code)
    name = _text(raw, "name", where, problems, max_len=50)
    where = f"政策“{name or code}”"
    role = raw.get("for")
    if not _known(role, rules.FOR_LABELS):
        problems.append(f"{where}的 for 应为 seeker 或 employer")
        role = rules.SEEKER
    claim_by = raw.get("claim_by", "self" if role == rules.SEEKER else "employer")
    if not _known(claim_by, CLAIM_BY) or CLAIM_BY[claim_by][0] != role:
        problems.append(f"{where}的 claim_by “{claim_by}” 与适用对象不一致")
        claim_by = "self" if role == rules.SEEKER else "employer"
    conds = raw.get("conditions")
    if not isinstance(conds, list) or not conds:
        problems.append(f"{where}至少要有一个条件")
        conds = []
    conditions = tuple(
        _condition(c, f"{where}的第{i}个条件", role, problems) for i, c in enumerate(conds, 1)
    )
    period = raw.get("period")
    if not isinstance(period, dict) or not _known(period.get("kind"), rules.PERIOD_KINDS):
        problems.append(f"{where}的 period.kind 应为 once、year、quarter 或 month")
        period = {"kind": "once", "text": ""}
    materials = raw.get("materials", [])
    if not isinstance(materials, list) or not all(isinstance(m, str) for m in materials):
        problems.append(f"{where}的 materials 应为文字列表")
        materials = []
    return Policy(
        code=code,
        name=name,
        for_=role,
        claim_by=claim_by,
        summary=_text(raw, "summary", where, problems, max_len=500),
        conditions=conditions,
        amount=_amount(raw.get("amount"), where, role, problems),
        period={
            "kind": period["kind"],
            "text": _text(period, "text", f"{where}的 period", problems, required=False),
        },
        how_to_apply=_text(raw, "how_to_apply", where, problems),
        materials=tuple(m.strip() for m in materials if m.strip()),
        basis=_text(raw, "basis", where, problems, max_len=500),
        demo=bool(raw.get("demo", False)),
    )


def parse(data) -> Catalogue:
    """A catalogue from the decoded file, or CatalogueError listing every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise CatalogueError(["文件内容应为一个 JSON 对象"])
    city = _text(data, "city", "文件", problems, max_len=50)
    city_code = _text(data, "city_code", "文件", problems, max_len=12)
    raw = data.get("policies")
    if not isinstance(raw, list) or not raw:
        problems.append("文件中没有 policies 列表")
        raw = []
    if len(raw) > MAX_POLICIES:
        problems.append(f"政策不能超过 {MAX_POLICIES} 项")
    policies = [p for i, r in enumerate(raw, 1) if (p := _policy(r, i, problems))]
    seen: set[str] = set()
    for p in policies:
        if p.code in seen:
            problems.append(f"code “{p.code}” 重复")
        seen.add(p.code)
    title = _text(data, "title", "文件", problems, required=False, max_len=100)
    note = _text(data, "note", "文件", problems, required=False, max_len=1000)
    if problems:
        raise CatalogueError(problems[:30])
    return Catalogue(
        city=city, city_code=city_code, title=title, note=note, policies=tuple(policies)
    )


def decode(raw: bytes | str) -> dict:
    """The JSON object in an uploaded file (UTF-8, with or without BOM)."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_BYTES:
            raise CatalogueError([f"文件超过 {MAX_BYTES // 1024} KB"])
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CatalogueError(["文件不是 UTF-8 编码的文本"]) from None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as err:
        raise CatalogueError(
            [f"不是有效的 JSON：第{err.lineno}行第{err.colno}列附近有错"]
        ) from None


def seed_file(city_code: str) -> Path:
    return SEED_DIR / f"{city_code}.json"


def read_seed(city_code: str) -> dict | None:
    """The city's file in seed/policies as decoded JSON, or None if there is none."""
    path = seed_file(city_code)
    if not path.is_file():
        return None
    return decode(path.read_bytes())
