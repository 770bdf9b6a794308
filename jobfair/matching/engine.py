"""MatchingEngine: an in-memory index of positions that recommends positions and ranks seekers.

Build it from stored tokens (MatchingEngine.build), keep it current with add/remove, save it
under the app's instance/ folder and load it back. The score is documented in scoring.py.

Layout: each position is one row of a sparse matrix whose columns are weighted TF-IDF word
features, weighted TF-IDF character-bigram features and one-hot columns for its occupation
and its minor group. A seeker is a row over the same columns (unit TF-IDF vectors and 1s for
the wished occupations and their minor groups), so one sparse product ranks every position by
what the work is (text + occupation). The best `candidates` are then scored exactly with the
rest (middle group, district, priority group, form of work, salary, education), and only the
final k get reasons. Vocabulary and IDF are fixed at build
time: words first seen in positions added later count once the index is rebuilt (`flask match
rebuild`; small indices refit themselves as they grow), while their occupation and the other
fields count at once.

Persistence uses joblib (pickle): load only files this app wrote itself under instance/,
never a file from an upload or another machine (unpickling runs code).
"""

import gc
import re
import threading
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path

import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from jobfair.matching.docs import (
    EDUCATION_RANK,
    GROUP_BITS,
    GROUP_LABELS,
    WORK_FORM_BITS,
    WORK_FORM_LABELS,
    Match,
    PositionDoc,
    SeekerDoc,
    SeekerMatch,
)
from jobfair.matching.occupations import catalogue
from jobfair.matching.scoring import MAX_SKILL_TERMS, ScoringWeights
from jobfair.matching.text import MAX_TEXT_CHARS, cap_text, segment_for_index

FORMAT_VERSION = 1
MAX_TOKENS = 3000  # per document; the text itself is capped at text.MAX_TEXT_CHARS
DISTRICT_SLOTS = 512  # distinct districts with a one-hot column (a city has a dozen or two)
CHUNK = 256  # seekers per block in batch recommendation
# Words in more than this share of positions (in indices of 1,000 or more) are no feature: their
# IDF is near zero, and they would make every product dense.
MAX_DF = 0.1
QUERY_TERMS = 16  # strongest words (and, separately, character pairs) kept per seeker query
MIN_SKILL_SHARE = 0.01  # raw text contribution below which no 技能匹配 reason is given
# Small indices get refitted (new words counted) when compacting; large ones only appended.
REFIT_BELOW = 5000

# Words that name a protected attribute (gender, age, ethnicity, marital status, origin):
# never a matching feature, whatever either side wrote.
# fmt: off
PROTECTED_WORDS = frozenset((
    "男", "女", "男性", "女性", "男士", "女士", "男生", "女生", "先生", "小姐", "男女", "男女不限",
    "限男", "限女", "男工", "女工", "性别", "年龄", "周岁", "岁以下", "岁以上", "年轻", "年纪",
    "已婚", "未婚", "离异", "已育", "未育", "婚育", "婚姻", "怀孕", "生育", "民族", "汉族",
    "回族", "满族", "蒙古族", "藏族", "维吾尔族", "壮族", "苗族", "彝族", "土家族", "朝鲜族",
    "少数民族", "籍贯", "户籍", "户口", "本地人", "外地人", "外地", "宗教", "信仰", "党员",
    "身高", "体重", "相貌", "颜值", "形象好", "长相", "宝妈", "大龄", "本地", "少数", "婚否",
    "生肖", "属相", "血型", "星座", "残疾", "健全",
))
# fmt: on


_GROUP_NAMES = {
    mask: [GROUP_LABELS[g] for g, bit in GROUP_BITS.items() if mask & bit]
    for mask in range(1, 1 << len(GROUP_BITS))
}
_FORM_NAMES = {
    mask: next(WORK_FORM_LABELS[f] for f, bit in WORK_FORM_BITS.items() if mask & bit)
    for mask in range(1, 1 << len(WORK_FORM_BITS))
}
_GROUP_REASONS = {mask: "岗位欢迎" + "、".join(names) for mask, names in _GROUP_NAMES.items()}
_FORM_REASONS = {mask: "工作形式：" + name for mask, name in _FORM_NAMES.items()}


def _pick_terms(candidates: list[str]) -> list[str]:
    """Up to MAX_SKILL_TERMS words, best first, naming 氩弧焊 rather than its part 弧焊."""
    if len(candidates) <= 1:
        return candidates
    joined = "\x00".join(candidates)  # a word inside another one occurs twice here
    return [t for t in candidates if joined.count(t) == 1][:MAX_SKILL_TERMS]


