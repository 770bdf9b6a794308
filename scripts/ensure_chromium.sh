#!/usr/bin/env bash
# The browser test drives Debian's Chromium through Playwright. Install it when we can
# (root with apt-get, as on the development and CI machines); otherwise the test skips itself.
set -u
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian chromium for the browser test..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "SKIP browser test: could not install chromium."
else
  echo "SKIP browser test: /usr/bin/chromium is missing and packages cannot be installed here."
fi
exit 0
