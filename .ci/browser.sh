#!/usr/bin/env bash
# Install Debian's Chromium for the headless-browser tests (tests/web/test_e2e_browser.py,
# tests/report/test_report_browser.py), which drive /usr/bin/chromium with Playwright.
# Never downloads a browser through Playwright. Idempotent: does nothing when
# /usr/bin/chromium is already there. Runs as root (CI containers). On failure it says so
# and returns 0, so the browser tests skip with their reason instead of failing CI here.
# Use: `bash .ci/browser.sh` (or `source` it).
_rp_browser() (
  set -e
  if [ -x /usr/bin/chromium ]; then
    exit 0
  fi
  echo "browser.sh: installing chromium (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  [ -x /usr/bin/chromium ]
)
if ! _rp_browser; then
  echo "browser.sh: could not install chromium; the browser tests will be skipped" >&2
fi
unset -f _rp_browser
true
