"""Occupation suggestion: the most likely level-4 occupations of the 2022 classification for a title.

Posting titles are noisy ("高唐乐客咖啡店招聘咖啡师", "急招叉车司机月入过万", "诚聘包装工 长白班 包吃住"), so
a title is first cleaned (clean_title): pay and numbers, hype and benefit phrases, company names
before 招聘/诚聘, leading place names and bracketed notes are taken out, leaving segments that
usually end with the role word (师/员/工/司机/经理...). Three signals are then combined, and a fourth re-weights the best:

* dictionary hits: occupation names, the classification's job-board aliases and the project's
  curated alias table (data/occupation-aliases-jobboard.csv) found in the segments; longer
  hits, hits at the end of a segment (the head noun) and hits in the first segment weigh more;
  a hit inside a longer hit is ignored (焊工 inside 氩弧焊工); a trade or school level in
  front of a general role word, or in another segment, is tried together with it
  (轴承厂操作工 -> 轴承操作工, 语文老师（初中部） -> 初中老师), and the specialised term wins;
  with a generic worker word (饲料厂操作工) the trade in front is also matched by TF-IDF
  against production occupations;
* character 1-3-gram TF-IDF cosine against each occupation's names and aliases, and, with a
  lower weight, its definition, which ranks everything the dictionary does not know;
* plus a small prior for occupations that job boards actually post (those with aliases);
* then the ten best are re-weighted by a learned major-group prior (major_groups.py), which
  keeps 设备装配 among production work when the nearest name is an engineering one.

Pure Python + scikit-learn; the catalogue is built once per process (under a second).
"""

import csv
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn import config_context
from sklearn.feature_extraction.text import TfidfVectorizer

from jobfair.matching.major_groups import DEFINITION_CHARS, MajorGroupModel
from jobfair.matching.text import DATA, OCCUPATIONS_CSV, REGIONS_CSV, normalise, stop_words

ALIASES_CSV = DATA / "occupation-aliases-jobboard.csv"
MAX_TITLE = 200  # titles are short; anything longer is a description pasted in the wrong box

# Weights of the combination (documented in the module docstring).
W_HIT = 1.0
W_NAME_COS = 0.55
W_DEF_COS = 0.15
W_PRIOR = 0.04
W_PREFIX_COS = 1.0  # trade words in front of a generic role word (GENERIC_HEADS)
SOURCE_WEIGHT = {"name": 1.0, "curated": 1.0, "alias": 0.85}

