"""The public search index of a process: every position's tokens and filter columns in memory.

Ranking a broad keyword in the database (普工 matches 8,000 of 100,000 positions) means scoring
and counting every match per request; here it is a few vector operations over the matches:
- postings: a sparse column per token (rows holding it, term frequency), built with
  scikit-learn from the stored jieba tokens (positions.search_tokens, the same text the
  database's FTS5 / tsvector index reads);
- one array per filter column (status, deadline, district, occupation prefixes, pay, work
  form, channel, welcomed groups as bits), so filters apply to the matches before ranking;
- each published position's public list item (positions.summaries, rendered once), so a page
  of results needs no query and no serialisation;
- relevance is FTS5's bm25 (k1 = 1.2, b = 0.75, the same phrases, document lengths and
  document frequencies over every stored position), so SQLite results keep their order;
- per query term (a token and its synonym alternatives), worked out on first use and kept
  with the snapshot: its rows, its bm25 sum on each, its "exact" flag, and its rows in result
  order, so a one-word query counts its matches through the filters' mask and reads only the
  head of that order; longer queries intersect the terms' rows and add the later terms'
  weights in bm25's own order (bit-identical sums).

Consistency: the index follows the version stamp and change log that every write to a
position leaves in the same transaction (match_index_state / match_index_changes, written by
the session listeners of the recommendations package). A search looks at the stamp when this
process has committed a change, and at most every CHECK_INTERVAL seconds otherwise, then
re-reads the changed positions (older rows are marked dead, new ones appended) or rebuilds
when too far behind. An UPDATE/DELETE statement on positions run through this process's
session that left no change-log entry makes the next search rebuild. Snapshots are immutable: a search
works on the snapshot it started with while a newer one is being made.
"""

import logging
import math
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
import scipy.sparse as sp
from flask import current_app
from sklearn.feature_extraction.text import CountVectorizer
from sqlalchemy import Date, DateTime, bindparam, func, select, text

from jobfair.extensions import db
from jobfair.models.common import Channel, PayUnit, PriorityGroup, WorkForm
from jobfair.models.recommendation import MatchIndexChange, MatchIndexState
from jobfair.positions import cache
from jobfair.positions.summaries import PositionSummary, item_json

log = logging.getLogger(__name__)

CHECK_INTERVAL = 0.5  # seconds between two looks at the version stamp
MAX_INCREMENTAL = 2000  # more changed positions than this at once: rebuild instead
MAX_APPENDED = 5000  # rows appended since the build beyond this: rebuild (compacts postings)
MAX_TERM_BYTES = 96 << 20  # query terms' arrays kept per snapshot (Snapshot._term)
MAX_MASKS = 64  # filter masks kept per snapshot
K1, B = 1.2, 0.75  # FTS5's bm25 constants
NO_DEADLINE = np.iinfo(np.int32).max
_WORD_RE = re.compile(r"[^\W_]+")  # how FTS5's unicode61 tokenizer splits the stored tokens
GROUP_BITS = {str(g): 1 << i for i, g in enumerate(PriorityGroup)}
WORK_FORMS = {str(w): i for i, w in enumerate(WorkForm)}
CHANNELS = {str(c): i for i, c in enumerate(Channel)}
PAY_UNITS = {str(u): i for i, u in enumerate(PayUnit)}

_ROWS_SQL = """
SELECT p.id, p.status, p.deadline, p.published_at, p.district, p.occupation_code,
    p.salary_max, p.work_form, p.channel, p.search_tokens, p.pay_unit, p.daily_pay,
    p.title, p.employer_id, e.name AS employer_name, o.name AS occupation_name,
    p.salary_min, p.headcount, p.education
FROM positions p
LEFT JOIN employers e ON e.id = p.employer_id
LEFT JOIN occupations o ON o.code = p.occupation_code"""
_GROUPS_SQL = "SELECT position_id, group_code FROM position_groups"


def _analyse(doc: str) -> list[str]:
    return _WORD_RE.findall(doc.lower())


def _prefixes(code: str) -> tuple[str, str, str, str]:
    parts = (code or "").split("-")
    return tuple("-".join(parts[: i + 1]) if len(parts) > i else "" for i in range(4))


