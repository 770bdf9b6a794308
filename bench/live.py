"""Benchmark: the live layer's fair-lobby broadcast and chat, beside the fastest bare python-socketio server.

    .venv/bin/python bench/live.py [--clients 100,1000,5000] [--rounds 20] [--chat-seconds 10]
                                   [--app-mode gevent|gthread] [--bare-modes threading,gevent]
                                   [--processes 1,2] [--postgres URL] [--base-port 5121]

1. Builds a SQLite database with the real migrations and `flask seed` (the demo fair, its live
   session and 30 registered seekers) in a temporary folder.
2. For each N: serves the real app with gunicorn exactly as deployed (`-c deploy/gunicorn.conf.py`:
   one gevent worker, or gthread with --app-mode gthread) on loopback, connects N Socket.IO
   clients to the demo fair's /lobby room, then the organiser announces R times through
   /console (stored in the database, then broadcast). Measures, per announcement, the time
   until the last of the N clients has it, and every client's latency.
3. The floor: a bare python-socketio Server (no database, no auth) under gunicorn in each bare
   mode — threading (gthread, a thread per socket) and gevent (greenlets) — joined and
   broadcast to the same way; the better of the two (by p99) is the floor of the ratios.
4. Sustained chat: 20 signed-in seekers in the live session send as fast as acknowledgements
   come back for --chat-seconds (the 5 per 10 s limit raised for the run); messages/s stored
   and deliveries/s, against the faster bare mode.
5. With --processes 1,2 the lobby is also measured as `make stack` serves it: `deploy/stack.sh`
   starts Debian's nginx (deploy/nginx/*.conf, ip_hash) in front of that many gevent processes
   (deploy/gunicorn.conf.py) sharing the database and a Redis message queue (our own
   redis-server), and the clients connect through nginx from 127.0.X.1 source addresses so that
   ip_hash spreads them over the processes as it would real visitors. "1" alone is the single
   process on its own, with no proxy and no Redis (as in 2.). --postgres SERVER runs the whole
   bench on PostgreSQL, as the stack does, instead of a SQLite file: a throwaway database
   created on that server and dropped after the run. --base-port puts every server of the run
   on ports from there up.

Prints, last, one JSON line: {"bench": "live", "results": [{"setup", "clients", "delivered",
"p50_ms", "p99_ms", "bare_mode", "bare_p99_ms", "ratio", "connect_s", "bare_connect_s",
"load_avg", …}], "chat_msgs_per_s", "bare_chat_msgs_per_s"}; one result per number of clients and
setup ("1 process", "2 processes behind nginx"); p50/p99 are of the time until the last client
has an announcement, "delivered" counts the clients that got every announcement.

The clients are a small asyncio Socket.IO (Engine.IO 4 over WebSocket) client
(bench/support/live_client.py), so thousands fit in one process without a thread each. Never run by the test suite.
"""

import argparse
import asyncio
import base64
import contextlib
import gc
import http.cookiejar
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from support.live_client import SioClient  # bench/ is on sys.path: the script's own folder

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GUNICORN = str(Path(PY).parent / "gunicorn")
PASSWORD = "jobfair-demo-2026"  # noqa: S105 - the public demo password
ORGANISER = "13900000001"


# --- servers ---------------------------------------------------------------------------------


def bare_app(mode: str = "threading"):
    """The floor: python-socketio alone, same transport, no app (threading or gevent)."""
    import socketio

    # The serving processes' garbage-collector thresholds (wsgi.GC_THRESHOLDS): the floor is the
    # best bare configuration, so it gets every setting that speeds the app up too.
    gc.set_threshold(20_000, 20, 10)
    sio = socketio.Server(async_mode=mode, max_http_buffer_size=64 * 1024)

    @sio.on("join", namespace="/lobby")
    def join(sid, data):
        sio.enter_room(sid, "fair", namespace="/lobby")
        return {"ok": True}

    @sio.on("announce", namespace="/lobby")
    def announce(sid, data):
        sio.emit("announcement", {"body": data["body"]}, room="fair", namespace="/lobby")
        return {"ok": True}

    @sio.on("join", namespace="/session")
    def join_session(sid, data):
        sio.enter_room(sid, "session", namespace="/session")
        return {"ok": True}

    @sio.on("send", namespace="/session")
    def send(sid, data):
        msg = {"id": time.time_ns(), "body": data["body"], "client_id": data["client_id"]}
        sio.emit("message", msg, room="session", namespace="/session")
        return {"ok": True, "message": msg}

    return socketio.WSGIApp(sio)


