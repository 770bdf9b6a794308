"""Public position browsing: filters, Chinese keyword search on the database full-text index.

Keywords are segmented with jieba (matching.text.segment_query), each token is widened with
its synonyms, sub-words and the occupation it names (matching.vocabulary.search_terms, the
suggestion service's vocabulary: 电焊 finds 焊工, 外卖 finds 网约配送员), and the expression goes to the database's own full-text index:
FTS5 MATCH over `positions_fts` on SQLite, `search_vector @@ to_tsquery('simple', …)` on
PostgreSQL. Tokens hold only letters, digits and CJK ideographs and are quoted, and every value
is a bound parameter, so nothing typed into the search box can change the query.
"""

import math
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache, lru_cache

from flask import current_app
from marshmallow import EXCLUDE, ValidationError, fields, pre_load, validate, validates
from sqlalchemy import Date, DateTime, bindparam, text

from jobfair import reference
from jobfair.errors import DomainError, NotFound, flatten_messages
from jobfair.extensions import db
from jobfair.ids import is_id
from jobfair.matching.text import normalise, parse_salary, segment_query
from jobfair.matching.vocabulary import search_terms
from jobfair.models.common import Channel, PayUnit, PriorityGroup, WorkForm
from jobfair.models.occupation import Occupation
from jobfair.models.position import Position, PositionStatus
from jobfair.models.user import Role
from jobfair.positions import textindex
from jobfair.positions.cache import ResultCache, needs_sync, sync_with_database
from jobfair.positions.summaries import (
    PositionSummary,
    item_json,
    page_json,
    summary_of_json,
    summary_of_row,
)
from jobfair.validation import BaseSchema

MAX_QUERY_LEN = 100
MAX_PAGE_SIZE = 50
MAX_PAGE = 100_000  # deeper pages are clamped: nobody reads 5 million results
MAX_TERMS = 8  # query tokens beyond this are ignored, so a pasted paragraph stays cheap
CHINA_TZ = timezone(timedelta(hours=8))
OCCUPATION_RE = re.compile(r"[1-8](-\d{2}){0,3}")
# Pay typed into the keywords: "5000-8000", "8000以上" (bare numbers a search box can only mean
# as pay), or what parse_salary reads ("５０００元", "月薪8k"); pay by the day, hour or piece
# is not a monthly wage and stays out of the 期望月薪 filter.
_BARE_PAY_RE = re.compile(r"([1-9]\d{3,5})(?:[-~～至到][1-9]\d{3,5})?(?:元|块)?(?:以上)?")
_PAY_HINT_RE = re.compile(r"[\d万]")  # every pay phrase _BARE_PAY_RE or parse_salary reads has one
_NOT_MONTHLY_RE = re.compile(r"(?:/|每|一)(?:天|日|小时|时|件|单|周)|日薪|时薪|周薪|计件")
# Between two words of the keywords, "/", "|" and "、" mean either (焊工/电工).
_EITHER_RE = re.compile(r"[/|、]+")
# "日结" typed into the keywords: the daily_pay filter (posts say it in a field, not the text).
_DAILY_PAY_RE = re.compile(r"(?:当天|当日|天天|每天|每日)结(?:算|清)?|日结工?")


def china_today() -> date:
    """Deadlines are dates in China."""
    return datetime.now(UTC).astimezone(CHINA_TZ).date()


# --- input ----------------------------------------------------------------------------------


def _enum(enum_cls, name: str, description: str) -> fields.String:
    values = [str(v) for v in enum_cls]
    return fields.String(
        load_default=None,
        validate=validate.OneOf(
            values, error=f"{name}不是可选的值，应为 {'、'.join(values)} 之一。"
        ),
        metadata={"enum": values, "description": description},
    )


def _int(name: str, *, min_value: int, max_value: int | None = None, **kw) -> fields.Integer:
    if max_value is None:
        message = f"{name}应为不小于 {min_value} 的整数。"
    else:
        message = f"{name}应在 {min_value} 到 {max_value} 之间。"
    return fields.Integer(
        strict=False,
        validate=validate.Range(min=min_value, max=max_value, error=message),
        error_messages={"invalid": f"{name}应为整数。", "too_large": f"{name}过大。"},
        **kw,
    )


