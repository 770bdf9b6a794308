"""Real servers in separate processes: Redis carries broadcasts and logouts between them, and
oversized payloads are refused by the transport. Skipped cleanly without Redis."""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
import socketio
from conftest import PASSWORD, World

from jobfair.crypto import DEV_BLIND_INDEX_KEY, DEV_DATA_KEYS

REDIS_URL = os.environ.get("JOBFAIR_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parent.parent


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except Exception:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`flask run` (threading + simple-websocket) in its own process on the test database.

    Started without waiting, so several servers boot side by side; wait_ready() before use.
    """

    def __init__(self, db_url: str, queue: str, channel: str):
        self.port = _free_port()
        env = dict(
            os.environ,
            FLASK_APP="wsgi",
            JOBFAIR_DATABASE_URL=db_url,
            JOBFAIR_SECRET_KEY="multiprocess-test-secret",
            # The test apps' development keys: this process reads what they encrypted.
            JOBFAIR_DATA_KEYS=DEV_DATA_KEYS,
            JOBFAIR_BLIND_INDEX_KEY=DEV_BLIND_INDEX_KEY,
            JOBFAIR_WTF_CSRF_ENABLED="false",
            JOBFAIR_RATELIMIT_ENABLED="false",
            JOBFAIR_SOCKETIO_MESSAGE_QUEUE=queue,
            JOBFAIR_SOCKETIO_CHANNEL=channel,
            JOBFAIR_LIVE_COUNTS_DELAY="0",
            JOBFAIR_WARM_START="0",  # jieba and the matching index load on first use instead
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "flask", "run", "-p", str(self.port), "--with-threads"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self.sessions: list[requests.Session] = []
        self.clients: list[socketio.Client] = []

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def login(self, user) -> requests.Session:
        http = requests.Session()
        self.sessions.append(http)
        r = http.post(self.url + "/login", data={"login": user.phone, "password": PASSWORD})
        assert r.status_code == 200 and "/login" not in r.url
        return http

    def socket(self, http: requests.Session | None, namespace: str) -> socketio.Client:
        client = socketio.Client(reconnection=False)
        self.clients.append(client)
        headers = {}
        if http is not None:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
        client.connect(self.url, namespaces=[namespace], headers=headers, transports=["websocket"])
        return client

    def stop(self):
        for client in self.clients:
            _close(client)
        for http in self.sessions:
            http.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _close(client: socketio.Client) -> None:
    """Disconnect; when the server hung up first, python-engineio leaves the WebSocket's
    socket and its HTTP session open, so close those too."""
    if client.connected:
        client.disconnect()
    ws, http = getattr(client.eio, "ws", None), getattr(client.eio, "http", None)
    if ws is not None:
        ws.shutdown()
    if http is not None:
        http.close()


def _wait(predicate, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not _redis_up(), reason="Redis is not reachable")
def test_two_processes_share_broadcasts_and_logouts(db_url, world: World):
    channel = "jobfair-test-" + uuid.uuid4().hex[:8]
    a = Server(db_url, REDIS_URL, channel)
    b = Server(db_url, REDIS_URL, channel)
    clients = []
    try:
        a.wait_ready()
        b.wait_ready()
        # An anonymous lobby watcher on B, the organiser's console on A.
        seen = []
        watcher = b.socket(None, "/lobby")
        clients.append(watcher)
        watcher.on("announcement", lambda d: seen.append(d["body"]), namespace="/lobby")
        assert watcher.call("join", {"fair_id": world.fair_id}, namespace="/lobby")["ok"]
        org = a.socket(a.login(world.organiser), "/console")
        clients.append(org)
        sent = org.call(
            "announce",
            {"fair_id": world.fair_id, "client_id": "mp-1", "body": "两个进程都能收到"},
            namespace="/console",
        )
        assert sent["ok"]
        assert _wait(lambda: seen == ["两个进程都能收到"])

        # A process that only emits (no server of its own) reaches B's clients too.
        notes = []
        seeker_http = b.login(world.seekers[0])
        seeker = b.socket(seeker_http, "/")
        clients.append(seeker)
        seeker.on("notification", lambda d: notes.append(d["title"]), namespace="/")
        code = (
            "from flask_socketio import SocketIO;"
            f"s = SocketIO(message_queue={REDIS_URL!r}, channel={channel!r});"
            f"s.emit('notification', {{'title': '外部进程的通知'}}, to='user:{world.seekers[0].id}')"
        )
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=30)
        assert _wait(lambda: notes == ["外部进程的通知"])

        # Logging out through A closes the socket held by B.
        a_http = a.login(world.seekers[1])
        held = b.socket(a_http, "/session")
        clients.append(held)
        assert held.connected
        a_http.post(a.url + "/logout")
        assert _wait(lambda: not held.connected)
    finally:
        for c in clients:
            if c.connected:
                c.disconnect()
        a.stop()
        b.stop()


def test_oversized_payload_is_refused_and_nothing_stored(app, db_url, world: World):
    from jobfair.extensions import db
    from jobfair.models import LiveMessage

    server = Server(db_url, "", "jobfair-test-local")
    try:
        server.wait_ready()
        client = server.socket(server.login(world.seekers[0]), "/session")
        assert client.call("join", {"session_id": world.session_id}, namespace="/session")["ok"]
        client.emit(
            "send",
            {"session_id": world.session_id, "client_id": "big", "body": "字" * 30000},
            namespace="/session",
        )
        assert _wait(lambda: not client.connected)
        with app.app_context():
            assert db.session.query(LiveMessage).filter_by(client_id="big").count() == 0
    finally:
        server.stop()