PORT_POOL = []  # --base-port: servers take ports from here in turn instead of free ones


def free_port() -> int:
    if PORT_POOL:
        PORT_POOL.append(PORT_POOL.pop(0))
        return PORT_POOL[-1]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(port: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling", timeout=2
            ):
                return
        except Exception:
            time.sleep(0.3)
    raise RuntimeError("server did not start")


def serve(kind: str, mode: str, env: dict, clients: int):
    """gunicorn on a free port: the app as deployed, or the bare server in `mode`."""
    port = free_port()
    env = dict(env, JOBFAIR_BIND=f"127.0.0.1:{port}")
    common = ["--backlog", "4096", "--log-level", "warning", "--timeout", "120"]
    bare = ["--pythonpath", str(ROOT / "bench")]  # the bare server is bench/live.py itself
    if kind == "app":
        threads = str(2 * clients + 200)
        env.update(
            JOBFAIR_WORKER_CLASS=mode,
            JOBFAIR_THREADS=threads,
            JOBFAIR_WORKER_CONNECTIONS=str(max(10000, 2 * clients + 200)),
        )
        cmd = [GUNICORN, "-c", "deploy/gunicorn.conf.py", *common, "wsgi:app"]
    elif mode == "gevent":
        conns = str(max(10000, 2 * clients + 200))
        cmd = [GUNICORN, "-k", "gevent", "-w", "1", "--worker-connections", conns]
        cmd += ["-b", f"127.0.0.1:{port}", *common, *bare, "live:bare_app('gevent')"]
    else:
        threads = str(2 * clients + 200)
        cmd = [GUNICORN, "-k", "gthread", "-w", "1", "--threads", threads]
        cmd += ["--worker-connections", threads, "-b", f"127.0.0.1:{port}", *common]
        cmd += [*bare, "live:bare_app('threading')"]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=None, start_new_session=True
    )
    wait_http(port)
    return proc, port


