"""The deployment stack: nginx in front of two web processes, the live journey through it.

Starts deploy/stack.sh with Debian's nginx (installed by the script when missing), two
gunicorn processes with deploy/gunicorn.conf.py on the test database and Redis, drives the
browser journey of test_live_browser through nginx (sticky WebSockets, broadcasts between
processes through Redis), then stops the stack and checks nothing is left running.
Skipped when nginx cannot be installed, Redis is not reachable or Chromium is missing.
"""

import base64
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from live_server import CHROMIUM
from test_live_browser import browser, journey  # noqa: F401 - browser is a fixture

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / "deploy" / "stack.sh"
REDIS_URL = "redis://127.0.0.1:6379/14"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def _nginx() -> bool:
    if shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"):
        return True
    try:  # the stack script installs Debian's nginx when it can
        subprocess.run(["bash", str(STACK), "ensure-nginx"], check=True, timeout=300,
                       capture_output=True)  # fmt: skip
    except (subprocess.SubprocessError, OSError):
        return False
    return os.path.exists("/usr/sbin/nginx")


@pytest.fixture
def stack(tmp_path, db_url, world):
    if not _redis_up():
        pytest.skip("Redis is not reachable")
    if not _nginx():
        pytest.skip("nginx is not installed and could not be installed")
    port, web1, web2 = _free_ports(3)
    env_file = tmp_path / "jobfair.env"
    unique = secrets.token_hex(6)
    env_file.write_text(
        "\n".join(
            [
                "FLASK_APP=wsgi",
                f"JOBFAIR_SECRET_KEY={secrets.token_hex(32)}",
                f"JOBFAIR_DATA_KEYS=k1:{base64.urlsafe_b64encode(os.urandom(32)).decode()}",
                f"JOBFAIR_BLIND_INDEX_KEY={base64.urlsafe_b64encode(os.urandom(32)).decode()}",
                f"JOBFAIR_DATABASE_URL={db_url}",
                f"JOBFAIR_REDIS_URL={REDIS_URL}",
                f"JOBFAIR_SOCKETIO_CHANNEL=jobfair-stack-test-{unique}",
                f"JOBFAIR_RATELIMIT_KEY_PREFIX=stack-test-{unique}",
                "JOBFAIR_PROXY_HOPS=1",
                "JOBFAIR_LIVE_COUNTS_DELAY=0",
                "JOBFAIR_WARM_START=0",
                "JOBFAIR_THREADS=64",
                "JOBFAIR_ACCESS_LOG=-",
            ]
        )
        + "\n"
    )
    env = {
        **os.environ,
        "STACK_DIR": str(tmp_path / "stack"),
        "STACK_PORT": str(port),
        "STACK_WEB_PORTS": f"{web1} {web2}",
        "STACK_ENV_FILE": str(env_file),
        "STACK_SKIP_SETUP": "1",
        "STACK_NO_JOBS": "1",
    }
    started = subprocess.run(["bash", str(STACK), "start"], env=env, timeout=400,
                             capture_output=True, text=True)  # fmt: skip
    try:
        if started.returncode != 0:
            logs = "\n".join(
                p.read_text()[-2000:] for p in (tmp_path / "stack" / "logs").glob("*.log")
            )
            pytest.fail(f"stack did not start: {started.stderr}\n{logs}")
        yield {"base": f"http://127.0.0.1:{port}", "webs": (web1, web2), "dir": tmp_path / "stack"}
    finally:
        subprocess.run(["bash", str(STACK), "stop"], env=env, timeout=120, check=False)
    assert not list((tmp_path / "stack").glob("*.pid")), "a process of the stack was left"
    for p in (port, web1, web2):
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", p)) != 0, f"port {p} still answers after stop"


def test_live_journey_through_nginx_with_two_app_processes(stack, browser, world):  # noqa: F811
    logs = stack["dir"] / "logs"
    with urllib.request.urlopen(stack["base"] + "/static/css/reports.css") as resp:  # noqa: S310
        assert resp.headers["Server"].startswith("nginx")  # static files never reach the app
    # Which process does nginx send this machine to (ip_hash)? The organiser uses the other
    # one directly, so the announcement crosses processes through Redis, and one secret key
    # signs the sessions of both.
    probe = secrets.token_hex(8)
    urllib.request.urlopen(f"{stack['base']}/?probe={probe}").close()  # noqa: S310
    sticky = None
    for _ in range(50):
        found = [p for p in stack["webs"] if probe in (logs / f"web-{p}.log").read_text()]
        if found:
            sticky = found[0]
            break
        time.sleep(0.1)
    assert sticky, "the probe reached no web process"
    other = next(p for p in stack["webs"] if p != sticky)
    journey(browser, stack["base"], world, organiser_base=f"http://127.0.0.1:{other}")
    through_nginx = (logs / f"web-{sticky}.log").read_text()
    assert "/live/queues" in through_nginx and "/static/" not in through_nginx
    assert "/live/console/" in (logs / f"web-{other}.log").read_text()
    upgraded = (logs / "nginx-access.log").read_text()
    assert '"GET /socket.io/?EIO=4&transport=websocket' in upgraded and '" 101 ' in upgraded
    _search_is_rate_limited_per_address(stack["base"])


def _search_is_rate_limited_per_address(base: str) -> None:
    """nginx answers a flood of public searches from one address with 429 and the app's own
    JSON error, without passing them to the app; other pages stay open to that address."""
    import json
    import urllib.error
    from concurrent.futures import ThreadPoolExecutor

    def get(path: str) -> tuple[int, str, str]:
        try:
            with urllib.request.urlopen(base + path, timeout=30) as resp:  # noqa: S310
                return resp.status, resp.headers.get("Content-Type", ""), resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode()

    # A bad filter is answered by the app at once (422), so the flood outruns the 50/s refill.
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(get, ["/api/v1/positions?salary=x"] * 600))
    codes = {code for code, _, _ in answers}
    assert codes == {422, 429}, codes
    assert sum(code == 422 for code, _, _ in answers) >= 200  # the burst passes
    code, ctype, body = next(a for a in answers if a[0] == 429)
    assert ctype.startswith("application/json")
    assert json.loads(body)["error"] == {
        "code": "rate_limited",
        "message": "操作过于频繁，请稍后再试。",
    }
    status, _, _ = get("/healthz")
    assert status == 200  # only search is limited
    time.sleep(4.5)  # 50 a second come back
    status, _, body = get("/api/v1/positions?q=" + urllib.parse.quote("焊工"))
    assert status == 200 and json.loads(body)["items"] is not None
