"""Discrimination rules for job ads: load, match, highlight; organisers extend the list.

Rules live in two CSV files with the columns pattern,category,note:
- jobfair/data/discrimination-rules.csv ships with the code (source "builtin");
- the file at config DISCRIMINATION_RULES_EXTRA (default instance/discrimination-rules.csv)
  holds rules organisers add (source "extra"), through the console or by editing it.

A pattern is a Python regular expression; a plain Chinese phrase is a valid one. Patterns are
matched against normalised text: NFKC (full-width to half-width), lower case, and separators
between Chinese characters removed, so "限 男 性" and "限·男·性" are caught like "限男性".
A match does not block anything by itself: the position is held for organiser review.

Age: upper age limits below 50 ("35岁以下", "18-35周岁", "不超过40岁", "限90后") are flagged
(category 年龄) because they are a recognised form of exclusion, but they are not always
unlawful, so the organiser decides. Minimum ages (年满16/18周岁) are legal duties and are not
flagged, nor are limits near retirement age ("18-60岁"). Deposits and fees charged to job
seekers and 招转培/贷款培训 (category 收费) are flagged as well; that is not discrimination but is
unlawful, and so are promises of hiring ("高薪保录", "包就业", category 夸大宣传). Disguised wording
("只招帅哥", "有孩子勿扰", "农民工勿扰") has its own rules. Every builtin rule carries an
``example`` column: a phrase it must flag, checked by tests/test_moderation_rules.py.
Compiled rules are cached and reloaded when a file's mtime or size changes.
"""

import csv
import logging
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from markupsafe import Markup, escape

from jobfair.errors import DomainError

log = logging.getLogger(__name__)

BUILTIN_PATH = Path(__file__).resolve().parent / "data" / "discrimination-rules.csv"
DEFAULT_EXTRA = "discrimination-rules.csv"  # relative to the instance folder
CATEGORIES = ("性别", "民族", "宗教", "户籍/地域", "婚育", "健康", "年龄", "收费", "夸大宣传")
SOURCE_LABELS = {"builtin": "内置", "extra": "组织方补充"}
HEADER = ("pattern", "category", "note")
MAX_PATTERN = 200
# Ordinary wording that no rule may flag: a new rule that matches one of these is refused.
SAFE_SAMPLES = (
    "持健康证上岗",
    "持有效健康证",
    "身体健康，体检合格",
    "男女不限",
    "性别不限",
    "招聘男女普工若干",
    "民族不限",
    "户籍不限",
    "不限户籍",
    "需提供身份证、户口本复印件",
    "年满18周岁",
    "不招用未满16周岁的未成年人",
    "年龄18-60岁",
    "提供单身宿舍",
    "退役军人优先",
    "高校毕业生优先",
    "少数民族同胞优先",
    "持焊工证优先",
    "公司缴纳五险一金",
    "非全日制人员",
    "非工作人员禁止入内",
    "工作环境非常适合新人",
)

# Separators people put between characters to slip past filters.
_SEPARATORS = frozenset(" \t\r\n\u3000·•・.。*_-~|/\\'\"`^+=#")
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


@dataclass(frozen=True)
class Rule:
    pattern: str
    category: str
    note: str
    source: str
    regex: re.Pattern
    example: str = ""  # a phrase the rule must flag (checked by the tests for builtin rules)


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    phrase: str
    category: str
    rule: str


# --- loading ---------------------------------------------------------------------------

_lock = threading.Lock()
_cache: dict[str, tuple[tuple[int, int], tuple[Rule, ...]]] = {}


def extra_path() -> Path:
    configured = current_app.config.get("DISCRIMINATION_RULES_EXTRA") or DEFAULT_EXTRA
    path = Path(configured)
    if not path.is_absolute():
        path = Path(current_app.instance_path) / path
    return path


