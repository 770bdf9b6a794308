"""In-process CPU time of one uncached search request, and of its parts (no server, no load).

    .venv/bin/python bench/search_cpu.py [--database-url postgresql://…] [--queries 2000]

Uses the database bench/search.py builds and the same 2,000 drawn queries; calls the WSGI app
directly, single-threaded, with the result cache off, and reports the mean CPU time
(time.process_time) per request of: the bare Flask app of bench/search.py, the whole API
request, the search service alone, and the index alone. Robust to other processes' load,
unlike the served bench. Never run by the test suite.
"""

import argparse
import io
import json
import os
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def environ(path_qs: str) -> dict:
    path, _, qs = path_qs.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": urllib.parse.unquote(path),
        "QUERY_STRING": qs,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def per_request(app, paths, rounds=1) -> tuple[float, int]:
    """Mean CPU ms per request through app (a WSGI callable), and the bytes returned."""
    status = []

    def start_response(s, headers, exc_info=None):
        status.append(s)

    size = 0
    t = time.process_time()
    for _ in range(rounds):
        for p in paths:
            body = app(environ(p), start_response)
            size += sum(len(chunk) for chunk in body)
            if hasattr(body, "close"):
                body.close()
    spent = time.process_time() - t
    bad = [s for s in status if not s.startswith("200")]
    if bad:
        raise SystemExit(f"non-200 answers: {bad[:3]}")
    return spent * 1000 / (len(paths) * rounds), size // (len(paths) * rounds)


def bench_app(database_url: str, positions: int):
    """The served app (as gunicorn --preload builds and warms it) on bench/search.py's database,
    result cache off; and the database URL."""
    import search as bench

    from jobfair.crypto import DEV_BLIND_INDEX_KEY, DEV_DATA_KEYS

    url = database_url or f"sqlite:///{bench.RESULTS / f'search-{positions}.sqlite'}"
    os.environ.update(
        {
            "JOBFAIR_DATABASE_URL": url,
            "JOBFAIR_SECRET_KEY": "bench-" + os.urandom(8).hex(),
            "JOBFAIR_DATA_KEYS": DEV_DATA_KEYS,  # bench data only
            "JOBFAIR_BLIND_INDEX_KEY": DEV_BLIND_INDEX_KEY,
            "JOBFAIR_SEARCH_CACHE_TTL": "0",
        }
    )
    import wsgi

    return wsgi.app, url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--positions", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() after the warm-up")
    parser.add_argument("--profile", default="", help="write a cProfile of the API requests here")
    args = parser.parse_args()

    import search as bench
    from werkzeug.datastructures import MultiDict

    app, url = bench_app(args.database_url, args.positions)
    if args.freeze:
        import gc

        gc.freeze()
    queries = bench.draw_queries(args.queries)
    paths = ["/api/v1/positions?" + urllib.parse.urlencode(q) for q in queries]
    bare = bench.bare_app()
    per_request(bare, paths[:200])
    first_ms, _ = per_request(app, paths)  # warm: first use of every query's tokens
    bare_ms, _ = per_request(bare, ["/api/v1/positions"] * len(paths), args.rounds)
    if args.profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    api_ms, size = per_request(app, paths, args.rounds)
    if args.profile:
        prof.disable()
        prof.dump_stats(args.profile)
    print(f"bare {bare_ms:.3f} ms, API {api_ms:.3f} ms", flush=True)

    from jobfair.positions import search

    with app.test_request_context("/api/v1/positions"):
        args_of = [MultiDict(urllib.parse.parse_qsl(p.split("?", 1)[1])) for p in paths]
        parsed = [search.parse_filters(a) for a in args_of]
        t = time.process_time()
        for _ in range(args.rounds):
            for f in parsed:
                search.search_positions(f, f["page"], f["page_size"])
        service_ms = (time.process_time() - t) * 1000 / (len(parsed) * args.rounds)
        parse_t = time.process_time()
        for _ in range(args.rounds):
            for a in args_of:
                search.parse_filters(a)
        parse_ms = (time.process_time() - parse_t) * 1000 / (len(paths) * args.rounds)

    print(f"queries: {len(paths)} distinct, {args.rounds} rounds, database {url.split('://')[0]}")
    print(f"bare Flask app (same WSGI call):  {bare_ms:6.3f} ms CPU per request")
    print(f"whole API request:                {api_ms:6.3f} ms  ({size} bytes on average)")
    print(f"  its first pass (each query's words new to the process): {first_ms:6.3f} ms")
    print(f"  search service (search_positions): {service_ms:6.3f} ms")
    print(f"  filter parsing alone:              {parse_ms:6.3f} ms")
    summary = {
        "bench": "search_cpu",
        "database": url.split("://")[0].split("+")[0],
        "distinct_queries": len(paths),
        "rounds": args.rounds,
        "bare_ms": round(bare_ms, 4),
        "request_ms": round(api_ms, 4),
        "first_pass_ms": round(first_ms, 4),
        "service_ms": round(service_ms, 4),
        "parse_ms": round(parse_ms, 4),
        "ratio": round(bare_ms / api_ms, 3),
    }
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
