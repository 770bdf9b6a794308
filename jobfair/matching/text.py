"""Chinese text for search and matching: normalisation, jieba segmentation and query expansion.

jieba is loaded once per process, with a user dictionary built in memory from the occupation
names and job-board aliases of the 2022 classification, place names, a small skills vocabulary
and the synonym groups, so that words like 叉车司机, 养老护理员 or 氩弧焊 stay whole. Pure Python: no
Flask and no SQLAlchemy here.
"""

import csv
import html
import re
import threading
import unicodedata
from functools import cache
from pathlib import Path

import jieba

DATA = Path(__file__).resolve().parent.parent / "data"
OCCUPATIONS_CSV = DATA / "occupations-2022.csv"
REGIONS_CSV = DATA / "regions-cn.csv"
STOPWORDS_TXT = DATA / "job-ad-stopwords.txt"
SYNONYMS_TXT = DATA / "search-synonyms.txt"
TRADITIONAL_TXT = DATA / "traditional-simplified.txt"

# Letters, digits and CJK ideographs (basic block and extension A): the only characters a
# stored token or a query term may contain, so no full-text query syntax can get through.
_TOKEN_RE = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Markers the classification appends to some names: L (green), S (digital), P (new).
_MARKER_RE = re.compile(r"[A-Z/]+$")
_SPLIT_RE = re.compile(r"[,，、/／;；]+")

# Skills and trade words job ads use that jieba's general dictionary splits or misses.
# fmt: off
SKILL_WORDS = (
    "电焊", "电焊工", "氩弧焊", "氩弧焊工", "二保焊", "二氧化碳保护焊", "气保焊", "焊接工",
    "焊工证", "电工证", "叉车", "叉车司机", "叉车工", "叉车证", "铲车司机", "行车工",
    "养老护理", "养老护理员", "护工", "护理员", "月嫂", "育婴", "育婴师", "育婴员",
    "母婴护理", "家政服务员", "保洁员", "水产养殖", "捕捞", "渔业", "渔民", "护渔员", "退捕渔民",
    "渔业船员", "电工", "维修电工", "低压电工", "高压电工", "钳工", "车工", "铣工", "磨工",
    "数控", "数控车床", "数控编程", "cnc", "cnc操作工", "普工", "操作工", "装配工", "质检员",
    "仓管员", "仓库管理员", "装卸工", "搬运工", "快递员", "外卖骑手", "配送员", "网约车司机",
    "货车司机", "驾驶证", "c1驾照", "b2驾照", "a2驾照", "c1驾驶证", "b2驾驶证", "a2驾驶证",
    "公益性岗位", "见习岗位", "网格员", "社区网格员", "保安员", "收银员", "服务员", "厨师",
    "面点师", "客服", "会计", "出纳", "跟单员", "电商运营", "直播带货", "主播", "安全员",
    "施工员", "资料员", "木工", "瓦工", "钢筋工", "油漆工", "水电工", "空调安装", "汽修",
    "汽车维修工", "钣金工", "喷漆工", "注塑工", "冲压工", "包装工", "分拣员", "理货员",
)

# Function words that carry no meaning in a job search.
FUNCTION_WORDS = frozenset((
    "的", "了", "和", "与", "及", "或", "等", "在", "是", "为", "对", "把", "被", "从", "以",
    "并", "且", "也", "都", "很", "有", "我", "你", "您", "我们", "你们", "之", "其", "该", "此",
    "这", "那", "一个", "一名", "若干", "相关", "以上", "以下", "优先", "招聘", "岗位", "工作",
))
# fmt: on

MAX_WORD_LEN = 8  # longer classification names are descriptions, not words people type
MAX_TEXT_CHARS = 5000  # a profile or a position is never longer; more is pasted noise