def compile_pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def _read(path: Path, source: str) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for lineno, row in enumerate(csv.DictReader(fh), start=2):
            pattern = (row.get("pattern") or "").strip()
            if not pattern or pattern.startswith("#"):
                continue
            try:
                regex = compile_pattern(pattern)
            except re.error as err:
                # A broken line in an organiser's file must not stop positions being checked.
                log.warning("Skipping bad rule %s:%d %r: %s", path, lineno, pattern, err)
                continue
            if regex.search(""):
                log.warning("Skipping rule that matches empty text %s:%d", path, lineno)
                continue
            category = (row.get("category") or "").strip() or "其他"
            note = (row.get("note") or "").strip()
            example = (row.get("example") or "").strip()
            rules.append(Rule(pattern, category, note, source, regex, example))
    return tuple(rules)


def _file_rules(path: Path, source: str) -> tuple[Rule, ...]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return ()
    key = (st.st_mtime_ns, st.st_size)
    cached = _cache.get(str(path))
    if cached and cached[0] == key:
        return cached[1]
    with _lock:
        cached = _cache.get(str(path))
        if cached and cached[0] == key:
            return cached[1]
        rules = _read(path, source)
        _cache[str(path)] = (key, rules)
        return rules


def rules() -> tuple[Rule, ...]:
    """All active rules: the shipped list, then the organisers' additions."""
    return _file_rules(BUILTIN_PATH, "builtin") + _file_rules(extra_path(), "extra")