@dataclass
class Rows:
    """Per-row columns of a batch of positions, as loaded from the database."""

    ids: list = field(default_factory=list)
    public: list = field(default_factory=list)
    deadline: list = field(default_factory=list)
    published: list = field(default_factory=list)
    district: list = field(default_factory=list)
    occupation: list = field(default_factory=list)
    salary_max: list = field(default_factory=list)
    work_form: list = field(default_factory=list)
    channel: list = field(default_factory=list)
    pay_unit: list = field(default_factory=list)
    daily_pay: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    tokens: list = field(default_factory=list)
    # The public list item of each published position (summaries.item_json), else None.
    items: list = field(default_factory=list)


def _timestamp(value) -> float:
    if value is None:
        return -math.inf
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def _ordinal(value) -> int:
    if value is None:
        return NO_DEADLINE
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.toordinal()


def load_rows(ids=None) -> Rows:
    """The indexed columns of every position (or of those among ids)."""
    rows_sql, groups_sql = _ROWS_SQL, _GROUPS_SQL
    params = {}
    if ids is not None:
        rows_sql += " WHERE p.id IN :ids"
        groups_sql += " WHERE position_id IN :ids"
        params["ids"] = list(ids)
    rows_stmt = text(rows_sql).columns(deadline=Date, published_at=DateTime)
    groups_stmt = text(groups_sql)
    if ids is not None:
        rows_stmt = rows_stmt.bindparams(bindparam("ids", expanding=True))
        groups_stmt = groups_stmt.bindparams(bindparam("ids", expanding=True))
    bits: dict[int, int] = {}
    codes: dict[int, list[str]] = {}
    for pid, code in db.session.execute(groups_stmt, params):
        bits[pid] = bits.get(pid, 0) | GROUP_BITS.get(code, 0)
        codes.setdefault(pid, []).append(code)
    out = Rows()
    for r in db.session.execute(rows_stmt, params):
        public = r[1] == "published"
        out.ids.append(r[0])
        out.public.append(public)
        out.deadline.append(_ordinal(r[2]))
        out.published.append(_timestamp(r[3]))
        out.district.append(r[4] or "")
        out.occupation.append(_prefixes(r[5]))
        out.salary_max.append(r[6] or 0)
        out.work_form.append(WORK_FORMS.get(r[7], -1))
        out.channel.append(CHANNELS.get(r[8], -1))
        out.groups.append(bits.get(r[0], 0))
        out.tokens.append(r[9] or "")
        out.pay_unit.append(PAY_UNITS.get(r[10] or "month", -1))
        out.daily_pay.append(bool(r[11]))
        out.items.append(_item(r, codes.get(r[0])) if public else None)
    return out


def _item(r, groups: list[str] | None) -> bytes:
    """The list item of one row of _ROWS_SQL, as the API sends it."""
    summary = PositionSummary(
        r[0], r[12], r[13], r[14] or "", r[5], r[15] or "", r[16], r[6], r[17], r[4],
        r[18], r[7], r[8], r[2], r[3], r[10] or PayUnit.MONTH, bool(r[11]), sorted(groups or ()),
    )  # fmt: skip
    return item_json(summary)