_MARKER_RE = re.compile(r"[A-Za-z/]+$")
_BRACKETS_RE = re.compile(r"[（(【\[{<《「『]([^）)】\]}>》」』]*)[）)】\]}>》」』]?")
_SEPARATORS_RE = re.compile(r"[\W_]+")  # any punctuation, symbol or emoji
_UNIT = r"(?:k|w|千|万|元|块|百)"
_PER = r"(?:(?:/|每|一)?(?:月|天|日|小时|时|年|周|单|件))?"
_SALARY_RES = [
    # Ages, experience, head counts and hours first, so "18-45岁" is not read as a pay range.
    re.compile(r"(?:世界|中国)?\d+强"),
    re.compile(r"\d+\s*(?:-\s*\d+\s*)?(?:周岁|岁|年经验|年以上|年|个月|人|名|位|个小时|小时|天)"),
    re.compile(
        r"(?:月入|月薪|收入|年薪|底薪|工资|时薪|日薪|薪资|待遇|综合)?\s*\d+(?:\.\d+)?\s*"
        + _UNIT
        + r"?\s*[-~～至到]\s*\d+(?:\.\d+)?\s*"
        + _UNIT
        + r"?\+?"
        + _PER
    ),
    re.compile(
        r"(?:月入|月薪|收入|年薪|底薪|工资|时薪|日薪|薪资|综合)\s*(?:过|上)?\s*\d*(?:\.\d+)?\s*"
        + _UNIT
        + r"?\+?(?:以上|起|左右)?"
        + _PER
    ),
    re.compile(r"\d+(?:\.\d+)?\s*" + _UNIT + r"\+?(?:以上|起|左右)?" + _PER),
]
_DIGITS_RE = re.compile(r"(?<![a-z])\d+(?![a-z])")
_HIRE_RE = re.compile(
    r"(?:高薪诚聘|高薪招聘|紧急招聘|长期招聘|大量招聘|火热招聘|急招|急聘|诚聘|诚招|直招|直聘|"
    r"招聘|招募|聘请|热招|现招|特招|长期招|大量招|高薪聘)"
)
_COMPANY_RE = re.compile(
    r"^.{2,}?(?:有限责任公司|股份有限公司|有限公司|股份公司|集团|公司|工作室|事务所)"
)
_LEADING_HIRE_RE = re.compile(r"^(?:招|聘|急)(?![生商标投])")
# fmt: off
HYPE_PHRASES = (
    "包吃包住", "包吃住", "包食宿", "管吃住", "包三餐", "包住", "包吃", "提供住宿", "免费住宿", "吃住全包",
    "双休", "单休", "大小周", "做六休一", "做五休二", "做二休一", "做一休一", "月休四天", "月休",
    "五险一金", "五险", "六险", "一金", "社保", "缴纳社保", "交社保", "长白班", "白班", "夜班", "晚班",
    "早班", "两班倒", "三班倒", "倒班", "日结", "周结", "月结", "当天结", "计件", "多劳多得", "无责底薪",
    "底薪", "高提成", "提成", "月入过万", "月薪过万", "收入过万", "月入上万", "过万", "上万", "年薪",
    "月薪", "月入", "高薪", "薪资", "工资高", "工资", "待遇优", "待遇好", "待遇", "福利好", "福利",
    "带薪年假", "年终奖", "奖金", "可兼职", "兼职", "全职", "临时工", "暑假工", "寒假工", "小时工",
    "学徒可带", "可带徒", "包教包会", "可培训", "带薪培训", "无经验可培训", "无经验可", "无经验",
    "经验不限", "无需经验", "有经验", "熟手", "熟练工", "新手", "男女不限", "限男", "限女", "男性",
    "女性", "宝妈", "退休可", "应届生", "应届", "不限学历", "学历不限", "可居家", "居家", "远程",
    "在编", "编制", "派遣", "外包", "朝九晚五", "不加班", "环境好", "稳定", "急需", "急缺", "若干",
    "数名", "多名", "若干名", "知名", "外企", "国企", "央企", "上市公司",
    "优先", "持证上岗", "持证", "有证", "上班", "轻松", "可学徒", "包教", "常年招", "班组直招",
    "新人带教", "无责", "报销油费", "送社保", "管住", "管饭", "食宿", "大专以上", "本科以上",
    "中专以上", "高中以上", "初中以上", "以上学历", "学历", "老板直招", "本地", "附近",
    "实习生", "实习", "见习生", "见习", "学徒工", "学徒", "资深", "初级", "中级", "高级",
    # Perks and conditions posters add to almost any title; none names the work.
    "免费培训", "带薪培训", "带薪年假", "年底双薪", "双薪", "节假日三倍工资", "三倍工资", "加班费",
    "交通补贴", "话补", "房补", "餐补", "饭补", "住房补贴", "全勤奖", "有宿舍", "宿舍空调", "空调宿舍",
    "提供宿舍", "住宿", "入职即缴社保", "入职即买社保", "计件工资", "计时工资", "工资准时", "不压工资",
    "准时发薪", "无中介费", "不收费", "可预支", "可借支", "晋升空间大", "晋升空间", "转正快", "可住家",
    "站班", "上六休一", "上五休二", "公司直招", "厂家直招", "宝妈可", "宝妈优先", "可小白", "小白可",
    "零基础", "可接受小白", "男女均可", "年龄不限", "环境优美", "包车接送", "班车接送", "包路费",
    "报销路费", "工作轻松", "简单易学", "多名", "数名", "若干人", "保底", "综合工资", "综合薪资",
    "月均", "面议", "薪资面议", "年底分红", "分红", "日薪", "时薪", "周薪", "每小时", "正式工",
    "hiring", "urgent", "full time", "part time", "fulltime", "parttime", "job", "new", "hot",
    # Parts of a city that follow its name (西安高新, 郑州航空港, 苏州工业园区).
    "高新技术开发区", "经济开发区", "经济技术开发区", "高新区", "开发区", "经开区", "工业园区",
    "工业园", "产业园", "科技园", "保税区", "自贸区", "航空港", "新区", "高新",
)
# "退伍军人优先", "有证优先", "党员优先": a preference, never the role.
_PREFERENCE_RE = re.compile(r"[\u3400-\u9fffa-z0-9]{1,6}优先")
# Role words so general that a word before them decides the occupation (制药厂操作工, 足疗技师):
# a hit on one of them counts less when the segment has more in front of it.
GENERIC_HEADS = frozenset((
    "普工", "操作工", "操作员", "作业员", "装配工", "装配员", "组装工", "工人", "生产工人", "技师",
    "师傅", "学徒", "员工", "技术员", "维修工", "助理", "专员", "主管", "经理",
))
GENERIC_FACTOR = 0.55
WORKER_ROLE_ENDINGS = ("工人", "师傅", "司机", "手", "学徒", "操作工", "普工", "工")
PROFESSIONAL_FACTOR = 0.8  # a hands-on role word makes an engineering occupation less likely
WORKER_HEADS = frozenset(("普工", "操作工", "操作员", "作业员", "工人", "生产工人"))
# fmt: on


