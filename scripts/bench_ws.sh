#!/usr/bin/env bash
# The WebSocket fan-out benchmark of docs/PERFORMANCE.md: mentorlog on a fresh
# data directory, N subscribers on one student's events, one writer appending
# at a steady rate; commit → last delivery percentiles.
#   scripts/bench_ws.sh [SUBSCRIBERS] [EVENTS] [RATE]
set -euo pipefail
cd "$(dirname "$0")/.."
subscribers=${1:-1000}
events=${2:-300}
rate=${3:-50}
scripts/build.sh build/release >/dev/null
bin=build/release
data=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
ulimit -n "$(ulimit -Hn)"  # 1,000 sockets on each side
export MENTORLOG_SECRET=bench-secret
"$bin/app/mentorlog" serve --data "$data" --listen 127.0.0.1:18090 >"$data/server.log" 2>&1 &
server=$!
sleep 1
echo "# $(date -u +%FT%TZ) $(nproc) cores"
"$bin/benchmarks/http/ws_fanout" --port 18090 --secret "$MENTORLOG_SECRET" \
  --subscribers "$subscribers" --events "$events" --rate "$rate"
