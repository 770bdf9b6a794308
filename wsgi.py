"""WSGI entry point: the only module that builds an app at import time.

Serving processes warm up here, once: jieba with its dictionaries, the occupation catalogue,
the public search index and the matching index (loaded from instance/ or built from stored tokens). Under gunicorn
with --preload this happens before the workers fork, so they share it; otherwise each process
does it at start-up instead of on its first request. CLI commands other than `flask run`
(db upgrade, seed, match rebuild…) skip it. Set JOBFAIR_WARM_START=0 to turn it off.
"""

import gc
import logging
import os
import sys

from jobfair import create_app

app = create_app()


def _serving() -> bool:
    prog = os.path.basename(sys.argv[0]) if sys.argv else ""
    if prog.startswith("flask"):
        return sys.argv[1:2] == ["run"]
    return os.environ.get("JOBFAIR_WARM_START", "1") != "0"


def warm_up(flask_app) -> None:
    from sqlalchemy import inspect

    from jobfair.extensions import db
    from jobfair.matching import suggest_occupations
    from jobfair.matching.text import segment_query
    from jobfair.positions import textindex
    from jobfair.recommendations.index import get_engine

    segment_query("叉车司机")
    suggest_occupations("焊工")
    with flask_app.app_context():
        if inspect(db.engine).has_table("match_index_state"):
            get_engine(flask_app)
            textindex.current(flask_app)
        db.session.remove()
        # Under --preload the workers fork after this: no pooled connection may cross a fork.
        db.engine.dispose()
    # What was built here lives as long as the process: out of the garbage collector's sight,
    # a full collection no longer walks its ~350,000 objects (a 0.2 s pause in a request),
    # and forked workers do not copy its pages by touching them.
    gc.collect()
    gc.freeze()


# A serving process holds thousands of open sockets, each a few hundred small objects: with
# the default thresholds (700, 10, 10) the collector ran ~1,300 times during 3,000 lobby
# joins and took a fifth of the process's CPU; these run it ~30 times as rarely (README
# "Live layer"). Cycles are still collected, a little later.
GC_THRESHOLDS = (20_000, 20, 10)

if _serving() and os.environ.get("JOBFAIR_WARM_START", "1") != "0":
    try:
        warm_up(app)
    except Exception:  # the index is also built on first use; never refuse to serve
        logging.getLogger("jobfair").exception("warm-up failed; continuing without it")
    gc.set_threshold(*GC_THRESHOLDS)