# Pay talk describes the offer, not the work: "8k-12k", "5000-8000元/月", "月入过万", "时薪25元".
_PAY_UNIT = r"(?:k|w|千|万|元|块)"
_PAY_RE = re.compile(
    r"(?:月入|月薪|年薪|底薪|时薪|日薪|工资|收入|薪资)?\s*(?:过|上)?\s*\d+(?:\.\d+)?\s*"
    + _PAY_UNIT
    + r"?\s*(?:[-~～至到]\s*\d+(?:\.\d+)?\s*"
    + _PAY_UNIT
    + r"?)?\s*"
    r"(?:(?:元)?(?:/|每|一)\s*(?:月|天|日|小时|时|年|周))?(?=\W|$|[\u4e00-\u9fff])"
    r"|(?:月入|月薪|收入)(?:过|上)万"
)
_PAY_HAS_UNIT_RE = re.compile(r"[kw千万元块/每]|月入|月薪|年薪|底薪|时薪|日薪|工资|收入|薪资")
_RANGE_RE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(k|w|千|万)?\s*(?:[-~～至到]\s*(\d+(?:\.\d+)?)\s*(k|w|千|万)?)?"
)
_UNIT_FACTOR = {"k": 1000, "千": 1000, "w": 10000, "万": 10000}
WORD_FREQ = 300  # high enough for a compound to win over its parts, low enough to be harmless

_lock = threading.Lock()
_ready = False


# Markup of text imported from other job boards ("<p>焊工&nbsp;</p>"): scripts and styles with
# their content, comments, then any tag; entities are decoded after the tags are gone, and a
# tag that was escaped twice ("&lt;b&gt;", as some exports write it) goes as well.
_SCRIPT_RE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S)
# Only HTML's own tag names: "<CNC>" or "<QC>" in a title is a bracketed word, not markup.
_TAG_NAMES = (
    "a|abbr|b|big|blockquote|body|br|center|code|col|colgroup|dd|del|div|dl|dt|em|font|"
    "h[1-6]|head|hr|html|i|img|ins|label|li|meta|ol|p|pre|s|section|small|span|strike|strong|"
    "sub|sup|table|tbody|td|tfoot|th|thead|title|tr|tt|u|ul|wbr|o:p"
)
_TAG_RE = re.compile(rf"</?(?:{_TAG_NAMES})(?:\s[^<>]*)?/?>", re.I)
# Characters that show as nothing (zero-width space and joiners, byte-order mark, soft
# hyphen, direction marks): pasted text carries them inside words (焊\u200b工).
_INVISIBLE_RE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# A word typed with a space after every character ("电 焊 工", "保 安"): two or more
# one-character CJK pieces in a row, each standing alone between spaces.
_SPACED_RE = re.compile(
    r"(?<!\S)[\u3400-\u4dbf\u4e00-\u9fff](?:[ \t]+[\u3400-\u4dbf\u4e00-\u9fff](?!\S))+"
)
_SPACE_RE = re.compile(r"[ \t]+")
# Misspellings of job words that phones' pinyin input makes every day and that are never
# another word (电悍 for 电焊, 收营员 for 收银员). Only whole misspelt words: 悍 alone stays, as
# in 强悍.
TYPOS = {"电悍": "电焊", "氩孤焊": "氩弧焊", "橱师": "厨师", "收营员": "收银员", "服物员": "服务员"}
_TYPO_RE = re.compile("|".join(TYPOS))


