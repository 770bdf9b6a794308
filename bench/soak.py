"""Soak: 200 live clients for 10 minutes against one app process; memory and open files must not grow.

    .venv/bin/python bench/soak.py [--clients 200] [--minutes 10]

Serves the app as deployed (gunicorn -c deploy/gunicorn.conf.py, one gevent worker) on a
seeded SQLite database, then keeps it busy: lobby watchers (a tenth of them leave and come
back every 10 s, so sockets, rooms, presence and re-checked login sessions are made and
dropped all the time), 20 signed-in seekers chatting in the live session, and an organiser
announcing every 5 s. Samples the worker's resident memory and open file descriptors every
10 s. The first fifth of the run is warm-up; growth is the last sample against the first after
warm-up. Prints, last, one JSON line: {"bench": "soak", "clients", "minutes", "rss_mb_start",
"rss_mb_end", "rss_growth_mb", "fds_start", "fds_end", "fds_after_close", "rss_mb_after_close",
"messages", "announcements", "reconnects"}. Never run by the test suite.
"""

import argparse
import asyncio
import json
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from live import (
    ORGANISER,
    SioClient,
    build_db,
    login_cookie,
    raise_fd_limit,
    serve,
    stop,
)


def worker_pid(master: int) -> int:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return int(out.split()[0])


def sample(pid: int) -> tuple[float, int]:
    rss = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) / 1024
    return rss, len(list(Path(f"/proc/{pid}/fd").iterdir()))


async def lobby_watcher(port, fair_id, stop_at, counts):
    while time.monotonic() < stop_at:
        c = SioClient("127.0.0.1", port)
        try:
            await c.connect("/lobby")
            await c.emit("/lobby", "join", {"fair_id": fair_id}, ack=True)
            stay = 10 * random.randint(1, 10)  # about a tenth leave every 10 s
            await asyncio.sleep(min(stay, max(0, stop_at - time.monotonic())))
        except Exception:
            await asyncio.sleep(1)
        finally:
            await c.close()
            counts["reconnects"] += 1


async def chatter(port, cookie, session_id, stop_at, counts, i):
    c = SioClient("127.0.0.1", port, cookie)
    await c.connect("/session")
    await c.emit("/session", "join", {"session_id": session_id}, ack=True)
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        data = {"session_id": session_id, "client_id": f"soak-{i}-{n}", "body": f"浸泡测试 {n}"}
        ack = await c.emit("/session", "send", data, ack=True)
        if ack and ack.get("ok"):
            counts["messages"] += 1
        await asyncio.sleep(2)
    await c.close()


async def announcer(port, cookie, fair_id, stop_at, counts):
    c = SioClient("127.0.0.1", port, cookie)
    await c.connect("/console")
    await c.emit("/console", "join", {"fair_id": fair_id}, ack=True)
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        data = {"fair_id": fair_id, "client_id": f"soak-a{n}", "body": f"浸泡公告 {n}"}
        ack = await c.emit("/console", "announce", data, ack=True)
        if ack and ack.get("ok"):
            counts["announcements"] += 1
        await asyncio.sleep(5)
    await c.close()


async def run(args):
    raise_fd_limit()
    tmp = Path(tempfile.mkdtemp(prefix="jobfair-soak-"))
    proc = None
    try:
        setup = build_db(tmp)
        proc, port = serve("app", "gevent", setup["env"], args.clients)
        pid = worker_pid(proc.pid)
        seconds = args.minutes * 60
        stop_at = time.monotonic() + seconds
        counts = {"messages": 0, "announcements": 0, "reconnects": 0}
        cookies = [login_cookie(port, p) for p in setup["seekers"]]
        tasks = [
            asyncio.create_task(chatter(port, cookie, setup["session_id"], stop_at, counts, i))
            for i, cookie in enumerate(cookies)
        ]
        tasks += [
            asyncio.create_task(lobby_watcher(port, setup["fair_id"], stop_at, counts))
            for _ in range(args.clients - len(cookies))
        ]
        org = login_cookie(port, ORGANISER)
        tasks.append(asyncio.create_task(announcer(port, org, setup["fair_id"], stop_at, counts)))
        samples = []
        started = time.monotonic()
        while time.monotonic() < stop_at - 10:
            await asyncio.sleep(10)
            rss, fds = sample(pid)
            samples.append((time.monotonic() - started, rss, fds))
            print(f"  {samples[-1][0]:5.0f} s  rss {rss:6.1f} MB  open files {fds}", flush=True)
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.sleep(3)
        rss_after, fds_after = sample(pid)  # every client gone: what is left behind
        warm = [s for s in samples if s[0] >= seconds / 5] or samples
        first, last = warm[0], samples[-1]
        summary = {
            "bench": "soak",
            "clients": args.clients,
            "minutes": args.minutes,
            "rss_mb_start": round(first[1], 1),
            "rss_mb_end": round(last[1], 1),
            "rss_growth_mb": round(last[1] - first[1], 1),
            "fds_start": first[2],
            "fds_end": last[2],
            "fds_after_close": fds_after,
            "rss_mb_after_close": round(rss_after, 1),
            **counts,
        }
        print(json.dumps(summary, ensure_ascii=False))
    finally:
        if proc is not None:
            stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=10)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
