"""Faults survived, with real processes: two gunicorn app processes (deploy/gunicorn.conf.py)
sharing our own redis-server and a seeded database. Every acknowledged chat message and
announcement reaches every connected page exactly once and in order, live or by backfill,
through a Redis restart, a kill -9 of an app worker and a PostgreSQL restart."""

import glob
import os
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from live_stack import (
    ORGANISER,
    App,
    Redis,
    Viewer,
    _demo_ids,
    base_env,
    demo_ids_sqlite,
    free_port,
    have_redis_server,
    seed,
    talk,
    wait,
)

pytestmark = pytest.mark.skipif(not have_redis_server(), reason="redis-server is not installed")


class Stack:
    def __init__(self, db_url: str, ids: dict):
        self.redis = Redis()
        self.ids = ids
        self.env = base_env(db_url, self.redis.url, "jobfair-faults-" + uuid.uuid4().hex[:8])
        self.a, self.b = App(self.env), App(self.env)
        assert wait(lambda: self.a.ready() and self.b.ready(), 90), "app processes did not start"
        self.viewers: list[Viewer] = []

    def viewer(self, app: App, phone: str | None) -> Viewer:
        http = app.login(phone) if phone else None
        v = Viewer(app, http, self.ids)
        self.viewers.append(v)
        assert wait(lambda: v.joins == len(v.namespaces), 15), v.errors
        return v

    def close(self):
        for v in self.viewers:
            v.close()
        self.a.stop()
        self.b.stop()
        self.redis.stop()


@pytest.fixture(scope="module")
def sqlite_stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faults")
    db_url = f"sqlite:///{folder}/faults.sqlite"
    seed(db_url)
    stack = Stack(db_url, demo_ids_sqlite(f"{folder}/faults.sqlite"))
    yield stack
    stack.close()


def traffic(stack: Stack, sender: App, announcer: App, run):
    """Chat from one process and announcements from the other while run() happens."""
    ids, stop = stack.ids, threading.Event()
    chat, anns, refused = [], [], {}
    talker = sender.login(ids["seekers"][0])
    organiser = announcer.login(ORGANISER)
    tag = uuid.uuid4().hex[:6]

    def message(i):
        return {"session_id": ids["session_id"], "client_id": f"{tag}-m{i}", "body": f"消息{i}"}

    def announcement(i):
        return {"fair_id": ids["fair_id"], "client_id": f"{tag}-a{i}", "body": f"公告{i}"}

    jobs = [
        ("chat", sender, talker, "/session", "send", message, chat, 0.03),
        ("anns", announcer, organiser, "/console", "announce", announcement, anns, 0.1),
    ]
    threads = []
    for name, app, http, ns, event, make, acked, pause in jobs:

        def go(name=name, app=app, http=http, ns=ns, event=event, make=make, acked=acked, p=pause):
            refused[name] = talk(app, http, ns, event, make, stop, acked, p)

        threads.append(threading.Thread(target=go, daemon=True))
    for t in threads:
        t.start()
    try:
        time.sleep(1)
        run()
        time.sleep(1.5)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    return chat, anns, refused


def assert_everyone_has_everything(viewers, chat, anns):
    assert chat and anns

    def complete(v):
        ok = not v.signed_in or set(chat) <= set(v.messages.applied)
        return ok and set(anns) <= set(v.announcements.applied)

    assert wait(lambda: all(complete(v) for v in viewers), 20), [
        (
            sorted(set(chat) - set(v.messages.applied)),
            sorted(set(anns) - set(v.announcements.applied)),
        )
        for v in viewers
    ]
    for v in viewers:
        for seq in (v.messages, v.announcements) if v.signed_in else (v.announcements,):
            # Exactly once and in order: the numbers applied run on without a repeat or a hole.
            assert seq.applied == list(range(seq.applied[0], seq.applied[0] + len(seq.applied)))
            assert seq.bodies[-1] in {f"消息{len(chat)}", f"公告{len(anns)}"} or seq.applied


