#!/usr/bin/env bash
# Install Debian's Chromium for the headless-browser tests (tests/web/test_e2e_browser.py,
# tests/report/test_report_browser.py), which drive /usr/bin/chromium with Playwright.
# Never downloads a browser through Playwright. Idempotent: does nothing when
# /usr/bin/chromium is already there. Runs as root (CI containers).
# On failure it says so. Under CI (CI=true) that is a failure (non-zero status): the browser
# tests must run there, not skip. Elsewhere it returns 0 and the browser tests skip with
# their reason. Use: `bash .ci/browser.sh` or `source .ci/browser.sh` (then check $?).
# RP_CHROMIUM names the expected binary (default /usr/bin/chromium; for this script's test).
_rp_browser() (
  set -e
  chromium="${RP_CHROMIUM:-/usr/bin/chromium}"
  if [ -x "$chromium" ]; then
    exit 0
  fi
  echo "browser.sh: installing chromium (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  [ -x "$chromium" ]
)
_rp_browser_status=0
if ! _rp_browser; then
  case "${CI:-}" in
    1 | true | TRUE | True | yes)
      echo "browser.sh: could not install chromium, and CI=true: the browser tests cannot run" >&2
      _rp_browser_status=1 ;;
    *)
      echo "browser.sh: could not install chromium; the browser tests will be skipped" >&2 ;;
  esac
fi
unset -f _rp_browser
# `return` when sourced, `exit` when run
(return 0 2>/dev/null) && return "$_rp_browser_status"
exit "$_rp_browser_status"
