"""Reasons in Chinese for a match, built only from the signals that contributed to its score.

Everything is worked out for all pairs at once (arrays over the pairs), and each pair's reasons
are then read off prepared strings: a batch of 100,000 matches spends no Python loop per pair
beyond joining its words and assembling its tuple.
"""

import numpy as np
import scipy.sparse as sp

from jobfair.matching.docs import GROUP_BITS, GROUP_LABELS, WORK_FORM_BITS, WORK_FORM_LABELS
from jobfair.matching.features import taxonomy
from jobfair.matching.index import PositionIndex, SeekerBlock
from jobfair.matching.scoring import MAX_SKILL_TERMS

MIN_SKILL_SHARE = 0.01  # raw text contribution below which no 技能匹配 reason is given
MIN_INFERRED_REASON = 0.2  # a guess weaker than this is no reason to show


def _lookup(strings: dict[int, str], size: int) -> np.ndarray:
    """An object array of reason strings by bit mask ("" where there is none)."""
    out = np.full(size, "", dtype=object)
    for mask, text in strings.items():
        out[mask] = text
    return out


_GROUP_REASONS = _lookup(
    {
        mask: "岗位欢迎" + "、".join(GROUP_LABELS[g] for g, bit in GROUP_BITS.items() if mask & bit)
        for mask in range(1, 1 << len(GROUP_BITS))
    },
    1 << len(GROUP_BITS),
)
_FORM_REASONS = _lookup(
    {
        mask: "工作形式："
        + next(WORK_FORM_LABELS[f] for f, bit in WORK_FORM_BITS.items() if mask & bit)
        for mask in range(1, 1 << len(WORK_FORM_BITS))
    },
    1 << len(WORK_FORM_BITS),
)
_OCC_LABELS = ("职业对口", "职业相近", "推测职业", "推测职业相近")  # exact/near x chosen/guessed
_occ_reasons: np.ndarray | None = None


def _occupation_strings() -> np.ndarray:
    """(4 labels, occupations + 1) reason strings; the last column ("") is "no reason"."""
    global _occ_reasons
    if _occ_reasons is None:
        names = taxonomy().names
        table = np.full((len(_OCC_LABELS), len(names) + 1), "", dtype=object)
        for i, label in enumerate(_OCC_LABELS):
            table[i, :-1] = [label + "：" + n for n in names]
        _occ_reasons = table
    return _occ_reasons


def reasons_for(
    index: PositionIndex, enc: SeekerBlock, srows, prows, text
) -> list[tuple[str, ...]]:
    """Reasons for seeker/position row pairs, built only from what contributed."""
    srows = np.asarray(srows, dtype=np.int64)
    prows = np.asarray(prows, dtype=np.int64)
    if not len(srows):
        return []
    w = index.weights
    shared_groups = (index._groups[prows] & enc.groups[srows]) * (w.priority_group > 0)
    district = index._district[prows]
    district_hit = enc.district[srows, district] & (w.district > 0)
    salary_hit = (enc.salary[srows] > 0) & (index._sal_max[prows] >= enc.salary[srows])
    salary_hit &= w.salary > 0
    edu_hit = (index._edu[prows] > 0) & (enc.edu[srows] >= index._edu[prows]) & (w.education > 0)
    form_shared = (index._form[prows] & enc.forms[srows]) * (w.work_form > 0)
    districts = np.full(len(index._districts) + 1, "", dtype=object)  # last: none
    for name, slot in index._districts.items():
        districts[slot] = "期望区域：" + name
    columns = (
        _GROUP_REASONS[shared_groups],
        _occupation_reasons(index, enc, srows, prows),
        _shared_terms(index, enc, srows, prows, text),
        districts[np.where(district_hit, district, -1)],
        np.where(salary_hit, "薪资符合期望", ""),
        np.where(edu_hit, "学历符合要求", ""),
        _FORM_REASONS[form_shared],
    )
    return [tuple(filter(None, pair)) for pair in zip(*(c.tolist() for c in columns), strict=True)]


def _occupation_reasons(index: PositionIndex, enc: SeekerBlock, srows, prows) -> np.ndarray:
    """职业对口 / 职业相近, or 推测职业 / 推测职业相近 when either side's code was inferred."""
    w = index.weights
    occ, minor, middle = index._occ[prows], index._minor[prows], index._middle[prows]
    chosen = occ >= 0
    candidates = [(occ, minor, middle, chosen.astype(np.float32))]
    if index._iconf.shape[0]:
        for k in range(index._iocc.shape[1]):
            conf = np.where(chosen, 0.0, index._iconf[prows, k])
            candidates.append(
                (index._iocc[prows, k], index._iminor[prows, k], index._imiddle[prows, k], conf)
            )
    best_val = np.zeros(len(prows))
    best_code = np.full(len(prows), -1)
    best_exact = np.zeros(len(prows), dtype=bool)
    for o, mi, md, conf in candidates:
        exact = enc.occ[srows, o] * (w.occupation > 0)
        near = np.maximum(
            enc.minor[srows, mi] * (w.occupation_minor > 0),
            enc.middle[srows, md] * (w.occupation_middle > 0),
        )
        val = conf * np.maximum(exact, near)
        better = (val > best_val) & (o >= 0)
        best_val = np.where(better, val, best_val)
        best_code = np.where(better, o, best_code)
        best_exact = np.where(better, exact >= near, best_exact)
    guessed = enc.inferred[srows] | ~chosen
    shown = (best_code >= 0) & (best_val > 0) & ~(guessed & (best_val < MIN_INFERRED_REASON))
    label = np.where(best_exact, 0, 1) + 2 * guessed  # the row of _OCC_LABELS
    return _occupation_strings()[label, np.where(shown, best_code, -1)]