@contextmanager
def _no_gc_pauses():
    """Pause the cyclic garbage collector while building many small acyclic results.

    Millions of Match tuples would otherwise trigger full collections that rescan the whole
    heap again and again (measured: more than half of a batch's time). Nothing built here
    forms a cycle, and the collector's previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _prune(q):
    """Keep each query row's QUERY_TERMS strongest features (in place; rows are l2 vectors).

    The weakest features of a query are the most common words: they add almost nothing to
    a cosine but touch the most positions, so dropping them makes the product several times
    cheaper. Both recommend and score use the same pruned query, so they always agree.
    """
    indptr, data = q.indptr, q.data
    for r in np.flatnonzero(np.diff(indptr) > QUERY_TERMS):
        a, b = indptr[r], indptr[r + 1]
        weakest = np.argpartition(data[a:b], b - a - QUERY_TERMS)[: b - a - QUERY_TERMS]
        data[a + weakest] = 0.0
    q.eliminate_zeros()
    return q


def _identity(tokens):
    return tokens


_ONE_CHAR_RE = re.compile(r"(?<!\S)\S(?!\S)")
_LONG_CJK_RE = re.compile(r"(?<!\S)[\u3400-\u4dbf\u4e00-\u9fff]{3,}(?=\s|$)")
_BIGRAM_RE = re.compile(r"(?=(\S\S))")


def _split_tokens(tokens: str, texts: Sequence[str]) -> list[str]:
    """Feature words: stored tokens (or the texts segmented now), minus one-character tokens and
    words naming protected attributes."""
    stored = tokens and tokens.strip()
    text = tokens if stored else segment_for_index(*texts)
    words = _ONE_CHAR_RE.sub(" ", text).split(None, MAX_TOKENS)[:MAX_TOKENS]
    if not PROTECTED_WORDS.isdisjoint(words):
        words = [w for w in words if w not in PROTECTED_WORDS]
    return words


def _char_grams(words: list[str]) -> list[str]:
    """Character bigrams inside the Chinese words of three or more characters."""
    long_words = _LONG_CJK_RE.findall(" ".join(words))
    return _BIGRAM_RE.findall(" ".join(long_words)) if long_words else []


def position_words(doc: PositionDoc) -> list[str]:
    return _split_tokens(doc.tokens, (doc.title, doc.description, doc.requirements))


def seeker_words(doc: SeekerDoc) -> list[str]:
    words = _split_tokens(doc.tokens, (doc.text,))
    if not (doc.tokens and doc.tokens.strip()):
        # Stored tokens already carry the wished occupations' names (seekers.index_profile).
        cat = catalogue()
        names = [cat.names[cat.index[c]] for c in doc.desired_occupations if c in cat.index]
        if names:
            words += _split_tokens("", (" ".join(names),))
    return words


def input_notes(doc: PositionDoc | SeekerDoc) -> tuple[str, ...]:
    """What the engine had to ignore or cut in a document, in Chinese, for the person who wrote it."""
    notes = []
    texts = (
        (doc.title, doc.description, doc.requirements)
        if isinstance(doc, PositionDoc)
        else (doc.text,)
    )
    if any(cap_text(t)[1] for t in texts):
        notes.append(f"文字过长，只分析了前 {MAX_TEXT_CHARS} 个字。")
    cat = catalogue()
    codes = (
        (doc.occupation_code,) if isinstance(doc, PositionDoc) else tuple(doc.desired_occupations)
    )
    unknown = [c for c in codes if c and c not in cat.index]
    if unknown:
        notes.append("未识别的职业编码已忽略：" + "、".join(unknown))
    if isinstance(doc, SeekerDoc):
        bad = [g for g in doc.groups if g not in GROUP_BITS]
        if bad:
            notes.append("未识别的重点群体已忽略：" + "、".join(bad))
        known = [c for c in doc.desired_occupations if c in cat.index]
        if not (known or seeker_words(doc)):
            # Recommendations need what the work is: words or a wished occupation.
            notes.append("简历信息太少，暂时无法推荐岗位：请填写技能或期望职业。")
    return tuple(notes)


class _Taxonomy:
    """Occupation code -> (occupation, minor group, middle group) column indices."""

    def __init__(self) -> None:
        cat = catalogue()
        self.codes = cat.codes
        self.names = cat.names
        self.occ = cat.index
        minors = sorted({c.rsplit("-", 1)[0] for c in cat.codes})
        middles = sorted({c.split("-")[0] + "-" + c.split("-")[1] for c in cat.codes})
        self.minor = {m: i for i, m in enumerate(minors)}
        self.middle = {m: i for i, m in enumerate(middles)}

    def ids(self, code: str) -> tuple[int, int, int]:
        code = (code or "").strip()
        parts = code.split("-")
        if len(parts) != 4:
            return -1, -1, -1
        return (
            self.occ.get(code, -1),
            self.minor.get("-".join(parts[:3]), -1),
            self.middle.get("-".join(parts[:2]), -1),
        )


_taxonomy: _Taxonomy | None = None
_tax_lock = threading.Lock()


def taxonomy() -> _Taxonomy:
    global _taxonomy
    if _taxonomy is None:
        with _tax_lock:
            if _taxonomy is None:
                _taxonomy = _Taxonomy()
    return _taxonomy


class _Seekers:
    """A block of encoded seekers: the query matrix and dense lookup tables for exact scoring."""

    def __init__(self, engine: "MatchingEngine", seekers: Sequence[SeekerDoc]) -> None:
        tax = taxonomy()
        n = len(seekers)
        self.docs = list(seekers)
        words = [seeker_words(s) for s in seekers]
        self.word_q = _prune(engine._word_vec.transform(words).astype(np.float32).tocsr())
        self.word_q.sort_indices()
        self.char_q = _prune(
            engine._char_vec.transform([_char_grams(w) for w in words]).astype(np.float32).tocsr()
        )
        self.occ = np.zeros((n, len(tax.occ) + 1), dtype=bool)  # last column: "unknown"
        self.minor = np.zeros((n, len(tax.minor) + 1), dtype=bool)
        self.middle = np.zeros((n, len(tax.middle) + 1), dtype=bool)
        self.district = np.zeros((n, DISTRICT_SLOTS + 1), dtype=bool)
        self.groups = np.zeros(n, dtype=np.int64)
        self.forms = np.zeros(n, dtype=np.int64)
        self.salary = np.zeros(n, dtype=np.int64)
        self.edu = np.zeros(n, dtype=np.int64)
        self.has_any = np.zeros(n, dtype=bool)
        occ_r, occ_c, minor_c, middle_c, dist_r, dist_c = [], [], [], [], [], []
        cols: list[int] = []
        rows: list[int] = []
        base = engine._n_text
        salary = self.salary
        edu = self.edu
        forms = self.forms
        groups = self.groups
        for r, s in enumerate(seekers):
            mine: set[int] = set()
            for code in s.desired_occupations or ():
                o, mi, md = tax.ids(code)
                if o >= 0:
                    occ_r.append(r)
                    occ_c.append(o)
                    mine.add(base + engine._off_occ + o)
                if mi >= 0:
                    minor_c.append((r, mi))
                    mine.add(base + engine._off_minor + mi)
                if md >= 0:
                    middle_c.append((r, md))
            for d in s.districts or ():
                slot = engine._district_slot(d, create=False)
                if slot >= 0:
                    dist_r.append(r)
                    dist_c.append(slot)
            g = 0
            for code in s.groups or ():
                g |= GROUP_BITS.get(code, 0)
            groups[r] = g
            f = 0
            for code in s.work_forms or ():
                f |= WORK_FORM_BITS.get(code, 0)
            forms[r] = f
            salary[r] = max(0, int(s.salary_min or 0))
            edu[r] = EDUCATION_RANK.get(s.education or "none", 0)
            self.has_any[r] = bool(words[r] or mine)
            rows.extend([r] * len(mine))
            cols.extend(mine)
        self.occ[occ_r, occ_c] = True
        if minor_c:
            self.minor[tuple(np.array(minor_c).T)] = True
        if middle_c:
            self.middle[tuple(np.array(middle_c).T)] = True
        self.district[dist_r, dist_c] = True
        structured = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, engine._n_features)
        )
        text = sp.hstack([self.word_q, self.char_q]).tocsr()
        text.resize((n, engine._n_features))
        self.q = (text + structured).tocsr()
        self.q.sort_indices()


class MatchingEngine:
    """Positions in memory, ranked for seekers (recommend) and seekers for positions (rank_seekers)."""

    def __init__(self, weights: ScoringWeights | None = None) -> None:
        self.weights = weights or ScoringWeights()
        self.version = 0
        self._lock = threading.RLock()
        self._districts: dict[str, int] = {}
        self._fit([])

    # --- building ------------------------------------------------------------------------

    def _reset_rows(self) -> None:
        self._ids = np.zeros(0, dtype=np.int64)
        self._alive = np.zeros(0, dtype=bool)
        self._occ = np.zeros(0, dtype=np.int32)
        self._minor = np.zeros(0, dtype=np.int32)
        self._middle = np.zeros(0, dtype=np.int32)
        self._district = np.zeros(0, dtype=np.int32)
        self._form = np.zeros(0, dtype=np.int64)
        self._groups = np.zeros(0, dtype=np.int64)
        self._sal_max = np.zeros(0, dtype=np.int64)
        self._edu = np.zeros(0, dtype=np.int64)
        self._tokens: list[str] = []
        self._row_of: dict[int, int] = {}
        self._base_rows = 0
        self._X_base = None
        self._XT_base = None
        self._X_delta = None

    @classmethod
    def build(
        cls, positions: Iterable[PositionDoc], weights: ScoringWeights | None = None
    ) -> "MatchingEngine":
        """An engine over these positions (the last doc wins when an id repeats)."""
        engine = cls(weights)
        docs = list({p.id: p for p in positions}.values())
        engine._fit(docs)
        engine.version = 1
        return engine

    def _fit(self, docs: list[PositionDoc], tokens: list[str] | None = None) -> None:
        if tokens is None:
            # The stored tokens as they are; only documents without them are segmented (once).
            tokens = [
                d.tokens if d.tokens and d.tokens.strip() else " ".join(position_words(d))
                for d in docs
            ]
        big = len(docs) >= 1000
        self._word_vec = self._vectorizer(max_df=MAX_DF if big else 1.0)
        self._char_vec = self._vectorizer(max_df=MAX_DF if big else 1.0)
        # Generators: the word lists of 100,000 documents never sit in memory all at once.
        n = len(docs)
        xw = self._fit_one(self._word_vec, lambda: (_split_tokens(t, ()) for t in tokens), n)
        xc = self._fit_one(
            self._char_vec, lambda: (_char_grams(_split_tokens(t, ())) for t in tokens), n
        )
        self._terms = np.asarray(self._word_vec.get_feature_names_out(), dtype=object)
        self._n_words = xw.shape[1]
        self._n_text = xw.shape[1] + xc.shape[1]
        tax = taxonomy()
        self._off_occ = 0
        self._off_minor = len(tax.occ)
        self._off_middle = self._off_minor + len(tax.minor)
        self._n_features = self._n_text + self._off_middle + len(tax.middle)
        self._reset_rows()
        w = self.weights
        text = sp.hstack(
            [xw * (w.text * w.word_share), xc * (w.text * (1.0 - w.word_share))]
        ).tocsr()
        attrs = [self._attributes(d) for d in docs]
        self._append_attributes(docs, attrs, tokens)
        structured = self._structured_rows(attrs)
        x = text.astype(np.float32)
        x.resize((len(docs), self._n_features))
        self._set_base((x + structured).tocsr())

    @staticmethod
    def _vectorizer(max_df: float) -> TfidfVectorizer:
        return TfidfVectorizer(
            analyzer=_identity, sublinear_tf=True, max_df=max_df, dtype=np.float32
        )

    @staticmethod
    def _fit_one(vec: TfidfVectorizer, make_docs, n_docs: int):
        """fit_transform over a fresh iterator from make_docs (lists are never all in memory)."""
        try:
            return vec.fit_transform(make_docs())
        except ValueError:
            pass  # max_df pruned every word (a tiny or uniform corpus), or there is no word
        vec.set_params(max_df=1.0)
        try:
            return vec.fit_transform(make_docs())
        except ValueError:
            # An empty vocabulary is an error in scikit-learn; a sentinel keeps shapes valid.
            vec.fit([["\x00"]])
            return sp.csr_matrix((n_docs, 1), dtype=np.float32)

    def _set_base(self, x) -> None:
        x.sort_indices()
        self._X_base = x
        self._XT_base = x.T.tocsr()
        self._XW_base = x[:, : self._n_words].tocsr()  # for the 技能匹配 reasons
        self._base_rows = x.shape[0]
        self._X_delta = None

    def _district_slot(self, district: str, create: bool) -> int:
        district = (district or "").strip()
        if not district:
            return -1
        slot = self._districts.get(district)
        if slot is None and create and len(self._districts) < DISTRICT_SLOTS:
            slot = self._districts[district] = len(self._districts)
        return -1 if slot is None else slot

    def _attributes(self, doc: PositionDoc) -> tuple:
        o, mi, md = taxonomy().ids(doc.occupation_code)
        groups = 0
        for g in doc.welcomed_groups or ():
            groups |= GROUP_BITS.get(g, 0)
        return (
            int(doc.id),
            o,
            mi,
            md,
            self._district_slot(doc.district, create=True),
            WORK_FORM_BITS.get(doc.work_form or "", 0),
            groups,
            max(int(doc.salary_max or 0), int(doc.salary_min or 0)),
            EDUCATION_RANK.get(doc.education or "none", 0),
        )

    def _append_attributes(self, docs, attrs: list[tuple], tokens: list[str]) -> None:
        start = len(self._ids)
        a = np.array(attrs, dtype=np.int64).reshape(len(attrs), 9)
        self._ids = np.concatenate([self._ids, a[:, 0]])
        self._alive = np.concatenate([self._alive, np.ones(len(attrs), dtype=bool)])
        self._occ = np.concatenate([self._occ, a[:, 1].astype(np.int32)])
        self._minor = np.concatenate([self._minor, a[:, 2].astype(np.int32)])
        self._middle = np.concatenate([self._middle, a[:, 3].astype(np.int32)])
        self._district = np.concatenate([self._district, a[:, 4].astype(np.int32)])
        self._form = np.concatenate([self._form, a[:, 5]])
        self._groups = np.concatenate([self._groups, a[:, 6]])
        self._sal_max = np.concatenate([self._sal_max, a[:, 7]])
        self._edu = np.concatenate([self._edu, a[:, 8]])
        self._tokens.extend(tokens)
        for i, doc_id in enumerate(a[:, 0].tolist()):
            self._row_of[doc_id] = start + i

    def _structured_rows(self, attrs: list[tuple]):
        w = self.weights
        rows, cols, vals = [], [], []
        for r, (_, o, mi, _md, _d, _f, _g, _s, _e) in enumerate(attrs):
            for col, val, ok in (
                (self._off_occ + o, w.occupation - w.occupation_minor, o >= 0),
                # The middle group (6-18) is scored exactly among the candidates only: its
                # column would touch a tenth of all positions and slow every product.
                (self._off_minor + mi, w.occupation_minor, mi >= 0),
            ):
                if ok and val > 0:
                    rows.append(r)
                    cols.append(self._n_text + col)
                    vals.append(val)
        return sp.csr_matrix(
            (np.array(vals, dtype=np.float32), (rows, cols)),
            shape=(len(attrs), self._n_features),
        )

    def _position_rows(self, docs: list[PositionDoc]):
        words = [position_words(d) for d in docs]
        w = self.weights
        xw = self._word_vec.transform(words) * (w.text * w.word_share)
        xc = self._char_vec.transform([_char_grams(x) for x in words]) * (
            w.text * (1.0 - w.word_share)
        )
        text = sp.hstack([xw, xc]).tocsr().astype(np.float32)
        text.resize((len(docs), self._n_features))
        attrs = [self._attributes(d) for d in docs]
        return (text + self._structured_rows(attrs)).tocsr(), attrs, [" ".join(x) for x in words]

    # --- incremental changes ---------------------------------------------------------------

    def add(self, position: PositionDoc) -> None:
        """Add a position, or replace the one with the same id."""
        self.add_many([position])

    def add_many(self, positions: Iterable[PositionDoc]) -> None:
        docs = list({p.id: p for p in positions}.values())
        if not docs:
            return
        with self._lock:
            for d in docs:
                self._kill(d.id)
            rows, attrs, tokens = self._position_rows(docs)
            self._append_attributes(docs, attrs, tokens)
            self._X_delta = (
                rows if self._X_delta is None else sp.vstack([self._X_delta, rows]).tocsr()
            )
            self._maybe_compact()
            self.version += 1

    def remove(self, position_id: int) -> bool:
        """Take a position out (closed, expired, deleted); False when it was not there."""
        with self._lock:
            found = self._kill(position_id)
            if found:
                self._maybe_compact()
                self.version += 1
            return found

    def _kill(self, position_id: int) -> bool:
        row = self._row_of.pop(int(position_id), None)
        if row is None:
            return False
        self._alive[row] = False
        return True

    def _maybe_compact(self) -> None:
        delta = 0 if self._X_delta is None else self._X_delta.shape[0]
        dead = int(len(self._alive) - self._alive.sum())
        limit = max(1000, len(self._alive) // 10)
        if delta + dead <= limit and not (
            self._base_rows < REFIT_BELOW and delta > self._base_rows
        ):
            return
        self._compact()

    def _compact(self) -> None:
        keep = np.flatnonzero(self._alive)
        if len(self._alive) < REFIT_BELOW or self._n_words <= 1:
            # Small index: refit, so words of added positions count too.
            docs = [self._doc_from_row(r) for r in keep.tolist()]
            self._fit(docs, [d.tokens for d in docs])
            return
        parts = [self._X_base] + ([self._X_delta] if self._X_delta is not None else [])
        x = sp.vstack(parts).tocsr()[keep]
        arrays = ("_ids", "_alive", "_occ", "_minor", "_middle", "_district", "_form", "_groups")
        for name in (*arrays, "_sal_max", "_edu"):
            setattr(self, name, getattr(self, name)[keep])
        self._tokens = [self._tokens[r] for r in keep.tolist()]
        self._row_of = {int(i): r for r, i in enumerate(self._ids.tolist())}
        self._set_base(x)

    def _doc_from_row(self, r: int) -> PositionDoc:
        tax = taxonomy()
        inv_d = {v: k for k, v in self._districts.items()}
        forms = [f for f, bit in WORK_FORM_BITS.items() if self._form[r] & bit]
        edu = [e for e, rank in EDUCATION_RANK.items() if rank == self._edu[r]]
        return PositionDoc(
            id=int(self._ids[r]),
            occupation_code=tax.codes[self._occ[r]] if self._occ[r] >= 0 else "",
            district=inv_d.get(int(self._district[r]), ""),
            salary_max=int(self._sal_max[r]),
            education=edu[0] if edu else "none",
            work_form=forms[0] if forms else "",
            welcomed_groups=tuple(g for g, bit in GROUP_BITS.items() if self._groups[r] & bit),
            tokens=self._tokens[r],
        )

    def occupation_of(self, position_id: int) -> str:
        """The indexed position's occupation code ("" when unknown or not indexed)."""
        r = self._row_of.get(int(position_id))
        if r is None or self._occ[r] < 0:
            return ""
        return taxonomy().codes[int(self._occ[r])]

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, position_id: int) -> bool:
        return int(position_id) in self._row_of

    # --- scoring -----------------------------------------------------------------------------

    def _prior_block(self, q):
        """Sparse-part scores of every row for a block of seekers (dense, rows x all positions)."""
        p = (q @ self._XT_base).toarray()
        if self._X_delta is not None:
            p = np.hstack([p, (q @ self._X_delta.T).toarray()])
        if not self._alive.all():
            p[:, ~self._alive] = 0.0
        return p

    def _exact(self, enc: _Seekers, srows: np.ndarray, prows: np.ndarray, prior: np.ndarray):
        """Exact raw scores and their parts for seeker rows x position rows (same shapes)."""
        w = self.weights
        occ = self._occ[prows]
        minor = self._minor[prows]
        middle = self._middle[prows]
        district = self._district[prows]
        occ_hit = enc.occ[srows, occ]  # index -1 reads the always-False last column
        minor_hit = enc.minor[srows, minor] & ~occ_hit
        middle_hit = enc.middle[srows, middle] & ~occ_hit & ~minor_hit
        occ_part = (
            w.occupation * occ_hit
            + w.occupation_minor * minor_hit
            + w.occupation_middle * middle_hit
        )
        district_hit = enc.district[srows, district]
        shared_groups = self._groups[prows] & enc.groups[srows]
        group_hit = shared_groups != 0
        retrieved = w.occupation * occ_hit + w.occupation_minor * minor_hit  # in the product
        text = np.maximum(prior - retrieved, 0.0)
        forms = enc.forms[srows]
        form_fit = (forms == 0) | ((self._form[prows] & forms) != 0)
        salary = enc.salary[srows]
        salary_fit = (salary == 0) | (self._sal_max[prows] >= salary)
        edu_fit = enc.edu[srows] >= self._edu[prows]
        raw = (
            text
            + occ_part
            + w.district * district_hit
            + w.priority_group * group_hit
            + w.work_form * form_fit
            + w.salary * salary_fit
            + w.education * edu_fit
        )
        return raw, text

    def recommend(self, seeker: SeekerDoc, k: int = 20) -> list[Match]:
        """The k best positions for the seeker, best first, ties by position id."""
        return self.recommend_many([seeker], k)[0]

    def recommend_many(self, seekers: Sequence[SeekerDoc], k: int = 20) -> list[list[Match]]:
        """recommend for many seekers at once (blocks of sparse products, vectorised scoring)."""
        seekers = list(seekers)
        k = max(0, int(k))
        if not seekers:
            return []
        with self._lock, _no_gc_pauses():
            if not len(self._row_of) or k == 0:
                return [[] for _ in seekers]
            out: list[list[Match]] = []
            n_rows = len(self._alive)
            pool = min(n_rows, max(int(self.weights.candidates), k))
            for start in range(0, len(seekers), CHUNK):
                enc = _Seekers(self, seekers[start : start + CHUNK])
                prior = self._prior_block(enc.q)
                if pool < n_rows:
                    cand = np.argpartition(-prior, pool - 1, axis=1)[:, :pool]
                else:
                    cand = np.broadcast_to(np.arange(n_rows), prior.shape)
                cand_prior = np.take_along_axis(prior, cand, axis=1)
                srows = np.arange(prior.shape[0])[:, None]
                raw, text = self._exact(enc, srows, cand, cand_prior)
                scores = np.round(raw / self.weights.total, 4)
                valid = (cand_prior > 1e-7) & enc.has_any[:, None]
                scores = np.where(valid, scores, -1.0)
                order = np.lexsort((self._ids[cand], -scores), axis=1)[:, :k]
                top = np.take_along_axis(cand, order, axis=1)
                top_scores = np.take_along_axis(scores, order, axis=1)
                top_text = np.take_along_axis(text, order, axis=1)
                keep = top_scores >= 0
                s_flat = np.broadcast_to(srows, top.shape)[keep]
                reasons = self._reasons(enc, s_flat, top[keep], top_text[keep])
                ids = self._ids[top[keep]].tolist()
                flat_scores = top_scores[keep].tolist()
                pos = 0
                for n in keep.sum(axis=1).tolist():
                    out.append(
                        [Match(ids[j], flat_scores[j], reasons[j]) for j in range(pos, pos + n)]
                    )
                    pos += n
            return out

    def _row_vector(self, position: PositionDoc):
        """The position's feature row, from the index when it is there and current."""
        r = self._row_of.get(int(position.id))
        if r is not None:
            if r < self._base_rows:
                return self._X_base[r], r
            return self._X_delta[r - self._base_rows], r
        return None, None

    def _pair_scores(self, position: PositionDoc, seekers: Sequence[SeekerDoc]):
        enc = _Seekers(self, seekers)
        x, row = self._row_vector(position)
        if x is None:
            # Not indexed (a draft, or a closed position): score it on the fly.
            rows, attrs, tokens = self._position_rows([position])
            x = rows
            tmp = MatchingEngine.__new__(MatchingEngine)
            tmp.__dict__.update(self.__dict__)
            tmp._ids = np.array([attrs[0][0]])
            tmp._occ, tmp._minor, tmp._middle, tmp._district = (
                np.array([a], dtype=np.int32) for a in attrs[0][1:5]
            )
            tmp._form, tmp._groups, tmp._sal_max, tmp._edu = (
                np.array([a], dtype=np.int64) for a in attrs[0][5:9]
            )
            tmp._alive = np.ones(1, dtype=bool)
            tmp._X_base, tmp._base_rows, tmp._X_delta = x, 1, None
            tmp._tokens = tokens
            owner, row = tmp, 0
        else:
            owner = self
        prior = np.asarray((enc.q @ x.T).toarray()).ravel()
        srows = np.arange(len(seekers))
        prows = np.full(len(seekers), row)
        raw, text = owner._exact(enc, srows, prows, prior)
        scores = np.round(raw / self.weights.total, 4)
        return owner, enc, row, prior, scores, text

    def rank_seekers(
        self, position: PositionDoc, seekers: Sequence[SeekerDoc], k: int = 20
    ) -> list[SeekerMatch]:
        """The k seekers (of those given) who fit the position best, ties by seeker id."""
        seekers = list(seekers)
        if not seekers or k <= 0:
            return []
        with self._lock:
            owner, enc, row, prior, scores, text = self._pair_scores(position, seekers)
            ids = np.array([int(s.id) for s in seekers], dtype=np.int64)
            ok = np.flatnonzero((prior > 1e-7) & enc.has_any)
            order = ok[np.lexsort((ids[ok], -scores[ok]))][:k]
            reasons = owner._reasons(enc, order, np.full(len(order), row), text[order])
            return [
                SeekerMatch(int(ids[i]), float(scores[i]), why)
                for i, why in zip(order, reasons, strict=True)
            ]

    def score(self, seeker: SeekerDoc, position: PositionDoc) -> Match:
        """The score and reasons of one seeker-position pair (0 and no reasons when nothing fits)."""
        with self._lock:
            if self._X_base is None:
                return Match(int(position.id), 0.0, ())
            owner, enc, row, prior, scores, text = self._pair_scores(position, [seeker])
            if prior[0] <= 1e-7 or not enc.has_any[0]:
                return Match(int(position.id), 0.0, ())
            reasons = owner._reasons(enc, np.zeros(1, dtype=np.int64), np.array([row]), text)
            return Match(int(position.id), float(scores[0]), reasons[0])

    # --- reasons -----------------------------------------------------------------------------

    def _word_rows(self, rows: np.ndarray):
        """Word-feature rows of the given position rows (CSR, one row per entry)."""
        rows = np.asarray(rows, dtype=np.int64)
        in_base = rows < self._base_rows
        if self._X_delta is None or in_base.all():
            return self._XW_base[rows]
        # Gather base and delta rows apart (never copying the whole base), then restore order.
        first, second = np.flatnonzero(in_base), np.flatnonzero(~in_base)
        delta = self._X_delta[rows[second] - self._base_rows][:, : self._n_words]
        stacked = sp.vstack([self._XW_base[rows[first]], delta]).tocsr()
        return stacked[np.argsort(np.concatenate([first, second]), kind="stable")]

    def _reasons(self, enc: _Seekers, srows, prows, text) -> list[tuple[str, ...]]:
        """Reasons for seeker/position row pairs, built only from what contributed."""
        srows = np.asarray(srows, dtype=np.int64)
        prows = np.asarray(prows, dtype=np.int64)
        if not len(srows):
            return []
        w = self.weights
        tax = taxonomy()
        occ, minor, middle = self._occ[prows], self._minor[prows], self._middle[prows]
        occ_hit = enc.occ[srows, occ] & (w.occupation > 0)
        near_hit = ~occ_hit & (
            (enc.minor[srows, minor] & (w.occupation_minor > 0))
            | (enc.middle[srows, middle] & (w.occupation_middle > 0))
        )
        shared_groups = (self._groups[prows] & enc.groups[srows]) * (w.priority_group > 0)
        district = self._district[prows]
        district_hit = enc.district[srows, district] & (w.district > 0)
        salary_hit = (enc.salary[srows] > 0) & (self._sal_max[prows] >= enc.salary[srows])
        salary_hit &= w.salary > 0
        edu_hit = (self._edu[prows] > 0) & (enc.edu[srows] >= self._edu[prows]) & (w.education > 0)
        form_shared = (self._form[prows] & enc.forms[srows]) * (w.work_form > 0)
        terms = self._shared_terms(enc, srows, prows, text)
        district_names = {v: "期望区域：" + k for k, v in self._districts.items()}
        occ_names = [
            ("职业对口：" + tax.names[o]) if hit else ("职业相近：" + tax.names[o]) if near else ""
            for o, hit, near in zip(
                occ.tolist(), occ_hit.tolist(), (near_hit & (occ >= 0)).tolist(), strict=True
            )
        ]
        return [
            tuple(
                filter(
                    None,
                    (
                        _GROUP_REASONS.get(g, ""),
                        occ_name,
                        ("技能匹配：" + "、".join(t)) if t else "",
                        district_names.get(d, "") if dh else "",
                        "薪资符合期望" if sh else "",
                        "学历符合要求" if eh else "",
                        _FORM_REASONS.get(f, ""),
                    ),
                )
            )
            for g, occ_name, t, d, dh, sh, eh, f in zip(
                shared_groups.tolist(),
                occ_names,
                terms,
                district.tolist(),
                district_hit.tolist(),
                salary_hit.tolist(),
                edu_hit.tolist(),
                form_shared.tolist(),
                strict=True,
            )
        ]

    def _shared_terms(self, enc: _Seekers, srows, prows, text) -> list[list[str]]:
        """Per pair, the top shared words by their contribution to the text score."""
        out: list[list[str]] = [[] for _ in range(len(srows))]
        need = np.flatnonzero(np.asarray(text) >= MIN_SKILL_SHARE)
        if not len(need) or self._n_words <= 1:
            return out
        x = self._word_rows(prows[need])
        # Look each of the position's words up in its seeker's (sorted) query row.
        q = enc.word_q
        width = np.int64(max(1, q.shape[1]))
        q_rows = np.repeat(np.arange(q.shape[0], dtype=np.int64), np.diff(q.indptr))
        q_keys = q_rows * width + q.indices
        x_keys = np.repeat(srows[need], np.diff(x.indptr)) * width + x.indices
        at = np.minimum(np.searchsorted(q_keys, x_keys), max(0, len(q_keys) - 1))
        found = (q_keys[at] == x_keys) if len(q_keys) else np.zeros(len(x_keys), dtype=bool)
        vals = np.where(found, x.data * q.data[at] if len(q_keys) else 0.0, 0.0)
        prod = sp.csr_matrix((vals.astype(np.float32), x.indices, x.indptr), shape=x.shape)
        prod.eliminate_zeros()
        if not prod.nnz:
            return out
        row_of_nz = np.repeat(np.arange(prod.shape[0]), np.diff(prod.indptr))
        order = np.lexsort((prod.indices, -prod.data, row_of_nz))
        rank = np.arange(len(order)) - prod.indptr[row_of_nz[order]]
        top = order[rank < 2 * MAX_SKILL_TERMS]
        terms = self._terms[prod.indices[top]].tolist()
        owners = row_of_nz[top]
        bounds = np.searchsorted(owners, np.arange(prod.shape[0] + 1))
        for i in range(prod.shape[0]):
            out[need[i]] = _pick_terms(terms[bounds[i] : bounds[i + 1]])
        return out

    # --- persistence -------------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the index to a file (joblib). Only ever load files this app wrote itself."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            state = {k: v for k, v in self.__dict__.items() if k != "_lock"}
            state["format"] = FORMAT_VERSION
            tmp = path.with_suffix(path.suffix + ".tmp")
            joblib.dump(state, tmp, compress=0)
            tmp.replace(path)  # readers never see half a file

    @classmethod
    def load(cls, path: str | Path) -> "MatchingEngine":
        """Read an index written by save(). Trusted files only: unpickling can run code."""
        state = joblib.load(Path(path))
        if not isinstance(state, dict) or state.get("format") != FORMAT_VERSION:
            raise ValueError("索引文件格式不对，请重新构建（flask match rebuild）。")
        engine = cls.__new__(cls)
        state.pop("format")
        engine.__dict__.update(state)
        engine._lock = threading.RLock()
        return engine
