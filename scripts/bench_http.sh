#!/usr/bin/env bash
# The HTTP load benchmark of docs/PERFORMANCE.md: mentorlog on a fresh data
# directory against the load generator at 1, 16, 64 and 256 connections, and
# in the same run the ceiling (a minimal Beast server, same generator).
#   scripts/bench_http.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
scripts/build.sh build/release >/dev/null
bin=build/release
data=$(mktemp -d)
trap 'kill $server $hello 2>/dev/null || true; rm -rf "$data"' EXIT
export MENTORLOG_SECRET=bench-secret
"$bin/app/mentorlog" serve --data "$data" --listen 127.0.0.1:18080 >"$data/server.log" 2>&1 &
server=$!
"$bin/benchmarks/http/hello_server" 18081 &
hello=$!
sleep 1
echo "# $(date -u +%FT%TZ) $(nproc) cores, ${seconds}s per run"
run=0
for mix in commands views; do
  for c in 1 16 64 256; do
    run=$((run + 1))
    "$bin/benchmarks/http/load_generator" --port 18080 --secret "$MENTORLOG_SECRET" \
      --connections "$c" --seconds "$seconds" --mix "$mix" --run-id "r$run" || true
  done
done
for c in 1 16 64 256; do
  "$bin/benchmarks/http/load_generator" --port 18081 --secret x --connections "$c" \
    --seconds "$seconds" --mix hello || true
done
