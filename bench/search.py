"""Benchmark: keyword search with filters over generated positions, beside bare endpoints.

    .venv/bin/python bench/search.py [--positions 100000] [--duration 20] [--connections 50]

1. Builds (once; cached under bench/results/) a SQLite database with the real migrations and
   N generated positions with realistic Chinese titles and descriptions across the 2022
   occupation classification, tokens from jobfair.matching.text.segment_for_index.
2. Serves a bare Flask app (one route, fixed JSON body: the ceiling the targets are set
   against), the same body from a plain WSGI callable (no framework: a stricter ceiling) and
   the real app side by side with gunicorn on loopback, the same way (workers, threads), and
   loads them in turn, --slices times each (bare, bare_wsgi, search, search_cookie, bare…;
   one at a time, so all see the same background load), with wrk (50 connections, a Lua
   script rotating through the search URLs, the next slice going on where the last stopped),
   or with a Python thread load tool when wrk is missing. `search` sends no cookie (an API
   client: answered before Flask's request cycle, jobfair/api/anonymous_search.py);
   `search_cookie` sends the same queries with a cookie, so they go through Flask's whole
   request cycle, as a browser's would. With --no-cache the result cache is off
   (JOBFAIR_SEARCH_CACHE_TTL=0), so every request ranks its matches from scratch.
3. Prints requests/s and p50/p95/p99 latency for each (percentiles of all slices together),
   requests/s of each slice, and the ratios; last, one JSON line.

Never run by the test suite.
"""

import argparse
import gc
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

from support.search_corpus import (  # bench/ is on sys.path: the script's own folder
    DISTRICTS,
    POPULAR,
    RESULTS,
    ROOT,
    SEED,
    build_database,
    occupation_rows,
    strip_marker,
)

# --- the bare ceiling ----------------------------------------------------------------------------


BARE_BODY = {"items": [], "total": 0, "page": 1, "pages": 0}


def _served_gc() -> None:
    """The served app's garbage-collector settings (wsgi.py): the ceilings get them too."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 10)


def bare_app():
    """A Flask app with one route returning a fixed JSON body: the ceiling."""
    from flask import Flask

    app = Flask("bare")
    _served_gc()

    @app.get("/api/v1/positions")
    def positions():
        return BARE_BODY

    return app


def bare_wsgi_app():
    """The same fixed body from a plain WSGI callable, no framework: the stricter ceiling (the
    app answers anonymous searches before Flask's request cycle, jobfair/api/anonymous_search)."""
    _served_gc()
    body = json.dumps(BARE_BODY).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]

    def app(environ, start_response):
        start_response("200 OK", headers)
        return [body]

    return app


# --- serving and loading -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(target: str, port: int, args, env: dict) -> subprocess.Popen:
    cmd = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--workers", str(args.workers),
        "--worker-class", "gthread",
        "--threads", str(args.threads),
        "--bind", f"127.0.0.1:{port}",
        "--backlog", "2048",
        "--preload",
        "--keep-alive", "30",
        "--log-level", "warning",
        "--chdir", str(ROOT),
        "--pythonpath", str(ROOT / "bench"),
        target,
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env={**os.environ, **env}, start_new_session=True)
    # --preload: the app (jieba, search and matching indexes) loads before the port opens
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn exited: {' '.join(cmd)}") from None
            time.sleep(0.2)
    stop(proc)
    raise SystemExit("gunicorn did not start in 300 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


LUA = """
local paths = {%s}
local counter = %d
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format(
    "RESULT {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"p50\\": %%d, \\"p95\\": %%d, " ..
    "\\"p99\\": %%d, \\"max\\": %%d, \\"non2xx\\": %%d, \\"socket_errors\\": %%d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  local q = {}
  for i = 1, 1000 do q[i] = latency:percentile(i / 10) end
  io.write("QUANTILES " .. table.concat(q, " ") .. "\\n")
end
"""


def run_wrk(port: int, paths: list[str], args, seconds: int, offset: int = 0, headers=()) -> dict:
    lua_paths = ", ".join(json.dumps(p) for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(LUA % (lua_paths, offset))
        script = fh.name
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t",
                str(args.wrk_threads),
                "-c",
                str(args.connections),
                "-d",
                f"{seconds}s",
                "--timeout",
                "10s",
                "-s",
                script,
                *[arg for h in headers for arg in ("-H", h)],
                f"http://127.0.0.1:{port}",
            ],  # fmt: skip
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script)
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    raw = json.loads(line[len("RESULT ") :])
    quantiles = next(x for x in out.splitlines() if x.startswith("QUANTILES "))
    secs = raw["duration_us"] / 1e6
    return {
        "tool": "wrk",
        "requests": raw["requests"],
        "seconds": secs,
        "quantiles_ms": [float(v) / 1000 for v in quantiles.split()[1:]],
        "rps": raw["requests"] / secs,
        "p50_ms": raw["p50"] / 1000,
        "p95_ms": raw["p95"] / 1000,
        "p99_ms": raw["p99"] / 1000,
        "max_ms": raw["max"] / 1000,
        "errors": raw["non2xx"] + raw["socket_errors"],
    }


