#!/usr/bin/env bash
# bench/search.py loads the servers with wrk; without it the bench falls back to a Python load
# tool that competes for the same cores. Install Debian's wrk when we can (root with apt-get).
set -u
if command -v wrk >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian wrk for the search bench..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
    || echo "wrk could not be installed: the bench uses its Python load tool instead."
else
  echo "wrk is missing and packages cannot be installed here: the bench uses its Python load tool."
fi
exit 0
