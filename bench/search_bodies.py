"""Record or compare the response bodies of the bench searches (result cache off, in process).

    .venv/bin/python bench/search_bodies.py --out bodies.json [--database-url …]
    .venv/bin/python bench/search_bodies.py --compare bodies.json [--database-url …]

The 2,000 drawn queries of bench/search.py plus hand-picked ones (the search tests' keywords,
broad keywords on deep pages and with every filter, no keyword, odd input) go through the WSGI
app; --out writes each query's status and body hash, --compare reports every query whose
status or body differs. A ranking change must leave every body byte-identical.
"""

import argparse
import hashlib
import json
import sys
import urllib.parse

from search_cpu import ROOT, bench_app, environ

BROAD = ["业务员", "普工", "焊工", "电焊", "叉车司机", "外卖", "司机", "服务员", "保安", "销售"]
FILTERS = [
    {},
    {"district": "江宁区"},
    {"salary": "6000"},
    {"work_form": "part_time"},
    {"channel": "trainee"},
    {"group": "veteran"},
    {"occupation": "4"},
    {"occupation": "6-18"},
    {"pay_unit": "day"},
    {"daily_pay": "true"},
    {"district": "鼓楼区", "salary": "4000", "group": "graduate"},
]


def extra_queries() -> list[dict]:
    out = []
    for word in BROAD:
        for f in FILTERS:
            out.append({"q": word, **f})
        for page, size in [(2, 20), (3, 7), (5, 50), (40, 50), (100000, 20), (1, 1), (1, 50)]:
            out.append({"q": word, "page": str(page), "page_size": str(size)})
    for f in FILTERS:
        out.append(dict(f))
        out.append({**f, "page": "3", "page_size": "50"})
    words = ["焊工", " 焊工 ", "焊", "叉车", "叉车司机", "宇航员", "江宁区", "焊工 江宁区",
             "电焊 普工", "叉车司机 仓库", "java 开发", "zzzz", "'焊工", "NEAR(a b)", "q)",
             '" OR 1=1', "%%%", "😀", "焊\x00工", "业务员 销售 司机 保安 普工 焊工 电工 厨师 外卖"]  # fmt: skip
    for word in words:
        out.append({"q": word})
        out.append({"q": word, "page": "2", "page_size": "5"})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--positions", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--out", default="")
    parser.add_argument("--compare", default="")
    args = parser.parse_args()

    import search as bench

    app, url = bench_app(args.database_url, args.positions)
    queries = bench.draw_queries(args.queries) + extra_queries()
    paths = ["/api/v1/positions?" + urllib.parse.urlencode(q) for q in queries]
    found = {}
    for p in paths:
        status = []
        body = app(environ(p), lambda s, h, e=None, out=status: out.append(s))
        data = b"".join(body)
        if hasattr(body, "close"):
            body.close()
        found[p] = [status[0], hashlib.sha256(data).hexdigest(), len(data)]
    if args.out:
        with open(args.out, "w") as fh:
            json.dump(found, fh, ensure_ascii=False, indent=0)
        print(f"{len(found)} queries recorded in {args.out}")
    differ = None
    if args.compare:
        with open(args.compare) as fh:
            before = json.load(fh)
        differ = [p for p in paths if before.get(p) != found[p]]
        for p in differ[:20]:
            print("DIFFERS:", urllib.parse.unquote(p), before.get(p), found[p])
        print(f"{len(paths)} queries, {len(differ)} differ")
    summary = {
        "bench": "search_bodies",
        "database": url.split("://")[0].split("+")[0],
        "queries": len(found),
        "compared": bool(args.compare),
        "differ": None if differ is None else len(differ),
    }
    print(json.dumps(summary), flush=True)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