def run_python_load(
    port: int, paths: list[str], args, seconds: int, offset: int = 0, headers=()
) -> dict:
    """Fallback load tool: one keep-alive connection per thread."""
    import http.client

    stop_at = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(k: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, i = [], offset + k
        while time.perf_counter() < stop_at:
            path = paths[i % len(paths)]
            i += 1
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers=dict(h.split(": ", 1) for h in headers))
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append(time.perf_counter() - t)
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(args.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    secs = time.perf_counter() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, math.ceil(p / 100 * len(latencies)) - 1)] * 1000

    return {
        "tool": "python-threads",
        "requests": len(latencies),
        "seconds": secs,
        "quantiles_ms": [pct(i / 10) for i in range(1, 1001)] if latencies else [0.0] * 1000,
        "rps": len(latencies) / secs,
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": latencies[-1] * 1000,
        "errors": errors[0],
    }


def load(
    port: int, paths: list[str], args, seconds: int | None = None, offset: int = 0, headers=()
) -> dict:
    """Load one endpoint; headers: extra request headers ("Name: value")."""
    seconds = seconds or args.duration
    if shutil.which("wrk") and not args.python_client:
        return run_wrk(port, paths, args, seconds, offset, headers)
    return run_python_load(port, paths, args, seconds, offset, headers)


def combine(slices: list[dict]) -> dict:
    """One endpoint's slices as one measurement: requests over the time loaded, percentiles of
    the slices' latency distributions taken together (each weighted by its requests)."""
    requests = sum(r["requests"] for r in slices)
    points = sorted(
        (q, r["requests"] / len(r["quantiles_ms"])) for r in slices for q in r["quantiles_ms"]
    )

    def pct(p: float) -> float:
        need, seen = p / 100 * requests, 0.0
        for value, weight in points:
            seen += weight
            if seen >= need - 1e-9:
                return value
        return points[-1][0] if points else 0.0

    return {
        "tool": slices[0]["tool"],
        "requests": requests,
        "rps": requests / sum(r["seconds"] for r in slices),
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": max(r["max_ms"] for r in slices),
        "errors": sum(r["errors"] for r in slices),
        "slices_rps": [round(r["rps"], 1) for r in slices],
        "slices_p99_ms": [round(r["p99_ms"], 1) for r in slices],
    }


def warm_up(port: int, paths: list[str], seconds: float = 3.0) -> list[dict]:
    """Hit every URL (each worker loads jieba on its first search), and report match counts."""
    info = []
    end = time.time() + seconds
    first = True
    while first or time.time() < end:
        for path in paths:
            t = time.perf_counter()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as resp:
                body = json.loads(resp.read())
            if first:
                info.append(
                    {
                        "path": path,
                        "total": body.get("total"),
                        "ms": (time.perf_counter() - t) * 1e3,
                    }
                )
        first = False
    return info


