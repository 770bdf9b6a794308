"""Documents to features: feature words, character bigrams, TF-IDF fitting and occupation columns."""

import re
import threading
from collections.abc import Sequence
from itertools import chain, repeat

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from jobfair.matching.docs import GROUP_BITS, PositionDoc, SeekerDoc
from jobfair.matching.occupations import catalogue
from jobfair.matching.text import MAX_TEXT_CHARS, cap_text, segment_for_index

MAX_TOKENS = 3000  # per document; the text itself is capped at text.MAX_TEXT_CHARS
QUERY_TERMS = 16  # strongest words (and, separately, character pairs) kept per seeker query

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

_ONE_CHAR_RE = re.compile(r"(?<!\S)\S(?!\S)")
_LONG_CJK_RE = re.compile(r"(?<!\S)[\u3400-\u4dbf\u4e00-\u9fff]{3,}(?=\s|$)")
_BIGRAM_RE = re.compile(r"(?=(\S\S))")


# --- words -----------------------------------------------------------------------------------


def split_tokens(tokens: str, texts: Sequence[str]) -> list[str]:
    """Feature words: stored tokens (or the texts segmented now), minus one-character tokens and
    words naming protected attributes."""
    stored = tokens and tokens.strip()
    text = tokens if stored else segment_for_index(*texts)
    words = _ONE_CHAR_RE.sub(" ", text).split(None, MAX_TOKENS)[:MAX_TOKENS]
    if not PROTECTED_WORDS.isdisjoint(words):
        words = [w for w in words if w not in PROTECTED_WORDS]
    return words


def char_grams(words: list[str]) -> list[str]:
    """Character bigrams inside the Chinese words of three or more characters."""
    long_words = _LONG_CJK_RE.findall(" ".join(words))
    return _BIGRAM_RE.findall(" ".join(long_words)) if long_words else []


def position_words(doc: PositionDoc) -> list[str]:
    return split_tokens(doc.tokens, (doc.title, doc.description, doc.requirements))


def seeker_words(doc: SeekerDoc) -> list[str]:
    words = split_tokens(doc.tokens, (doc.text,))
    if not (doc.tokens and doc.tokens.strip()):
        # Stored tokens already carry the wished occupations' names (seekers.index_profile).
        cat = catalogue()
        names = [cat.names[cat.index[c]] for c in doc.desired_occupations if c in cat.index]
        if names:
            words += split_tokens("", (" ".join(names),))
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


# --- TF-IDF vectors --------------------------------------------------------------------------


def _identity(tokens):
    return tokens


def make_vectorizer(max_df: float) -> TfidfVectorizer:
    """A TF-IDF vectorizer over word lists made here (it never tokenises text itself)."""
    return TfidfVectorizer(analyzer=_identity, sublinear_tf=True, max_df=max_df, dtype=np.float32)


def fit_vectorizer(vec: TfidfVectorizer, make_docs, n_docs: int):
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


def transform(vec: TfidfVectorizer, docs: list[list[str]]):
    """vec.transform(docs) for a fitted vectorizer, with the counting done in numpy.

    The same count matrix as scikit-learn's (float32 counts, sorted int32 indices) goes through
    the vectorizer's own TF-IDF step, so the result is identical (tests/test_matching_batch.py
    compares them); only the per-word Python loop of CountVectorizer is avoided.
    """
    vocab = vec.vocabulary_
    width = len(vocab)
    words = chain.from_iterable(docs)
    cols = np.fromiter(map(vocab.get, words, repeat(-1)), dtype=np.int64)
    rows = np.repeat(np.arange(len(docs), dtype=np.int64), [len(d) for d in docs])
    ok = cols >= 0
    keys, counts = np.unique(rows[ok] * width + cols[ok], return_counts=True)
    r, c = np.divmod(keys, width)
    indptr = np.searchsorted(r, np.arange(len(docs) + 1)).astype(np.int32)
    counted = sp.csr_matrix(
        (counts.astype(np.float32), c.astype(np.int32), indptr), shape=(len(docs), width)
    )
    return vec._tfidf.transform(counted, copy=False)


def prune_query(q):
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


# --- occupation columns ----------------------------------------------------------------------


class Taxonomy:
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
        self._known = {c: self._ids(c) for c in cat.codes}

    def ids(self, code: str) -> tuple[int, int, int]:
        known = self._known.get(code)
        return known if known is not None else self._ids(code)

    def _ids(self, code: str) -> tuple[int, int, int]:
        code = (code or "").strip()
        parts = code.split("-")
        if len(parts) != 4:
            return -1, -1, -1
        return (
            self.occ.get(code, -1),
            self.minor.get("-".join(parts[:3]), -1),
            self.middle.get("-".join(parts[:2]), -1),
        )


_taxonomy: Taxonomy | None = None
_tax_lock = threading.Lock()


def taxonomy() -> Taxonomy:
    global _taxonomy
    if _taxonomy is None:
        with _tax_lock:
            if _taxonomy is None:
                _taxonomy = Taxonomy()
    return _taxonomy