@dataclass(frozen=True)
class OccupationSuggestion:
    code: str
    name: str
    score: float


def display_name(raw: str) -> str:
    """Official name without the L/S/P markers (绿色/数字/新职业) the classification appends."""
    return _MARKER_RE.sub("", raw.strip()) or raw.strip()


def _strip_regions(segment: str, rank: dict[str, int], lengths: tuple[int, ...], shorts) -> str:
    # Full names (南京市, 江宁区) anywhere, in the catalogue's order (longest first). Only the
    # names found in the segment are tried: a replacement puts in a space, which no name holds.
    found = {segment[i : i + n] for n in lengths for i in range(len(segment) - n + 1)}
    for name in sorted(found & rank.keys(), key=rank.__getitem__):
        if name in segment:
            segment = segment.replace(name, " ")
    segment = segment.strip()
    changed = True
    while changed and segment:  # short names (南京, 江宁) only at the start
        changed = False
        for n in (4, 3, 2):
            head = segment[:n]
            if len(segment) - n >= 2 and head in shorts:
                segment = segment[n:]
                changed = True
                break
    return "" if segment in shorts else segment


class _Catalogue:
    """Everything suggestion needs, loaded once."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.names: list[str] = []
        definitions: list[str] = []
        aliases: list[list[str]] = []
        seen: set[str] = set()
        with open(OCCUPATIONS_CSV, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["level"] != "4" or row["code"] in seen:
                    continue  # the source file repeats a few rows
                seen.add(row["code"])
                self.codes.append(row["code"])
                self.names.append(display_name(row["name"]))
                definitions.append(row["definition"] or "")
                aliases.append([a for a in (row["alias"] or "").split(",") if a.strip()])
        self.index = {code: i for i, code in enumerate(self.codes)}
        self.terms: dict[str, dict[int, float]] = {}
        alias_docs: list[list[str]] = [[] for _ in self.codes]
        posted = np.zeros(len(self.codes), dtype=np.float64)
        for i, name in enumerate(self.names):
            self._add_term(name, i, "name")
            # Names often end in 人员/工程技术人员; the short form is what people type.
            for suffix in ("工程技术人员", "专业人员", "技术人员", "人员"):
                if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                    self._add_term(name[: -len(suffix)], i, "alias")
                    break
            for alias in aliases[i]:
                if normalise(alias) != normalise(name):
                    posted[i] = 1.0
                for part in self._alias_parts(alias):
                    self._add_term(part, i, "alias")
                    alias_docs[i].append(part)
        with open(ALIASES_CSV, encoding="utf-8") as fh:
            lines = [line for line in fh if line.strip() and not line.startswith("#")]
        curated: dict[str, int] = {}
        for row in csv.DictReader(lines):
            i = self.index.get(row["code"].strip())
            alias = normalise(row["alias"]).strip()
            if i is None or not alias:
                continue
            curated[alias] = i
            alias_docs[i].append(alias)
            posted[i] = 1.0
        for alias, i in curated.items():
            # The curated table decides over the classification's job-board aliases (which
            # map 单证员 to 公证员, for one), but never hides an official name.
            names = {j: w for j, w in self.terms.get(alias, {}).items() if w >= 1.0}
            self.terms[alias] = names
            self._add_term(alias, i, "curated")
        self.max_term = max(len(t) for t in self.terms)
        self.major_model = MajorGroupModel(
            [(term, self.codes[i]) for term, bucket in self.terms.items() for i in bucket]
            + [
                (normalise(n + d)[:DEFINITION_CHARS], c)
                for n, d, c in zip(self.names, definitions, self.codes, strict=True)
            ]
        )
        self.single_index: dict[str, list[str]] = {}
        for term in self.terms:
            if not term.isascii():
                self.single_index.setdefault(term[0], []).append(term)
        self.prior = posted
        self.minor = [c.rsplit("-", 1)[0] for c in self.codes]
        self.production = np.array([c.startswith("6-") for c in self.codes], dtype=np.float64)
        self.professional = np.array(
            [n.endswith(("工程技术人员", "专业人员", "研究人员")) for n in self.names], dtype=bool
        )
        self.hands_on = np.array([c[0] in "56" for c in self.codes], dtype=bool)

        name_docs = [
            " ".join([normalise(n)] * 3 + [normalise(a) for a in docs])
            for n, docs in zip(self.names, alias_docs, strict=True)
        ]
        self.name_vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        self.name_matrix = self.name_vec.fit_transform(name_docs).T.tocsr()
        self.def_vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True)
        self.def_matrix = self.def_vec.fit_transform(
            [normalise(n + " " + d) for n, d in zip(self.names, definitions, strict=True)]
        ).T.tocsr()

        regions: set[str] = set()
        shorts: set[str] = set()
        with open(REGIONS_CSV, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                name, short = normalise(row["name"]), normalise(row["short_name"] or "")
                if len(name) >= 3 and name not in self.terms:
                    regions.add(name)
                if 2 <= len(short) <= 4 and short not in self.terms:
                    shorts.add(short)
        self.regions = tuple(sorted(regions, key=len, reverse=True))
        self.region_rank = {name: i for i, name in enumerate(self.regions)}
        self.region_lengths = tuple(sorted({len(name) for name in regions}, reverse=True))
        self.shorts = frozenset(shorts)
        hype = {normalise(w) for w in HYPE_PHRASES} | {
            w for w in stop_words() if len(w) >= 2 and w not in self.terms
        }
        self.hype_re = re.compile(
            "|".join(re.escape(w) for w in sorted(hype, key=len, reverse=True))
        )

    @staticmethod
    def _alias_parts(alias: str) -> list[str]:
        alias = normalise(alias).strip()
        parts = [alias] if "/" not in alias else [alias.replace("/", "")]
        parts += [p.strip() for p in alias.split("/") if len(p.strip()) >= 2]
        return [p for p in dict.fromkeys(parts) if p]

    def _add_term(self, term: str, i: int, source: str) -> None:
        term = normalise(term).strip()
        if len(term) < 2 and not term.isascii():
            return
        if not term:
            return
        bucket = self.terms.setdefault(term, {})
        bucket[i] = max(bucket.get(i, 0.0), SOURCE_WEIGHT[source])


_lock = threading.Lock()
_catalogue: _Catalogue | None = None


def catalogue() -> _Catalogue:
    global _catalogue
    if _catalogue is None:
        with _lock:
            if _catalogue is None:
                _catalogue = _Catalogue()
    return _catalogue


def occupation_name(code: str) -> str:
    """Display name of a level-4 code, or "" when unknown."""
    cat = catalogue()
    i = cat.index.get(code)
    return cat.names[i] if i is not None else ""


def clean_title(text: str) -> list[str]:
    """The meaningful segments of a posting title, main part first, bracketed notes last."""
    cat = catalogue()
    text = normalise(text or "")[:MAX_TITLE]
    notes = [m.group(1) for m in _BRACKETS_RE.finditer(text)]
    main = _BRACKETS_RE.sub(" ", text)
    segments: list[str] = []
    for part in [main, *notes]:
        part = _PREFERENCE_RE.sub(" ", part)
        for rx in _SALARY_RES:
            part = rx.sub(" ", part)
        part = _DIGITS_RE.sub(" ", part)
        spans = _term_spans(part, min_len=3)

        def drop(m: re.Match, spans=spans) -> str:
            # Keep hype words that are part of a longer occupation term (劳务派遣专员, 高级中学教师).
            if any(
                a <= m.start() and m.end() <= b and b - a > m.end() - m.start() for a, b in spans
            ):
                return m.group(0)
            return " " if _HIRE_RE.fullmatch(m.group(0)) is None else " | "

        part = cat.hype_re.sub(drop, part)
        # "XX公司招聘YY": keep what follows the hiring verb.
        # A hiring verb inside an occupation term (招聘专员, 招聘经理) is not a verb.
        inside = _term_spans(part, min_len=3)
        pieces, last = [], 0
        for m in _HIRE_RE.finditer(part):
            if any(a <= m.start() and m.end() <= b for a, b in inside):
                continue
            pieces.append(part[last : m.start()])
            last = m.end()
        pieces.append(part[last:])
        tail = [p for p in pieces[1:] if p.strip()]
        if tail:
            part = " ".join(tail)
        for seg in _SEPARATORS_RE.split(part):
            seg = _COMPANY_RE.sub("", seg) if len(_COMPANY_RE.sub("", seg)) >= 2 else seg
            if not any(a == 0 for a, _ in _term_spans(seg, min_len=3)):  # 路桥工程师 is no place
                seg = _strip_regions(seg, cat.region_rank, cat.region_lengths, cat.shorts)
            if len(seg) > 2 and not any(a == 0 for a, _ in _term_spans(seg, min_len=3)):
                seg = _LEADING_HIRE_RE.sub("", seg)
            if seg and not (len(seg) == 1 and not seg.isascii()):
                segments.append(seg)
    return segments


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _cuts_a_word(text: str, start: int, end: int) -> bool:
    """A term that starts or ends inside a run of Latin letters and digits: cto in factory,
    sem in assembly, ie in cashier, ar in warehouse are not the acronyms."""
    return (start > 0 and _latin(text[start]) and _latin(text[start - 1])) or (
        end < len(text) and _latin(text[end - 1]) and _latin(text[end])
    )


def _term_spans(text: str, min_len: int) -> list[tuple[int, int]]:
    """Spans of dictionary terms of at least min_len characters in text."""
    cat = catalogue()
    spans = []
    n = len(text)
    for start in range(n):
        for end in range(min(n, start + cat.max_term), start + min_len - 1, -1):
            if text[start:end] in cat.terms and not _cuts_a_word(text, start, end):
                spans.append((start, end))
                break
    return spans


# Role words a qualifier in front of them can specialise (初中 + 数学老师 -> 初中老师).
_COMPOUND_TAILS = (
    "操作工",
    "操作员",
    "普工",
    "工人",
    "老师",
    "教师",
    "司机",
    "服务员",
    "前台",
    "柜员",
    "护士",
    "医生",
    "技师",
    "师傅",
    "学徒",
    "店员",
    "工程师",
    "技术员",
    "专员",
    "主管",
    "经理",
    "设计师",
)

_CROSS_SEGMENT_TAILS = frozenset(
    (
        "操作工",
        "操作员",
        "普工",
        "工人",
        "老师",
        "教师",
        "司机",
        "服务员",
        "前台",
        "店员",
        "学徒",
        "护士",
        "医生",
    )
)
_TAIL_SYNONYMS = {
    "操作工": ("操作工", "操作员", "普工", "工"),
    "操作员": ("操作员", "操作工", "普工", "工"),
    "普工": ("普工", "操作工", "操作员", "工"),
    "老师": ("老师", "教师"),
    "教师": ("教师", "老师"),
}


def _compound_hits(
    seg: str, kept: list[tuple[int, int, str]], others: str = ""
) -> list[tuple[int, int, str, str]]:
    """Terms formed by a qualifier in front of a hit plus the hit's role word.

    Real titles put the trade or school level before a generic role, often with words in
    between ("轴承厂操作工", "初中数学教师", "冷链运输司机"): qualifier + role word
    (轴承操作工, 初中教师, 冷链司机) is looked up as if it had been written together; so is a
    qualifier in another segment ("语文老师（初中部）"). The virtual hit ends with the role word
    and is as long as the looked-up term; each comes with the term it specialises.
    """
    cat = catalogue()
    extra = []
    covered = {term for _, _, term in kept}
    heads = [(start, end, term) for start, end, term in kept]
    for t in _COMPOUND_TAILS:
        at = seg.rfind(t)
        if at > 0 and not any(b == at + len(t) for _, b, _ in heads):
            heads.append((at, at + len(t), t))
    for start, end, term in heads:
        if start == 0 and not others:
            continue  # nothing in front of it
        tails = [t for t in _COMPOUND_TAILS if term.endswith(t)]
        if not tails:
            continue
        alts = _TAIL_SYNONYMS.get(tails[0], (tails[0],))
        # Only a short, general role (司机, 语文老师) takes a qualifier from another segment.
        general = len(term) - len(tails[0]) <= 2 and tails[0] in _CROSS_SEGMENT_TAILS
        prefix = seg[:start] + (" " + others if general else "")
        prefix = prefix.replace("厂", " ").replace("店", " ")
        best = None
        for a in range(len(prefix)):
            for b in range(min(len(prefix), a + 5), a + 1, -1):
                word = prefix[a:b]
                if " " in word:
                    continue
                for tail in alts:
                    cand = word + tail
                    longer = best is None or len(cand) > len(best[2])
                    if cand in cat.terms and cand != term and longer:
                        best = (max(0, end - len(cand)), end, cand)
        if best and best[2] not in covered:
            # A specific term (造价工程师) keeps its weight; a general one (语文老师) yields.
            extra.append((*best, term if len(term) - len(tails[0]) <= 2 else ""))
    return extra


def _hits(segments: list[str]) -> dict[int, float]:
    """Best dictionary-hit strength per occupation index."""
    cat = catalogue()
    best: dict[int, float] = {}
    first_with_hit = True
    for seg in segments:
        found: list[tuple[int, int, str]] = []
        n = len(seg)
        for start in range(n):
            for end in range(min(n, start + cat.max_term), start, -1):
                term = seg[start:end]
                if term in cat.terms and not _cuts_a_word(seg, start, end):
                    found.append((start, end, term))
        if not found:
            continue
        # Ignore a hit inside a longer one (焊工 inside 氩弧焊工).
        kept = [
            h for h in found if not any(o != h and o[0] <= h[0] and h[1] <= o[1] for o in found)
        ]
        others = " ".join(o for o in segments if o != seg)
        compounds = _compound_hits(seg, kept, others)
        # The specialised term (初中老师) decides over the generic one it came from (语文老师).
        specialised = {generic for _, _, cand, generic in compounds if cand != generic}
        kept += [(a, b, cand) for a, b, cand, _ in compounds]
        seg_factor = 1.0 if first_with_hit else 0.8
        first_with_hit = False
        tail_end = max(h[1] for h in kept)
        for start, end, term in kept:
            length = end - start
            strength = 0.55 + 0.35 * min(length, 5) / 5
            if end == tail_end:
                strength += 0.15  # the head noun ends the phrase
            if (term in GENERIC_HEADS and start > 0) or term in specialised:
                strength *= GENERIC_FACTOR
            strength *= seg_factor
            for i, w in cat.terms[term].items():
                s = strength * w
                if s > best.get(i, 0.0):
                    best[i] = s
    return best


def _scores(segments: list[str], name_q, def_q) -> np.ndarray:
    cat = catalogue()
    scores = W_PRIOR * cat.prior
    if name_q is not None and name_q.nnz:
        scores = scores + W_NAME_COS * np.asarray((name_q @ cat.name_matrix).todense()).ravel()
    if def_q is not None and def_q.nnz:
        scores = scores + W_DEF_COS * np.asarray((def_q @ cat.def_matrix).todense()).ravel()
    for i, s in _hits(segments).items():
        scores[i] += W_HIT * s
    # "饲料厂操作工": with a generic role word the trade in front of it decides.
    for seg in segments[:1]:
        head = next((g for g in GENERIC_HEADS if seg.endswith(g) and len(seg) > len(g) + 1), None)
        if head:
            prefix = seg[: -len(head)].replace("厂", "").replace("车间", "")
            q = cat.name_vec.transform([prefix])
            if q.nnz:
                cos = np.asarray((q @ cat.name_matrix).todense()).ravel()
                if head in WORKER_HEADS:  # 塑料厂普工 is a production worker, not an engineer
                    cos = cos * cat.production
                scores = scores + W_PREFIX_COS * cos
    # The role word says the level of the work: 工人/师傅/司机 is hands-on, 工程师 is not.
    first = segments[0] if segments else ""
    if first.endswith(WORKER_ROLE_ENDINGS) and not first.endswith("工程师"):
        scores = scores * np.where(cat.professional, PROFESSIONAL_FACTOR, 1.0)
    elif first.endswith(("工程师", "设计师")):
        scores = scores * np.where(cat.hands_on, PROFESSIONAL_FACTOR, 1.0)
    return scores


RERANK_POOL = 10  # the major-group prior reorders this many best candidates


def _top(scores: np.ndarray, k: int, major_probs: np.ndarray | None = None) -> list:
    cat = catalogue()
    k = max(0, min(int(k), len(scores)))
    if k == 0:
        return []
    pool = min(len(scores), max(k, RERANK_POOL))
    top = np.argpartition(-scores, pool - 1)[:pool] if pool < len(scores) else np.arange(pool)
    top = [i for i in top if scores[i] > W_PRIOR + 1e-9]
    final = {i: float(scores[i]) for i in top}
    if major_probs is not None and top:
        factors = cat.major_model.factors(major_probs, [cat.codes[i] for i in top])
        final = {i: float(scores[i]) * f for i, f in zip(top, factors, strict=True)}
    ranked = sorted(top, key=lambda i: (-final[i], cat.codes[i]))[:k]
    return [OccupationSuggestion(cat.codes[i], cat.names[i], round(final[i], 4)) for i in ranked]


def suggest_occupations(text: str, k: int = 10) -> list[OccupationSuggestion]:
    """The k most likely level-4 occupations for a posting title or a seeker's wish, best first.

    Empty, whitespace-only or meaningless text (emoji, pay only) gives an empty list.
    """
    return suggest_occupations_for_many([text], k)[0]


# The vectorisers' inputs are our own strings and their outputs finite by construction;
# scikit-learn's per-call parameter and finiteness checks cost ~1 ms a title (more than half
# of suggesting one), paid on every new word typed into search.
TRUSTED_INPUT = {"assume_finite": True, "skip_parameter_validation": True}


def suggest_occupations_for_many(texts: list[str], k: int = 10) -> list[list[OccupationSuggestion]]:
    """suggest_occupations for many titles, vectorising the TF-IDF part."""
    if not texts:
        return []
    with config_context(**TRUSTED_INPUT):
        return _suggest_many(texts, k)


def _suggest_many(texts: list[str], k: int) -> list[list[OccupationSuggestion]]:
    cat = catalogue()
    cleaned = [[expand_single(seg) for seg in clean_title(t)] for t in texts]
    joined = [" ".join(segs) for segs in cleaned]
    name_q = cat.name_vec.transform(joined).tocsr()
    def_q = cat.def_vec.transform(joined).tocsr()
    major_probs = cat.major_model.probabilities(joined)
    out = []
    for row, segs in enumerate(cleaned):
        if not segs:
            single = normalise(texts[row] or "").strip()
            if len(single) == 1 and expand_single(single) != single:
                segs = [expand_single(single)]
                out.append(_top(_scores(segs, *_vectors(segs)), k))
                continue
            out.append(_fallback(texts[row], k))
            continue
        scores = _scores(segs, name_q[row], def_q[row])
        out.append(_top(scores, k, major_probs[row]))
    return out


def _vectors(segs: list[str]):
    cat = catalogue()
    joined = [" ".join(segs)]
    return cat.name_vec.transform(joined).tocsr(), cat.def_vec.transform(joined).tocsr()


def expand_single(segment: str) -> str:
    """A lone character (焊, 电) stands for the shortest term starting with it (焊工)."""
    if len(segment) != 1 or segment.isascii():
        return segment
    cat = catalogue()
    best = min(
        (t for t in cat.single_index.get(segment, ())),
        key=lambda t: (len(t), -max(cat.terms[t].values()), t),
        default=None,
    )
    return best or segment


# Titles that only say how the work is paid or who may do it (宝妈兼职, 日结, 暑假工) name no
# role; posters use them for a handful of flexible jobs, offered as low-confidence answers.
# fmt: off
FLEXIBLE_WORK = {
    "日结": ("4-02-05-01", "6-25-04-07", "4-02-06-02", "4-03-02-05", "4-10-08-01"),
    "小时工": ("4-03-02-05", "4-02-06-02", "6-25-04-07", "4-10-01-06", "4-02-05-01"),
    "临时工": ("4-02-05-01", "6-25-04-07", "4-02-06-02", "4-03-02-05", "6-31-05-00"),
    "暑假工": ("6-25-04-07", "4-03-02-05", "4-01-02-03", "4-02-06-02", "4-10-08-01"),
    "寒假工": ("6-25-04-07", "4-03-02-05", "4-01-02-03", "4-02-06-02", "4-10-08-01"),
    "宝妈": ("4-04-05-03", "4-01-02-03", "6-31-05-00", "4-10-01-06", "4-01-06-02"),
    "兼职": ("4-04-05-03", "4-01-02-03", "4-03-02-05", "4-10-08-01", "4-02-06-02"),
    "居家": ("4-04-05-03", "3-01-02-05", "4-01-06-02", "4-13-01-05", "6-31-05-00"),
}
# fmt: on
FALLBACK_SCORE = 0.05


def _fallback(text: str, k: int) -> list[OccupationSuggestion]:
    """Low-confidence answers for a title that names no role, from its flexible-work words."""
    cat = catalogue()
    text = normalise(text or "")[:MAX_TITLE]
    codes: list[str] = []
    for word, options in FLEXIBLE_WORK.items():
        if word in text:
            codes += [c for c in options if c not in codes]
    return [
        OccupationSuggestion(c, cat.names[cat.index[c]], round(FALLBACK_SCORE * 0.9**n, 4))
        for n, c in enumerate(codes[: max(0, int(k))])
    ]


# Confidence of the best suggestion: a logistic curve over its score and its lead on the second
# (Platt scaling), fitted once on the tuning half of data/eval/posting-titles.csv; the rest of
# the probability is shared by the other suggestions in proportion to exp(score / temperature).
PLATT = (-1.705, 4.236, -0.169)  # score, lead, intercept
CONFIDENCE_TEMPERATURE = 0.12
MIN_CONFIDENCE = 0.05


def confidences(suggestions: list[OccupationSuggestion]) -> list[float]:
    """Calibrated probabilities that each ranked suggestion is the title's occupation."""
    if not suggestions or suggestions[0].score <= FALLBACK_SCORE + 1e-9:
        return [0.0] * len(suggestions)  # no role word: nothing to be confident about
    top = suggestions[0].score
    lead = top - (suggestions[1].score if len(suggestions) > 1 else 0.0)
    a, b, c = PLATT
    first = 1.0 / (1.0 + float(np.exp(-(a * top + b * lead + c))))
    rest = [float(np.exp((s.score - top) / CONFIDENCE_TEMPERATURE)) for s in suggestions[1:]]
    total = sum(rest) or 1.0
    return [first] + [(1.0 - first) * w / total for w in rest]


