"""Settings: safe development defaults, then JOBFAIR_* environment variables, then overrides."""

import os
from datetime import timedelta
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent  # the repository: templates/, static/, migrations/
DEV_SECRET_KEY = "dev-only-insecure-key"  # noqa: S105 - refused outside debug/testing


class Defaults:
    SECRET_KEY = DEV_SECRET_KEY
    DATABASE_URL = ""  # empty: SQLite file under instance/
    REDIS_URL = ""  # empty: in-process rate-limit storage
    # Encryption at rest (jobfair/crypto.py): "id:base64key[,id:base64key…]", first encrypts;
    # and the blind-index key. Empty: a development key, only for debug/TESTING apps.
    DATA_KEYS = ""
    BLIND_INDEX_KEY = ""
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLITE_BUSY_TIMEOUT_MS = 15000
    CITY_CODE = "320100"  # 南京市; districts come from jobfair/data/regions-cn.csv
    # Public base URL printed in QR codes and feeds (JOBFAIR_PUBLIC_URL), e.g.
    # https://jobs.example.gov.cn/ ; empty: the URL the request came in on.
    PUBLIC_URL = ""
    # Proxies in front that set X-Forwarded-For/-Proto/-Host (1 behind deploy/nginx); 0 trusts
    # none of these headers.
    PROXY_HOPS = 0
    PAGE_SIZE = 20
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SESSION_IDLE_MINUTES = 120  # a session unused this long is ended (server side)
    # Exports of personal data, contact changes and full-phone case exports need the password
    # re-typed within this many minutes (the sign-in itself counts).
    REAUTH_MINUTES = 10
    # argon2id cost: "strong" (argon2-cffi's defaults, the only choice outside TESTING) or
    # "fast" (minimal cost, for test suites); empty: "fast" under TESTING, else "strong".
    PASSWORD_HASHER = ""
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = True
    LOGIN_FAILURE_LIMIT = "10 per 5 minutes"
    # Business limits (jobfair/auth/limits.py), shared through Redis when REDIS_URL is set.
    REGISTER_LIMIT = "5 per hour;20 per day"  # per address
    APPLY_LIMIT = "30 per hour"  # per seeker
    RESUME_VIEW_LIMIT = "200 per day"  # per employer account
    EXPORT_LIMIT = "10 per hour"  # per account
    TOKEN_LIMIT = "10 per hour"  # noqa: S105 - a rate, per account
    RATELIMIT_HEADERS_ENABLED = True
    # With Redis as the counters' home: while it is down, count in this process's memory (and
    # never fail the request), then go back to Redis once it answers again.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    API_TITLE = "jobfair 云招聘 API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    JSON_AS_ASCII = False
    # Casework (重点群体帮扶): days to make a plan after opening a file, default deadline for
    # a zero-employment household, and the 百日攻坚 campaign (ISO start date; a supervisor's
    # dates on the settings page take precedence).
    CASEWORK_PLAN_DAYS = 30
    CASEWORK_HOUSEHOLD_DEADLINE_DAYS = 30
    # 零就业家庭: rounds refused without a reason before the household is flagged (local rule).
    CASEWORK_REFUSAL_LIMIT = 2
    # Which forms of work count as employment (casework.rules), as JSON overrides.
    EMPLOYMENT_RULES = ""
    # 零工: confirmed shifts within 30 days that make one 灵活就业 就业登记 (casework.rules).
    GIG_SHIFTS = 5
    # Key of the pseudonymous person key in outcome records (defaults to SECRET_KEY).
    OUTCOME_KEY_SECRET = ""
    CASEWORK_CAMPAIGN_START = ""
    CASEWORK_CAMPAIGN_DAYS = 100
    # Matching: ScoringWeights fields as a JSON object (JOBFAIR_MATCH_WEIGHTS='{"text": 0.5}'),
    # the score below which a seeker counts as having no good match, the occupation
    # suggestion API's rate limit, and where `flask match rebuild` persists the index.
    MATCH_WEIGHTS = ""
    # Public search ranks in "memory" (each process's index of the stored tokens, see
    # jobfair/positions/textindex.py) or in the "database" (FTS5 bm25 / ts_rank per request).
    SEARCH_INDEX = "memory"
    # GET /api/v1/positions without cookie or Authorization is answered before Flask's
    # request cycle, with the same bytes (jobfair/api/anonymous_search.py); 0 turns it off.
    SEARCH_FAST_PATH = True
    MATCH_GOOD_SCORE = 0.3
    MATCH_SUGGEST_LIMIT = "60 per minute"
    MATCH_INDEX_PATH = ""  # empty: instance/match-index.bin
    # Live layer (Socket.IO). Message queue: empty means REDIS_URL if set, else in-process.
    # Background jobs (jobfair/jobs): "rq" (the default with REDIS_URL; `flask worker` runs
    # them), "thread" (the default without Redis) or "inline" (the default under TESTING).
    JOBS_MODE = ""
    JOBS_QUEUE = "jobfair"  # the RQ queue name
    EXPORTS_DIR = ""  # files of background report exports; empty: instance/exports
    SOCKETIO_MESSAGE_QUEUE = ""
    SOCKETIO_ASYNC_MODE = (
        ""  # empty: gevent in a monkey-patched process (gunicorn.conf.py), else threading
    )
    SOCKETIO_CORS_ORIGINS = ""  # comma-separated extra origins; empty: same origin only
    LIVE_MESSAGES_PER_WINDOW = 5
    # 适老化 mode (jobfair/display): minutes a called seeker in the mode has to arrive before
    # the chat clock starts, and how early a chat's countdown warns (seconds before the end).
    ELDER_CALL_GRACE_MINUTES = 3
    ELDER_CHAT_WARN_SECONDS = 180
    CHAT_WARN_SECONDS = 60
    LIVE_RATE_WINDOW_SECONDS = 10
    # 直播 chat is committed in batches: the first message waits this long for others to join
    # its write transaction (jobfair/live/chat_writer.py; 0: only those already queued).
    LIVE_CHAT_BATCH_MS = 2.0
    LIVE_COUNTS_DELAY = 1.0  # seconds: lobby/console counters are coalesced into one update
    SOCKETIO_CHANNEL = "jobfair-socketio"  # Redis pub/sub channel shared by all processes
    SOCKETIO_PING_INTERVAL = 25
    LIVE_SESSION_RECHECK_SECONDS = 5  # each process closes sockets of ended login sessions
    # 1:1 video calls (WebRTC, jobfair/live/calls.py). ICE_SERVERS: a JSON list as
    # RTCPeerConnection takes it, e.g. [{"urls": "stun:turn.example.cn:3478"}]. A self-hosted
    # coturn with use-auth-secret: TURN_URLS (comma-separated turn:/turns: URLs) + TURN_SECRET
    # (its static-auth-secret); each user gets a login valid for TURN_TTL seconds.
    ICE_SERVERS = ""
    TURN_URLS = ""
    TURN_SECRET = ""
    TURN_TTL = 3600


def load_config(app: Flask, override: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_prefixed_env("JOBFAIR")
    if override:
        app.config.update(override)
    os.makedirs(app.instance_path, exist_ok=True)
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or app.config["DATABASE_URL"]
    if not url:
        url = "sqlite:///" + os.path.join(app.instance_path, "jobfair.sqlite")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("postgresql"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or "memory://"
    hasher = app.config["PASSWORD_HASHER"] or ("fast" if app.testing else "strong")
    if hasher not in ("strong", "fast") or (hasher == "fast" and not app.testing):
        raise RuntimeError(
            f"PASSWORD_HASHER={hasher!r}: use 'strong' ('fast' is only for TESTING apps)."
        )
    app.config["PASSWORD_HASHER"] = hasher
    if not (app.debug or app.testing) and app.config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise RuntimeError(
            "Refusing to start with the development secret key: set JOBFAIR_SECRET_KEY "
            "(or run with --debug for local development)."
        )
