#!/usr/bin/env bash
# Make sure Debian's Chromium is installed at /usr/bin/chromium for the browser
# tests (Playwright drives it; no browser is ever downloaded by a test tool), and
# that the fonts and libraries WeasyPrint needs for PDF briefs are present.
# Safe to run again; silent when all is well. Exits non-zero with one clear line
# when it cannot. Needs root (or password-less sudo) only when it has to install.
set -euo pipefail

LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

NAME=ensure_chromium
ROOT_HINT="install Debian's chromium package yourself"
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi "dejavu" || missing+=(fonts-dejavu-core)

if [ "${#missing[@]}" -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 \
        || fail "${missing[*]} missing and apt-get is not available to install them"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$LOG" 2>&1 \
        || fail "apt-get update failed"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >>"$LOG" 2>&1 || fail "apt-get install ${missing[*]} failed"
fi
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is still missing after the install"