@cache
def _simplified() -> dict[int, str]:
    """str.translate table: traditional character -> simplified (data/traditional-simplified.txt)."""
    table: dict[int, str] = {}
    with open(TRADITIONAL_TXT, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            trad, simp = line.split()
            table[ord(trad)] = simp
    return table


@cache
def _special_re() -> re.Pattern:
    """Any character normalise must remove or replace: invisible, or traditional."""
    chars = "".join(map(chr, _simplified()))
    return re.compile(f"{_INVISIBLE_RE.pattern[:-1]}{re.escape(chars)}]")


def normalise(text: str) -> str:
    """Text as search, suggestion and matching read it: the one normaliser of the engine.

    Markup and entities of imported text are removed, full-width becomes half-width (NFKC),
    invisible characters go, traditional characters become simplified (電焊工 -> 电焊工), a word
    typed with spaces between its characters is joined (电 焊 工 -> 电焊工), a few everyday
    misspellings are corrected (电悍工 -> 电焊工), and letters are lower case.
    """
    text = text or ""
    if "<" in text or "&" in text:
        text = _TAG_RE.sub(" ", _SCRIPT_RE.sub(" ", text))
        if "&" in text:
            text = html.unescape(text)
            if "<" in text:
                text = _TAG_RE.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    # Each step only where it has something to do: one scan finds invisible and traditional
    # characters (a search pays this on every request; str.translate alone costs five scans).
    if _special_re().search(text):
        text = _INVISIBLE_RE.sub("", text).translate(_simplified())
    if " " in text or "\t" in text:
        text = _SPACED_RE.sub(lambda m: _SPACE_RE.sub("", m.group(0)), text)
    if _TYPO_RE.search(text):
        text = _TYPO_RE.sub(lambda m: TYPOS[m.group(0)], text)
    return text.lower()


def cap_text(text: str, limit: int = MAX_TEXT_CHARS) -> tuple[str, bool]:
    """The text cut to the limit, and whether it had to be cut (so callers can say so)."""
    text = text or ""
    return (text[:limit], True) if len(text) > limit else (text, False)


def strip_pay(text: str) -> str:
    """Text with pay phrases ("8k-12k", "5000元/月", "月入过万") replaced by spaces."""

    def repl(match: re.Match) -> str:
        phrase = match.group(0)
        return " " if _PAY_HAS_UNIT_RE.search(phrase) else phrase

    return _PAY_RE.sub(repl, text)


def parse_salary(text: str) -> tuple[int | None, int | None]:
    """Monthly pay named in a phrase: "8k-12k" -> (8000, 12000), "月入过万" -> (10000, None).

    Returns (None, None) when the text names no pay. Units: k/千 = 1,000, w/万 = 10,000.
    """
    text = normalise(text)
    if re.search(r"(?:月入|月薪|收入)(?:过|上)万", text):
        return 10000, None
    for match in _RANGE_RE.finditer(text):
        low, unit1, high, unit2 = match.groups()
        rest = text[match.end() : match.end() + 3]
        before = text[max(0, match.start() - 2) : match.start()]
        named = before in ("月入", "月薪", "年薪", "底薪", "工资", "收入", "薪资", "综合")
        if not (named or unit1 or unit2 or rest.startswith(("元", "/月", "每月", "块"))):
            continue
        f_high = _UNIT_FACTOR.get(unit2 or unit1 or "", 1)
        f_low = _UNIT_FACTOR.get(unit1 or unit2 or "", 1)
        lo = int(round(float(low) * f_low))
        hi = int(round(float(high) * f_high)) if high else None
        if "以上" in rest or "起" in rest[:1]:
            hi = None
        return lo, hi
    return None, None


def _clean_word(word: str) -> str:
    word = _MARKER_RE.sub("", word.strip())
    word = normalise(word)
    if not (2 <= len(word) <= MAX_WORD_LEN) or not _CJK_RE.search(word):
        return ""
    if _TOKEN_RE.fullmatch(word) is None:
        return ""
    return word


def _occupation_words() -> set[str]:
    words: set[str] = set()
    with open(OCCUPATIONS_CSV, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["level"] != "4":
                continue
            for raw in [row["name"], *_SPLIT_RE.split(row["alias"] or "")]:
                word = _clean_word(raw)
                if word:
                    words.add(word)
    return words


def _region_words() -> set[str]:
    """Province, city and district names, so 高淳区 or 雨花台区 is one token."""
    with open(REGIONS_CSV, encoding="utf-8") as fh:
        return {w for w in (_clean_word(row["name"]) for row in csv.DictReader(fh)) if w}


@cache
def stop_words() -> frozenset[str]:
    """Job-ad boilerplate (data file) and function words, removed from tokens."""
    words = set(FUNCTION_WORDS)
    with open(STOPWORDS_TXT, encoding="utf-8") as fh:
        for line in fh:
            word = normalise(line.strip())
            if word and not word.startswith("#"):
                words.add(word)
    return frozenset(words)


def _synonym_lines() -> list[list[str]]:
    """Raw synonym groups: one group a line, members separated by commas or ↔."""
    groups = []
    with open(SYNONYMS_TXT, encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            members = [normalise(m).strip() for m in re.split(r"[,，、↔]+", line)]
            members = [" ".join(m.split()) for m in members if m.strip()]
            if len(members) > 1:
                groups.append(members)
    return groups


def _ensure_loaded() -> None:
    global _ready
    if _ready:
        return
    with _lock:
        if _ready:
            return
        jieba.setLogLevel(60)
        jieba.initialize()
        freq = jieba.dt.FREQ
        words = _occupation_words() | _region_words()
        words.update(normalise(w) for w in SKILL_WORDS)
        words.update(stop_words())
        for group in _synonym_lines():
            words.update(m for m in group if " " not in m and _TOKEN_RE.fullmatch(m))
        for word in sorted(words):
            # Never lower the frequency of a word jieba already knows.
            if not freq.get(word):
                jieba.add_word(word, WORD_FREQ)
        _ready = True


def _tokens(pieces) -> list[str]:
    stops = stop_words()
    out = []
    for piece in pieces:
        for part in _TOKEN_RE.findall(piece):
            if part not in stops:
                out.append(part)
    return out


def segment_for_index(*texts: str) -> str:
    """Tokens to store with a record, space separated (jieba search mode keeps sub-words).

    Each text is capped at MAX_TEXT_CHARS; pay phrases and bare numbers are left out, since
    they describe the offer rather than the work (the salary columns hold the pay).
    """
    _ensure_loaded()
    out: list[str] = []
    for text in texts:
        text = strip_pay(normalise(cap_text(text)[0]))
        out.extend(t for t in _tokens(jieba.cut_for_search(text)) if not t.isdigit())
    return " ".join(out)


def segment_query(text: str) -> list[str]:
    """Distinct tokens of a search query, in order (stop words removed).

    Pay phrases and bare numbers are left out, as segment_for_index leaves them out of what
    is stored: "焊工 5000" is a search for 焊工, not one that can never match.
    """
    _ensure_loaded()
    seen: dict[str, None] = {}
    for tok in _tokens(jieba.cut(strip_pay(normalise(text)))):
        if not tok.isdigit():
            seen.setdefault(tok, None)
    return list(seen)


# --- query expansion -------------------------------------------------------------------------

# One alternative: tokens that must all occur. One term: alternatives of which one must occur.
Alternative = tuple[str, ...]
Term = tuple[Alternative, ...]


@cache
def synonym_map() -> dict[str, tuple[Alternative, ...]]:
    """token -> the alternatives of every synonym group it belongs to (segmented like a query)."""
    out: dict[str, dict[Alternative, None]] = {}
    for group in _synonym_lines():
        alts: dict[Alternative, None] = {}
        for member in group:
            alt = tuple(dict.fromkeys(segment_query(member)))
            if alt:
                alts.setdefault(alt, None)
        for alt in alts:
            if len(alt) == 1:
                out.setdefault(alt[0], {}).update(alts)
    return {k: tuple(v) for k, v in out.items()}


def _sub_words(token: str) -> Alternative:
    """The dictionary sub-words of a compound (叉车司机 -> 叉车, 司机), for a looser match."""
    if len(token) < 3:
        return ()
    parts = [p for p in jieba.cut_for_search(token) if p != token and len(p) >= 2]
    parts = [p for p in dict.fromkeys(parts) if _TOKEN_RE.fullmatch(p)]
    # Keep only parts not contained in a longer kept part (护理 is inside 护理员).
    parts = [p for p in parts if not any(p != q and p in q for q in parts)]
    return tuple(parts)


def expand_terms(tokens: list[str]) -> list[Term]:
    """Each query token with its synonyms and its sub-words as alternatives.

    The result reads: every term must match; a term matches when all tokens of any one of its
    alternatives occur. Only tokens made of letters, digits and CJK ideographs come out.
    """
    _ensure_loaded()
    synonyms = synonym_map()
    terms: list[Term] = []
    for token in tokens:
        if not _TOKEN_RE.fullmatch(token):
            continue
        alts: dict[Alternative, None] = {(token,): None}
        for alt in synonyms.get(token, ()):
            alts.setdefault(alt, None)
        sub = _sub_words(token)
        if sub:
            alts.setdefault(sub, None)
        terms.append(tuple(alts))
    return terms
