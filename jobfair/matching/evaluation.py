"""Evaluation you can run: occupation suggestion hit rates and recommendation precision@10."""

import time
from collections.abc import Iterable

from jobfair.matching.docs import SeekerDoc
from jobfair.matching.occupations import load_eval_rows, suggest_occupations
from jobfair.matching.ranking import MatchingEngine


def _major(code: str) -> str:
    return (code or "").split("-", 1)[0]


def evaluate_suggestions(rows: Iterable[dict] | None = None, k: int = 10) -> dict:
    """Hit rates of suggest_occupations on labelled titles (rows of title, code[, split]).

    Returns {"n", "exact@1", "exact@10", "major@1", "ms_per_query", "splits": {split: {...}}},
    timing one query at a time as the product calls it. Without rows, the project's set
    (jobfair/data/eval/occupation-titles.csv) is used.
    """
    rows = list(load_eval_rows() if rows is None else rows)
    per_split: dict[str, list[int]] = {}
    totals = [0, 0, 0]
    started = time.perf_counter()
    for row in rows:
        got = [s.code for s in suggest_occupations(row["title"], k)]
        want = row["code"].strip()
        hits = [
            int(bool(got) and got[0] == want),
            int(want in got[:k]),
            int(bool(got) and _major(got[0]) == _major(want)),
        ]
        totals = [a + b for a, b in zip(totals, hits, strict=True)]
        split = (row.get("split") or "").strip()
        if split:
            acc = per_split.setdefault(split, [0, 0, 0, 0])
            for i, h in enumerate(hits):
                acc[i] += h
            acc[3] += 1
    elapsed = time.perf_counter() - started
    n = len(rows)

    def rates(e1, e10, m1, count):
        count = max(1, count)
        return {
            "exact@1": round(e1 / count, 3),
            "exact@10": round(e10 / count, 3),
            "major@1": round(m1 / count, 3),
        }

    result = {"n": n, **rates(*totals, n), "ms_per_query": round(1000 * elapsed / max(1, n), 3)}
    result["splits"] = {
        name: {"n": acc[3], **rates(*acc)} for name, acc in sorted(per_split.items())
    }
    return result


def evaluate_recommendations(
    engine: MatchingEngine,
    seekers_with_wished_codes: Iterable[SeekerDoc | tuple[SeekerDoc, Iterable[str]]],
    k: int = 10,
) -> float:
    """precision@10 of recommend: the share of recommended positions in a wished occupation.

    Each item is a SeekerDoc (its desired_occupations are the wished codes) or a pair
    (SeekerDoc, wished codes), so a wish can be checked without giving it to the engine.
    Seekers who get no recommendation count as 0 hits out of k.
    """
    pairs = []
    for item in seekers_with_wished_codes:
        if isinstance(item, SeekerDoc):
            pairs.append((item, set(item.desired_occupations)))
        else:
            seeker, codes = item
            pairs.append((seeker, set(codes)))
    if not pairs:
        return 0.0
    results = engine.recommend_many([s for s, _ in pairs], k)
    hits = 0
    for (_, wished), matches in zip(pairs, results, strict=True):
        hits += sum(1 for m in matches[:k] if engine.occupation_of(m.position_id) in wished)
    return round(hits / (k * len(pairs)), 4)