def stop(proc) -> None:
    """Stop gunicorn and its worker (a worker with thousands of threads may linger)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (subprocess.TimeoutExpired, ProcessLookupError):
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def login_cookie(port: int, phone: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    body = urllib.parse.urlencode({"login": phone, "password": PASSWORD}).encode()
    opener.open(f"http://127.0.0.1:{port}/login", data=body, timeout=30).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


# --- measurements ----------------------------------------------------------------------------


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


async def connect_many(port, n, namespace, join_event, join_data, cookie="", sources=None):
    clients = []
    sem = asyncio.Semaphore(50)
    spread = iter(range(n))

    async def one():
        async with sem:
            source = sources[next(spread) % len(sources)] if sources else None
            c = SioClient("127.0.0.1", port, cookie, source)
            await c.connect(namespace)
            ack = await c.emit(namespace, join_event, join_data, ack=True)
            assert ack and ack.get("ok"), ack
            clients.append(c)

    started = time.perf_counter()
    tasks = [asyncio.ensure_future(one()) for _ in range(n)]
    try:
        await asyncio.gather(*tasks)
    except (
        BaseException
    ):  # close what did connect: thousands of open sockets would spoil the next run
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for c in clients:
            await c.close()
        raise
    return clients, time.perf_counter() - started


async def broadcast_rounds(port, clients, announcer, rounds, kind, fair_id):
    """Per round: the time until the last client has the announcement, and all latencies."""
    arrivals = {}
    for idx, c in enumerate(clients):

        def handler(data, idx=idx):
            body = (data or {}).get("body", "")
            if body.startswith("bench-"):
                arrivals.setdefault(body, {})[idx] = time.perf_counter()

        c.on("announcement", handler)
    lasts, every = [], []
    got_all = [0] * len(clients)
    for r in range(rounds):
        body = f"bench-{kind}-{r}-{random.randrange(10**9)}"
        t0 = time.perf_counter()
        if kind == "app":
            await announcer.emit(
                "/console",
                "announce",
                {"fair_id": fair_id, "client_id": f"b{r}-{random.randrange(10**9)}", "body": body},
            )
        else:
            await announcer.emit("/lobby", "announce", {"body": body})
        deadline = t0 + 30
        while len(arrivals.get(body, {})) < len(clients) and time.perf_counter() < deadline:
            await asyncio.sleep(0.002)
        got = arrivals.get(body, {})
        if len(got) < len(clients):
            print(f"    round {r}: only {len(got)}/{len(clients)} clients got it in 30 s")
        for idx in got:
            got_all[idx] += 1
        lat = [t - t0 for t in got.values()]
        if lat:
            lasts.append(max(lat))
            every.extend(lat)
        await asyncio.sleep(0.3)
    return lasts, every, sum(1 for k in got_all if k == rounds)


async def chat_run(port, cookies, seconds, kind, session_id):
    senders = []
    for cookie in cookies:
        c = SioClient("127.0.0.1", port, cookie)
        await c.connect("/session")
        data = {"session_id": session_id} if kind == "app" else {}
        ack = await c.emit("/session", "join", data, ack=True)
        assert ack and ack.get("ok"), ack
        senders.append(c)
    delivered = [0]
    for c in senders:
        c.on("message", lambda _m: delivered.__setitem__(0, delivered[0] + 1))
    sent = [0]
    stop_at = time.perf_counter() + seconds

    async def pump(i, c):
        n = 0
        while time.perf_counter() < stop_at:
            n += 1
            ack = await c.emit(
                "/session",
                "send",
                {
                    "session_id": session_id,
                    "client_id": f"{kind}-{i}-{n}-{random.randrange(10**9)}",
                    "body": f"测试消息 {n}",
                },
                ack=True,
            )
            if ack and ack.get("ok"):
                sent[0] += 1

    started = time.perf_counter()
    await asyncio.gather(*(pump(i, c) for i, c in enumerate(senders)))
    elapsed = time.perf_counter() - started
    await asyncio.sleep(1)
    for c in senders:
        await c.close()
    return sent[0] / elapsed, delivered[0] / elapsed


# --- several processes behind nginx, served as `make stack` serves them ----------------------

# Client source addresses 127.0.X.1: nginx's ip_hash keys IPv4 clients by their first three
# octets, so clients from one address would all land on one process.
SOURCES = [f"127.0.{x}.1" for x in range(256)]


def setup_label(processes: int) -> str:
    return "1 process" if processes == 1 else f"{processes} processes behind nginx"


def wait_redis(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return
        time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def established(port: int) -> int:
    """Open TCP connections whose local end is `port` (a web process's clients, via nginx)."""
    want = f":{port:04X}"
    count = 0
    with open("/proc/net/tcp") as f:
        next(f)
        for row in f:
            fields = row.split()
            count += fields[1].endswith(want) and fields[3] == "01"
    return count


@contextlib.contextmanager
def behind_nginx(setup: dict, n: int, processes: int, folder: Path):
    """`deploy/stack.sh start` with our own redis-server and ports: nginx + `processes` web
    processes (no job worker or scheduler: announcements do not go through jobs)."""
    nginx_port = free_port()
    web_ports = [free_port() for _ in range(processes)]
    redis_port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--maxclients", "1000"],
        stdout=subprocess.DEVNULL,
    )
    state = folder / f"stack-{processes}"
    state.mkdir(exist_ok=True)
    env = dict(
        setup["env"],
        JOBFAIR_REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        JOBFAIR_PROXY_HOPS="1",
        JOBFAIR_WORKER_CONNECTIONS=str(max(10000, 2 * n + 200)),
    )
    # The stack's environment file: one file, one secret key, read by every process.
    env_file = state / "jobfair.env"
    env_file.write_text(
        "".join(
            f"{k}={v}\n" for k, v in env.items() if k.startswith("JOBFAIR_") or k == "FLASK_APP"
        )
    )
    env.update(
        STACK_PORT=str(nginx_port),
        STACK_WEB_PORTS=" ".join(map(str, web_ports)),
        STACK_DIR=str(state),
        STACK_ENV_FILE=str(env_file),
        STACK_SKIP_SETUP="1",
        STACK_NO_JOBS="1",
    )
    script = ["bash", str(ROOT / "deploy" / "stack.sh")]
    try:
        wait_redis(redis_port)
        subprocess.run([*script, "start"], cwd=ROOT, env=env, check=True)
        yield nginx_port, web_ports, {**stack_roles(state, web_ports), "redis": [redis.pid]}
    except Exception:
        for log in sorted((state / "logs").glob("*.log")):
            tail = [x for x in log.read_text(errors="replace").splitlines() if x][-3:]
            print(f"    {log.name}: " + "\n      ".join(tail), flush=True)
        raise
    finally:
        subprocess.run([*script, "stop"], cwd=ROOT, env=env, check=False)
        redis.terminate()
        redis.wait(timeout=10)


