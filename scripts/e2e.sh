#!/usr/bin/env bash
# The web client's end-to-end test: Playwright (playwright-core, from
# tests/e2e/package-lock.json) driving Debian's chromium headless against the
# real server with demo data (docs/web.md). Screenshots of each step and the
# server's log go to ARTIFACT_DIR. Default: build/e2e-artifacts.
#   scripts/e2e.sh BUILD_DIR [ARTIFACT_DIR]   (e.g. build/release; uses BUILD_DIR/app/mentorlog)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: scripts/e2e.sh BUILD_DIR [ARTIFACT_DIR]}
artifacts=${2:-build/e2e-artifacts}
binary=$build/app/mentorlog
[ -x "$binary" ] || { echo "e2e: no $binary; run scripts/build.sh $build first" >&2; exit 1; }
command -v node >/dev/null || { echo "e2e: node is missing; run scripts/setup.sh" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "e2e: /usr/bin/chromium is missing; run scripts/setup.sh" >&2; exit 1; }
# npm ci only when the lock file is newer than the last install.
if ! [ tests/e2e/node_modules/.installed -nt tests/e2e/package-lock.json ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
fi
exec node tests/e2e/e2e.mjs --binary "$binary" --artifacts "$artifacts"