def test_redis_restart_loses_nothing_and_logins_go_on(sqlite_stack: Stack):
    s = sqlite_stack
    ids = s.ids
    viewers = [
        s.viewer(s.a, ids["seekers"][1]),
        s.viewer(s.b, ids["seekers"][2]),
        s.viewer(s.b, None),
    ]
    doomed_http = s.a.login(ids["seekers"][3])
    doomed = Viewer(s.b, doomed_http, ids)  # its logout happens while Redis is down
    s.viewers.append(doomed)
    during = {}

    def outage():
        s.redis.kill()
        time.sleep(0.5)
        t0 = time.monotonic()
        # Logins, pages and room joins keep working while Redis is down.
        http = s.b.login(ids["seekers"][4])
        during["page"] = http.get(s.b.url + f"/fairs/{ids['fair_id']}", timeout=10).status_code
        late = Viewer(s.a, http, ids)
        s.viewers.append(late)
        during["joined"] = wait(lambda: late.joins == 2, 10)
        during["login_s"] = time.monotonic() - t0
        doomed_http.post(s.a.url + "/logout", timeout=10)
        during["kicked"] = wait(lambda: not doomed.client.connected, 8)
        time.sleep(1)
        s.redis.start()

    chat, anns, refused = traffic(s, s.a, s.b, outage)
    assert during["page"] == 200 and during["joined"], during
    assert during["login_s"] < 8, during
    assert during["kicked"], "a logout during the outage must still close the socket"
    assert not refused["chat"] and not refused["anns"], refused
    assert_everyone_has_everything(viewers, chat, anns)

    # Broadcasts travel between the processes again within seconds.
    probe = s.viewer(s.b, None)
    org = s.a.login(ORGANISER)
    acked = []
    stop = threading.Event()
    t = threading.Thread(
        target=talk,
        args=(s.a, org, "/console", "announce"),
        kwargs={
            "make": lambda i: {"fair_id": ids["fair_id"], "client_id": f"back-{i}", "body": "恢复"},
            "stop": stop,
            "acked": acked,
            "pause": 0.2,
        },
        daemon=True,
    )
    t.start()
    assert wait(lambda: len(acked) >= 1, 10)
    stop.set()
    t.join(15)
    assert wait(lambda: set(acked) <= set(probe.announcements.applied), 10)


def test_kill_9_of_an_app_worker_loses_nothing(sqlite_stack: Stack):
    s = sqlite_stack
    ids = s.ids
    viewers = [s.viewer(s.a, ids["seekers"][5]), s.viewer(s.a, None), s.viewer(s.b, None)]
    old = s.a.worker_pid()
    back = {}

    def crash():
        os.kill(old, 9)
        t0 = time.monotonic()
        back["restarted"] = wait(lambda: s.a.worker_pid() not in (None, old) and s.a.ready(), 15)
        back["s"] = time.monotonic() - t0

    # Chat and announcements go through the other process while A's worker is down.
    chat, anns, _refused = traffic(s, s.b, s.b, crash)
    assert back["restarted"] and back["s"] < 10, back
    assert_everyone_has_everything(viewers, chat, anns)


def _postgres_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


@pytest.mark.skipif(_postgres_bin() is None, reason="PostgreSQL server binaries not installed")
def test_postgres_restart_refuses_writes_clearly_then_recovers():
    pg = _postgres_bin()
    # A throwaway cluster of our own; as root, run it as the postgres user (initdb refuses root).
    tmp_path = Path(tempfile.mkdtemp(prefix="jobfair-pg-"))
    tmp_path.chmod(0o755)
    data, port = tmp_path / "pg", free_port()
    user = ["-u", "postgres"] if os.geteuid() == 0 else []
    run_as = ["runuser", *user, "--"] if user else []
    if user:
        shutil.chown(tmp_path, "postgres")
    subprocess.run(
        [*run_as, f"{pg}/initdb", "-D", str(data), "-U", "postgres", "-A", "trust"],
        check=True,
        capture_output=True,
    )
    ctl = [*run_as, f"{pg}/pg_ctl", "-D", str(data), "-w", "-o"]
    opts = f"-p {port} -k {tmp_path} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run([*ctl, opts, "-l", str(tmp_path / "log"), "start"], check=True)
    stack = None
    try:
        subprocess.run(
            [f"{pg}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "jf"],
            check=True,
        )
        db_url = f"postgresql://postgres@127.0.0.1:{port}/jf"
        seed(db_url)
        import psycopg

        with psycopg.connect(db_url) as con:
            ids = _demo_ids(lambda q, p=(): con.execute(q.replace("?", "%s"), p))
        stack = Stack(db_url, ids)
        viewers = [stack.viewer(stack.a, ids["seekers"][1]), stack.viewer(stack.b, None)]
        seen = {}

        def restart():
            subprocess.run([*ctl, opts, "-m", "fast", "stop"], check=True, capture_output=True)
            time.sleep(1)
            r = requests.get(stack.a.url + f"/fairs/{ids['fair_id']}", timeout=10)
            seen["page_down"] = r.status_code
            subprocess.run([*ctl, opts, "-l", str(tmp_path / "log"), "start"], check=True)
            t0 = time.monotonic()
            seen["back"] = wait(
                lambda: requests.get(stack.a.url + "/", timeout=5).status_code == 200, 10
            )
            seen["s"] = time.monotonic() - t0

        chat, anns, refused = traffic(stack, stack.a, stack.b, restart)
        assert seen["back"] and seen["s"] < 10, seen
        assert seen["page_down"] == 503
        # Writes during the outage were refused whole, with the reason, never half-done.
        for err in refused["chat"] + refused["anns"]:
            assert err["code"] == "unavailable" and "没有保存" in err["message"]
        assert_everyone_has_everything(viewers, chat, anns)
    finally:
        if stack is not None:
            stack.close()
        subprocess.run([*ctl, opts, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(tmp_path, ignore_errors=True)
