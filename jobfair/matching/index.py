"""PositionIndex: open positions as rows of one sparse matrix, kept current, saved and loaded.

Layout: each position is one row of a sparse matrix whose columns are weighted TF-IDF word
features, weighted TF-IDF character-bigram features and one-hot columns for its occupation
and its minor group (for a position without a chosen code: its inferred occupations and
their minor groups, each weighted by its confidence). A seeker is a row over the same columns (unit TF-IDF vectors and 1s for
the wished occupations and their minor groups; SeekerBlock), so one sparse product ranks every
position by what the work is (ranking.py). Vocabulary and IDF are fixed at build time: words
first seen in positions added later count once the index is rebuilt (`flask match rebuild`;
small indices refit themselves as they grow), while their occupation and the other fields
count at once.

Persistence uses joblib (pickle): load only files this app wrote itself under instance/,
never a file from an upload or another machine (unpickling runs code).
"""

import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Self

import joblib
import numpy as np
import scipy.sparse as sp

from jobfair.matching.docs import EDUCATION_RANK, GROUP_BITS, WORK_FORM_BITS, PositionDoc, SeekerDoc
from jobfair.matching.features import (
    MAX_TOKENS,
    TokenTable,
    char_grams,
    fit_vectorizer,
    make_vectorizer,
    position_words,
    prune_query,
    seeker_words,
    split_tokens,
    taxonomy,
    tfidf_rows,
)
from jobfair.matching.scoring import ScoringWeights

FORMAT_VERSION = 2
INFERRED_SLOTS = 3  # inferred occupations kept per position without a chosen code
DISTRICT_SLOTS = 512  # distinct districts with a one-hot column (a city has a dozen or two)
# Words in more than this share of positions (in indices of 1,000 or more) are no feature: their
# IDF is near zero, and they would make every product dense.
MAX_DF = 0.1
# Not written by save(): the lock, and lookup tables rebuilt as they are needed (the query
# tokens met, reason strings).
UNSAVED = frozenset(
    ("_lock", "_token_table", "_head_tuples", "_tail_tuples", "_term_strings", "_parts_of_words")
)
# Small indices get refitted (new words counted) when compacting; large ones only appended.
REFIT_BELOW = 5000


