"""Real processes for the live fault tests: a seeded database, our own redis-server, gunicorn
app processes started with deploy/gunicorn.conf.py, and a Socket.IO client that keeps per-room
numbers the way the pages do (static/js/live-core.js `sequence`)."""

import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
import socketio

from jobfair.crypto import DEV_BLIND_INDEX_KEY, DEV_DATA_KEYS

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GUNICORN = str(Path(PY).parent / "gunicorn")
PASSWORD = "jobfair-demo-2026"
ORGANISER = "13900000001"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(predicate, seconds=10.0, step=0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def base_env(db_url: str, redis_url: str, channel: str) -> dict:
    return dict(
        os.environ,
        FLASK_APP="wsgi",
        JOBFAIR_DATABASE_URL=db_url,
        JOBFAIR_SECRET_KEY="fault-tests-shared-secret-key",  # one key for every process
        JOBFAIR_DATA_KEYS=DEV_DATA_KEYS,  # throwaway data
        JOBFAIR_BLIND_INDEX_KEY=DEV_BLIND_INDEX_KEY,
        JOBFAIR_WTF_CSRF_ENABLED="false",
        JOBFAIR_REDIS_URL=redis_url,
        JOBFAIR_SOCKETIO_CHANNEL=channel,
        JOBFAIR_LIVE_COUNTS_DELAY="0.2",
        JOBFAIR_LIVE_MESSAGES_PER_WINDOW="100000",
        JOBFAIR_LIVE_SESSION_RECHECK_SECONDS="1",
        JOBFAIR_WARM_START="0",
    )


def seed(db_url: str) -> dict:
    """Migrations and the demo data; the demo fair, its live session and some seekers."""
    env = dict(os.environ, FLASK_APP="wsgi", JOBFAIR_DATABASE_URL=db_url)
    env["JOBFAIR_SECRET_KEY"] = "fault-tests-shared-secret-key"
    env.update(JOBFAIR_DATA_KEYS=DEV_DATA_KEYS, JOBFAIR_BLIND_INDEX_KEY=DEV_BLIND_INDEX_KEY)
    for cmd in (["db", "upgrade"], ["seed"]):
        subprocess.run(
            [PY, "-m", "flask", *cmd], cwd=ROOT, env=env, check=True, capture_output=True
        )
    return env


def demo_ids_sqlite(path: str) -> dict:
    con = sqlite3.connect(path)
    try:
        return _demo_ids(con.execute)
    finally:
        con.close()


def _demo_ids(execute) -> dict:
    fair_id = execute(
        "SELECT fair_id FROM live_sessions WHERE title = '直播带岗：制造业普工专场'"
    ).fetchone()[0]
    session_id = execute(
        "SELECT id FROM live_sessions WHERE fair_id = ? ORDER BY id", (fair_id,)
    ).fetchone()[0]
    phones = [
        r[0]
        for r in execute(
            "SELECT u.phone FROM users u JOIN fair_registrations r ON r.seeker_user_id = u.id "
            "WHERE r.fair_id = ? ORDER BY u.id LIMIT 8",
            (fair_id,),
        )
    ]
    return {"fair_id": fair_id, "session_id": session_id, "seekers": phones}


class Redis:
    """Our own redis-server on a random port, without persistence; stop() and start() again."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None
        self.start()

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        assert wait(lambda: _ping(client), 10), "redis-server did not start"

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def _ping(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


class App:
    """One web process as deployed: gunicorn -c deploy/gunicorn.conf.py (a master and its worker)."""

    def __init__(self, env: dict):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(env, JOBFAIR_BIND=f"127.0.0.1:{self.port}")
        self.proc = subprocess.Popen(
            [
                GUNICORN,
                "-c",
                "deploy/gunicorn.conf.py",
                "--log-level",
                os.environ.get("JF_LOG", "error"),
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def ready(self) -> bool:
        try:
            return requests.get(self.url + "/", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def worker_pid(self) -> int | None:
        out = subprocess.run(
            ["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True
        ).stdout.split()
        return int(out[0]) if out else None

    def login(self, phone: str) -> requests.Session:
        http = requests.Session()
        r = http.post(self.url + "/login", data={"login": phone, "password": PASSWORD}, timeout=10)
        assert r.status_code == 200 and "/login" not in r.url, r.status_code
        return http

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGINT)  # gunicorn: quick shutdown
            self.proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


def cookie_of(http: requests.Session | None) -> dict:
    if http is None:
        return {}
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in http.cookies.items())}


class Sequence:
    """One room's numbers: apply each item once and in order; a gap pages through a backfill."""

    def __init__(self, fetch):
        self.fetch = fetch
        self.last = 0
        self.applied: list[int] = []
        self.bodies: list[str] = []
        self.lock = threading.RLock()
        self.filling = threading.Lock()

    def _put(self, item) -> None:
        if item["seq"] == self.last + 1 or (not self.applied and item["seq"] > self.last):
            self.last = item["seq"]
            self.applied.append(item["seq"])
            self.bodies.append(item["body"])

    def page(self, items, more) -> None:
        with self.lock:
            for item in items:
                self._put(item)
        if more:
            self.fill()

    def take(self, item) -> None:
        with self.lock:
            if item["seq"] <= self.last:
                return
            if item["seq"] == self.last + 1:
                self._put(item)
                return
        threading.Thread(target=self.fill, daemon=True).start()

    def fill(self) -> None:
        with self.filling:
            while True:
                try:
                    items, more = self.fetch(self.last)
                except Exception:
                    return  # the next resync or gap tries again
                with self.lock:
                    for item in items:
                        self._put(item)
                if not more:
                    return


class Viewer:
    """A page of the 直播带岗 room (messages) and the fair lobby (announcements) on one process."""

    def __init__(self, app: App, http, ids: dict):
        self.ids = ids
        self.client = socketio.Client(
            reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1
        )
        self.client.randomization_factor = 0
        self.messages = Sequence(self._fetch_messages)
        self.announcements = Sequence(self._fetch_announcements)
        self.joins = 0
        self.errors: list = []
        self.signed_in = http is not None
        c = self.client
        for ns in self.namespaces:
            c.on("connect", lambda ns=ns: self._later(self.rejoin, ns), namespace=ns)
            c.on("resync", lambda _d=None, ns=ns: self._later(self.rejoin, ns), namespace=ns)
        if self.signed_in:
            c.on("message", self.messages.take, namespace="/session")
        c.on("announcement", self._announcement, namespace="/lobby")
        c.connect(
            app.url, namespaces=self.namespaces, headers=cookie_of(http), transports=["websocket"]
        )

    @property
    def namespaces(self):
        return ["/session", "/lobby"] if self.signed_in else ["/lobby"]

    def _later(self, fn, *args):
        threading.Thread(target=fn, args=args, daemon=True).start()

    def _announcement(self, a):
        if a.get("scope") == f"fair:{self.ids['fair_id']}":
            self.announcements.take(a)

    def rejoin(self, ns) -> None:
        ack = None
        try:
            if ns == "/session":
                ack = self.client.call(
                    "join",
                    {"session_id": self.ids["session_id"], "last_seq": self.messages.last},
                    namespace=ns,
                    timeout=10,
                )
                if ack and ack.get("ok"):
                    self.joins += 1
                    self.messages.page(ack["messages"], ack["more_messages"])
            else:
                ack = self.client.call(
                    "join",
                    {"fair_id": self.ids["fair_id"], "announcement_seq": self.announcements.last},
                    namespace=ns,
                    timeout=10,
                )
                if ack and ack.get("ok"):
                    self.joins += 1
                    self.announcements.page(ack["announcements"], ack["more_announcements"])
            if not (ack and ack.get("ok")):
                self.errors.append(ack)
        except Exception as exc:  # disconnected meanwhile: the next connect rejoins
            self.errors.append(repr(exc))

    def _fetch_messages(self, after):
        ack = self.client.call(
            "backfill",
            {"session_id": self.ids["session_id"], "after_seq": after},
            namespace="/session",
            timeout=10,
        )
        return ack["messages"], ack["more"]

    def _fetch_announcements(self, after):
        ack = self.client.call(
            "announcements",
            {"fair_id": self.ids["fair_id"], "after_seq": after},
            namespace="/lobby",
            timeout=10,
        )
        return ack["announcements"], ack["more"]

    def close(self):
        self.client.reconnection = False
        with contextlib.suppress(Exception):
            self.client.disconnect()


def talk(app: App, http, ns: str, event: str, make, stop: threading.Event, acked: list, pause):
    """Send make(i) until stop is set; keep the numbers the server acknowledged."""
    client = socketio.Client(reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1)
    client.connect(app.url, namespaces=[ns], headers=cookie_of(http), transports=["websocket"])
    refused = []
    i = 0
    try:
        while not stop.is_set():
            i += 1
            try:
                ack = client.call(event, make(i), namespace=ns, timeout=10)
            except Exception:
                time.sleep(0.1)
                continue
            if ack and ack.get("ok"):
                item = ack.get("message") or ack.get("announcement")
                acked.append(item["seq"])
            elif ack:
                refused.append(ack["error"])
            time.sleep(pause)
    finally:
        client.reconnection = False
        client.disconnect()
    return refused


def have_redis_server() -> bool:
    return shutil.which("redis-server") is not None
