#!/usr/bin/env bash
# Builds mentorlog and runs the server on the embedded RocksDB store with demo
# data (seeded on the first run), on http://127.0.0.1:8080 unless
# MENTORLOG_LISTEN says otherwise. Prints a token per role to paste as
# "Authorization: Bearer <token>".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build/release -DMENTORLOG_BENCHMARKS=OFF
bin=build/release/app/mentorlog
data=${MENTORLOG_DATA:-data}
if [ ! -d "$data/log" ]; then
  "$bin" demo --data "$data"
else
  for user in "A-1 admin" "M-1 mentor" "S-2026-001 mentee" "AU-1 auditor"; do
    set -- $user
    printf '%-7s %-11s %s\n' "$2" "$1" "$("$bin" token --data "$data" --sub "$1" --role "$2")"
  done
fi
echo "open http://${MENTORLOG_LISTEN:-127.0.0.1:8080}/ and paste a token ; API in ../shared/API.md"
exec "$bin" serve --data "$data"
