#!/usr/bin/env bash
# The whole stack on one machine: Debian's nginx in front, two web processes (gunicorn with
# deploy/gunicorn.conf.py), one job worker (`flask worker`) and the scheduler
# (`flask scheduler`), on the local PostgreSQL and Redis.
#
#   deploy/stack.sh start | stop | status | ensure-nginx
#
# Settings (environment): STACK_PORT (nginx, default 8080), STACK_WEB_PORTS (default
# "8101 8102"), STACK_DIR (state: pids, logs, nginx files; default instance/stack),
# STACK_ENV_FILE (default $STACK_DIR/jobfair.env, written from deploy/jobfair.env.example on
# first start with a new secret key and database jobfair_stack), STACK_SKIP_SETUP=1 (no
# migration or demo data), STACK_NO_JOBS=1 (no worker or scheduler).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE=${STACK_DIR:-$ROOT/instance/stack}
PORT=${STACK_PORT:-8080}
WEB_PORTS=${STACK_WEB_PORTS:-"8101 8102"}
ENV_FILE=${STACK_ENV_FILE:-$STATE/jobfair.env}
BIN=$ROOT/.venv/bin
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

log() { echo "stack: $*" >&2; }

ensure_nginx() {
    if [ -x "$NGINX" ]; then return 0; fi
    log "installing Debian's nginx (nginx-light)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
    [ -x "$NGINX" ]
}

ensure_services() {
    if ! pg_isready -h 127.0.0.1 -q 2>/dev/null; then
        log "starting PostgreSQL"
        service postgresql start >/dev/null 2>&1 || pg_ctlcluster --skip-systemctl-redirect \
            "$(pg_lsclusters -h | awk 'NR==1{print $1}')" main start
    fi
    if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
        log "starting Redis"
        service redis-server start >/dev/null 2>&1 || redis-server --daemonize yes >/dev/null
    fi
}

write_env_file() {
    [ -f "$ENV_FILE" ] && return 0
    mkdir -p "$(dirname "$ENV_FILE")"
    local key
    key=$("$BIN/python" -c "import secrets; print(secrets.token_hex(32))")
    local data index
    data=$("$BIN/python" -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())")
    index=$("$BIN/python" -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())")
    sed -e "s|^JOBFAIR_SECRET_KEY=.*|JOBFAIR_SECRET_KEY=$key|" \
        -e "s|^JOBFAIR_DATA_KEYS=.*|JOBFAIR_DATA_KEYS=k1:$data|" \
        -e "s|^JOBFAIR_BLIND_INDEX_KEY=.*|JOBFAIR_BLIND_INDEX_KEY=$index|" \
        -e "s|^JOBFAIR_DATABASE_URL=.*|JOBFAIR_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/jobfair_stack|" \
        "$ROOT/deploy/jobfair.env.example" >"$ENV_FILE"
    chmod 600 "$ENV_FILE"
    createdb -h 127.0.0.1 -U postgres jobfair_stack 2>/dev/null || true
    log "wrote $ENV_FILE"
}

render_nginx() {
    mkdir -p "$STATE/nginx" "$STATE/logs"
    for d in body proxy fastcgi uwsgi scgi; do mkdir -p "$STATE/nginx/$d"; chmod 1777 "$STATE/nginx/$d"; done
    local servers=""
    for p in $WEB_PORTS; do servers="$servers    server 127.0.0.1:$p max_fails=1 fail_timeout=5s;\n"; done
    sed -e "s|@LISTEN@|127.0.0.1:$PORT|" -e "s|@ROOT@|$ROOT|g" -e "s|@UPSTREAM_SERVERS@|$servers|" \
        "$ROOT/deploy/nginx/jobfair.conf" >"$STATE/nginx/jobfair.conf"
    sed -e "s|@STATE@|$STATE|g" "$ROOT/deploy/nginx/stack-nginx.conf" >"$STATE/nginx/nginx.conf"
    "$NGINX" -t -q -c "$STATE/nginx/nginx.conf" -p "$STATE/nginx/"
}

spawn() {  # spawn NAME COMMAND...: a background process with its pid and log in $STATE
    local name=$1
    shift
    cd "$ROOT"
    setsid "$@" >>"$STATE/logs/$name.log" 2>&1 </dev/null &
    echo $! >"$STATE/$name.pid"
}

wait_http() {  # wait_http URL SECONDS
    local deadline=$((SECONDS + $2))
    while [ $SECONDS -lt $deadline ]; do
        if "$BIN/python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)" "$1" 2>/dev/null; then
            return 0
        fi
        sleep 1
    done
    return 1
}

start() {
    [ -x "$BIN/gunicorn" ] || { log "run 'make install' first"; exit 1; }
    ensure_nginx || { log "nginx is not available and could not be installed"; exit 1; }
    ensure_services
    write_env_file
    set -a
    # shellcheck disable=SC1090
    . "$ENV_FILE"
    set +a
    export PYTHONUNBUFFERED=1  # log lines reach the files at once
    mkdir -p "$STATE/logs"
    if [ "${STACK_SKIP_SETUP:-0}" != 1 ]; then
        (cd "$ROOT" && "$BIN/flask" db upgrade && "$BIN/flask" seed) >>"$STATE/logs/setup.log" 2>&1
    fi
    render_nginx
    for p in $WEB_PORTS; do
        spawn "web-$p" "$BIN/gunicorn" -c deploy/gunicorn.conf.py -b "127.0.0.1:$p" wsgi:app
    done
    if [ "${STACK_NO_JOBS:-0}" != 1 ]; then
        spawn worker "$BIN/flask" worker
        spawn scheduler "$BIN/flask" scheduler
    fi
    for p in $WEB_PORTS; do
        wait_http "http://127.0.0.1:$p/" 180 || { log "web process on $p did not answer; see $STATE/logs/web-$p.log"; stop; exit 1; }
    done
    "$NGINX" -c "$STATE/nginx/nginx.conf" -p "$STATE/nginx/"
    wait_http "http://127.0.0.1:$PORT/" 30 || { log "nginx did not answer; see $STATE/logs"; stop; exit 1; }
    log "up: http://127.0.0.1:$PORT/ (web $WEB_PORTS; logs in $STATE/logs)"
}

stop_pid() {  # stop_pid FILE: TERM, wait up to 35 s (gunicorn's graceful timeout), then KILL
    local file=$1 pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 70); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

stop() {
    if [ -f "$STATE/nginx/nginx.pid" ]; then
        "$NGINX" -c "$STATE/nginx/nginx.conf" -p "$STATE/nginx/" -s quit 2>/dev/null || true
        for _ in $(seq 1 20); do [ -f "$STATE/nginx/nginx.pid" ] || break; sleep 0.5; done
    fi
    for file in "$STATE"/*.pid; do
        [ -e "$file" ] && stop_pid "$file"
    done
    log "stopped"
}

status() {
    for file in "$STATE"/*.pid "$STATE/nginx/nginx.pid"; do
        [ -e "$file" ] || continue
        if kill -0 "$(cat "$file")" 2>/dev/null; then echo "running  $(basename "$file" .pid)"; else echo "dead     $(basename "$file" .pid)"; fi
    done
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    ensure-nginx) ensure_nginx ;;
    *) echo "usage: $0 start|stop|status|ensure-nginx" >&2; exit 2 ;;
esac