class SearchQuerySchema(BaseSchema):
    """Filters of the public position list (query string of the page and of the API)."""

    class Meta:
        unknown = EXCLUDE  # tracking parameters and cache busters in a URL are harmless

    q = fields.String(
        load_default="",
        validate=validate.Length(
            max=MAX_QUERY_LEN, error=f"搜索关键词不能超过 {MAX_QUERY_LEN} 个字。"
        ),
        error_messages={"invalid": "搜索关键词应为文本。"},
        metadata={"description": "关键词（中文分词搜索，如“焊工”“叉车司机 江宁区”），最多 100 字"},
    )
    district = fields.String(
        load_default=None, metadata={"description": "工作地点所在区，如“江宁区”"}
    )
    occupation = fields.String(
        load_default=None,
        metadata={
            "description": "职业类别编码或其前缀：大类“6”、中类“6-18”、小类“6-18-02”或细类"
            "“6-18-02-04”（也接受“6-00-00-00”这样的完整写法）"
        },
    )
    salary = _int(
        "期望月薪",
        min_value=0,
        max_value=1_000_000,
        load_default=None,
        metadata={
            "description": "期望月薪（元）：只看按月计薪且最高月薪不低于它的岗位"
            "（按小时、按天、按件计薪的零工请用 pay_unit 筛选）"
        },
    )
    pay_unit = _enum(PayUnit, "计薪方式", "计薪方式：hour 按小时、day 按天、piece 按件、month 按月")
    daily_pay = fields.Boolean(
        load_default=None,
        truthy={"1", "true", "yes", "on", True},
        falsy={"0", "false", "no", "off", False},
        error_messages={"invalid": "日结应为 true 或 false。"},
        metadata={"description": "true：只看日结（每天下班结清工钱）的岗位"},
    )
    work_form = _enum(WorkForm, "用工形式", "用工形式")
    channel = _enum(Channel, "岗位渠道", "岗位渠道（五个一批）")
    group = _enum(PriorityGroup, "重点群体", "欢迎的重点群体")
    page = _int("页码", min_value=1, load_default=1, metadata={"description": "页码，从 1 开始"})
    page_size = _int(
        "每页条数",
        min_value=1,
        load_default=20,
        metadata={
            "description": f"每页条数，最多 {MAX_PAGE_SIZE}（更大的值按 {MAX_PAGE_SIZE} 处理）"
        },
    )

    @pre_load
    def _drop_blank(self, data, **_):
        """Empty form fields mean "any"; strip the rest."""
        if not hasattr(data, "items"):
            return data
        out = {}
        for key, value in data.items():
            if hasattr(data, "getlist") and len(data.getlist(key)) > 1:
                value = data.getlist(key)[0]  # ?district=a&district=b: the first one
            if isinstance(value, str):
                value = value.strip()
                if value == "":
                    continue
            out[key] = value
        return out

    @validates("district")
    def _district(self, value, **_):
        if value is not None and value not in reference.districts():
            raise ValidationError("工作地点应为本市的区，请从列表中选择。")

    @validates("occupation")
    def _occupation(self, value, **_):
        if value is not None and not OCCUPATION_RE.fullmatch(value):
            raise ValidationError("职业类别应为分类编码，如 6、6-18 或 6-18-02-04。")


FILTER_LABELS = {
    "q": "关键词",
    "district": "区",
    "occupation": "职业类别",
    "salary": "期望月薪",
    "pay_unit": "计薪方式",
    "daily_pay": "日结",
    "work_form": "用工形式",
    "channel": "岗位渠道",
    "group": "重点群体",
    "page": "页码",
    "page_size": "每页条数",
}


_ENUMS = {
    "pay_unit": frozenset(str(v) for v in PayUnit),
    "work_form": frozenset(str(v) for v in WorkForm),
    "channel": frozenset(str(v) for v in Channel),
    "group": frozenset(str(v) for v in PriorityGroup),
}
_INTS = {"salary": (0, 1_000_000), "page": (1, None), "page_size": (1, None)}
_TRUTHY, _FALSY = frozenset({"1", "true", "yes", "on"}), frozenset({"0", "false", "no", "off"})