def _shared_terms(index: PositionIndex, enc: SeekerBlock, srows, prows, text) -> np.ndarray:
    """Per pair, 技能匹配 with the top shared words by their contribution to the text score."""
    out = np.full(len(srows), "", dtype=object)
    need = np.flatnonzero(np.asarray(text) >= MIN_SKILL_SHARE)
    if not len(need) or index._n_words <= 1:
        return out
    x = index.word_rows(prows[need])
    # Each of the position's words times its seeker's weight for it: the chunk's query words
    # get compact columns, so one small dense table answers every lookup.
    q = enc.word_q
    words_in_q, slot = np.unique(q.indices, return_inverse=True)
    table = np.zeros((q.shape[0], len(words_in_q) + 1), dtype=np.float32)  # last: none
    table[np.repeat(np.arange(q.shape[0]), np.diff(q.indptr)), slot] = q.data
    column = np.full(max(1, q.shape[1]), -1, dtype=np.int64)
    column[words_in_q] = np.arange(len(words_in_q))
    owner = np.repeat(srows[need], np.diff(x.indptr))
    vals = x.data * table[owner, column[x.indices]]
    prod = sp.csr_matrix((vals, x.indices, x.indptr), shape=x.shape)
    prod.eliminate_zeros()
    if not prod.nnz:
        return out
    prod.sort_indices()
    # Per pair, the 2 * MAX_SKILL_TERMS words that contributed most (ties by word) ...
    row_of_nz = np.repeat(np.arange(prod.shape[0], dtype=np.int64), np.diff(prod.indptr))
    # Contributions are positive, so their float32 bits order them: one stable sort by
    # (pair, contribution descending) keeps the words' order within a tie.
    bits = prod.data.astype(np.float32).view(np.int32).astype(np.int64)
    order = np.argsort((row_of_nz << 31) | (0x7FFFFFFF - bits), kind="stable")
    rank = np.arange(len(order)) - prod.indptr[row_of_nz[order]]
    top = order[rank < 2 * MAX_SKILL_TERMS]
    owners, words = row_of_nz[top], prod.indices[top]
    # ... less those inside another of them (氩弧焊 rather than its part 弧焊), best first.
    keep = ~_inside_another(index, owners, words)
    owners, words = owners[keep], words[keep]
    rank = np.arange(len(owners)) - np.searchsorted(owners, owners)
    owners, words = owners[rank < MAX_SKILL_TERMS], words[rank < MAX_SKILL_TERMS]
    terms = index._terms[words].tolist()
    bounds = np.searchsorted(owners, np.arange(prod.shape[0] + 1)).tolist()
    has = np.flatnonzero(np.diff(bounds))
    out[need[has]] = [
        "技能匹配：" + "、".join(terms[bounds[i] : bounds[i + 1]]) for i in has.tolist()
    ]
    return out


def _inside_another(index: PositionIndex, owners: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Per (pair, word) entry: whether the word is part of another word of the same pair."""
    parts = _word_parts(index)
    width = np.int64(len(index._terms))
    keys = owners.astype(np.int64) * width + words
    by_key = np.argsort(keys, kind="stable")
    sorted_keys = keys[by_key]
    count = np.diff(parts.indptr)[words]
    inside = np.zeros(len(keys), dtype=bool)
    total = int(count.sum())
    if not total:
        return inside
    # Every entry's parts (the vocabulary's words inside its word), as keys of the same pair.
    starts = np.repeat(parts.indptr[words] - (np.cumsum(count) - count), count)
    part_words = parts.indices[starts + np.arange(total)]
    probe = np.repeat(owners.astype(np.int64), count) * width + part_words
    at = np.minimum(np.searchsorted(sorted_keys, probe), len(sorted_keys) - 1)
    hit = sorted_keys[at] == probe
    inside[by_key[at[hit]]] = True
    return inside


def _word_parts(index: PositionIndex):
    """CSR over the word vocabulary: row w lists the other vocabulary words inside word w.

    Worked out once per vocabulary (on the first reasons after a build) and kept on the index.
    """
    cached = index.__dict__.get("_parts_of_words")
    if cached is not None and cached[0] is index._terms:
        return cached[1]
    terms = index._terms.tolist()
    at = {t: i for i, t in enumerate(terms)}
    lengths = sorted({len(t) for t in terms})
    rows: list[int] = []
    cols: list[int] = []
    for i, t in enumerate(terms):
        n = len(t)
        found = {at.get(t[s : s + m]) for m in lengths if m < n for s in range(n - m + 1)}
        found.discard(None)
        rows.extend([i] * len(found))
        cols.extend(found)
    parts = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(len(terms), len(terms))
    )
    parts.sort_indices()
    index._parts_of_words = (index._terms, parts)
    return parts
