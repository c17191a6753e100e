#!/usr/bin/env bash
# The peer benchmark of docs/PERFORMANCE.md: durable appends into PostgreSQL
# (Debian's server on 127.0.0.1, an `events` table with a unique
# (stream, version), synchronous_commit = on) driven by pgbench, and in the same
# run mentorlog's durable commands over HTTP (benchmarks/http/load_generator),
# at the same client counts.
#   scripts/bench_pg.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib
fi
pgbin=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")
scripts/build.sh build/release >/dev/null
bin=build/release
work=$(mktemp -d)
chmod 755 "$work"
pg() { runuser -u postgres -- "$@"; }
cleanup() {
  kill "${server:-}" 2>/dev/null || true
  pg "$pgbin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# PostgreSQL: durable commits (fsync, synchronous_commit on: the defaults, set
# explicitly), enough connections for 256 clients.
mkdir "$work/pg" "$work/sock" && chown postgres "$work/pg" "$work/sock"
pg "$pgbin/initdb" -D "$work/pg" -A trust -U bench >/dev/null
pg "$pgbin/pg_ctl" -D "$work/pg" -l "$work/sock/pg.log" -w start -o \
  "-c listen_addresses=127.0.0.1 -p 15432 -k $work/sock -c fsync=on -c synchronous_commit=on -c max_connections=300 -c shared_buffers=256MB" >/dev/null
export PGHOST=127.0.0.1 PGPORT=15432 PGUSER=bench
"$pgbin/createdb" events_bench
psql -q -d events_bench <<'SQL'
CREATE TABLE events (
  position    bigserial PRIMARY KEY,
  stream      text        NOT NULL,
  version     integer     NOT NULL,
  type        text        NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  envelope    jsonb       NOT NULL,
  UNIQUE (stream, version)
);
CREATE SEQUENCE meeting_ids;
SQL
# One append per transaction: a new meeting stream at version 1 with an
# envelope the size of mentorlog's MeetingScheduled (about 600 bytes).
cat >"$work/append.sql" <<'SQL'
INSERT INTO events (stream, version, type, envelope)
SELECT 'meeting-MT-' || n, 1, 'MeetingScheduled', jsonb_build_object(
  'id', gen_random_uuid(), 'schema', 1, 'stream', 'meeting-MT-' || n, 'version', 1,
  'type', 'MeetingScheduled', 'actor', jsonb_build_object('id', 'M-7', 'role', 'mentor'),
  'command_id', gen_random_uuid(), 'correlation_id', gen_random_uuid(),
  'causation_id', gen_random_uuid(),
  'data', jsonb_build_object('meeting_id', 'MT-' || n, 'mentor_id', 'M-7',
    'student_ids', jsonb_build_array('S-1'), 'title', 'Weekly sync', 'mode', 'online',
    'start', '2026-11-23T08:00:00.000Z', 'end', '2026-11-23T08:30:00.000Z'),
  'prev_hash', repeat('0', 64))
FROM (SELECT nextval('meeting_ids') AS n) AS next;
SQL

export MENTORLOG_SECRET=bench-secret
"$bin/app/mentorlog" serve --data "$work/mentorlog" --listen 127.0.0.1:18082 \
  >"$work/server.log" 2>&1 &
server=$!
sleep 1

echo "# $(date -u +%FT%TZ) $(nproc) cores, ${seconds}s per run"
run=0
for c in 1 16 32 64 256; do
  run=$((run + 1))
  rm -f "$work"/pgbench_log.*
  (cd "$work" && "$pgbin/pgbench" -n -c "$c" -j 2 -T "$seconds" -f append.sql -l \
    events_bench >"$work/pgbench.out" 2>&1) || { cat "$work/pgbench.out" >&2; exit 1; }
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/pgbench.out" | head -1)
  # Column 3 of pgbench's per-transaction log is the latency in µs.
  cat "$work"/pgbench_log.* | awk '{print $3}' | sort -n >"$work/lat"
  n=$(wc -l <"$work/lat")
  p() { sed -n "$(awk -v n="$n" -v q="$1" 'BEGIN{i=int(n*q); if(i<1)i=1; print i}')p" "$work/lat"; }
  printf '{"peer":"postgresql","clients":%d,"appends_per_s":%.0f,"p50_us":%s,"p99_us":%s}\n' \
    "$c" "$tps" "$(p 0.5)" "$(p 0.99)"
  "$bin/benchmarks/http/load_generator" --port 18082 --secret "$MENTORLOG_SECRET" \
    --connections "$c" --seconds "$seconds" --mix commands --run-id "pg$run" || true
done
