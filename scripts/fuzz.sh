#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ with clang-16 under ASan + UBSan in
# build/fuzz, then runs each for SECONDS (default 45) from a scratch copy of its
# seed corpus, so nothing is written into the tree. Fails on any crash, leak,
# timeout or broken invariant and prints the reproducer and how to replay it.
# usage: scripts/fuzz.sh [SECONDS]   (runs of hours: docs/HARDENING.md)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-45}
scripts/setup.sh

targets=(command_decode_fuzz envelope_fuzz jwt_fuzz http_request_fuzz ws_message_fuzz)
# ccache hits across checkouts in different directories (as scripts/build.sh).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
CC=clang-16 CXX=clang++-16 cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMENTORLOG_FUZZ=ON -DMENTORLOG_WERROR=ON >/dev/null
cmake --build build/fuzz -j"$(nproc)" --target "${targets[@]}"

# Symbolised stack traces: Debian's llvm-symbolizer-14 cannot read clang-16's
# DWARF 5; binutils' addr2line (installed with g++) can.
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-/usr/bin/addr2line}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/mentorlog-fuzz.XXXXXX")
failed=()
for t in "${targets[@]}"; do
  dir="$scratch/$t"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp tests/fuzz/corpus/"$t"/* "$dir/corpus/"
  args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 -print_final_stats=1
        -artifact_prefix="$dir/artifacts/")
  if [ -f tests/fuzz/dict/"$t".dict ]; then args+=(-dict=tests/fuzz/dict/"$t".dict); fi
  started=$SECONDS
  if build/fuzz/tests/fuzz/"$t" "${args[@]}" "$dir/corpus" >"$dir/log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
    echo "fuzz: $t ok: ${runs:-?} inputs in $((SECONDS - started)) s," \
      "corpus $(ls "$dir/corpus" | wc -l) files"
  else
    failed+=("$t")
    echo "fuzz: $t FAILED after $((SECONDS - started)) s; the end of its log:"
    tail -n 60 "$dir/log"
    for a in "$dir"/artifacts/*; do
      [ -e "$a" ] || continue
      echo "fuzz: reproducer $a"
      echo "      replay: build/fuzz/tests/fuzz/$t $a"
      echo "      then add it as tests/fuzz/regressions/$t/<what-broke> (docs/HARDENING.md)"
    done
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]} (logs and reproducers kept in $scratch)"
  exit 1
fi
rm -rf "$scratch"