class PositionIndex:
    """Positions in memory: feature rows for the product, per-row arrays for exact scoring."""

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
        # Inferred occupations of positions without a chosen code: (rows, INFERRED_SLOTS).
        self._iocc = np.zeros((0, INFERRED_SLOTS), dtype=np.int32)
        self._iminor = np.zeros((0, INFERRED_SLOTS), dtype=np.int32)
        self._imiddle = np.zeros((0, INFERRED_SLOTS), dtype=np.int32)
        self._iconf = np.zeros((0, INFERRED_SLOTS), dtype=np.float32)
        self._tokens: list[str] = []
        self._row_of: dict[int, int] = {}
        self._base_rows = 0
        self._X_base = None
        self._XT_base = None
        self._X_delta = None

    @classmethod
    def build(cls, positions: Iterable[PositionDoc], weights: ScoringWeights | None = None) -> Self:
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
        self._word_vec = make_vectorizer(max_df=MAX_DF if big else 1.0)
        self._char_vec = make_vectorizer(max_df=MAX_DF if big else 1.0)
        # Generators: the word lists of 100,000 documents never sit in memory all at once.
        n = len(docs)
        xw = fit_vectorizer(self._word_vec, lambda: (split_tokens(t, ()) for t in tokens), n)
        xc = fit_vectorizer(
            self._char_vec, lambda: (char_grams(split_tokens(t, ())) for t in tokens), n
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
        inferred = [self._inferred(d, a[1]) for d, a in zip(docs, attrs, strict=True)]
        self._append_attributes(docs, attrs, tokens, inferred)
        structured = self._structured_rows(attrs, inferred)
        x = text.astype(np.float32)
        x.resize((len(docs), self._n_features))
        self._set_base((x + structured).tocsr())

    def _set_base(self, x) -> None:
        x.sort_indices()
        self._X_base = x
        self._XT_base = x.T.tocsr()
        self._XW_base = x[:, : self._n_words].tocsr()  # for the 技能匹配 reasons
        self._base_rows = x.shape[0]
        self._X_delta = None

    def _district_slot(self, district: str) -> int:
        """The district's one-hot slot, made for a new district while slots are left."""
        district = (district or "").strip()
        if not district:
            return -1
        slot = self._districts.get(district)
        if slot is None and len(self._districts) < DISTRICT_SLOTS:
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
            self._district_slot(doc.district),
            WORK_FORM_BITS.get(doc.work_form or "", 0),
            groups,
            max(int(doc.salary_max or 0), int(doc.salary_min or 0)),
            EDUCATION_RANK.get(doc.education or "none", 0),
        )

    @staticmethod
    def _inferred(doc: PositionDoc, occ: int) -> list[tuple[int, int, int, float]]:
        """(occupation, minor, middle, confidence) of the inferred codes (none with a chosen code)."""
        if occ >= 0:
            return []
        tax = taxonomy()
        out = []
        for code, conf in doc.inferred_occupations or ():
            o, mi, md = tax.ids(code)
            conf = float(conf)
            if o >= 0 and 0.0 < conf <= 1.0 and all(o != x[0] for x in out):
                out.append((o, mi, md, conf))
        return sorted(out, key=lambda x: -x[3])[:INFERRED_SLOTS]

    def _reset_inferred(self, inferred) -> None:
        """Only the given rows' inferred occupations (for a position scored on the fly)."""
        for name in ("_iocc", "_iminor", "_imiddle", "_iconf"):
            setattr(self, name, getattr(self, name)[:0])
        self._add_inferred(inferred)

    def _append_attributes(self, docs, attrs: list[tuple], tokens: list[str], inferred) -> None:
        start = len(self._ids)
        self._add_inferred(inferred)
        self._append_rows(attrs, tokens, start)

    def _add_inferred(self, inferred) -> None:
        n = len(inferred)
        slots = np.full((4, n, INFERRED_SLOTS), -1.0, dtype=np.float64)
        slots[3] = 0.0
        for r, items in enumerate(inferred):
            for k, item in enumerate(items):
                slots[:, r, k] = item
        self._iocc = np.concatenate([self._iocc, slots[0].astype(np.int32)])
        self._iminor = np.concatenate([self._iminor, slots[1].astype(np.int32)])
        self._imiddle = np.concatenate([self._imiddle, slots[2].astype(np.int32)])
        self._iconf = np.concatenate([self._iconf, slots[3].astype(np.float32)])

    def _append_rows(self, attrs: list[tuple], tokens: list[str], start: int) -> None:
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

    def _structured_rows(self, attrs: list[tuple], inferred):
        w = self.weights
        rows, cols, vals = [], [], []
        for r, (_, o, mi, _md, _d, _f, _g, _s, _e) in enumerate(attrs):
            codes = [(o, mi, 1.0)] if o >= 0 else [(x[0], x[1], x[3]) for x in inferred[r]]
            for o, mi, conf in codes:
                for col, val, ok in (
                    (self._off_occ + o, w.occupation - w.occupation_minor, o >= 0),
                    # The middle group (6-18) is scored exactly among the candidates only: its
                    # column would touch a tenth of all positions and slow every product.
                    (self._off_minor + mi, w.occupation_minor, mi >= 0),
                ):
                    if ok and val > 0:
                        rows.append(r)
                        cols.append(self._n_text + col)
                        vals.append(val * conf)  # duplicates (one minor group twice) add up
        return sp.csr_matrix(
            (np.array(vals, dtype=np.float32), (rows, cols)),
            shape=(len(attrs), self._n_features),
        )

    def _position_rows(self, docs: list[PositionDoc]):
        words = [position_words(d) for d in docs]
        w = self.weights
        xw = self._word_vec.transform(words) * (w.text * w.word_share)
        xc = self._char_vec.transform([char_grams(x) for x in words]) * (
            w.text * (1.0 - w.word_share)
        )
        text = sp.hstack([xw, xc]).tocsr().astype(np.float32)
        text.resize((len(docs), self._n_features))
        attrs = [self._attributes(d) for d in docs]
        inferred = [self._inferred(d, a[1]) for d, a in zip(docs, attrs, strict=True)]
        rows = (text + self._structured_rows(attrs, inferred)).tocsr()
        return rows, attrs, [" ".join(x) for x in words], inferred

    def word_rows(self, rows: np.ndarray):
        """Word-feature rows of the given position rows (CSR, one row per entry), for reasons."""
        rows = np.asarray(rows, dtype=np.int64)
        in_base = rows < self._base_rows
        if self._X_delta is None or in_base.all():
            return self._XW_base[rows]
        # Gather base and delta rows apart (never copying the whole base), then restore order.
        first, second = np.flatnonzero(in_base), np.flatnonzero(~in_base)
        delta = self._X_delta[rows[second] - self._base_rows][:, : self._n_words]
        stacked = sp.vstack([self._XW_base[rows[first]], delta]).tocsr()
        return stacked[np.argsort(np.concatenate([first, second]), kind="stable")]

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
            rows, attrs, tokens, inferred = self._position_rows(docs)
            self._append_attributes(docs, attrs, tokens, inferred)
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
        inferred = ("_iocc", "_iminor", "_imiddle", "_iconf")
        for name in (*arrays, "_sal_max", "_edu", *inferred):
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
            inferred_occupations=tuple(
                (tax.codes[int(o)], float(c))
                for o, c in zip(self._iocc[r], self._iconf[r], strict=True)
                if o >= 0
            ),
        )

    def occupation_of(self, position_id: int) -> str:
        """The indexed position's occupation code ("" when unknown or not indexed)."""
        r = self._row_of.get(int(position_id))
        if r is None or self._occ[r] < 0:
            return ""
        return taxonomy().codes[int(self._occ[r])]

    def inferred_of(self, position_id: int) -> tuple[tuple[str, float], ...]:
        """The indexed position's inferred occupations, best first (() with a chosen code)."""
        r = self._row_of.get(int(position_id))
        if r is None:
            return ()
        codes = taxonomy().codes
        return tuple(
            (codes[int(o)], round(float(c), 3))
            for o, c in zip(self._iocc[r], self._iconf[r], strict=True)
            if o >= 0
        )

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, position_id: int) -> bool:
        return int(position_id) in self._row_of

    # --- persistence -------------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the index to a file (joblib). Only ever load files this app wrote itself."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            state = {k: v for k, v in self.__dict__.items() if k not in UNSAVED}
            state["format"] = FORMAT_VERSION
            tmp = path.with_suffix(path.suffix + ".tmp")
            joblib.dump(state, tmp, compress=0)
            tmp.replace(path)  # readers never see half a file

    @classmethod
    def load(cls, path: str | Path) -> Self:
        """Read an index written by save(). Trusted files only: unpickling can run code."""
        state = joblib.load(Path(path))
        if not isinstance(state, dict) or state.get("format") != FORMAT_VERSION:
            raise ValueError("索引文件格式不对，请重新构建（flask match rebuild）。")
        engine = cls.__new__(cls)
        state.pop("format")
        engine.__dict__.update(state)
        engine._lock = threading.RLock()
        return engine