def quick_filters(args) -> dict | None:
    """What SearchQuerySchema().load(args) gives for valid filters, without marshmallow (the
    busiest endpoint parses these on every request); None when anything is not plainly
    valid, and the schema then gives its message. The same checks with the same Python
    primitives (int(), strip, the first of repeated values); a test holds the two equal."""
    out = {
        "q": "",
        "district": None,
        "occupation": None,
        "salary": None,
        "pay_unit": None,
        "daily_pay": None,
        "work_form": None,
        "channel": None,
        "group": None,
        "page": 1,
        "page_size": 20,
    }
    for key in args:
        if key not in out:
            continue  # unknown parameters are ignored, as the schema's EXCLUDE
        value = args.get(key)
        if not isinstance(value, str):
            return None
        value = value.strip()
        if value == "":
            continue  # an empty form field means "any"
        if key in _INTS:
            low, high = _INTS[key]
            try:
                value = int(value)
            except ValueError:
                return None
            if value < low or (high is not None and value > high):
                return None
        elif key in _ENUMS:
            if value not in _ENUMS[key]:
                return None
        elif key == "daily_pay":
            if value not in _TRUTHY and value not in _FALSY:
                return None
            value = value in _TRUTHY
        elif key == "q":
            if len(value) > MAX_QUERY_LEN:
                return None
        elif key == "district":
            if value not in reference.districts():
                return None
        elif not OCCUPATION_RE.fullmatch(value):  # occupation
            return None
        out[key] = value
    return out


def parse_filters(args) -> dict:
    """Validate query-string filters; DomainError (422, Chinese message per field) if wrong."""
    quick = quick_filters(args)
    if quick is not None:
        return quick
    try:
        return SearchQuerySchema().load(args)
    except ValidationError as err:
        messages = flatten_messages({"query": err.messages})
        summary = "；".join(f"{FILTER_LABELS.get(k, k)}：{v}" for k, v in messages.items())
        raise DomainError(
            "筛选条件有误：" + summary, code="validation_error", fields=messages
        ) from None


def occupation_prefix(code: str | None) -> str | None:
    """6-18-00-00 -> 6-18; 6-18-02-04 stays; None stays None."""
    if not code:
        return None
    parts = code.split("-")
    while len(parts) > 1 and parts[-1] == "00":
        parts.pop()
    return "-".join(parts)


# --- output ---------------------------------------------------------------------------------


@dataclass
class SearchResult:
    item_json: list[bytes]  # each position's public list item, as the API sends it
    total: int
    page: int
    pages: int
    page_size: int
    filters: dict
    tokens: list[str] = field(default_factory=list)
    # Set when q had nothing searchable in it (only punctuation or stop words): all positions.
    notice: str = ""
    _items: list | None = field(default=None, repr=False, compare=False)

    @property
    def items(self) -> list[PositionSummary]:
        """The page as PositionSummary objects (the HTML list), read back from the items."""
        if self._items is None:
            self._items = [summary_of_json(raw) for raw in self.item_json]
        return self._items

    def body(self) -> bytes:
        """The API's JSON body of this page."""
        return page_json(
            self.item_json, self.total, self.page, self.pages, self.page_size, self.notice
        )


# --- the query ------------------------------------------------------------------------------
#
# The SQL is plain text with bound parameters, one statement per dialect and per combination
# of filters, built once and cached: building SQLAlchemy expressions on every request cost
# more than running the query. Every value a person typed is a bound parameter.

SUMMARY_COLUMNS = """
    p.id, p.title, p.employer_id, e.name AS employer_name, p.occupation_code,
    o.name AS occupation_name, p.salary_min, p.salary_max, p.headcount, p.district,
    p.education, p.work_form, p.channel, p.deadline, p.published_at, p.pay_unit, p.daily_pay"""