class Snapshot:
    """An immutable state of the index: row columns plus postings (base matrix + appended)."""

    def __init__(self, rows: Rows):
        self.codes: dict[str, int] = {}  # district names and occupation prefixes -> small ints
        vectorizer = CountVectorizer(analyzer=_analyse, dtype=np.float32)
        if rows.ids:
            matrix = vectorizer.fit_transform(rows.tokens)
            self.vocabulary = vectorizer.vocabulary_
        else:
            matrix = sp.csr_matrix((0, 0), dtype=np.float32)
            self.vocabulary = {}
        self.postings = sp.csc_matrix(matrix)
        self.postings.sort_indices()
        self.base_rows = len(rows.ids)
        self.extra: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.alive = np.ones(len(rows.ids), dtype=bool)
        lengths = np.asarray(matrix.sum(axis=1)).ravel() if rows.ids else np.zeros(0)
        self._set_columns(rows, lengths.astype(np.float64))
        self.row_of: dict[int, int] = {pid: i for i, pid in enumerate(rows.ids)}
        self.items: list = rows.items
        self._stats()

    # --- columns ------------------------------------------------------------------------

    def _code(self, value: str) -> int:
        if not value:
            return -1
        found = self.codes.get(value)
        if found is None:
            found = self.codes[value] = len(self.codes)
        return found

    def _columns_of(self, rows: Rows, lengths) -> dict[str, np.ndarray]:
        occ = [[self._code(p) for p in prefixes] for prefixes in rows.occupation]
        occ_arr = np.array(occ, dtype=np.int32).reshape(len(rows.ids), 4)
        return {
            "ids": np.array(rows.ids, dtype=np.int64),
            "public": np.array(rows.public, dtype=bool),
            "deadline": np.array(rows.deadline, dtype=np.int64),
            "published": np.array(rows.published, dtype=np.float64),
            "district": np.array([self._code(d) for d in rows.district], dtype=np.int32),
            "occupation": occ_arr,
            "salary_max": np.array(rows.salary_max, dtype=np.int64),
            "work_form": np.array(rows.work_form, dtype=np.int16),
            "channel": np.array(rows.channel, dtype=np.int16),
            "pay_unit": np.array(rows.pay_unit, dtype=np.int16),
            "daily_pay": np.array(rows.daily_pay, dtype=bool),
            "groups": np.array(rows.groups, dtype=np.int64),
            "length": np.asarray(lengths, dtype=np.float64),
        }

    def _set_columns(self, rows: Rows, lengths) -> None:
        for name, values in self._columns_of(rows, lengths).items():
            setattr(self, name, values)

    def _stats(self) -> None:
        self.n_alive = int(self.alive.sum())
        total = float(self.length[self.alive].sum()) if self.n_alive else 0.0
        self.avgdl = total / self.n_alive if self.n_alive else 1.0
        # Derived per snapshot, filled on first use (with_changes copies __dict__: start afresh).
        self._weight: dict[str, np.ndarray] = {}
        self._visible: tuple[int, np.ndarray] | None = None
        self._scratch: list[Scratch] = []
        self._terms: dict[tuple, TermRows] = {}  # oldest first, dropped past MAX_TERM_BYTES
        self._term_bytes = 0
        self._terms_lock = threading.Lock()
        self._masks: dict[tuple, np.ndarray] = {}
        self._newest: np.ndarray | None = None

    def __len__(self) -> int:
        return self.n_alive

    # --- changes ------------------------------------------------------------------------

    def with_changes(self, changed_ids, rows: Rows) -> "Snapshot":
        """A new snapshot: rows of changed_ids marked dead, the rows given appended."""
        new = object.__new__(Snapshot)
        new.__dict__.update(self.__dict__)
        new.codes = dict(self.codes)
        new.row_of = dict(self.row_of)
        new.extra = dict(self.extra)
        alive = self.alive.copy()
        for pid in changed_ids:
            row = new.row_of.pop(pid, None)
            if row is not None:
                alive[row] = False
        start = len(alive)
        counts = []
        for k, doc in enumerate(rows.tokens):
            tf: dict[str, int] = {}
            for word in _analyse(doc):
                tf[word] = tf.get(word, 0) + 1
            counts.append(tf)
            for word, n in tf.items():
                old = new.extra.get(word)
                row_arr = np.array([start + k], dtype=np.int64)
                tf_arr = np.array([n], dtype=np.float32)
                if old is not None:
                    row_arr = np.concatenate([old[0], row_arr])
                    tf_arr = np.concatenate([old[1], tf_arr])
                new.extra[word] = (row_arr, tf_arr)
        lengths = [float(sum(tf.values())) for tf in counts]
        added = new._columns_of(rows, lengths)
        for name, values in added.items():
            setattr(new, name, np.concatenate([getattr(self, name), values]))
        new.alive = np.concatenate([alive, np.ones(len(rows.ids), dtype=bool)])
        new.items = self.items + rows.items
        for k, pid in enumerate(rows.ids):
            new.row_of[pid] = start + k
        new._stats()
        return new

    @property
    def appended(self) -> int:
        return len(self.alive) - self.base_rows

    # --- queries ------------------------------------------------------------------------

    def _posting(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        col = self.vocabulary.get(token)
        if col is None:
            rows, tfs = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        else:
            lo, hi = self.postings.indptr[col], self.postings.indptr[col + 1]
            rows, tfs = self.postings.indices[lo:hi], self.postings.data[lo:hi]
        more = self.extra.get(token)
        if more is not None:
            rows = np.concatenate([rows, more[0]])
            tfs = np.concatenate([tfs, more[1]])
        return rows, tfs

    def _member(self, sorted_rows: np.ndarray, rows: np.ndarray, scratch: "Scratch") -> np.ndarray:
        """Boolean mask over rows: which are in sorted_rows.

        A few rows looked up in a long list: binary search; otherwise one pass each through a
        dense mask (marked, read, cleared), which costs no log factor."""
        if len(sorted_rows) == 0:
            return np.zeros(len(rows), dtype=bool)
        if len(rows) * 8 < len(sorted_rows):
            at = np.minimum(np.searchsorted(sorted_rows, rows), len(sorted_rows) - 1)
            return sorted_rows[at] == rows
        mark = scratch.mark
        mark[sorted_rows] = True
        found = mark[rows]
        mark[sorted_rows] = False
        return found

    def _union(self, arrays) -> np.ndarray:
        """Sorted distinct rows of several sorted arrays."""
        total = sum(len(a) for a in arrays)
        if total * 16 > len(self.alive):  # large: one pass over a dense mask
            mask = np.zeros(len(self.alive), dtype=bool)
            for a in arrays:
                mask[a] = True
            return np.flatnonzero(mask)
        rows = np.sort(np.concatenate(arrays))
        if len(rows) > 1:
            rows = rows[np.concatenate(([True], rows[1:] != rows[:-1]))]
        return rows

    def _match(self, terms, postings, scratch: "Scratch") -> np.ndarray:
        """Sorted rows where every term matches (one of its alternatives, with all its tokens).

        Postings are sorted row numbers (rows appended later have higher numbers), so ANDs keep
        the smaller side's rows found in the larger and ORs are a union of a few arrays."""
        result = None
        for term in terms:
            found = []
            for alt in term:
                lists = sorted((postings[t][0] for t in alt), key=len)
                rows = lists[0]
                for other in lists[1:]:
                    rows = rows[self._member(other, rows, scratch)]
                found.append(rows)
            rows = found[0] if len(found) == 1 else self._union(found)
            if result is None:
                result = rows
            elif len(rows) < len(result):
                result = rows[self._member(result, rows, scratch)]
            else:
                result = result[self._member(rows, result, scratch)]
            if len(result) == 0:
                break
        return result

    def _visible_rows(self, today: date) -> np.ndarray:
        """Alive, published and not past the deadline on `today`: one mask per snapshot and day."""
        found = self._visible
        day = today.toordinal()
        if found is None or found[0] != day:
            mask = self.alive & self.public & (self.deadline >= day)
            found = self._visible = (day, mask)
        return found[1]

    def _filtered(self, candidates: np.ndarray, filters: dict, today: date) -> np.ndarray:
        candidates = candidates[self._visible_rows(today)[candidates]]
        checks = []
        if filters.get("district"):
            checks.append((self.district, self.codes.get(filters["district"], -2)))
        if filters.get("occupation"):
            prefix = filters["occupation"]
            level = min(prefix.count("-"), 3)
            checks.append((self.occupation[:, level], self.codes.get(prefix, -2)))
        if filters.get("pay_unit"):
            checks.append((self.pay_unit, PAY_UNITS.get(filters["pay_unit"], -2)))
        if filters.get("work_form"):
            checks.append((self.work_form, WORK_FORMS.get(filters["work_form"], -2)))
        if filters.get("channel"):
            checks.append((self.channel, CHANNELS.get(filters["channel"], -2)))
        for column, wanted in checks:
            candidates = candidates[column[candidates] == wanted]
        if filters.get("salary") is not None:  # monthly pay only, as search.FILTER_SQL
            candidates = candidates[self.salary_max[candidates] >= int(filters["salary"])]
            candidates = candidates[self.pay_unit[candidates] == PAY_UNITS["month"]]
        if filters.get("daily_pay"):
            candidates = candidates[self.daily_pay[candidates]]
        if filters.get("group"):
            bit = GROUP_BITS.get(filters["group"], 0)
            candidates = candidates[(self.groups[candidates] & bit) != 0]
        return candidates

    def _weights(self, token: str, rows: np.ndarray, tfs: np.ndarray) -> np.ndarray:
        """The token's bm25 term for each row of its postings: idf x saturated tf over the
        row's length norm. Fixed for a snapshot (idf, avgdl), so worked out once per token."""
        found = self._weight.get(token)
        if found is None:
            hits = len(rows)
            if self.n_alive != len(self.alive):  # some rows replaced: count the live ones
                hits = int(np.count_nonzero(self.alive[rows]))
            idf = math.log((self.n_alive - hits + 0.5) / (hits + 0.5))
            idf = idf if idf > 0 else 1e-6
            tf = tfs.astype(np.float64)
            norm = K1 * (1 - B + B * self.length[rows] / self.avgdl)
            found = self._weight[token] = idf * (tf * (K1 + 1)) / (tf + norm)
        return found

    def _bm25(self, candidates, phrases, postings, scratch, start=None) -> np.ndarray:
        """The sum of the phrases' bm25 terms for each candidate row, added phrase by phrase
        in order onto `start` (zeros if None). FTS5's bm25() is minus this sum.

        Each phrase adds its weight to the candidates it occurs in, found through the
        candidates' places (a dense row -> place map) when its posting list is not much longer
        than the candidates, else by binary search of the candidates in it."""
        n = len(candidates)
        score = np.zeros(n, dtype=np.float64) if start is None else start
        place = scratch.place
        place[candidates] = np.arange(n, dtype=np.int32)
        try:
            for token in phrases:
                rows, tfs = postings[token]
                if len(rows) == 0:
                    continue
                weights = self._weights(token, rows, tfs)
                if len(rows) > 8 * n:
                    at = np.minimum(np.searchsorted(rows, candidates), len(rows) - 1)
                    hit = np.flatnonzero(rows[at] == candidates)
                    score[hit] += weights[at[hit]]
                else:
                    where = place[rows]
                    keep = where >= 0
                    score[where[keep]] += weights[keep]
        finally:
            place[candidates] = -1
        return score

    def _term(self, term: tuple, scratch: "Scratch") -> "TermRows":
        """The rows one query term matches (any alternative with all its tokens), the sum of
        its phrases' bm25 terms on each, and which hold its first alternative. Fixed for a
        snapshot, so worked out once per term (a broad term's synonyms are then no longer
        merged and scored on every request)."""
        found = self._terms.get(term)
        if found is None:
            postings = {t: self._posting(t) for alt in term for t in alt}
            rows = self._match([term], postings, scratch)
            score = self._bm25(rows, [t for alt in term for t in alt], postings, scratch)
            first = self._member(self._match([term[:1]], postings, scratch), rows, scratch)
            found = TermRows(rows, score, first)
            with self._terms_lock:
                if term not in self._terms:
                    self._terms[term] = found
                    self._held(term, found, rows.nbytes + score.nbytes + first.nbytes)
        return found

    def _held(self, term: tuple, info: "TermRows", nbytes: int) -> None:
        """Count nbytes more held for term (if still kept); drop the oldest terms past the
        budget. Called with _terms_lock held."""
        if self._terms.get(term) is not info:
            return
        info.nbytes += nbytes
        self._term_bytes += nbytes
        while self._term_bytes > MAX_TERM_BYTES and len(self._terms) > 1:
            oldest = next(iter(self._terms))
            self._term_bytes -= self._terms.pop(oldest).nbytes

    def _phrase_weights(self, term: tuple, info: "TermRows", scratch: "Scratch") -> np.ndarray:
        """Each phrase's bm25 term on each of the term's rows (0.0 where absent), one row per
        phrase in order: for a term after the first, whose phrases add one by one."""
        if info.weights is None:
            phrases = [t for alt in term for t in alt]
            if len(phrases) == 1:  # its sum is its one phrase's weight
                info.weights = info.score[np.newaxis]
                return info.weights
            out = np.zeros((len(phrases), len(info.rows)), dtype=np.float64)
            place = scratch.place
            place[info.rows] = np.arange(len(info.rows), dtype=np.int32)
            try:
                for i, token in enumerate(phrases):
                    rows, tfs = self._posting(token)
                    if len(rows):
                        where = place[rows]
                        keep = where >= 0
                        out[i, where[keep]] = self._weights(token, rows, tfs)[keep]
            finally:
                place[info.rows] = -1
            with self._terms_lock:
                if info.weights is None:
                    info.weights = out
                    self._held(term, info, out.nbytes)
        return info.weights

    def _ranked(self, term: tuple, info: "TermRows", widened: bool) -> np.ndarray:
        """A one-term query's rows in result order: exact first (all rows when the term has
        no alternatives), then relevance, newest, highest id."""
        if info.ranked is None:
            exact = info.first if widened else np.ones(len(info.rows), dtype=bool)
            primary = -info.score - exact * 1e6
            rows = info.rows
            ranked = rows[np.lexsort((-self.ids[rows], -self.published[rows], primary))]
            with self._terms_lock:  # another thread may have done it meanwhile
                if info.ranked is None:
                    info.ranked = ranked
                    self._held(term, info, ranked.nbytes)
        return info.ranked

    def _take_scratch(self) -> "Scratch":
        try:
            return self._scratch.pop()
        except IndexError:
            return Scratch(len(self.alive))

    def search(self, terms, exact_terms, filters: dict, today: date, offset: int, limit: int):
        """(rows of the page in order, total matches): ids_of / items_of give their ids and
        list items."""
        scratch = self._take_scratch()  # per search: threads and greenlets never share one
        try:
            return self._search(terms, exact_terms, filters, today, offset, limit, scratch)
        finally:
            self._scratch.append(scratch)

    def _search(self, terms, exact_terms, filters, today, offset, limit, scratch):
        if not terms:
            return self._page(None, self._newest_first(), filters, today, offset, offset + limit)
        widened = exact_terms is not None
        if widened and exact_terms != [term[:1] for term in terms]:
            return self._search_by_postings(
                terms, exact_terms, filters, today, offset, limit, scratch
            )
        infos = [self._term(term, scratch) for term in terms]
        if len(terms) == 1 and widened == (len(terms[0]) > 1):
            ranked = self._ranked(terms[0], infos[0], widened)
            return self._page(infos[0].rows, ranked, filters, today, offset, offset + limit)
        candidates = None  # rows where every term matches: the shortest list kept in the others
        for info in sorted(infos, key=lambda i: len(i.rows)):
            if candidates is None:
                candidates = info.rows
            else:
                candidates = candidates[self._member(info.rows, candidates, scratch)]
            if len(candidates) == 0:
                break
        candidates = candidates[self._mask(filters, today)[candidates]]
        total = len(candidates)
        if total == 0 or offset >= total:
            return candidates[:0], total
        # The first term's sum read off its rows, then each other phrase's weight added in
        # the order bm25 adds them (0.0 where a row lacks it: adding 0.0 changes no sum).
        score = infos[0].score[np.searchsorted(infos[0].rows, candidates)]
        for term, info in zip(terms[1:], infos[1:], strict=True):
            at = np.searchsorted(info.rows, candidates)
            for weights in self._phrase_weights(term, info, scratch):
                score += weights[at]
        if widened:
            exact = np.ones(total, dtype=bool)
            for info in infos:
                exact &= info.first[np.searchsorted(info.rows, candidates)]
        else:
            exact = np.ones(total, dtype=bool)
        return self._top(candidates, -score - exact * 1e6, offset, offset + limit)

    def _search_by_postings(self, terms, exact_terms, filters, today, offset, limit, scratch):
        """Any exact_terms: the candidates matched, scored and ordered from the postings."""
        tokens = {t for term in terms for alt in term for t in alt}
        postings = {t: self._posting(t) for t in tokens}
        candidates = self._filtered(self._match(terms, postings, scratch), filters, today)
        total = len(candidates)
        if total == 0 or offset >= total:
            return candidates[:0], total
        phrases = [t for term in terms for alt in term for t in alt]
        score = self._bm25(candidates, phrases, postings, scratch)
        exact = self._member(self._match(exact_terms, postings, scratch), candidates, scratch)
        return self._top(candidates, -score - exact * 1e6, offset, offset + limit)

    def _top(self, candidates, primary, offset: int, k: int):
        """Rows offset..k of candidates in order of primary (exact first, then relevance: one
        float orders both, |bm25| is far below 1e6), newest, highest id; and the total."""
        total = len(candidates)
        published = self.published[candidates]
        picked = np.arange(total)
        if k < total // 2:
            threshold = np.partition(primary, k - 1)[k - 1]
            picked = np.flatnonzero(primary <= threshold)  # ties at the edge stay in
        rows = candidates[picked]
        order = np.lexsort((-self.ids[rows], -published[picked], primary[picked]))
        return rows[order][offset:k], total

    def _page(self, rows, ranked, filters, today, offset: int, k: int):
        """Rows offset..k of those of `ranked` (rows in result order) that pass the filters, and
        how many pass: the filters as one mask over every row, the matches counted through it,
        and only the head of `ranked` read."""
        mask = self._mask(filters, today)
        total = int(np.count_nonzero(mask if rows is None else mask[rows]))
        if offset >= total:
            return ranked[:0], total
        size = min(len(ranked), max(1024, 8 * k))
        while True:
            head = ranked[:size]
            hits = np.flatnonzero(mask[head])
            if len(hits) >= k or size == len(ranked):
                return head[hits[offset:k]], total
            size = min(len(ranked), size * 8)

    def _newest_first(self) -> np.ndarray:
        """Every row, newest first (highest id first among equals): the order without keywords."""
        if self._newest is None:
            self._newest = np.lexsort((-self.ids, -self.published, -self.published))
        return self._newest

    def _mask(self, filters: dict, today: date) -> np.ndarray:
        """The rows _filtered keeps, as one boolean mask over every row."""
        mask = self._visible_rows(today)
        for key in ("district", "occupation", "pay_unit", "work_form", "channel", "group"):
            if filters.get(key):
                mask = mask & self._filter_mask(key, filters[key])
        if filters.get("salary") is not None:
            mask = mask & self._filter_mask("salary", int(filters["salary"]))
        if filters.get("daily_pay"):
            mask = mask & self.daily_pay
        return mask

    def _filter_mask(self, key: str, value) -> np.ndarray:
        """One filter's rows as a mask, kept per snapshot (a few dozen values are in use)."""
        found = self._masks.get((key, value))
        if found is None:
            if key == "district":
                found = self.district == self.codes.get(value, -2)
            elif key == "occupation":
                level = min(value.count("-"), 3)
                found = self.occupation[:, level] == self.codes.get(value, -2)
            elif key == "salary":  # monthly pay only, as search.FILTER_SQL
                found = (self.salary_max >= value) & (self.pay_unit == PAY_UNITS["month"])
            elif key == "group":
                found = (self.groups & GROUP_BITS.get(value, 0)) != 0
            else:
                codes = {"pay_unit": PAY_UNITS, "work_form": WORK_FORMS, "channel": CHANNELS}
                found = getattr(self, key) == codes[key].get(value, -2)
            if len(self._masks) >= MAX_MASKS:
                self._masks = {}
            self._masks[(key, value)] = found
        return found

    def ids_of(self, rows) -> list[int]:
        return [int(i) for i in self.ids[rows]]

    def items_of(self, rows) -> list[bytes]:
        """The public list items of rows (found by search, so published)."""
        items = self.items
        return [items[r] for r in rows.tolist()]


@dataclass
class TermRows:
    """One query term in one snapshot: the rows it matches (sorted), the sum of its phrases'
    bm25 terms on each, which rows hold its first alternative; filled on first use: its rows
    in result order (as a one-term query) and its phrases' weights (as a later term)."""

    rows: np.ndarray
    score: np.ndarray
    first: np.ndarray
    ranked: np.ndarray | None = None
    weights: np.ndarray | None = None  # Snapshot._phrase_weights
    nbytes: int = 0  # counted against MAX_TERM_BYTES while kept


class Scratch:
    """Dense work arrays of one search, one slot per row, handed back clean: a mask for
    intersections and a row -> place map for scoring (-1: not a candidate)."""

    def __init__(self, rows: int):
        self.mark = np.zeros(rows, dtype=bool)
        self.place = np.full(rows, -1, dtype=np.int32)


# --- the per-app holder ---------------------------------------------------------------------


class Holder:
    def __init__(self):
        self.lock = threading.Lock()
        self.snapshot: Snapshot | None = None
        self.version = -1
        self.generation = -1
        self.bulk = -1
        self.last_check = 0.0


def _holder(app=None) -> Holder:
    app = app or current_app._get_current_object()
    holder = app.extensions.get("jobfair_search_index")
    if holder is None:
        holder = app.extensions.setdefault("jobfair_search_index", Holder())
    return holder


def _read_version() -> int:
    version = db.session.scalar(select(MatchIndexState.version).where(MatchIndexState.id == 1))
    return int(version or 0)


def _build(holder: Holder) -> None:
    started = time.perf_counter()
    holder.bulk = cache.bulk_writes()
    version = _read_version()  # read first: changes committed meanwhile are applied later
    holder.snapshot = Snapshot(load_rows())
    holder.version = version
    log.info(
        "search index: %d positions in %.2fs",
        holder.snapshot.n_alive,
        time.perf_counter() - started,
    )


def _sync(holder: Holder) -> None:
    holder.last_check = time.monotonic()
    holder.generation = cache.generation()
    bulk = cache.bulk_writes()
    version = _read_version()
    if version == holder.version:
        if bulk != holder.bulk:  # positions written by a statement that logged no change
            _build(holder)
        return
    holder.bulk = bulk  # the app's bulk updates log their rows (mark_positions_changed)
    if version < holder.version:  # the database was reset
        _build(holder)
        return
    oldest = db.session.scalar(
        select(func.min(MatchIndexChange.version)).where(MatchIndexChange.version > holder.version)
    )
    changed = db.session.scalars(
        select(MatchIndexChange.position_id)
        .where(MatchIndexChange.version > holder.version, MatchIndexChange.version <= version)
        .distinct()
        .limit(MAX_INCREMENTAL + 1)
    ).all()
    snap = holder.snapshot
    if (
        len(changed) > MAX_INCREMENTAL
        or oldest is None
        or oldest > holder.version + 1
        or snap.appended + len(changed) > max(MAX_APPENDED, snap.base_rows // 10)
    ):
        _build(holder)
        return
    holder.snapshot = snap.with_changes(changed, load_rows(changed))
    holder.version = version


def current(app=None) -> Snapshot:
    """This app's index, built on first use and brought up to date with committed changes.

    While one thread updates the index, the others go on with the snapshot they have (a
    rebuild of 100,000 positions takes seconds); only the very first build is waited for.
    """
    holder = _holder(app)
    snap = holder.snapshot
    if (
        snap is not None
        and holder.generation == cache.generation()
        and time.monotonic() - holder.last_check < CHECK_INTERVAL
    ):
        return snap
    if not holder.lock.acquire(blocking=snap is None or holder.generation != cache.generation()):
        return snap
    try:
        if holder.snapshot is None:
            _build(holder)
            holder.generation = cache.generation()
            holder.last_check = time.monotonic()
        elif (
            holder.generation != cache.generation()
            or time.monotonic() - holder.last_check >= CHECK_INTERVAL
        ):
            _sync(holder)
        return holder.snapshot
    finally:
        holder.lock.release()


def rebuild(app=None) -> int:
    """Rebuild this app's index now (CLI and background jobs); returns the positions held."""
    holder = _holder(app)
    with holder.lock:
        _build(holder)
        holder.generation = cache.generation()
        holder.last_check = time.monotonic()
        return holder.snapshot.n_alive