class SeekerBlock:
    """Seekers encoded over an index's columns: the query matrix and dense tables for exact scoring.

    The tables occ, minor, middle (wished occupations 1, inferred ones their confidence) and
    district have one row per seeker and an always-zero first column for "unknown", so that
    column c + 1 holds code c and a code of -1 reads 0 (pick()).
    """

    def __init__(self, index: PositionIndex, seekers: Sequence[SeekerDoc]) -> None:
        tax = taxonomy()
        n = len(seekers)
        self.docs = list(seekers)
        tokens = [query_tokens(s) for s in seekers]
        table = _token_table(index)
        ids = table.lookup(tokens)
        rows = np.repeat(np.arange(n, dtype=np.int64), [len(t) for t in tokens])
        has_words = np.zeros(n, dtype=bool)
        has_words[rows[table.valid[ids]]] = True
        (w_rows, w_cols), (c_rows, c_cols) = table.columns(ids, rows)
        self.word_q = prune_query(tfidf_rows(index._word_vec, w_rows, w_cols, n))
        self.char_q = prune_query(tfidf_rows(index._char_vec, c_rows, c_cols, n))
        self.occ = np.zeros((n, len(tax.occ) + 1), dtype=np.float32)
        self.minor = np.zeros((n, len(tax.minor) + 1), dtype=np.float32)
        self.middle = np.zeros((n, len(tax.middle) + 1), dtype=np.float32)
        self.district = np.zeros((n, DISTRICT_SLOTS + 1), dtype=bool)
        inferred, groups, forms, salary, edu = [], [], [], [], []
        dist_r, dist_c = [], []
        code_r: list[int] = []
        code_ids: list[tuple[int, int, int]] = []
        code_conf: list[float] = []
        ids_of = tax.ids
        slot_of = index._districts.get
        for r, s in enumerate(seekers):
            wished = [(i, 1.0) for i in map(ids_of, s.desired_occupations or ()) if i[0] >= 0]
            guessed = False
            if not wished and s.inferred_occupations:
                wished = [
                    (i, p)
                    for i, p in ((ids_of(c), float(p)) for c, p in s.inferred_occupations)
                    if 0.0 < p <= 1.0 and i[0] >= 0
                ]
                guessed = bool(wished)
            inferred.append(guessed)
            for i, conf in wished:
                code_r.append(r)
                code_ids.append(i)
                code_conf.append(conf)
            for d in s.districts or ():
                slot = slot_of((d or "").strip())
                if slot is not None:
                    dist_r.append(r)
                    dist_c.append(slot)
            g = f = 0
            for code in s.groups or ():
                g |= GROUP_BITS.get(code, 0)
            for code in s.work_forms or ():
                f |= WORK_FORM_BITS.get(code, 0)
            groups.append(g)
            forms.append(f)
            salary.append(int(s.salary_min or 0))
            edu.append(EDUCATION_RANK.get(s.education or "none", 0))
            if wished:
                has_words[r] = True  # has_any: words or an occupation to match on
        self.inferred = np.array(inferred, dtype=bool)  # the seeker's occupations were inferred
        self.groups = np.array(groups, dtype=np.int64)
        self.forms = np.array(forms, dtype=np.int64)
        self.salary = np.maximum(np.array(salary, dtype=np.int64), 0)
        self.edu = np.array(edu, dtype=np.int64)
        self.has_any = has_words
        self.district[dist_r, np.array(dist_c, dtype=np.int64) + 1] = True
        # The query's occupation and minor-group columns carry exactly the tables' values.
        parts = [
            (self.word_q, 0),
            (self.char_q, index._n_words),
        ]
        if code_r:
            # Several codes in one group (two wishes in 6-18-02): the strongest counts.
            ids = np.array(code_ids, dtype=np.int64)
            conf = np.array(code_conf, dtype=np.float32)
            code_rows = np.array(code_r, dtype=np.int64)
            for tab, col, offset in (
                (self.occ, ids[:, 0], index._off_occ),
                (self.minor, ids[:, 1], index._off_minor),
                (self.middle, ids[:, 2], None),
            ):
                ok = col >= 0
                np.maximum.at(tab, (code_rows[ok], col[ok] + 1), conf[ok])
                if offset is not None:
                    width = tab.shape[1]
                    r_nz, c_nz = np.divmod(np.unique(code_rows[ok] * width + col[ok] + 1), width)
                    values = tab[r_nz, c_nz]
                    nz = values != 0
                    r_nz, c_nz = r_nz[nz], c_nz[nz]  # sorted by row, then column
                    indptr = np.searchsorted(r_nz, np.arange(n + 1))
                    sub = sp.csr_matrix((values[nz], c_nz - 1, indptr), shape=(n, width - 1))
                    parts.append((sub, index._n_text + offset))
        self.q = _stack_columns(parts, n, index._n_features)

    @staticmethod
    def pick(tab: np.ndarray, srows, codes) -> np.ndarray:
        """tab[srows, codes + 1] (broadcast): the value of each seeker row for each code (-1: 0)."""
        width = tab.shape[1]
        return tab.ravel()[srows * width + 1 + codes]


