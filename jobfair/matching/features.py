"""Documents to features: feature words, character bigrams, TF-IDF fitting and occupation columns."""

import re
import threading
from collections.abc import Sequence
from itertools import chain, repeat

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

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


def tfidf_rows(vec: TfidfVectorizer, rows: np.ndarray, cols: np.ndarray, n_docs: int):
    """TF-IDF rows from (document, feature column) occurrences; columns < 0 are left out.

    scikit-learn's TfidfTransformer.transform step by step in its own float32 arithmetic
    (sublinear tf, idf weights, its l2 normalisation routine), without its input checks.
    """
    width = len(vec.vocabulary_)
    ok = cols >= 0
    keys, counts = np.unique(rows[ok] * width + cols[ok], return_counts=True)
    r, c = np.divmod(keys, width)
    indptr = np.searchsorted(r, np.arange(n_docs + 1)).astype(np.int32)
    data = counts.astype(np.float32)
    c = c.astype(np.int32)
    tfidf = vec._tfidf
    if tfidf.sublinear_tf:
        np.log(data, data)
        data += 1.0
    if tfidf.use_idf:
        data *= tfidf.idf_[c]
    x = sp.csr_matrix((data, c, indptr), shape=(n_docs, width))
    if tfidf.norm == "l2":
        inplace_csr_row_normalize_l2(x)
    elif tfidf.norm is not None:
        x = normalize(x, norm=tfidf.norm, copy=False)
    return x


def rank_in_rows(indptr: np.ndarray, data: np.ndarray, stable: bool = False):
    """For the stored values of a CSR matrix with positive float32 data: each value's row, and
    the order and rank that sort every row's values from the largest, in one sort (positive
    floats' bits order them; stable keeps column order within a tie)."""
    rows = np.repeat(np.arange(len(indptr) - 1, dtype=np.int64), np.diff(indptr))
    bits = data.astype(np.float32).view(np.int32).astype(np.int64)
    order = np.argsort((rows << 31) | (0x7FFFFFFF - bits), kind="stable" if stable else None)
    rank = np.arange(len(order)) - indptr[rows[order]]
    return rows, order, rank


def prune_query(q):
    """Keep each query row's QUERY_TERMS strongest features (in place; rows are l2 vectors).

    The weakest features of a query are the most common words: they add almost nothing to
    a cosine but touch the most positions, so dropping them makes the product several times
    cheaper. Both recommend and score use the same pruned query, so they always agree.

    All rows at once: one sort by (row, strength). A row whose QUERY_TERMS-th strongest ties
    with the next is cut by argpartition over the row, as it always was (which of the tied
    features goes is argpartition's choice).
    """
    indptr, data = q.indptr, q.data
    lengths = np.diff(indptr)
    long = np.flatnonzero(lengths > QUERY_TERMS)
    if not len(long):
        return q
    _, order, rank = rank_in_rows(indptr, data)
    drop = np.zeros(len(data), dtype=bool)
    drop[order[rank >= QUERY_TERMS]] = True
    strongest = data[order]
    tied = long[strongest[indptr[long] + QUERY_TERMS - 1] == strongest[indptr[long] + QUERY_TERMS]]
    for r in tied.tolist():
        a, b = indptr[r], indptr[r + 1]
        drop[a:b] = False
        drop[a + np.argpartition(data[a:b], b - a - QUERY_TERMS)[: b - a - QUERY_TERMS]] = True
    data[drop] = 0.0
    q.eliminate_zeros()
    return q


class TokenTable:
    """Per distinct query token, what it adds to a query: kept on the index, built as met.

    A token counts as a feature word unless it is one character long or names a protected
    attribute (split_tokens); a word adds its word column (when in the vocabulary) and the
    columns of its character bigrams (char_grams). Seekers repeat the same words, so a batch
    looks each token up once in a dict instead of running the regular expressions again.
    """

    LIMIT = 200_000  # distinct tokens kept; beyond that the table starts again

    def __init__(self, word_vec: TfidfVectorizer, char_vec: TfidfVectorizer) -> None:
        self.word_vec, self.char_vec = word_vec, char_vec
        self._reset()

    def _reset(self) -> None:
        self.ids: dict[str, int] = {}
        self.valid = np.zeros(0, dtype=bool)
        self.word = np.zeros(0, dtype=np.int64)
        self.char_start = np.zeros(0, dtype=np.int64)
        self.char_count = np.zeros(0, dtype=np.int64)
        self.chars = np.zeros(0, dtype=np.int64)

    def lookup(self, token_lists: list[list[str]]) -> np.ndarray:
        """Entry ids of all tokens, list after list."""
        flat = list(chain.from_iterable(token_lists))
        ids = np.fromiter(map(self.ids.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
        miss = np.flatnonzero(ids < 0).tolist()
        if miss:
            missing = list(dict.fromkeys(flat[i] for i in miss))
            if len(self.ids) + len(missing) > self.LIMIT:
                self._reset()
            self._add(missing)
            ids = np.fromiter(map(self.ids.__getitem__, flat), dtype=np.int64, count=len(flat))
        return ids

    def _add(self, tokens: list[str]) -> None:
        words, grams = self.word_vec.vocabulary_, self.char_vec.vocabulary_
        valid, word, counts, chars = [], [], [], []
        for token in tokens:
            ok = len(token) != 1 and token not in PROTECTED_WORDS
            valid.append(ok)
            word.append(words.get(token, -1) if ok else -1)
            cols = [grams[g] for g in char_grams([token]) if g in grams] if ok else []
            counts.append(len(cols))
            chars.extend(cols)
            self.ids[token] = len(self.ids)
        counts = np.array(counts, dtype=np.int64)
        starts = len(self.chars) + np.cumsum(counts) - counts
        self.valid = np.concatenate([self.valid, np.array(valid, dtype=bool)])
        self.word = np.concatenate([self.word, np.array(word, dtype=np.int64)])
        self.char_start = np.concatenate([self.char_start, starts])
        self.char_count = np.concatenate([self.char_count, counts])
        self.chars = np.concatenate([self.chars, np.array(chars, dtype=np.int64)])

    def columns(self, ids: np.ndarray, rows: np.ndarray):
        """(rows, word columns) and (rows, bigram columns) of the tokens; -1: not in the vocabulary."""
        count = self.char_count[ids]
        total = int(count.sum())
        at = np.repeat(self.char_start[ids] - (np.cumsum(count) - count), count)
        chars = self.chars[at + np.arange(total)]
        return (rows, self.word[ids]), (np.repeat(rows, count), chars)


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
