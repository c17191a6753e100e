#!/usr/bin/env bash
# Builds mentorlog and passes every test: once optimised with warnings as
# errors, once under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

scripts/build.sh build/release
ctest --test-dir build/release --output-on-failure -j2 --timeout 600
scripts/e2e.sh build/release  # the web client in headless chromium (docs/web.md)

scripts/build.sh build/asan -DCMAKE_BUILD_TYPE=Debug -DMENTORLOG_SANITIZE=ON -DMENTORLOG_BENCHMARKS=OFF
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/asan --output-on-failure -j2 --timeout 900
scripts/fuzz.sh  # libFuzzer targets, 45 s each (docs/HARDENING.md)
