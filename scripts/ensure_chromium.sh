#!/usr/bin/env bash
# The browser test drives Debian's Chromium through Playwright. Install it when we can
# (root with apt-get, as on the development and CI machines); otherwise the test skips itself.
# A Chinese font comes with it, so pages are laid out with the glyphs users' phones have
# (without one, Chromium draws empty boxes of other widths); the tests do not depend on it.
set -u
need=""
if [ ! -x /usr/bin/chromium ]; then
  need="chromium fonts-wqy-microhei"
elif command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  need="fonts-wqy-microhei"
fi
if [ -z "$need" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian $need for the browser test..."
  # shellcheck disable=SC2086 # one word per package
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null) \
    || echo "Could not install $need (without chromium the browser tests skip themselves)."
elif [ ! -x /usr/bin/chromium ]; then
  echo "SKIP browser test: /usr/bin/chromium is missing and packages cannot be installed here."
fi
exit 0
