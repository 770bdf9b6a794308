"""Reasons in Chinese for a match, built only from the signals that contributed to its score.

Everything is worked out for all pairs at once (arrays over the pairs), and each pair's reasons
are then read off prepared strings: a batch of 100,000 matches spends no Python loop per pair
beyond joining its words and assembling its tuple.
"""

import numpy as np
import scipy.sparse as sp

from jobfair.matching.docs import GROUP_BITS, GROUP_LABELS, WORK_FORM_BITS, WORK_FORM_LABELS
from jobfair.matching.features import rank_in_rows, taxonomy
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
    """Reasons for seeker/position row pairs, built only from what contributed.

    In order: priority groups, occupation, shared words, district, salary, education, form of
    work. All but the shared words take few values, so each pair's tuple without them is read
    from a cache keyed by one integer (the first two and the last four apart); a pair with
    shared words joins its two tuples around its 技能匹配 string.
    """
    srows = np.asarray(srows, dtype=np.int64)
    prows = np.asarray(prows, dtype=np.int64)
    if not len(srows):
        return []
    w = index.weights
    shared_groups = (index._groups[prows] & enc.groups[srows]) * (w.priority_group > 0)
    head = _occupation_reasons(index, enc, srows, prows) * _GROUP_SPAN + shared_groups
    district = index._district[prows]
    district_hit = enc.pick(enc.district, srows, district) & (w.district > 0)
    salary = enc.salary[srows]
    salary_hit = (salary > 0) & (index._sal_max[prows] >= salary) & (w.salary > 0)
    edu = index._edu[prows]
    edu_hit = (edu > 0) & (enc.edu[srows] >= edu) & (w.education > 0)
    form_shared = (index._form[prows] & enc.forms[srows]) * (w.work_form > 0)
    tail = np.where(district_hit, district + 1, 0) * 4 + salary_hit * 2 + edu_hit
    tail = tail * _FORM_SPAN + form_shared
    heads = _tuples(_cache(index, "_head_tuples"), head, _head_tuple)
    tails = _tuples(_cache(index, "_tail_tuples"), tail, lambda key: _tail_tuple(index, key))
    skilled, skills = _shared_terms(index, enc, srows, prows, text)
    middles = np.empty(len(srows), dtype=object)
    middles.fill(())
    middles[skilled] = np.fromiter(zip(skills), dtype=object, count=len(skills))
    return list(map(tuple.__add__, map(tuple.__add__, heads, middles.tolist()), tails))


_GROUP_SPAN = 1 << len(GROUP_BITS)
_FORM_SPAN = 1 << len(WORK_FORM_BITS)
_CACHE_LIMIT = 100_000  # cached reason tuples of one kind; the cache starts again beyond it


def _tuples(cache: dict, keys: np.ndarray, make) -> list[tuple[str, ...]]:
    """Per key, its tuple from the cache (made on first sight)."""
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
    keys = keys.tolist()
    for key in set(keys).difference(cache):
        cache[key] = make(key)
    return list(map(cache.__getitem__, keys))