FILTER_SQL = {
    "district": "p.district = :district",
    "occupation": "(p.occupation_code = :occupation OR p.occupation_code LIKE :occupation_like)",
    # 期望月薪 compares monthly pay only: 25 元/小时 is not "at least 3000 a month" or less.
    "salary": "(p.pay_unit = 'month' AND p.salary_max >= :salary)",
    "pay_unit": "p.pay_unit = :pay_unit",
    "daily_pay": "p.daily_pay = :daily_pay",
    "work_form": "p.work_form = :work_form",
    "channel": "p.channel = :channel",
    "group": "EXISTS (SELECT 1 FROM position_groups pg "
    "WHERE pg.position_id = p.id AND pg.group_code = :group)",
}
FILTER_KEYS = tuple(FILTER_SQL)
# What a person filters by: the search form's fields, and what a saved search alert keeps.
FORM_KEYS = ("q", *FILTER_KEYS)
PUBLIC_SQL = "p.status = 'published' AND (p.deadline IS NULL OR p.deadline >= :today)"
_statements: dict[tuple, tuple] = {}
_statements_lock = threading.Lock()


def _fts5_match(terms) -> str:
    """FTS5 expression: ("a" OR ("b" AND "c")) AND (...). Terms hold [0-9a-z CJK] only."""

    def alt(tokens):
        quoted = [f'"{t}"' for t in tokens]
        return quoted[0] if len(quoted) == 1 else "(" + " AND ".join(quoted) + ")"

    return " AND ".join("(" + " OR ".join(alt(a) for a in term) + ")" for term in terms)


def _tsquery(terms) -> str:
    """PostgreSQL tsquery text: ('a' | ('b' & 'c')) & (...)."""

    def alt(tokens):
        quoted = [f"'{t}'" for t in tokens]
        return quoted[0] if len(quoted) == 1 else "(" + " & ".join(quoted) + ")"

    return " & ".join("(" + " | ".join(alt(a) for a in term) + ")" for term in terms)


def _build_statements(dialect: str, keyword: bool, widened: bool, keys: tuple[str, ...]):
    """(page statement, count statement) for one dialect and one set of filters.

    `widened`: the expression has synonyms or sub-words; positions that contain the words as
    typed (:exact) then come first, each group ordered by relevance.
    """
    where = " AND ".join([PUBLIC_SQL, *(FILTER_SQL[k] for k in keys)])
    agg = (
        "group_concat(g.group_code, ',')"
        if dialect == "sqlite"
        else "string_agg(g.group_code, ',')"
    )
    exact = "1"
    if keyword and dialect == "sqlite":
        source = "positions_fts JOIN positions p ON p.id = positions_fts.rowid"
        where = "positions_fts MATCH :match AND " + where
        score, direction = "bm25(positions_fts)", "ASC"
        if widened:
            exact = (
                "(positions_fts.rowid IN "
                "(SELECT rowid FROM positions_fts WHERE positions_fts MATCH :exact))"
            )
    elif keyword:
        source = "positions p"
        where = "p.search_vector @@ to_tsquery('simple', :match) AND " + where
        score, direction = "ts_rank(p.search_vector, to_tsquery('simple', :match))", "DESC"
        if widened:
            exact = "(p.search_vector @@ to_tsquery('simple', :exact))::int"
    else:
        source, score, direction = "positions p", "0", "ASC"
    # bm25() cannot sit next to a window function, so rank in the innermost query, count and
    # page in the middle one, and fetch the columns of the page's rows only at the end.
    total = "count(*) OVER ()" if keyword else "0"
    page_sql = f"""
SELECT h.total,{SUMMARY_COLUMNS},
    (SELECT {agg} FROM position_groups g WHERE g.position_id = p.id) AS groups
FROM (
    SELECT m.id, m.exact, m.score, m.published_at, {total} AS total
    FROM (
        SELECT p.id AS id, p.published_at AS published_at, {score} AS score, {exact} AS exact
        FROM {source}
        WHERE {where}
    ) AS m
    ORDER BY m.exact DESC, m.score {direction}, m.published_at DESC, m.id DESC
    LIMIT :limit OFFSET :offset
) AS h
JOIN positions p ON p.id = h.id
JOIN employers e ON e.id = p.employer_id
LEFT JOIN occupations o ON o.code = p.occupation_code
ORDER BY h.exact DESC, h.score {direction}, h.published_at DESC, h.id DESC"""  # noqa: S608 - constant fragments
    count_sql = f"SELECT count(*) FROM {source} WHERE {where}"  # noqa: S608 - constant fragments
    page = (
        text(page_sql)
        .bindparams(bindparam("today", type_=Date))
        .columns(deadline=Date, published_at=DateTime)
    )
    count = text(count_sql).bindparams(bindparam("today", type_=Date))
    return page, count


