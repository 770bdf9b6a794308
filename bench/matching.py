"""Benchmark: the matching engine over synthetic positions and seekers, beside its floor.

    .venv/bin/python bench/matching.py [--positions 100000] [--seekers 100000] [--quick]

1. Generates realistic corpora: positions and seekers across the 2022 occupation
   classification (common job-board occupations more often), titles from the occupations'
   names and job-board aliases, descriptions from their definitions, skills, the districts of
   南京 and the usual job-ad boilerplate. Texts are segmented once per distinct piece and the
   tokens stored with each record, as the app stores positions.search_tokens.
2. Prints: index build time from stored tokens, single recommend latency p50/p99, batch
   top-20 for every seeker and the floor (the bare scipy sparse product over the same text
   matrices plus top-k selection, in blocks of the size that is fastest for it on this machine,
   timed in the same run, slice by slice alternating with the batch so both see the same load) with the ratio in wall and CPU time, peak memory
   (ru_maxrss); quality on held-out data: occupation suggestion (exact@1/@10, major@1 and
   ms per title) and precision@10 over positions without a code, both on the held-out half
   of data/eval/posting-titles.csv (the tuning half beside it); last, one JSON line with the
   same figures. A share of the synthetic positions (--uncoded) carry no code but inferred
   occupations, and a share of the seekers (--unwished) no wish but inferred ones, so the
   timings include the confidence-weighted occupation term.

Never run by the test suite.
"""

import argparse
import csv
import json
import random
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from jobfair.matching import (  # noqa: E402
    MatchingEngine,
    PositionDoc,
    SeekerDoc,
    evaluate_recommendations,
    evaluate_suggestions,
)
from jobfair.matching.evaluation import (  # noqa: E402
    evaluate_uncoded_recommendations,
    load_posting_titles,
)
from jobfair.matching.index import SeekerBlock  # noqa: E402
from jobfair.matching.occupations import catalogue  # noqa: E402
from jobfair.matching.ranking import CHUNK  # noqa: E402
from jobfair.matching.text import OCCUPATIONS_CSV, segment_for_index  # noqa: E402

SEED = 20260301
DISTRICTS = (
    "玄武区", "秦淮区", "建邺区", "鼓楼区", "浦口区", "栖霞区",
    "雨花台区", "江宁区", "六合区", "溧水区", "高淳区",
)  # fmt: skip
BOILERPLATE = (
    "缴纳五险一金，提供免费工作餐和员工宿舍。",
    "工作时间八小时，周末双休，法定节假日正常休息。",
    "有相关工作经验者优先，欢迎应届毕业生。",
    "公司提供岗前培训，老师傅带教，技能等级提升另有补贴。",
    "身体健康，吃苦耐劳，有责任心和团队合作精神。",
    "按时发放工资，年底有年终奖，节日发放福利。",
    "工作地点交通便利，地铁站附近，有通勤班车。",
    "熟练使用办公软件，沟通表达能力强。",
    "服从安排，遵守公司规章制度和安全操作规程。",
    "欢迎退役军人、高校毕业生和就业困难人员报名。",
)
SKILLS = (
    "电焊", "氩弧焊", "二保焊", "叉车证", "电工证", "数控编程", "cad制图", "excel", "驾驶证",
    "c1驾照", "b2驾照", "普通话", "英语四级", "计算机二级", "会计证", "教师资格证", "护士证",
    "健康证", "厨师证", "保安证", "养老护理", "育婴", "直播", "短视频剪辑", "java", "python",
    "sql", "plc", "solidworks", "ps", "photoshop", "客户沟通", "团队管理", "仓储管理",
)  # fmt: skip
EDUCATION = ("none", "junior", "senior", "college", "bachelor", "master")
FORMS = ("full_time", "full_time", "full_time", "part_time", "temporary", "flexible")
GROUPS = ("graduate", "veteran", "rural_migrant", "urban_hardship", "retired_fisher")


