"""Evaluation you can run: occupation suggestion hit rates and recommendation precision@10.

data/eval/posting-titles.csv is split once (by a hash of the role word, see
scripts/make_posting_titles.py) into `tune` and `test`; only `tune` may be looked at while
improving suggestion or ranking, `test` is the held-out figure the README quotes.
"""

import hashlib
import time
from collections.abc import Iterable
from pathlib import Path

from jobfair.matching.docs import PositionDoc, SeekerDoc
from jobfair.matching.occupations import (
    infer_occupations_for_many,
    load_eval_rows,
    suggest_occupations,
)
from jobfair.matching.ranking import MatchingEngine

POSTING_TITLES = Path(__file__).resolve().parent.parent / "data" / "eval" / "posting-titles.csv"


def posting_split(role: str) -> str:
    """`tune` or `test` for a role word of the posting-title set: a fixed hash, decided once."""
    digest = hashlib.sha256(("jobfair-eval-v1:" + role).encode("utf-8")).digest()
    return "tune" if digest[0] % 2 == 0 else "test"


def load_posting_titles() -> list[dict]:
    """Rows (title, code, group, split) of data/eval/posting-titles.csv."""
    return load_eval_rows(POSTING_TITLES)


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
    truth: dict[int, str] | None = None,
) -> float:
    """precision@10 of recommend: the share of recommended positions in a wished occupation.

    Each item is a SeekerDoc (its desired_occupations are the wished codes) or a pair
    (SeekerDoc, wished codes), so a wish can be checked without giving it to the engine.
    Seekers who get no recommendation count as 0 hits out of k. truth: the true occupation
    by position id, for positions indexed without a chosen code.
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
        hits += sum(
            1
            for m in matches[:k]
            if ((truth or {}).get(m.position_id) or engine.occupation_of(m.position_id)) in wished
        )
    return round(hits / (k * len(pairs)), 4)


# Seekers describe the work they want in their own words; the role word is the labelled set's.
SEEKER_TEMPLATES = (
    "本人想找{role}的工作，能吃苦，服从安排",
    "求职：{role}，有相关经验",
    "做过{role}，希望离家近一点",
)
MIN_POOL_PER_CODE = 11  # a code needs more positions than k for precision@10 to reach 1


def uncoded_pool(rows: Iterable[dict], split: str) -> tuple[list, dict[int, str], list]:
    """Positions without a chosen code built from one split's titles, and seekers for them.

    Returns (positions, true code by position id, [(seeker text, code), ...]): every title of
    the split becomes a position with only its inferred occupations; for each code with at
    least MIN_POOL_PER_CODE titles, each role word of that code becomes one seeker.
    """
    part = [r for r in rows if (r.get("split") or "") == split]
    titles = [r["title"] for r in part]
    inferred = infer_occupations_for_many(titles)
    positions = [
        PositionDoc(id=i + 1, title=t, inferred_occupations=inf)
        for i, (t, inf) in enumerate(zip(titles, inferred, strict=True))
    ]
    truth = {i + 1: r["code"] for i, r in enumerate(part)}
    counts: dict[str, int] = {}
    for r in part:
        counts[r["code"]] = counts.get(r["code"], 0) + 1
    seekers, seen = [], set()
    for r in part:
        role = r.get("group") or r["title"]
        if counts[r["code"]] >= MIN_POOL_PER_CODE and role not in seen:
            seen.add(role)
            template = SEEKER_TEMPLATES[len(seekers) % len(SEEKER_TEMPLATES)]
            seekers.append((template.format(role=role), r["code"]))
    return positions, truth, seekers


def evaluate_uncoded_recommendations(
    rows: Iterable[dict], split: str, weights=None, k: int = 10
) -> dict:
    """precision@10 (same occupation) over positions that carry no code, for one split.

    "text": the seeker gives only words (their occupations are inferred from them);
    "wished": the seeker also names the wished occupation.
    """
    positions, truth, seekers = uncoded_pool(rows, split)
    engine = MatchingEngine.build(positions, weights)
    texts = [t for t, _ in seekers]
    inferred = infer_occupations_for_many(texts)
    by_text = [
        SeekerDoc(id=i + 1, text=t, inferred_occupations=inf)
        for i, (t, inf) in enumerate(zip(texts, inferred, strict=True))
    ]
    by_wish = [
        SeekerDoc(id=i + 1, text=t, desired_occupations=(code,))
        for i, (t, code) in enumerate(seekers)
    ]
    out = {"positions": len(positions), "seekers": len(seekers)}
    for name, docs in (("text", by_text), ("wished", by_wish)):
        results = engine.recommend_many(docs, k)
        hits = sum(
            sum(1 for m in matches[:k] if truth[m.position_id] == code)
            for (_, code), matches in zip(seekers, results, strict=True)
        )
        out[name] = round(hits / max(1, k * len(seekers)), 4)
    return out
