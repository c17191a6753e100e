#!/usr/bin/env bash
# The HTTP load benchmark of docs/PERFORMANCE.md: mentorlog on a fresh data
# directory against the load generator at 1, 16, 64 and 256 connections, and
# in the same run the ceiling (a minimal Beast server, same generator); then,
# open loop (--rate), the command mix at half the rate 64 connections reached
# and view reads at 10,000 requests/s, the rates the p99 goals name.
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
max_rate=0
for mix in commands views; do
  for c in 1 16 64 256; do
    run=$((run + 1))
    line=$("$bin/benchmarks/http/load_generator" --port 18080 --secret "$MENTORLOG_SECRET" \
      --connections "$c" --seconds "$seconds" --mix "$mix" --run-id "r$run" || true)
    echo "$line"
    if [ "$mix" = commands ] && [ "$c" = 64 ]; then
      max_rate=$(echo "$line" | sed -n 's/.*"requests_per_s":\([0-9]*\).*/\1/p')
    fi
  done
done
if [ "${max_rate:-0}" -gt 0 ]; then
  "$bin/benchmarks/http/load_generator" --port 18080 --secret "$MENTORLOG_SECRET" \
    --connections 64 --seconds "$seconds" --mix commands --rate $((max_rate / 2)) \
    --run-id half || true
fi
for c in 16 64; do
  "$bin/benchmarks/http/load_generator" --port 18080 --secret "$MENTORLOG_SECRET" \
    --connections "$c" --seconds "$seconds" --mix views --rate 10000 --run-id "v$c" || true
done
for c in 1 16 64 256; do
  "$bin/benchmarks/http/load_generator" --port 18081 --secret x --connections "$c" \
    --seconds "$seconds" --mix hello || true
done