class Corpus:
    """Pre-segmented pieces, combined per record (segmenting 100k texts would take minutes)."""

    def __init__(self, rng: random.Random) -> None:
        cat = catalogue()
        self.rng = rng
        self.truth: dict[int, str] = {}  # position id -> its occupation, coded or not
        self.wishes: dict[int, tuple[str, ...]] = {}  # seeker id -> the occupations wished
        self.codes = cat.codes
        weights = np.where(cat.prior > 0, 12.0, 1.0)
        self.weights = weights / weights.sum()
        aliases: dict[int, list[str]] = {}
        for term, codes in cat.terms.items():
            for i in codes:
                aliases.setdefault(i, []).append(term)
        self.titles = {i: [cat.names[i], *aliases.get(i, [])][:8] for i in range(len(self.codes))}
        self.title_tokens: dict[tuple[int, int], str] = {}
        self.def_tokens: dict[int, list[str]] = {}
        self.names = cat.names
        self.boiler = [segment_for_index(b).split() for b in BOILERPLATE]
        self.skills = [segment_for_index(s) for s in SKILLS]
        self._defs = {}
        with open(OCCUPATIONS_CSV, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["level"] == "4":
                    self._defs[row["code"]] = (row["definition"] or "") + " " + (row["tasks"] or "")

    def occupation(self) -> int:
        return int(np.searchsorted(np.cumsum(self.weights), self.rng.random()))

    def _title(self, i: int) -> tuple[str, str]:
        j = self.rng.randrange(len(self.titles[i]))
        key = (i, j)
        if key not in self.title_tokens:
            self.title_tokens[key] = segment_for_index(self.titles[i][j])
        return self.titles[i][j], self.title_tokens[key]

    def _definition(self, i: int) -> list[str]:
        if i not in self.def_tokens:
            self.def_tokens[i] = segment_for_index(self._defs.get(self.codes[i], "")).split()
        return self.def_tokens[i]

    def guesses(self, i: int, first: float) -> tuple[tuple[str, float], ...]:
        """Inferred occupations as the suggester gives them: the true one likely, others less."""
        others = {self.occupation() for _ in range(2)} - {i}
        rest = (1.0 - first) * 0.8
        return ((self.codes[i], first),) + tuple(
            (self.codes[o], round(rest / len(others), 3)) for o in others
        )

    def position(self, pid: int, uncoded: float = 0.0) -> PositionDoc:
        rng = self.rng
        i = self.occupation()
        title, title_tokens = self._title(i)
        words = self._definition(i)
        body = rng.sample(words, min(len(words), rng.randint(15, 45)))
        for b in rng.sample(self.boiler, 3):
            body += b
        body += rng.sample(self.skills, 2)
        occ_tokens = segment_for_index(self.names[i]) if rng.random() < 0.02 else self.names[i]
        tokens = " ".join([title_tokens, *body, occ_tokens])
        low = rng.randrange(3000, 12000, 500)
        self.truth[pid] = self.codes[i]
        without = rng.random() < uncoded
        return PositionDoc(
            id=pid,
            title=title,
            occupation_code="" if without else self.codes[i],
            inferred_occupations=self.guesses(i, rng.uniform(0.5, 0.95)) if without else (),
            district=rng.choice(DISTRICTS),
            salary_min=low,
            salary_max=low + rng.randrange(1000, 6000, 500),
            education=rng.choice(EDUCATION),
            work_form=rng.choice(FORMS),
            welcomed_groups=tuple(rng.sample(GROUPS, rng.choice((0, 0, 0, 1, 2)))),
            tokens=tokens,
        )

    def seeker(self, sid: int, unwished: float = 0.0) -> SeekerDoc:
        rng = self.rng
        i = self.occupation()
        wished = [i]
        if rng.random() < 0.4:
            wished.append(self.occupation())
        words = []
        for w in wished:
            d = self._definition(w)
            words += rng.sample(d, min(len(d), rng.randint(5, 15)))
            words.append(self.names[w])
        words += rng.sample(self.skills, rng.randint(1, 3))
        self.wishes[sid] = tuple(self.codes[w] for w in wished)
        without = rng.random() < unwished
        return SeekerDoc(
            id=sid,
            desired_occupations=() if without else self.wishes[sid],
            inferred_occupations=self.guesses(i, rng.uniform(0.5, 0.95)) if without else (),
            districts=tuple(rng.sample(DISTRICTS, rng.randint(0, 2))),
            salary_min=rng.choice((0, 0, 4000, 5000, 6000, 8000)),
            education=rng.choice(EDUCATION),
            work_forms=tuple(rng.sample(FORMS[2:], rng.randint(0, 1))) or (),
            groups=tuple(rng.sample(GROUPS, rng.choice((0, 0, 0, 1)))),
            tokens=" ".join(words),
        )


# --- the floor: what any TF-IDF recommender must at least do, on the engine's own matrices ---
# A bare sparse product plus top-k: no structured scoring and no reasons. It reads the engine's
# internals because it must multiply exactly what recommend_many multiplies.


def encode_seekers(engine: MatchingEngine, seekers: Sequence[SeekerDoc]):
    """The seekers' query matrix, as recommend_many builds it."""
    return SeekerBlock(engine, seekers).q


def floor_matrices(engine: MatchingEngine, q):
    """The text columns of a query matrix and of the index, as the floor multiplies them."""
    return q[:, : engine._n_text].tocsr(), engine._XT_base[: engine._n_text].tocsr()


FLOOR_BLOCKS = (2, 4, 8, 16, 32, 64, 128, 256)  # block sizes the floor tries; it keeps its fastest
SPARSE_BLOCK = 256  # block of the floor's sparse form (no dense block to keep in cache)


def bare_topk_encoded(
    q_text, xt_text, k: int = 20, block: int = CHUNK, sparse: bool = False
) -> list[np.ndarray]:
    """The floor on prepared matrices: block sparse product, top-k, sorted.

    Dense form: each block's product made dense and partitioned. Sparse form: the top-k read
    off each row of the sparse product (its non-zeros only; fewer than k when it has fewer).
    """
    out = []
    for start in range(0, q_text.shape[0], block):
        if sparse:
            p = q_text[start : start + block] @ xt_text
            data, columns, bounds = p.data, p.indices, p.indptr.tolist()
            for r in range(p.shape[0]):
                a, b = bounds[r], bounds[r + 1]
                vals = data[a:b]
                top = np.argpartition(vals, -k)[-k:] if b - a > k else np.arange(b - a)
                order = np.argsort(-vals[top], kind="stable")
                out.append(columns[a:b][top[order]])
            continue
        p = (q_text[start : start + block] @ xt_text).toarray()
        top = np.argpartition(-p, k - 1, axis=1)[:, :k]
        vals = np.take_along_axis(p, top, axis=1)
        order = np.argsort(-vals, axis=1, kind="stable")
        out.extend(np.take_along_axis(top, order, axis=1))
    return out


def fastest_floor_block(q_text, xt_text, k: int = 20, sample: int = 2048) -> tuple[int, bool]:
    """The floor's best form on this machine: CPU time, best of two, on a sample.

    Dense blocks of every size in FLOOR_BLOCKS (small blocks keep the dense block in the CPU's
    cache) and the sparse form; the floor is measured at its fastest, not at the engine's.
    Returns (block, sparse).
    """
    q = q_text[:sample]
    times = {}
    for form in [(block, False) for block in FLOOR_BLOCKS] + [(SPARSE_BLOCK, True)]:
        runs = []
        for _ in range(2):
            cpu = time.process_time()
            bare_topk_encoded(q, xt_text, k, *form)
            runs.append(time.process_time() - cpu)
        times[form] = min(runs)
    return min(times, key=times.__getitem__)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=100_000)
    parser.add_argument("--seekers", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10,000 positions and seekers")
    parser.add_argument("--single", type=int, default=1000, help="single recommend calls")
    parser.add_argument("--uncoded", type=float, default=0.3, help="share of positions w/o code")
    parser.add_argument("--unwished", type=float, default=0.3, help="share of seekers w/o wish")
    args = parser.parse_args()
    if args.quick:
        args.positions, args.seekers = 10_000, 10_000

    rng = random.Random(SEED)
    t = time.perf_counter()
    corpus = Corpus(rng)
    positions = [corpus.position(i + 1, args.uncoded) for i in range(args.positions)]
    seekers = [corpus.seeker(i + 1, args.unwished) for i in range(args.seekers)]
    print(
        f"corpus: {args.positions:,} positions ({args.uncoded:.0%} without a code), "
        f"{args.seekers:,} seekers ({args.unwished:.0%} without a wish) "
        f"(generated in {time.perf_counter() - t:.1f} s)"
    )
    print(f"memory before build: {peak_mb():.0f} MB peak")

    t = time.perf_counter()
    engine = MatchingEngine.build(positions)
    build = time.perf_counter() - t
    nnz = engine._X_base.nnz
    print(
        f"build from stored tokens: {build:.2f} s  (target <= 15 s; {nnz:,} non-zeros, "
        f"{engine._n_text:,} text features)"
    )

    engine.recommend(seekers[0])  # warm
    lat = []
    for s in seekers[: args.single]:
        t = time.perf_counter()
        engine.recommend(s, 20)
        lat.append(1000 * (time.perf_counter() - t))
    lat = np.array(lat)
    print(
        f"single recommend over {len(engine):,} positions: p50 {np.percentile(lat, 50):.2f} ms, "
        f"p99 {np.percentile(lat, 99):.2f} ms  (target p50 <= 5 ms; {len(lat)} calls)"
    )

    t = time.perf_counter()
    q = encode_seekers(engine, seekers)
    encode = time.perf_counter() - t
    q_text, xt_text = floor_matrices(engine, q)
    del q
    block, sparse = fastest_floor_block(q_text, xt_text)
    print(
        f"floor form: {'sparse rows' if sparse else 'dense'}, block {block} seekers (its "
        f"fastest of dense {', '.join(map(str, FLOOR_BLOCKS))} and sparse {SPARSE_BLOCK})"
    )

    # Floor and batch alternate slice by slice over the same seekers, so both meet the same
    # load on this shared machine; two million Match objects are not kept (that would
    # measure the benchmark's memory, not the engine's).
    floor = batch = floor_cpu = batch_cpu = 0.0
    empty = 0
    step = 10_000
    for start in range(0, len(seekers), step):
        wall, cpu = time.perf_counter(), time.process_time()
        bare_topk_encoded(q_text[start : start + step], xt_text, 20, block, sparse)
        floor += time.perf_counter() - wall
        floor_cpu += time.process_time() - cpu
        wall, cpu = time.perf_counter(), time.process_time()
        results = engine.recommend_many(seekers[start : start + step], 20)
        batch += time.perf_counter() - wall
        batch_cpu += time.process_time() - cpu
        empty += sum(1 for r in results if not r)
        del results
    print(
        f"floor (bare sparse product + top-20 on the same text matrices): {floor:.2f} s, "
        f"CPU {floor_cpu:.2f} s"
    )
    print(
        f"batch recommend_many top-20 for {len(seekers):,} seekers: {batch:.2f} s, CPU "
        f"{batch_cpu:.2f} s (includes encoding the seekers, {encode:.2f} s alone)"
    )
    print(
        f"ratio batch / floor: {batch / floor:.2f} wall, {batch_cpu / floor_cpu:.2f} CPU "
        f"(target <= 1.3); excluding encoding: {(batch - encode) / floor:.2f}"
    )
    print(f"seekers with no recommendation: {empty:,}")

    sample = seekers[: min(2000, len(seekers))]
    truth = corpus.truth
    p10 = evaluate_recommendations(
        engine,
        [
            (replace(s, desired_occupations=corpus.wishes[s.id]), corpus.wishes[s.id])
            for s in sample
        ],
        truth=truth,
    )
    blind = evaluate_recommendations(
        engine,
        [
            (SeekerDoc(s.id, tokens=s.tokens, districts=s.districts), corpus.wishes[s.id])
            for s in sample
        ],
        truth=truth,
    )
    print(
        f"synthetic precision@10 (wished occupation): {p10:.3f} with the wish given, "
        f"{blind:.3f} from the text alone ({len(sample):,} seekers)"
    )

    posting = load_posting_titles()
    ev = evaluate_suggestions(posting)
    held, tune = ev["splits"]["test"], ev["splits"]["tune"]
    print(
        f"suggest_occupations: {ev['ms_per_query']:.2f} ms/title (target <= 5 ms); held-out "
        f"{held['n']} titles: exact@1 {held['exact@1']}, exact@10 {held['exact@10']}, "
        f"major@1 {held['major@1']} (targets 0.60 / 0.90 / 0.90); tuning half "
        f"{tune['exact@1']} / {tune['exact@10']} / {tune['major@1']}"
    )
    uncoded = evaluate_uncoded_recommendations(posting, "test")
    print(
        f"precision@10 over {uncoded['positions']} held-out uncoded titles "
        f"({uncoded['seekers']} seekers): {uncoded['text']:.3f} from the text alone "
        f"(target 0.60), {uncoded['wished']:.3f} with the wished occupation (target 0.70)"
    )
    peak = peak_mb()
    print(f"peak memory (ru_maxrss): {peak:.0f} MB  (target <= 2048 MB)")
    print(
        json.dumps(
            {
                "bench": "matching",
                "positions": args.positions,
                "seekers": args.seekers,
                "build_s": round(build, 2),
                "non_zeros": int(nnz),
                "single_p50_ms": round(float(np.percentile(lat, 50)), 2),
                "single_p99_ms": round(float(np.percentile(lat, 99)), 2),
                "batch_s": round(batch, 2),
                "floor_s": round(floor, 2),
                "floor_block": block,
                "floor_sparse": sparse,
                "batch_over_floor_wall": round(batch / floor, 3),
                "batch_over_floor_cpu": round(batch_cpu / floor_cpu, 3),
                "encode_s": round(encode, 2),
                "seekers_without_recommendation": empty,
                "precision_at_10": round(p10, 3),
                "precision_at_10_text_only": round(blind, 3),
                "suggest_ms_per_query": ev["ms_per_query"],
                "heldout_exact_at_1": held["exact@1"],
                "heldout_exact_at_10": held["exact@10"],
                "heldout_major_at_1": held["major@1"],
                "heldout_uncoded_p10_text": uncoded["text"],
                "heldout_uncoded_p10_wished": uncoded["wished"],
                "peak_mb": round(peak),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
