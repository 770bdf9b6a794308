"""gunicorn settings of one web process: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Used by `make stack`, the systemd unit deploy/systemd/jobfair-web@.service and README. Only
how a process serves lives here; secrets and URLs come from the environment file
(deploy/jobfair.env.example), the port from the command line or JOBFAIR_BIND.
"""

import os

bind = os.environ.get("JOBFAIR_BIND", "127.0.0.1:8001")
# One worker per process and port: live connections and their rooms are per process (several
# processes share broadcasts through Redis); run more processes on more ports behind nginx.
workers = 1
worker_class = "gthread"
# Every open WebSocket holds a thread in threading mode: size for the people online.
threads = int(os.environ.get("JOBFAIR_THREADS", "1000"))
# gthread caps open connections at worker_connections (default 1,000, whatever `threads` says).
worker_connections = threads + 100
# Load the app, jieba, the search and matching indexes once, before the worker forks.
preload_app = True
backlog = 2048
keepalive = 30
timeout = 120
graceful_timeout = 20
# nginx on the same machine sets X-Forwarded-Proto; the app reads the rest (JOBFAIR_PROXY_HOPS).
forwarded_allow_ips = os.environ.get("JOBFAIR_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("JOBFAIR_ACCESS_LOG", "-")
errorlog = "-"
loglevel = "info"

if not os.environ.get("JOBFAIR_SECRET_KEY"):
    # Every process must sign cookies with the same key, read from the environment file: a key
    # made per shell would sign everyone out whenever a process restarts.
    raise SystemExit("JOBFAIR_SECRET_KEY is not set: load the environment file first")
