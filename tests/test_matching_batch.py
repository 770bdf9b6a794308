"""recommend_many against a plain per-pair reference of the documented formula and reasons.

The batch path is vectorised for speed (scoring, occupation terms, 技能匹配 words, reason strings);
this test recomputes every returned match one pair at a time in plain Python, the way
scoring.py and reasons.py describe it, so any divergence of the fast path shows up as a
different score, a different reason or a different order. The corpus mixes chosen and inferred
codes, wished and inferred occupations, and words inside other words (弧焊 in 氩弧焊).
"""

import random
from dataclasses import replace

import numpy as np
import pytest

from jobfair.matching import MatchingEngine, PositionDoc, SeekerDoc
from jobfair.matching.docs import (
    EDUCATION_RANK,
    GROUP_BITS,
    GROUP_LABELS,
    WORK_FORM_BITS,
    WORK_FORM_LABELS,
)
from jobfair.matching.features import (
    PROTECTED_WORDS,
    char_grams,
    seeker_words,
    taxonomy,
    tfidf_rows,
)
from jobfair.matching.index import INFERRED_SLOTS, SeekerBlock, _token_table, query_tokens
from jobfair.matching.scoring import MAX_SKILL_TERMS

# Welding and machining share a middle group (6-18); 6-18-02-04/05 share a minor group.
CODES = ("6-18-02-04", "6-18-02-05", "6-18-01-01", "6-30-05-01", "4-03-02-01", "2-02-07-09")
WORDS = [
    "氩弧焊",
    "弧焊",
    "焊工",
    "电焊",
    "二保焊",
    "焊接",
    "叉车",
    "叉车证",
    "仓储",
    "仓库管理",
    "管理",
    "收银",
    "收银员",
    "车床",
    "数控",
    "数控车床",
    "编程",
    "普工",
    "包吃住",
    "五险",
    "长白班",
    "夜班",
    "日结",
    "驾驶证",
    "沟通",
    "团队管理",
    "团队",
    "电工",
    "电工证",
    "维修",
    "设备维修",
]
DISTRICTS = ("江宁区", "玄武区", "鼓楼区", "浦口区")
FORMS = tuple(WORK_FORM_BITS)
GROUPS = tuple(GROUP_BITS)
EDUCATION = ("none", "junior", "senior", "college", "bachelor")


def corpus(seed=7, n_positions=400, n_seekers=80):
    rng = random.Random(seed)

    def guesses():
        picked = rng.sample(CODES, rng.randint(1, 3))
        return tuple((c, round(rng.uniform(0.05, 0.9), 3)) for c in picked)

    positions = []
    for i in range(1, n_positions + 1):
        coded = rng.random() > 0.3
        low = rng.randrange(3000, 9000, 500)
        positions.append(
            PositionDoc(
                id=i,
                title="岗位",
                occupation_code=rng.choice(CODES) if coded else "",
                inferred_occupations=() if coded else guesses(),
                district=rng.choice(DISTRICTS),
                salary_min=low,
                salary_max=low + rng.randrange(0, 4000, 500),
                education=rng.choice(EDUCATION),
                work_form=rng.choice(FORMS),
                welcomed_groups=tuple(rng.sample(GROUPS, rng.choice((0, 0, 1, 2)))),
                tokens=" ".join(rng.choices(WORDS, k=rng.randint(3, 12))),
            )
        )
    seekers = []
    for i in range(1, n_seekers + 1):
        wished = rng.random() > 0.3
        seekers.append(
            SeekerDoc(
                id=i,
                desired_occupations=tuple(rng.sample(CODES, rng.randint(1, 2))) if wished else (),
                inferred_occupations=() if wished else guesses(),
                districts=tuple(rng.sample(DISTRICTS, rng.randint(0, 2))),
                salary_min=rng.choice((0, 0, 4000, 6000, 9000)),
                education=rng.choice(EDUCATION),
                work_forms=tuple(rng.sample(FORMS, rng.randint(0, 2))),
                groups=tuple(rng.sample(GROUPS, rng.choice((0, 0, 1)))),
                tokens=" ".join(rng.choices(WORDS, k=rng.randint(0, 8))),
            )
        )
    return positions, seekers


