#!/usr/bin/env bash
# Builds mentorlog and runs it. The HTTP server with demo data arrives with
# issue 5 (`mentorlog demo` + `mentorlog serve`); until then this prints the
# subcommands the build has.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build/release -DMENTORLOG_BENCHMARKS=OFF
exec build/release/app/mentorlog help
