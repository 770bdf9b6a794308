"""Gunicorn settings of a jobfair web process: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Chosen by measurement (bench/live.py, README "Live layer"): one gevent worker per process
holds thousands of WebSockets (greenlets, not threads) and delivers an announcement to 5,000
clients within the bare python-socketio floor's reach, where gthread (a thread per socket)
fell over. Scale out with more processes on more ports behind the proxy, not with `-w 2` on
one port (long-polling requests of one client must reach the same process).

Used by `make stack`, the systemd unit deploy/systemd/jobfair-web@.service and README. Only
how a process serves lives here; secrets and URLs come from the environment file
(deploy/jobfair.env.example), the port from the command line or JOBFAIR_BIND.

Every setting can be overridden from the environment the systemd unit reads:
JOBFAIR_BIND, JOBFAIR_WORKER_CLASS (gevent | gthread), JOBFAIR_WORKER_CONNECTIONS,
JOBFAIR_THREADS (gthread only), JOBFAIR_WORKER_TIMEOUT.
"""

import os
import resource

worker_class = os.environ.get("JOBFAIR_WORKER_CLASS", "gevent")

if worker_class == "gevent":
    # Before anything else is imported: with preload the app (its locks, its database and
    # Redis clients) is built in this process, so they must be made of patched primitives.
    # psycopg 3 and redis-py then wait on patched sockets and yield to other greenlets.
    from gevent import monkey

    monkey.patch_all()

bind = os.environ.get("JOBFAIR_BIND", "127.0.0.1:8001")
workers = 1  # one per port; see the docstring
worker_connections = int(os.environ.get("JOBFAIR_WORKER_CONNECTIONS", "10000"))
threads = int(os.environ.get("JOBFAIR_THREADS", "1000"))  # gthread only: one per socket
backlog = 4096  # a fair opening at 9:00 is a join storm
# The arbiter kills a worker whose heartbeat stops for `timeout` seconds. A gevent worker
# beats from its event loop, which a burst of 5,000 sends keeps busy for a moment, and a
# killed worker drops every live connection: keep the watchdog for a truly hung worker only.
timeout = int(os.environ.get("JOBFAIR_WORKER_TIMEOUT", "120"))
graceful_timeout = 20  # on restart, clients reconnect and backfill what they missed
keepalive = 30
preload_app = True  # jieba, the occupation catalogue and the matching index load once
# nginx on the same machine sets X-Forwarded-Proto; the app reads the rest (JOBFAIR_PROXY_HOPS).
forwarded_allow_ips = os.environ.get("JOBFAIR_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("JOBFAIR_ACCESS_LOG", "-")
errorlog = "-"
loglevel = "info"

if not os.environ.get("JOBFAIR_SECRET_KEY"):
    # Every process must sign cookies with the same key, read from the environment file: a key
    # made per shell would sign everyone out whenever a process restarts.
    raise SystemExit("JOBFAIR_SECRET_KEY is not set: load the environment file first")

# Each WebSocket is a file descriptor; the default soft limit (often 1,024) caps a process.
_soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if _soft < min(_hard, worker_connections + 1024):
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(_hard, worker_connections + 1024), _hard))


def post_fork(server, worker):
    """Database connections opened by the warm-up before the fork belong to the master."""
    import wsgi
    from jobfair.extensions import db

    with wsgi.app.app_context():
        db.engine.dispose(close=False)