def _position_codes(doc):
    """(code, confidence) as the index keeps them: the chosen code, else the best inferred ones."""
    if doc.occupation_code:
        return [(doc.occupation_code, np.float32(1.0))]
    seen, out = set(), []
    for code, conf in doc.inferred_occupations:
        if code not in seen and 0.0 < conf <= 1.0:
            seen.add(code)
            out.append((code, conf))
    out.sort(key=lambda x: -x[1])
    return [(c, np.float32(p)) for c, p in out[:INFERRED_SLOTS]]


def _seeker_levels(doc):
    """Per level (occupation, minor, middle): the seeker's strength for each group."""
    pairs = [(c, 1.0) for c in doc.desired_occupations] or list(doc.inferred_occupations)
    levels = ({}, {}, {})
    for code, conf in pairs:
        parts = code.split("-")
        for level, key in zip(
            levels, (code, "-".join(parts[:3]), "-".join(parts[:2])), strict=True
        ):
            level[key] = max(level.get(key, np.float32(0)), np.float32(conf))
    return levels, not doc.desired_occupations and bool(pairs)


def reference(engine, seeker, position, text):
    """Score and reasons of one pair, computed the plain way (text term given)."""
    w = engine.weights
    levels, seeker_guessed = _seeker_levels(seeker)
    codes = _position_codes(position)
    occ_term, best, best_code, best_exact = 0.0, np.float32(0), None, False
    for code, conf in codes:
        parts = code.split("-")
        o = levels[0].get(code, np.float32(0))
        mi = levels[1].get("-".join(parts[:3]), np.float32(0))
        md = levels[2].get("-".join(parts[:2]), np.float32(0))
        occ_term += float(conf) * max(
            w.occupation * o, w.occupation_minor * mi, w.occupation_middle * md
        )
        val = conf * max(o, mi, md)
        if val > best:
            best, best_code, best_exact = val, code, o >= max(mi, md)
    district_hit = position.district in seeker.districts
    shared_groups = [g for g in GROUPS if g in position.welcomed_groups and g in seeker.groups]
    form_fit = not seeker.work_forms or position.work_form in seeker.work_forms
    pay = max(position.salary_max, position.salary_min)
    salary_fit = not seeker.salary_min or pay >= seeker.salary_min
    edu_need = EDUCATION_RANK[position.education]
    edu_fit = EDUCATION_RANK[seeker.education] >= edu_need
    raw = (
        text
        + occ_term
        + w.district * district_hit
        + w.priority_group * bool(shared_groups)
        + w.work_form * form_fit
        + w.salary * salary_fit
        + w.education * edu_fit
    )
    reasons = []
    if shared_groups:
        order = [g for g in GROUP_BITS if g in shared_groups]
        reasons.append("岗位欢迎" + "、".join(GROUP_LABELS[g] for g in order))
    guessed = seeker_guessed or not position.occupation_code
    if best_code and best > 0 and not (guessed and best < 0.2):
        label = (
            ("推测职业" if guessed else "职业对口")
            if best_exact
            else ("推测职业相近" if guessed else "职业相近")
        )
        reasons.append(label + "：" + taxonomy().names[taxonomy().occ[best_code]])
    terms = _reference_terms(engine, seeker, position) if text >= 0.01 else []
    if terms:
        reasons.append("技能匹配：" + "、".join(terms))
    if district_hit:
        reasons.append("期望区域：" + position.district)
    if seeker.salary_min and pay >= seeker.salary_min:
        reasons.append("薪资符合期望")
    if edu_need and edu_fit:
        reasons.append("学历符合要求")
    if position.work_form in seeker.work_forms:
        reasons.append("工作形式：" + WORK_FORM_LABELS[position.work_form])
    return round(raw / w.total, 4), tuple(reasons)


def _reference_terms(engine, seeker, position):
    """Shared words by contribution (ties by vocabulary order), none inside another, at most 3."""
    q = SeekerBlock(engine, [seeker]).word_q
    mine = dict(zip(q.indices.tolist(), q.data.tolist(), strict=True))
    row = engine.word_rows(np.array([engine._row_of[position.id]]))
    shared = [
        (-float(np.float32(x) * np.float32(mine[j])), j)
        for j, x in zip(row.indices.tolist(), row.data.tolist(), strict=True)
        if j in mine
    ]
    top = [engine._terms[j] for _, j in sorted(shared)[: 2 * MAX_SKILL_TERMS]]
    return [t for t in top if not any(t != u and t in u for u in top)][:MAX_SKILL_TERMS]