def query_tokens(doc: SeekerDoc) -> list[str]:
    """The seeker's tokens for the query: stored tokens as they are (TokenTable drops what
    split_tokens would), else seeker_words (segmented text and wished occupations)."""
    tokens = doc.tokens
    if tokens and tokens.strip():
        raw = tokens.split()
        if len(raw) <= MAX_TOKENS:
            return raw
    return seeker_words(doc)


def _token_table(index: PositionIndex) -> TokenTable:
    table = index.__dict__.get("_token_table")
    if (
        table is None
        or table.word_vec is not index._word_vec
        or table.char_vec is not index._char_vec
    ):
        table = index._token_table = TokenTable(index._word_vec, index._char_vec)
    return table


def _stack_columns(parts, n: int, width: int):
    """One CSR matrix of the given CSR parts, each placed from its column offset on (parts in
    increasing column ranges, so each row's columns stay sorted)."""
    lengths = np.zeros((len(parts), n), dtype=np.int64)
    for i, (x, _) in enumerate(parts):
        lengths[i] = np.diff(x.indptr)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths.sum(axis=0), out=indptr[1:])
    # Each part's entries go after the earlier parts' entries of the same row.
    before = indptr[:-1] + np.cumsum(lengths, axis=0) - lengths
    data = np.empty(indptr[-1], dtype=np.float32)
    indices = np.empty(indptr[-1], dtype=np.int32)
    for i, (x, offset) in enumerate(parts):
        rows = np.repeat(np.arange(n), lengths[i])
        at = before[i][rows] + np.arange(len(rows)) - x.indptr[rows]
        data[at] = x.data
        indices[at] = x.indices + offset
    q = sp.csr_matrix((data, indices, indptr.astype(np.int32)), shape=(n, width))
    q.has_sorted_indices = True
    return q
