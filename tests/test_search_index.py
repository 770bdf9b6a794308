"""The search index's shortcuts (per-term rows, ranked heads, filter masks) give exactly the
pages and totals of ranking every match from the postings (no app, no database)."""

import random
from datetime import date

import numpy as np

from jobfair.positions import textindex

TODAY = date(2026, 12, 6)
WORDS = ["焊工", "电焊", "普工", "叉车", "司机", "叉车司机", "销售", "业务", "厨师", "保安"]
TERMS = [
    (("销售",), ("业务",)),  # broad: most rows hold one of them
    (("焊工",), ("电焊",), ("叉车", "司机")),
    (("叉车司机",), ("叉车", "司机")),
    (("厨师",),),
    (("保安",), ("普工",)),
]


def _rows(n: int, seed: int) -> textindex.Rows:
    rng = random.Random(seed)
    rows = textindex.Rows()
    for i in range(n):
        words = rng.choices(WORDS, weights=[3, 2, 6, 2, 3, 1, 12, 10, 1, 2], k=rng.randint(1, 9))
        rows.ids.append(seed * 100_000 + i + 1)
        rows.public.append(rng.random() < 0.9)
        rows.deadline.append(TODAY.toordinal() + rng.choice([-3, 0, 5, 40]))
        rows.published.append(float(rng.randint(0, 50)))  # many ties: the id decides
        rows.district.append(rng.choice(["江宁区", "鼓楼区", ""]))
        rows.occupation.append(textindex._prefixes(rng.choice(["6-18-02-04", "4-02-01-01"])))
        rows.salary_max.append(rng.choice([0, 4000, 6000, 9000]))
        rows.work_form.append(rng.randint(0, 2))
        rows.channel.append(rng.randint(0, 2))
        rows.pay_unit.append(rng.choice([textindex.PAY_UNITS["month"], textindex.PAY_UNITS["day"]]))
        rows.daily_pay.append(rng.random() < 0.3)
        rows.groups.append(rng.choice([0, 1, 2, 3]))
        rows.tokens.append(" ".join(words))
        rows.items.append(None)
    return rows


FILTERS = [
    {},
    {"district": "江宁区"},
    {"salary": 5000},
    {"occupation": "6-18"},
    {"group": "graduate", "daily_pay": True},
    {"work_form": "part_time", "channel": "trainee"},
]


def _same_as_ranking_every_match(snap: textindex.Snapshot, rng: random.Random) -> None:
    queries = [[]] + [[t] for t in TERMS] + [rng.sample(TERMS, 2) for _ in range(6)]
    for terms in queries:
        widened = any(len(term) > 1 for term in terms)
        exact = [term[:1] for term in terms] if widened else None
        for filters in FILTERS:
            for offset, limit in [(0, 20), (20, 20), (0, 1), (137, 50), (5000, 20)]:
                got_rows, got_total = snap.search(terms, exact, filters, TODAY, offset, limit)
                scratch = snap._take_scratch()
                if widened:
                    want_rows, want_total = snap._search_by_postings(
                        terms, exact, filters, TODAY, offset, limit, scratch
                    )
                elif terms:
                    want_rows, want_total = _unwidened(snap, terms, filters, offset, limit, scratch)
                else:
                    want_rows, want_total = _newest(snap, filters, offset, limit)
                snap._scratch.append(scratch)
                assert got_total == want_total, (terms, filters)
                assert snap.ids_of(got_rows) == snap.ids_of(want_rows), (terms, filters, offset)


def _newest(snap, filters, offset, limit):
    """No keyword: every visible row, newest first."""
    found = snap._filtered(np.arange(len(snap.alive)), filters, TODAY)
    if offset >= len(found):
        return found[:0], len(found)
    return snap._top(found, -snap.published[found], offset, offset + limit)


def _unwidened(snap, terms, filters, offset, limit, scratch):
    """Every term without alternatives: every match is "exact"."""
    postings = {t: snap._posting(t) for term in terms for alt in term for t in alt}
    found = snap._filtered(snap._match(terms, postings, scratch), filters, TODAY)
    if len(found) == 0 or offset >= len(found):
        return found[:0], len(found)
    phrases = [t for term in terms for alt in term for t in alt]
    score = snap._bm25(found, phrases, postings, scratch)
    return snap._top(found, -score - 1e6, offset, offset + limit)


def test_pages_and_totals_match_ranking_every_match():
    snap = textindex.Snapshot(_rows(3000, 1))
    _same_as_ranking_every_match(snap, random.Random(7))


def test_same_after_positions_change():
    snap = textindex.Snapshot(_rows(3000, 1))
    snap.search([TERMS[0]], [TERMS[0][:1]], {}, TODAY, 0, 20)  # per-term rows of the old one
    replaced = [100_001 + i for i in range(0, 2400, 3)]  # rewritten: old rows die, new appended
    changed = _rows(400, 2)
    changed.ids[:300] = replaced[:300]
    newer = snap.with_changes(replaced, changed)
    assert len(newer) == 3000 - len(replaced) + 400
    assert newer._terms == {}
    _same_as_ranking_every_match(newer, random.Random(8))


def test_same_when_terms_are_dropped_for_memory(monkeypatch):
    monkeypatch.setattr(textindex, "MAX_TERM_BYTES", 20_000)  # a term or two at a time
    snap = textindex.Snapshot(_rows(3000, 1))
    _same_as_ranking_every_match(snap, random.Random(9))
    assert snap._term_bytes > 0 and len(snap._terms) <= 2