def _text_term(engine, seeker, position):
    """The text term: the seeker's text query times the position's text row."""
    enc = SeekerBlock(engine, [seeker])
    q = enc.q[:, : engine._n_text]
    x = engine._X_base[engine._row_of[position.id], : engine._n_text]
    return float((q @ x.T).toarray()[0, 0])


@pytest.fixture(scope="module")
def built():
    positions, seekers = corpus()
    return MatchingEngine.build(positions), positions, seekers


def test_batch_equals_the_plain_reference(built):
    engine, positions, seekers = built
    by_id = {p.id: p for p in positions}
    results = engine.recommend_many(seekers, 20)
    checked = 0
    for seeker, matches in zip(seekers, results, strict=True):
        assert [(-m.score, m.position_id) for m in matches] == sorted(
            (-m.score, m.position_id) for m in matches
        )
        for m in matches:
            pos = by_id[m.position_id]
            score, reasons = reference(engine, seeker, pos, _text_term(engine, seeker, pos))
            assert m.score == pytest.approx(score, abs=1.01e-4), (seeker.id, m.position_id)
            assert m.reasons == reasons, (seeker.id, m.position_id)
            checked += 1
    # The corpus exercises every kind of reason, guessed codes and words inside words.
    flat = [r for ms in results for m in ms for r in m.reasons]
    for prefix in (
        "推测职业：",
        "推测职业相近：",
        "职业对口：",
        "职业相近：",
        "技能匹配：",
        "期望区域：",
    ):
        assert any(r.startswith(prefix) for r in flat), prefix
    assert not any("、弧焊" in r or "：弧焊、" in r for r in flat if "氩弧焊" in r)
    assert checked > 1000


def test_batch_equals_single_and_pair_paths_after_changes(built):
    engine, positions, seekers = built
    engine = MatchingEngine.build(positions)
    # Positions added after the build (delta rows) and removed ones take part too.
    extra, _ = corpus(seed=11, n_positions=60, n_seekers=0)
    engine.add_many([PositionDoc(**{**p.__dict__, "id": p.id + 10_000}) for p in extra])
    for pid in range(1, 40, 3):
        engine.remove(pid)
    batch = engine.recommend_many(seekers, 15)
    for seeker, matches in zip(seekers[:40], batch[:40], strict=True):
        assert engine.recommend(seeker, 15) == matches
        for m in matches[:5]:
            pos = next(p for p in positions + extra if p.id == m.position_id % 10_000)
            pos = PositionDoc(**{**pos.__dict__, "id": m.position_id})
            assert engine.score(seeker, pos) == m


def test_query_rows_equal_scikit_learns(built):
    """The batch's query rows (TokenTable's columns through tfidf_rows, as SeekerBlock builds
    them before pruning) equal scikit-learn's TF-IDF of the seekers' feature words, with
    split_tokens' filter (one-character and protected words) applied alike."""
    engine, positions, seekers = built
    protected = sorted(PROTECTED_WORDS)[0]
    odd = [
        replace(seekers[0], tokens=f"氩弧焊 不在词表里 焊 {protected} 焊工 焊工"),
        replace(seekers[1], tokens=""),  # segmented from the text
    ]
    docs = list(seekers) + odd
    tokens = [query_tokens(s) for s in docs]
    table = _token_table(engine)
    ids = table.lookup(tokens)
    rows = np.repeat(np.arange(len(docs), dtype=np.int64), [len(t) for t in tokens])
    (w_rows, w_cols), (c_rows, c_cols) = table.columns(ids, rows)
    words = [seeker_words(s) for s in docs]
    pairs = (
        (engine._word_vec, w_rows, w_cols, words),
        (engine._char_vec, c_rows, c_cols, [char_grams(w) for w in words]),
    )
    for vec, r, c, expected in pairs:
        ours, theirs = tfidf_rows(vec, r, c, len(docs)), vec.transform(expected)
        assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
        for part in ("indptr", "indices", "data"):
            assert np.array_equal(getattr(ours, part), getattr(theirs, part)), part