def _statements_for(dialect: str, keyword: bool, widened: bool, keys: tuple[str, ...]):
    key = (dialect, keyword, widened, keys)
    found = _statements.get(key)
    if found is None:
        with _statements_lock:
            found = _statements.setdefault(key, _build_statements(*key))
    return found


@lru_cache(maxsize=8192)
def _segmented(q: str) -> tuple[str, ...]:
    """jieba's tokens of a query, remembered: a crowd types the same words with other filters."""
    return tuple(segment_query(q))


@lru_cache(maxsize=8192)
def _expanded(tokens: tuple[str, ...]) -> list:
    """search_terms of the tokens, remembered (synonyms and occupation guesses cost a little).

    A token "焊工|电工" (from "焊工/电工") is one term that either word satisfies: the
    alternatives of both, the first word's as typed first.
    """
    terms = search_terms([t for t in tokens if "|" not in t])
    for token in tokens:
        if "|" in token:
            either: dict = {}
            for word in token.split("|"):
                for term in search_terms([word]):
                    either.update(dict.fromkeys(term))
            if either:
                terms.append(tuple(either))
    return terms


def _monthly_pay(q: str) -> int | None:
    """The monthly wage named in a normalised query ("5000-8000" -> 5000), or None."""
    if not _PAY_HINT_RE.search(q) or _NOT_MONTHLY_RE.search(q):
        return None  # no digit and no 万: no pay (most searches stop at this one scan)
    bare = _BARE_PAY_RE.fullmatch("".join(q.split()))
    low = int(bare.group(1)) if bare else parse_salary(q)[0]
    return low if low and low <= _INTS["salary"][1] else None


@cache
def _short_names(districts: tuple[str, ...]) -> dict[str, str]:
    """District names without their 区/县/市 (江宁 -> 江宁区), as people type them."""
    return {d[:-1]: d for d in districts if len(d) > 2 and d[-1] in "区县市"}


def _query_tokens(f: dict) -> list[str]:
    """Segment q; what q says that a filter holds becomes that filter: a district name the
    district, a monthly wage 期望月薪 (the index keeps no pay, so the numbers could never
    match), 日结 the daily_pay filter."""
    q = normalise(f.get("q") or "")
    if f.get("salary") is None and f.get("pay_unit") in (None, "", "month"):
        pay = _monthly_pay(q)
        if pay is not None:
            f["salary"] = pay
    if "结" in q and _DAILY_PAY_RE.search(q):
        f["daily_pay"] = True
        q = _DAILY_PAY_RE.sub(" ", q)
    districts = reference.districts()
    short = _short_names(districts)
    tokens: list[str] = []
    for chunk in q.split():
        # "焊工/电工", "焊工、电工": either word, when each side is one searchable word.
        sides = [_segmented(side) for side in _EITHER_RE.split(chunk) if side]
        if len(sides) > 1 and all(len(w) == 1 and w[0] not in short for w in sides):
            words = [w[0] for w in sides]
            if not any(w in districts for w in words):
                tokens.append("|".join(dict.fromkeys(words)))
                continue
        tokens.extend(_segmented(chunk))
    tokens = list(dict.fromkeys(tokens))
    kept = []
    for tok in tokens:
        name = tok if tok in districts else short.get(tok)
        if name and (not f.get("district") or f["district"] == name):
            f["district"] = name
            continue
        kept.append(tok)
    return kept[:MAX_TERMS]


def query_terms(filters: dict) -> tuple[list, dict]:
    """What a search matches on, for code that checks positions one by one (job alerts):
    the keyword terms (every term must match; a term matches when all tokens of one of its
    alternatives are among a position's search tokens) and the filters, with a district typed
    into the keywords moved to the district filter, as search_positions does."""
    f = {k: v for k, v in (filters or {}).items() if k not in ("page", "page_size")}
    return _expanded(tuple(_query_tokens(f))), f