def infer_occupations(text: str, k: int = 3) -> tuple[tuple[str, float], ...]:
    """The most likely occupations of a text without a chosen code: ((code, confidence), ...).

    Confidences are in (0, 1] and sum to at most 1; codes below MIN_CONFIDENCE are left out.
    """
    return infer_occupations_for_many([text], k)[0]


def infer_occupations_for_many(texts: list[str], k: int = 3) -> list[tuple[tuple[str, float], ...]]:
    out = []
    for sugg in suggest_occupations_for_many([t[:MAX_TITLE] for t in texts], 10):
        conf = confidences(sugg)
        out.append(
            tuple(
                (s.code, round(c, 3))
                for s, c in zip(sugg, conf, strict=True)
                if c >= MIN_CONFIDENCE
            )[:k]
        )
    return out


def load_eval_rows(path: Path | None = None) -> list[dict]:
    """Rows of the labelled title set (title, code, split)."""
    path = path or DATA / "eval" / "occupation-titles.csv"
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def timed_suggestions(titles: list[str], k: int = 10) -> tuple[list, float]:
    """Suggestions one query at a time (as the product calls it) and the mean ms per query."""
    catalogue()
    started = time.perf_counter()
    results = [suggest_occupations(t, k) for t in titles]
    elapsed = time.perf_counter() - started
    return results, 1000.0 * elapsed / max(1, len(titles))