# --- matching --------------------------------------------------------------------------


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def normalise(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the index in the original text."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text or ""):
        if ch in _INVISIBLE:
            continue
        for c in unicodedata.normalize("NFKC", ch).lower():
            chars.append(c)
            origin.append(i)
    # Drop separators that sit between two Chinese characters (or a Chinese character and a
    # digit, for whitespace only), so "限 男 性" reads as "限男性" but "18-35" keeps its dash.
    keep_chars: list[str] = []
    keep_origin: list[int] = []
    n = len(chars)
    i = 0
    while i < n:
        c = chars[i]
        if c in _SEPARATORS or c.isspace():
            j = i
            while j < n and (chars[j] in _SEPARATORS or chars[j].isspace()):
                j += 1
            run = chars[i:j]
            before = keep_chars[-1] if keep_chars else ""
            after = chars[j] if j < n else ""
            both_cjk = _is_cjk(before) and _is_cjk(after)
            only_space = all(x.isspace() for x in run)
            mixed = (_is_cjk(before) and after.isdigit()) or (before.isdigit() and _is_cjk(after))
            if not (both_cjk or (only_space and mixed)):
                keep_chars.extend(run)
                keep_origin.extend(origin[i:j])
            i = j
            continue
        keep_chars.append(c)
        keep_origin.append(origin[i])
        i += 1
    return "".join(keep_chars), keep_origin


def scan(text: str, active: tuple[Rule, ...] | None = None) -> list[Hit]:
    """Every rule match in the text, as spans of the original text, in reading order.

    Overlapping or touching matches of the same category are merged into one phrase, so
    "乙肝携带者勿扰" is reported once rather than as "乙肝" and "携带者勿扰".
    """
    if not text:
        return []
    norm, origin = normalise(text)
    raw: list[Hit] = []
    for rule in rules() if active is None else active:
        for m in rule.regex.finditer(norm):
            if m.end() <= m.start():
                continue
            start, end = origin[m.start()], origin[m.end() - 1] + 1
            raw.append(Hit(start, end, text[start:end], rule.category, rule.pattern))
    raw.sort(key=lambda h: (h.category, h.start, -h.end))
    merged: list[Hit] = []
    for hit in raw:
        last = merged[-1] if merged else None
        if last and last.category == hit.category and hit.start <= last.end:
            end = max(last.end, hit.end)
            merged[-1] = Hit(last.start, end, text[last.start : end], last.category, last.rule)
        else:
            merged.append(hit)
    merged.sort(key=lambda h: (h.start, h.end, h.category))
    return merged


def check_fields(fields: dict[str, str]) -> list[dict]:
    """Flags for a position's texts: [{"phrase", "category", "field", "rule"}], no duplicates."""
    flags: list[dict] = []
    seen: set[tuple[str, str, str]] = set()
    for field, text in fields.items():
        for hit in scan(text or ""):
            key = (hit.phrase, hit.category, field)
            if key in seen:
                continue
            seen.add(key)
            flags.append(
                {"phrase": hit.phrase, "category": hit.category, "field": field, "rule": hit.rule}
            )
    return flags


def highlight(text: str, phrases, *, line_breaks: bool = True) -> Markup:
    """The text escaped, with every occurrence of the given phrases wrapped in <mark>.

    Escaping happens piece by piece on the raw text; only the <mark> and <br> tags are
    markup. Line breaks become <br> so multi-line descriptions keep their shape.
    """
    text = text or ""
    spans: list[tuple[int, int]] = []
    for phrase in {p for p in phrases if p}:
        for m in re.finditer(re.escape(phrase), text):
            spans.append((m.start(), m.end()))
    spans.sort()
    out: list[str] = []
    pos = 0
    for start, end in spans:
        if end <= pos:
            continue
        start = max(start, pos)
        out.append(str(escape(text[pos:start])))
        out.append('<mark class="flagged">' + str(escape(text[start:end])) + "</mark>")
        pos = end
    out.append(str(escape(text[pos:])))
    html = "".join(out)
    if line_breaks:
        html = html.replace("\r\n", "\n").replace("\n", "<br>\n")
    return Markup(html)  # noqa: S704 - every piece of user text above is escaped


# --- organisers' additions -------------------------------------------------------------


def validate_rule(pattern: str, category: str, note: str) -> tuple[str, str, str]:
    """Check a rule an organiser wants to add; raise DomainError with a field message."""
    pattern = (pattern or "").strip()
    category = (category or "").strip()
    note = " ".join((note or "").split())[:200]
    if not pattern:
        raise DomainError("请填写规则内容。", fields={"pattern": "此项必填。"})
    if len(pattern) > MAX_PATTERN:
        raise DomainError(f"规则不能超过 {MAX_PATTERN} 个字符。", fields={"pattern": "规则过长"})
    if any(c in pattern for c in "\r\n\x00"):
        raise DomainError("规则不能包含换行。", fields={"pattern": "规则不能包含换行"})
    if category not in CATEGORIES:
        raise DomainError("请选择规则类别。", fields={"category": "不是可选的值。"})
    try:
        regex = compile_pattern(pattern)
    except re.error as err:
        raise DomainError(
            f"规则不是有效的正则表达式：{err.msg}。如只想匹配固定词语，直接填写词语即可。",
            fields={"pattern": "正则表达式有误"},
        ) from None
    if _nested_quantifier(pattern):
        raise DomainError(
            "规则含有嵌套的重复（如 (a+)+），可能让检查变得极慢，请改写。",
            fields={"pattern": "请避免嵌套重复"},
        )
    if regex.search(""):
        raise DomainError(
            "这条规则会匹配任何文本，请写得更具体。", fields={"pattern": "规则过于宽泛"}
        )
    for sample in SAFE_SAMPLES:
        norm, _ = normalise(sample)
        if regex.search(norm):
            raise DomainError(
                f"这条规则会误伤正常表述“{sample}”，请写得更具体。",
                fields={"pattern": "规则过于宽泛"},
            )
    if any(r.pattern == pattern for r in rules()):
        raise DomainError("这条规则已经存在。", code="duplicate_rule", status=409)
    return pattern, category, note


_NESTED = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")


def _nested_quantifier(pattern: str) -> bool:
    return bool(_NESTED.search(pattern))


def append_rule(pattern: str, category: str, note: str) -> Path:
    """Append a validated rule to the organisers' file (created with a header if missing)."""
    path = extra_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock:
        new = not path.exists() or path.stat().st_size == 0
        with open(path, "a", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            if new:
                writer.writerow(HEADER)
            writer.writerow((pattern, category, note))
            fh.flush()
            os.fsync(fh.fileno())
    return path