def search_positions(filters: dict, page: int = 1, page_size: int = 20) -> SearchResult:
    """Published, not expired positions matching the filters, one page of them.

    `filters` is the output of parse_filters (or a dict with the same keys). Keyword results
    are ordered by relevance, then newest first; browsing is newest first; id breaks ties, so
    pages never overlap or skip a row while the data stays the same.
    """
    f = {k: v for k, v in (filters or {}).items() if k not in ("page", "page_size")}
    page = min(max(int(page or 1), 1), MAX_PAGE)
    page_size = min(max(int(page_size or 20), 1), MAX_PAGE_SIZE)
    q = normalise(f.get("q") or "")
    if len(q) > MAX_QUERY_LEN:
        raise DomainError(
            f"搜索关键词不能超过 {MAX_QUERY_LEN} 个字。",
            code="validation_error",
            fields={"q": f"搜索关键词不能超过 {MAX_QUERY_LEN} 个字。"},
        )
    cache = _result_cache()
    if cache is None:
        return _search(f, page, page_size)
    if needs_sync():
        sync_with_database(db.engine)
    key = (
        tuple(sorted((k, " ".join(q.split()) if k == "q" else v) for k, v in f.items() if v)),
        page,
        page_size,
        china_today(),
    )
    return cache.get_or_compute(key, lambda: _search(f, page, page_size))


def _result_cache() -> ResultCache | None:
    """This app's cache of results (None when SEARCH_CACHE_TTL is 0)."""
    app = current_app._get_current_object()
    cache = app.extensions.get("jobfair_search_cache")
    if cache is None:
        ttl = float(app.config.get("SEARCH_CACHE_TTL", 30))
        if ttl <= 0:
            return None
        size = int(app.config.get("SEARCH_CACHE_SIZE", 1024))
        cache = app.extensions.setdefault("jobfair_search_cache", ResultCache(size, ttl))
    return cache


def _tune_connection(connection) -> None:
    """Read-heavy search on SQLite: map the file into memory, keep a bigger page cache.

    Applied once per pooled connection. The ranking reads thousands of rows scattered over
    the positions table; through mmap that costs about half as much as through read().
    """
    if connection.dialect.name != "sqlite" or connection.info.get("jobfair_tuned"):
        return
    connection.exec_driver_sql("PRAGMA mmap_size = 268435456")
    connection.exec_driver_sql("PRAGMA cache_size = -16384")
    connection.info["jobfair_tuned"] = True


def _search(f: dict, page: int, page_size: int) -> SearchResult:
    given = {key: f.get(key) for key in ("district", "salary", "daily_pay")}
    tokens = _query_tokens(f)
    terms = _expanded(tuple(tokens))
    notices = []
    if f.get("salary") != given["salary"]:
        notices.append(
            f"关键词里的工资已按“期望月薪 {f['salary']} 元”筛选：只列出按月计薪、"
            f"最高月薪不低于 {f['salary']} 元的岗位。"
        )
    if f.get("daily_pay") != given["daily_pay"]:
        notices.append("关键词里的“日结”已改为筛选条件：只列出每天结清工钱的岗位。")
    moved = any(f.get(key) != value for key, value in given.items())
    if (f.get("q") or "").strip() and not terms and not moved:
        notices.append("关键词里没有可以搜索的文字（如岗位名称、技能），下面列出全部岗位。")
    notice = "".join(notices)
    params = {"today": china_today(), "limit": page_size, "offset": (page - 1) * page_size}
    keys = []
    for key in FILTER_KEYS:
        value = f.get(key)
        if value is None or value == "" or (key == "daily_pay" and not value):
            continue  # daily_pay=false means "either", not "only those paid monthly"
        keys.append(key)
        params[key] = value
    if "occupation" in params:
        prefix = occupation_prefix(params["occupation"])
        params["occupation"], params["occupation_like"] = prefix, prefix + "-%"
    widened = any(len(term) > 1 for term in terms)
    if current_app.config.get("SEARCH_INDEX", "memory") == "database":
        items, total = _rank_in_database(terms, widened, keys, params, page, page_size)
    else:
        items, total = _rank_in_memory(terms, widened, params, page_size)
    if not total and any(t.isalpha() and t.isascii() for t in tokens):
        # hangong, dg: posts are written in characters, and nothing spells them in pinyin.
        notice += (
            "没有找到用字母输入的词。如果输入的是拼音或拼音首字母，请改用汉字（如“焊工”“电工”）。"
        )
    return SearchResult(
        item_json=items,
        total=total,
        page=page,
        pages=math.ceil(total / page_size) if total else 0,
        page_size=page_size,
        filters=f,
        tokens=tokens,
        notice=notice,
    )