def draw_queries(n: int, seed: int = SEED) -> list[dict]:
    """n distinct searches a crowd of seekers types: Zipf over occupation titles (the popular
    job titles first, then every occupation's name in the classification), half of them with
    one or two filters, some asking for the second page."""
    rng = random.Random(seed)
    titles: dict[str, None] = {}
    for entry in sorted(POPULAR, key=lambda p: -p[1]):
        for title in entry[2]:
            titles.setdefault(re.sub(r"（.*?）", "", title), None)
    for occ in occupation_rows():
        titles.setdefault(strip_marker(occ["name"]), None)
    words = list(titles)
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf, s = 1
    districts = [d for d, _ in DISTRICTS]
    groups = ["graduate", "displaced_worker", "rural_migrant", "veteran", "urban_hardship",
              "zero_employment_household", "retired_fisher", "registered_poor"]  # fmt: skip
    filters = [
        ("district", lambda: rng.choice(districts)),
        ("salary", lambda: str(rng.choice([4000, 5000, 6000, 8000, 10000]))),
        ("work_form", lambda: rng.choice(["full_time", "part_time", "temporary"])),
        ("channel", lambda: rng.choice(["enterprise", "trainee", "public_welfare"])),
        ("group", lambda: rng.choice(groups)),
        ("occupation", lambda: rng.choice(["4", "6", "2", "4-02", "6-18"])),
    ]
    seen: dict[str, dict] = {}
    while len(seen) < n:
        query = {"q": rng.choices(words, weights)[0]}
        if rng.random() < 0.5:
            for name, value in rng.sample(filters, k=rng.choice([1, 1, 2])):
                query[name] = value()
        if rng.random() < 0.1:
            query["page"] = "2"
        seen.setdefault(urllib.parse.urlencode(query), query)
    return list(seen.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--positions", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=20, help="seconds per endpoint")
    parser.add_argument(
        "--slices", type=int, default=4, help="turns the two endpoints take within --duration"
    )
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gthread threads per worker")
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--queries", type=int, default=2000, help="distinct searches drawn")
    parser.add_argument("--no-cache", action="store_true", help="result cache off (TTL 0)")
    parser.add_argument("--db", type=Path, default=None, help="SQLite database file (cached)")
    parser.add_argument(
        "--database-url",
        default="",
        help="an empty PostgreSQL database (postgresql://…) to fill and search instead of SQLite",
    )
    parser.add_argument(
        "--search-index", default="memory", choices=["memory", "database"],
        help="JOBFAIR_SEARCH_INDEX of the served app",
    )  # fmt: skip
    parser.add_argument("--rebuild", action="store_true", help="regenerate the database")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    args = parser.parse_args()
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # run as a script from anywhere
    from jobfair.crypto import DEV_BLIND_INDEX_KEY, DEV_DATA_KEYS

    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.database_url:
        url = args.database_url
        from sqlalchemy import create_engine, inspect

        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        filled = inspect(engine).has_table("positions")
        engine.dispose()
        if not filled:
            print(f"Filling {url} with {args.positions} positions…", flush=True)
            build_database(None, args.positions, url)
        db_name = url.rsplit("/", 1)[-1]
    else:
        db_path = args.db or RESULTS / f"search-{args.positions}.sqlite"
        if args.rebuild or not db_path.exists():
            print(f"Building {db_path} with {args.positions} positions…", flush=True)
            build_database(db_path, args.positions)
        url = f"sqlite:///{db_path}"
        db_name = db_path.name
    queries = draw_queries(args.queries)
    paths = ["/api/v1/positions?" + urllib.parse.urlencode(q) for q in queries]
    env = {
        "JOBFAIR_DATABASE_URL": url,
        "JOBFAIR_SECRET_KEY": "bench-" + os.urandom(8).hex(),
        "JOBFAIR_DATA_KEYS": DEV_DATA_KEYS,  # bench data only
        "JOBFAIR_BLIND_INDEX_KEY": DEV_BLIND_INDEX_KEY,
        "JOBFAIR_SEARCH_INDEX": args.search_index,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if args.no_cache:
        env["JOBFAIR_SEARCH_CACHE_TTL"] = "0"
    env.pop("FLASK_DEBUG", None)
    os.environ.pop("FLASK_DEBUG", None)

    # Both servers run side by side and are loaded in turn, slice by slice, so a change in the
    # machine's other load reaches the ceiling and the search alike; only one is loaded at a time.
    # Besides the bare Flask endpoint (the ceiling the targets are set against) and the
    # anonymous search: the same body from a plain WSGI callable, and the search sent with a
    # cookie, which goes through Flask's whole request cycle (a browser's request).
    bare_port, wsgi_port, search_port = free_port(), free_port(), free_port()
    procs = [start_gunicorn("search:bare_app()", bare_port, args, env)]
    try:
        procs.append(start_gunicorn("search:bare_wsgi_app()", wsgi_port, args, env))
        procs.append(start_gunicorn("wsgi:app", search_port, args, env))
        warm_up(bare_port, ["/api/v1/positions"], 1.0)
        warm_up(wsgi_port, ["/api/v1/positions"], 1.0)
        info = warm_up(search_port, paths[:20], 3.0)
        seconds = max(1, round(args.duration / args.slices))
        turns = {"bare": [], "bare_wsgi": [], "search": [], "search_cookie": []}
        done = 0
        for _ in range(args.slices):
            turns["bare"].append(load(bare_port, ["/api/v1/positions"], args, seconds))
            turns["bare_wsgi"].append(load(wsgi_port, ["/api/v1/positions"], args, seconds))
            for name, headers in (("search", ()), ("search_cookie", ("Cookie: bench=1",))):
                turns[name].append(load(search_port, paths, args, seconds, done, headers))
                done += turns[name][-1]["requests"]  # the next slice goes on through the queries
    finally:
        for proc in procs:
            stop(proc)
    results = {name: combine(slices) for name, slices in turns.items()}

    print(f"\nPositions: {args.positions} ({db_name}); matches of the first queries (one request):")
    for row in info:
        q = urllib.parse.unquote(row["path"].split("?", 1)[1])
        print(f"  {q:<55} total={row['total']:>6}  {row['ms']:6.1f} ms")
    print(
        f"\nLoad: {len(paths)} distinct queries, {args.connections} connections, "
        f"{args.duration}s each in {args.slices} turns, gunicorn {args.workers} workers x {args.threads} gthread "
        f"threads, {os.cpu_count()} CPUs, client {results['search']['tool']}, result cache "
        f"{'off' if args.no_cache else 'on'}, ranking in {args.search_index}"
    )
    print(
        f"{'endpoint':<14}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}{'errors':>8}"
    )
    for name in results:
        r = results[name]
        print(
            f"{name:<14}{r['rps']:>10.0f}{r['p50_ms']:>10.1f}{r['p95_ms']:>10.1f}"
            f"{r['p99_ms']:>10.1f}{r['max_ms']:>10.1f}{r['errors']:>8}"
        )
    for name in results:
        r = results[name]
        print(f"{name} turns: req/s {r['slices_rps']}, p99 ms {r['slices_p99_ms']}")
    ratio = results["search"]["rps"] / results["bare"]["rps"]
    ratio_wsgi = results["search"]["rps"] / results["bare_wsgi"]["rps"]
    ratio_cookie = results["search_cookie"]["rps"] / results["bare"]["rps"]
    p99 = results["search"]["p99_ms"]
    print(f"\nsearch/bare requests per second: {ratio:.2f} (target >= 0.50)")
    print(f"search p99: {p99:.1f} ms (target <= 100 ms)")
    print(f"search/bare_wsgi (no framework): {ratio_wsgi:.2f}")
    print(
        f"search_cookie/bare (through Flask's request cycle): {ratio_cookie:.2f}, "
        f"p99 {results['search_cookie']['p99_ms']:.1f} ms"
    )
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"search-{stamp}.json"
    out.write_text(
        json.dumps(
            {"args": {k: str(v) for k, v in vars(args).items()}, "queries": info, **results},
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"saved {out.relative_to(ROOT)}")
    summary = {
        "bench": "search",
        "positions": args.positions,
        "database": "postgresql" if args.database_url else "sqlite",
        "distinct_queries": len(paths),
        "cache": not args.no_cache,
        "rps": round(results["search"]["rps"], 1),
        "p50_ms": round(results["search"]["p50_ms"], 1),
        "p99_ms": round(p99, 1),
        "bare_rps": round(results["bare"]["rps"], 1),
        "ratio": round(ratio, 3),
        "bare_wsgi_rps": round(results["bare_wsgi"]["rps"], 1),
        "ratio_wsgi": round(ratio_wsgi, 3),
        "cookie_rps": round(results["search_cookie"]["rps"], 1),
        "cookie_p99_ms": round(results["search_cookie"]["p99_ms"], 1),
        "ratio_cookie": round(ratio_cookie, 3),
        "errors": results["search"]["errors"] + results["search_cookie"]["errors"],
        "slices": args.slices,
    }
    print(json.dumps(summary), flush=True)
    return 0 if summary["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