def stack_roles(state: Path, web_ports: list[int]) -> dict[str, list[int]]:
    """The stack's processes by the pid files deploy/stack.sh writes."""

    def pid(path: Path) -> list[int]:
        return [int(path.read_text())] if path.exists() else []

    roles = {f"web:{p}": pid(state / f"web-{p}.pid") for p in web_ports}
    roles["nginx"] = pid(state / "nginx" / "nginx.pid")
    return roles


async def measure_stack(setup, n, rounds, processes, folder):
    """The lobby bench through nginx: clients spread over the processes by ip_hash."""
    with behind_nginx(setup, n, processes, folder) as (port, web_ports, roles):
        return await lobby_run(
            "app",
            port,
            setup,
            n,
            rounds,
            sources=SOURCES,
            on_joined=lambda: {"per_process": [established(p) for p in web_ports]},
            roles=roles,
        )


def lobby_rows(n: int, runs: dict, app_mode: str, processes: list[int]) -> list[dict]:
    """One result per setup, each beside the same floor: the best bare mode by p99."""
    bares = [
        (pct(r["lasts"], 99), m, r)
        for (k, m), r in runs.items()
        if k == "bare" and r["lasts"] and r["delivered"] == n
    ]
    best = min(bares, key=lambda b: b[0]) if bares else None
    rows = []
    for p in processes:
        app = runs.get(("app", app_mode) if p == 1 else ("stack", p))
        row = {"setup": setup_label(p), "clients": n, "delivered": app["delivered"] if app else 0}
        if app and app["lasts"]:
            row.update(
                p50_ms=round(pct(app["lasts"], 50) * 1000, 1),
                p99_ms=round(pct(app["lasts"], 99) * 1000, 1),
                connect_s=round(app["connect_s"], 2),
            )
        if best:
            row.update(
                bare_mode=best[1],
                bare_p99_ms=round(best[0] * 1000, 1),
                bare_connect_s=round(best[2]["connect_s"], 2),
            )
            if "p99_ms" in row:
                row["ratio"] = round(row["p99_ms"] / row["bare_p99_ms"], 2)
                print(
                    f"  {row['setup']}: floor bare {best[1]} | ratio p99 {row['ratio']:.2f}x"
                    f" | join {row['connect_s'] / row['bare_connect_s']:.2f}x the floor's time"
                )
        if app:
            row["load_avg"] = app["load_avg"]
            row.update(cpu_join=app["cpu_join"], cpu_rounds=app["cpu_rounds"])
            if "per_process" in app:
                row["per_process"] = app["per_process"]
        rows.append(row)
    return rows


# --- the run ---------------------------------------------------------------------------------