def _rank_in_database(terms, widened, keys, params, page, page_size):
    """One page and the total, ranked by the database's full-text index (SEARCH_INDEX=database)."""
    _tune_connection(db.session.connection())
    dialect = db.engine.dialect.name
    if terms:
        build = _fts5_match if dialect == "sqlite" else _tsquery
        params["match"] = build(terms)
        if widened:
            params["exact"] = build([(term[0],) for term in terms])
    page_stmt, count_stmt = _statements_for(dialect, bool(terms), widened, tuple(keys))
    rows = db.session.execute(page_stmt, params).all()
    offset = params["offset"]
    if terms and rows:
        total = int(rows[0].total)  # count(*) OVER (): the ranking had to see every match
    elif not rows and page == 1:
        total = 0
    elif rows and len(rows) < page_size:
        total = offset + len(rows)
    else:
        total = db.session.execute(count_stmt, params).scalar_one()
    # Columns 1..17 are SUMMARY_COLUMNS in PositionSummary's field order; the last is groups.
    return [item_json(summary_of_row(r[1:])) for r in rows], total


def _rank_in_memory(terms, widened, params, page_size):
    """One page and the total, ranked by this process's search index (textindex), whose rows
    carry their list items: no query per request."""
    index = textindex.current()
    exact_terms = [(term[0],) for term in terms] if widened else None
    rows, total = index.search(
        terms, exact_terms, params, params["today"], params["offset"], page_size
    )
    return index.items_of(rows), total


def latest_positions(limit: int = 10) -> list[PositionSummary]:
    """The newest published positions (home page)."""
    return search_positions({}, 1, limit).items


# --- detail ---------------------------------------------------------------------------------


def can_manage(user, position: Position) -> bool:
    """The owning employer and organisers may see a position that is not public."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.ORGANISER:
        return True
    return user.role == Role.EMPLOYER and position.employer.user_id == user.id


def get_public_position(user, position_id: int) -> Position:
    """A published position for anyone; a draft, held or closed one only for its manager."""
    if not is_id(position_id):  # a 20-digit id in a URL is not a database error
        raise NotFound("岗位不存在或已下线。")
    position = db.session.get(Position, position_id)
    if position is None:
        raise NotFound("岗位不存在或已下线。")
    if position.status != PositionStatus.PUBLISHED and not can_manage(user, position):
        raise NotFound("岗位不存在或已下线。")
    return position


def can_see_contact(user) -> bool:
    """Employer contacts are for signed-in users only (keeps them away from scrapers)."""
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_expired(position, today: date | None = None) -> bool:
    return position.deadline is not None and position.deadline < (today or china_today())


# --- filter choices -------------------------------------------------------------------------

_choices_lock = threading.Lock()
_categories: list[tuple[str, str, list[tuple[str, str]]]] | None = None


def category_choices() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """[(major prefix, major name, [(middle prefix, middle name), ...]), ...] for the filter.

    Read from the classification data file the migration loads, once per process.
    """
    global _categories
    if _categories is None:
        with _choices_lock:
            if _categories is None:
                majors: dict[str, tuple[str, list]] = {}
                for row in reference.occupation_rows():
                    prefix = occupation_prefix(row["code"])
                    if row["level"] == "1":
                        majors.setdefault(prefix, (row["name"], []))
                for row in reference.occupation_rows():
                    if row["level"] == "2":
                        prefix = occupation_prefix(row["code"])
                        major = prefix.split("-", 1)[0]
                        if major in majors and all(p != prefix for p, _ in majors[major][1]):
                            majors[major][1].append((prefix, row["name"]))
                _categories = [
                    (code, name, sorted(middles))
                    for code, (name, middles) in sorted(majors.items())
                ]
    return _categories


def category_name(prefix: str | None) -> str:
    """The name of a major or middle group prefix, for "当前筛选" summaries."""
    if not prefix:
        return ""
    prefix = occupation_prefix(prefix)
    for code, name, middles in category_choices():
        if code == prefix:
            return name
        for mcode, mname in middles:
            if mcode == prefix:
                return mname
    row = db.session.get(Occupation, prefix)
    return row.name if row else prefix