def _head_tuple(key: int) -> tuple[str, ...]:
    occupation = _occupation_strings().ravel()[key // _GROUP_SPAN]
    return tuple(filter(None, (_GROUP_REASONS[key % _GROUP_SPAN], occupation)))


def _cache(index: PositionIndex, name: str) -> dict:
    """A cache of reason tuples kept on the index (used under its lock; districts have names of
    their own per index)."""
    cache = index.__dict__.get(name)
    if cache is None:
        cache = {}
        setattr(index, name, cache)
    return cache


def _tail_tuple(index: PositionIndex, key: int) -> tuple[str, ...]:
    form, rest = key % _FORM_SPAN, key // _FORM_SPAN
    district, salary, edu = rest // 4 - 1, rest & 2, rest & 1
    names = {slot: name for name, slot in index._districts.items()}
    return tuple(
        filter(
            None,
            (
                "期望区域：" + names[district] if district >= 0 else "",
                "薪资符合期望" if salary else "",
                "学历符合要求" if edu else "",
                _FORM_REASONS[form],
            ),
        )
    )


def _occupation_reasons(index: PositionIndex, enc: SeekerBlock, srows, prows) -> np.ndarray:
    """职业对口 / 职业相近, or 推测职业 / 推测职业相近 when either side's code was inferred.

    Returned as flat indices into _occupation_strings() (its empty last column: none).
    """
    w = index.weights
    occ, minor, middle = index._occ[prows], index._minor[prows], index._middle[prows]
    chosen = occ >= 0
    candidates = [(occ, minor, middle, chosen.astype(np.float32))]
    if index._iconf.shape[0]:
        for k in range(index._iocc.shape[1]):
            conf = np.where(chosen, 0.0, index._iconf[:, k][prows])
            candidates.append(
                (
                    index._iocc[:, k][prows],
                    index._iminor[:, k][prows],
                    index._imiddle[:, k][prows],
                    conf,
                )
            )
    best_val = np.zeros(len(prows))
    best_code = np.full(len(prows), -1)
    best_exact = np.zeros(len(prows), dtype=bool)
    for o, mi, md, conf in candidates:
        exact = enc.pick(enc.occ, srows, o) * (w.occupation > 0)
        near = np.maximum(
            enc.pick(enc.minor, srows, mi) * (w.occupation_minor > 0),
            enc.pick(enc.middle, srows, md) * (w.occupation_middle > 0),
        )
        val = conf * np.maximum(exact, near)
        better = (val > best_val) & (o >= 0)
        best_val = np.where(better, val, best_val)
        best_code = np.where(better, o, best_code)
        best_exact = np.where(better, exact >= near, best_exact)
    guessed = enc.inferred[srows] | ~chosen
    shown = (best_code >= 0) & (best_val > 0) & ~(guessed & (best_val < MIN_INFERRED_REASON))
    label = np.where(best_exact, 0, 1) + 2 * guessed  # the row of _OCC_LABELS
    width = _occupation_strings().shape[1]
    return np.where(shown, label * width + best_code, width - 1)


def _shared_terms(index: PositionIndex, enc: SeekerBlock, srows, prows, text):
    """The pairs given 技能匹配 (their indices) and its strings: the top shared words by their
    contribution to the text score."""
    none = np.zeros(0, dtype=np.int64), []
    need = np.flatnonzero(np.asarray(text) >= MIN_SKILL_SHARE)
    if not len(need) or index._n_words <= 1:
        return none
    # Each shared word's contribution: the position's weight times the seeker's (one
    # elementwise product of the pairs' rows, words in column order).
    prod = enc.word_q[srows[need]].multiply(index.word_rows(prows[need])).tocsr()
    if not prod.nnz:
        return none
    prod.sort_indices()
    # Per pair, the 2 * MAX_SKILL_TERMS words that contributed most (ties by word) ...
    # One stable sort by (pair, contribution descending) keeps the words' order within a tie.
    row_of_nz, order, rank = rank_in_rows(prod.indptr, prod.data, stable=True)
    top = rank < 2 * MAX_SKILL_TERMS
    # One row per pair, its best words left to right (-1: none).
    words = np.full((prod.shape[0], 2 * MAX_SKILL_TERMS), -1, dtype=np.int64)
    words[row_of_nz[order[top]], rank[top]] = prod.indices[order[top]]
    # ... less those inside another of them (氩弧焊 rather than its part 弧焊), best first.
    keep = (words >= 0) & ~_inside_another(index, words)
    # The strings: "技能匹配：" + first word, then "、" + each further word.
    pairs = np.arange(len(words))
    chosen = np.empty((len(words), MAX_SKILL_TERMS), dtype=np.int64)  # -1: none
    for i in range(MAX_SKILL_TERMS):
        at = np.argmax(keep, axis=1)
        chosen[:, i] = np.where(keep[pairs, at], words[pairs, at], -1)
        keep[pairs, at] = False
    has = np.flatnonzero(chosen[:, 0] >= 0)
    return need[has], _skill_strings(index, chosen[has])


def _skill_strings(index: PositionIndex, chosen: np.ndarray) -> list[str]:
    """ "技能匹配：" and the chosen words (a row of word ids, -1: none), joined by "、"."""
    first, further = _term_strings(index)
    out = first[chosen[:, 0]]
    for i in range(1, chosen.shape[1]):
        out = out + further[chosen[:, i]]  # -1 reads further's last entry, "": adds nothing
    return out.tolist()


def _term_strings(index: PositionIndex) -> tuple[np.ndarray, np.ndarray]:
    """Per vocabulary word: "技能匹配：word" and "、word" (object arrays, kept on the index);
    the second has one more entry, "", for no word (-1)."""
    cached = index.__dict__.get("_term_strings")
    if cached is not None and cached[0] is index._terms:
        return cached[1]
    terms = index._terms.tolist()
    first = np.empty(len(terms), dtype=object)
    further = np.empty(len(terms) + 1, dtype=object)
    first[:] = ["技能匹配：" + t for t in terms]
    further[:] = ["、" + t for t in terms] + [""]
    index._term_strings = (index._terms, (first, further))
    return first, further


def _inside_another(index: PositionIndex, words: np.ndarray) -> np.ndarray:
    """Per pair (row) and word: whether the word is part of another word of the same row."""
    parts = _word_parts(index)
    present = words >= 0
    count = np.where(present, np.diff(parts.indptr)[words], 0).ravel()
    inside = np.zeros(words.shape, dtype=bool)
    total = int(count.sum())
    if not total:
        return inside
    # Every word's parts (the vocabulary's words inside it), looked for in its own row.
    starts = np.repeat(parts.indptr[words.ravel()] - (np.cumsum(count) - count), count)
    part_words = parts.indices[starts + np.arange(total)]
    owner = np.repeat(np.arange(words.size) // words.shape[1], count)
    # Most parts are no word of any row here: only the others are looked for.
    shown = np.zeros(len(index._terms), dtype=bool)
    shown[words[present]] = True
    maybe = np.flatnonzero(shown[part_words])
    owner, part_words = owner[maybe], part_words[maybe]
    hit_probe, hit_slot = np.nonzero(words[owner] == part_words[:, None])
    inside[owner[hit_probe], hit_slot] = True
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