@contextlib.contextmanager
def throwaway_postgres(server_url: str):
    """A database of our own on that server for this run, dropped afterwards."""
    import psycopg

    name = f"jobfair_bench_live_{os.getpid()}"
    server = urllib.parse.urlsplit(server_url)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlsplit(server_url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(server, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build_db(folder: Path, database_url: str = "") -> dict:
    env = dict(
        os.environ,
        FLASK_APP="wsgi",
        JOBFAIR_DATABASE_URL=database_url or f"sqlite:///{folder}/bench.sqlite",
        JOBFAIR_SECRET_KEY="bench-live-secret",  # noqa: S106 - a throwaway database
        # Throwaway encryption keys, shared by every process of the run.
        JOBFAIR_DATA_KEYS="bench:" + base64.urlsafe_b64encode(os.urandom(32)).decode(),
        JOBFAIR_BLIND_INDEX_KEY=base64.urlsafe_b64encode(os.urandom(32)).decode(),
    )
    subprocess.run(
        [PY, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    subprocess.run([PY, "-m", "flask", "seed"], cwd=ROOT, env=env, check=True, capture_output=True)
    if database_url:
        import psycopg

        con = psycopg.connect(database_url)
    else:
        import sqlite3

        con = sqlite3.connect(f"{folder}/bench.sqlite")

    def sql(text: str) -> str:  # one query text for both drivers' placeholders
        return text if database_url else text.replace("%s", "?")

    # The campaign fair running now (its name follows the season), by its showcase session.
    fair_id = con.execute(
        "SELECT fair_id FROM live_sessions WHERE title = '直播带岗：制造业普工专场'"
    ).fetchone()[0]
    session_id = con.execute(
        sql("SELECT id FROM live_sessions WHERE fair_id = %s ORDER BY id"), (fair_id,)
    ).fetchone()[0]
    seekers = [
        r[0]
        for r in con.execute(
            sql(
                "SELECT u.phone FROM users u JOIN fair_registrations r"
                " ON r.seeker_user_id = u.id WHERE r.fair_id = %s ORDER BY u.id LIMIT 20"
            ),
            (fair_id,),
        )
    ]
    con.close()
    env.update(
        JOBFAIR_WTF_CSRF_ENABLED="false",
        JOBFAIR_RATELIMIT_ENABLED="false",
        JOBFAIR_LIVE_MESSAGES_PER_WINDOW="1000000",
        JOBFAIR_SOCKETIO_PING_INTERVAL="60",
    )
    return {"env": env, "fair_id": fair_id, "session_id": session_id, "seekers": seekers}


async def measure(kind, mode, setup, n, rounds):
    proc, port = serve(kind, mode, setup["env"], n)
    try:
        return await lobby_run(kind, port, setup, n, rounds, roles={kind: [proc.pid]})
    finally:
        stop(proc)


async def lobby_run(kind, port, setup, n, rounds, sources=None, on_joined=None, roles=None):
    """N clients join the lobby on `port`, then `rounds` announcements; the clients close after.
    `roles` names the server processes whose CPU time is sampled (with their children)."""
    clients = []
    try:
        join = {"fair_id": setup["fair_id"]}
        cpu = [cpu_by_role(roles or {})]
        clients, took = await connect_many(port, n, "/lobby", "join", join, sources=sources)
        cpu.append(cpu_by_role(roles or {}))
        joined = on_joined() if on_joined else {}
        if kind == "app":
            announcer = SioClient("127.0.0.1", port, login_cookie(port, ORGANISER))
            await announcer.connect("/console")
            ack = await announcer.emit("/console", "join", join, ack=True)
            assert ack and ack.get("ok"), ack
        else:
            announcer = SioClient("127.0.0.1", port)
            await announcer.connect("/lobby")
        await asyncio.sleep(2)  # let the joins' coalesced count updates go out first
        lasts, every, delivered = await broadcast_rounds(
            port, clients, announcer, rounds, kind, setup["fair_id"]
        )
        cpu.append(cpu_by_role(roles or {}))
        await announcer.close()
        return {
            "connect_s": took,
            "lasts": lasts,
            "every": every,
            "delivered": delivered,
            "load_avg": round(os.getloadavg()[0], 1),
            "cpu_join": cpu_shares(cpu[0], cpu[1]),
            "cpu_rounds": cpu_shares(cpu[1], cpu[2]),
            **joined,
        }
    finally:
        for c in clients:
            await c.close()


async def measure_chat(kind, mode, setup, seconds):
    proc, port = serve(kind, mode, setup["env"], 100)
    try:
        if kind == "app":
            cookies = [login_cookie(port, phone) for phone in setup["seekers"]]
        else:
            cookies = [""] * len(setup["seekers"])
        return await chat_run(port, cookies, seconds, kind, setup["session_id"])
    finally:
        stop(proc)


def proc_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, CPU ticks used) for every process on the machine."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    rest = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            table[int(entry)] = (int(rest[1]), int(rest[11]) + int(rest[12]))
    return table


def cpu_by_role(roles: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds so far: this client process, and each role's processes with their children."""
    table = proc_table()
    children = {}
    for pid, (ppid, _ticks) in table.items():
        children.setdefault(ppid, []).append(pid)
    out = {"_wall": time.perf_counter(), "client": time.process_time()}
    for role, pids in roles.items():
        ticks, todo = 0, list(pids)
        while todo:
            pid = todo.pop()
            if pid in table:
                ticks += table[pid][1]
                todo += children.get(pid, [])
        out[role] = ticks / os.sysconf("SC_CLK_TCK")
    return out


def cpu_shares(before: dict, after: dict) -> dict[str, int]:
    """Per role, the % of one core used between two samples (200 = both cores of this machine)."""
    wall = after["_wall"] - before["_wall"]
    return {
        role: round(100 * (after[role] - before[role]) / wall)
        for role in after
        if role != "_wall" and wall > 0
    }


def cpu_line(r: dict) -> None:
    for phase in ("join", "rounds"):
        shares = ", ".join(f"{k} {v}%" for k, v in r.get(f"cpu_{phase}", {}).items())
        print(f"    CPU during the {phase} (% of one core): {shares}", flush=True)


def ms(x):
    return f"{x * 1000:7.1f} ms"


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def line(label, r):
    print(
        f"  {label:<22} connect+join {r['connect_s']:5.1f} s | got all {r['delivered']}"
        f" | last client p50 {ms(pct(r['lasts'], 50))}  p99 {ms(pct(r['lasts'], 99))}"
        f" | per client p50 {ms(pct(r['every'], 50))}  p99 {ms(pct(r['every'], 99))}",
        flush=True,
    )


async def main_async(args):
    raise_fd_limit()
    bare_modes = [m for m in args.bare_modes.split(",") if m]
    processes = [int(p) for p in args.processes.split(",") if p]
    if args.base_port:
        PORT_POOL.extend(range(args.base_port, args.base_port + 20))
    tmp = Path(tempfile.mkdtemp(prefix="jobfair-bench-live-"))
    results, chat, bare_chat = [], None, None
    cleanup = contextlib.ExitStack()
    try:
        print("building the database (migrations + demo seed)…", flush=True)
        database_url = ""
        if args.postgres:
            database_url = cleanup.enter_context(throwaway_postgres(args.postgres))
        setup = build_db(tmp, database_url)
        print(
            f"fair {setup['fair_id']}, session {setup['session_id']}, {len(setup['seekers'])} seekers\n"
        )
        for n in [int(x) for x in args.clients.split(",") if x]:
            print(f"== {n} clients in one fair lobby, {args.rounds} announcements ==", flush=True)
            runs = {}
            plan = [("app", args.app_mode)] if 1 in processes else []
            plan += [("stack", p) for p in processes if p > 1]
            for kind, mode in plan + [("bare", m) for m in bare_modes]:
                try:
                    if kind == "stack":
                        r = await measure_stack(setup, n, args.rounds, mode, tmp)
                        label = setup_label(mode)
                    else:
                        r = await measure(kind, mode, setup, n, args.rounds)
                        label = f"{'jobfair app' if kind == 'app' else 'bare'} ({mode})"
                    runs[(kind, mode)] = r
                    line(label, r)
                    cpu_line(r)
                except Exception as exc:  # report how far it went
                    print(f"  {kind} ({mode}): failed at {n} clients: {exc!r}", flush=True)
            results.extend(lobby_rows(n, runs, args.app_mode, processes))
            print(flush=True)
        if args.chat_seconds > 0:
            print(
                f"== sustained chat: {len(setup['seekers'])} senders in one live session, {args.chat_seconds} s =="
            )
            out = {}
            for kind, mode in [("app", args.app_mode)] + [("bare", m) for m in bare_modes]:
                out[(kind, mode)] = await measure_chat(kind, mode, setup, args.chat_seconds)
                label = f"{'jobfair app' if kind == 'app' else 'bare'} ({mode})"
                print(
                    f"  {label:<22} {out[(kind, mode)][0]:7.1f} messages/s stored+acked,"
                    f" {out[(kind, mode)][1]:8.1f} deliveries/s",
                    flush=True,
                )
            chat = out[("app", args.app_mode)][0]
            bare_chat = max(v[0] for (k, _m), v in out.items() if k == "bare")
            print(f"  ratio app/best bare messages/s: {chat / bare_chat:.2f}x")
    finally:
        cleanup.close()
        shutil.rmtree(tmp, ignore_errors=True)
    summary = {
        "bench": "live",
        "results": results,
        "chat_msgs_per_s": round(chat, 1) if chat is not None else None,
        "bare_chat_msgs_per_s": round(bare_chat, 1) if bare_chat is not None else None,
    }
    print(json.dumps(summary, ensure_ascii=False))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", default="100,1000,5000")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--chat-seconds", type=float, default=10)
    parser.add_argument("--app-mode", default="gevent", choices=["gevent", "gthread"])
    parser.add_argument("--bare-modes", default="threading,gevent")
    parser.add_argument(
        "--processes",
        default="1",
        help="lobby setups: 1 = one process on its own, N > 1 = N processes behind nginx",
    )
    parser.add_argument(
        "--postgres",
        default="",
        help="a PostgreSQL server URL (postgresql://postgres@127.0.0.1:5432): run on a "
        "throwaway database there, as the stack does; default a SQLite file",
    )
    parser.add_argument("--base-port", type=int, default=0, help="ports from here; 0: free ones")
    args = parser.parse_args()
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
