"""Reasons in Chinese for a match, built only from the signals that contributed to its score."""

import numpy as np
import scipy.sparse as sp

from jobfair.matching.docs import GROUP_BITS, GROUP_LABELS, WORK_FORM_BITS, WORK_FORM_LABELS
from jobfair.matching.features import taxonomy
from jobfair.matching.index import PositionIndex, SeekerBlock
from jobfair.matching.scoring import MAX_SKILL_TERMS

MIN_SKILL_SHARE = 0.01  # raw text contribution below which no 技能匹配 reason is given

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
    terms = _shared_terms(index, enc, srows, prows, text)
    district_names = {v: "期望区域：" + k for k, v in index._districts.items()}
    occ_names = _occupation_reasons(index, enc, srows, prows)
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


MIN_INFERRED_REASON = 0.2  # a guess weaker than this is no reason to show


def _occupation_reasons(index: PositionIndex, enc: SeekerBlock, srows, prows) -> list[str]:
    """职业对口 / 职业相近, or 推测职业 / 推测职业相近 when either side's code was inferred."""
    w = index.weights
    names = taxonomy().names
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
    out = []
    for code, val, exact, guess in zip(
        best_code.tolist(), best_val.tolist(), best_exact.tolist(), guessed.tolist(), strict=True
    ):
        if code < 0 or val <= 0 or (guess and val < MIN_INFERRED_REASON):
            out.append("")
            continue
        label = (
            ("推测职业" if guess else "职业对口")
            if exact
            else ("推测职业相近" if guess else "职业相近")
        )
        out.append(label + "：" + names[code])
    return out


def _shared_terms(index: PositionIndex, enc: SeekerBlock, srows, prows, text) -> list[list[str]]:
    """Per pair, the top shared words by their contribution to the text score."""
    out: list[list[str]] = [[] for _ in range(len(srows))]
    need = np.flatnonzero(np.asarray(text) >= MIN_SKILL_SHARE)
    if not len(need) or index._n_words <= 1:
        return out
    x = index.word_rows(prows[need])
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
    terms = index._terms[prod.indices[top]].tolist()
    owners = row_of_nz[top]
    bounds = np.searchsorted(owners, np.arange(prod.shape[0] + 1))
    for i in range(prod.shape[0]):
        out[need[i]] = _pick_terms(terms[bounds[i] : bounds[i + 1]])
    return out


def _pick_terms(candidates: list[str]) -> list[str]:
    """Up to MAX_SKILL_TERMS words, best first, naming 氩弧焊 rather than its part 弧焊."""
    if len(candidates) <= 1:
        return candidates
    joined = "\x00".join(candidates)  # a word inside another one occurs twice here
    return [t for t in candidates if joined.count(t) == 1][:MAX_SKILL_TERMS]
