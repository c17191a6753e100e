#!/usr/bin/env bash
# Configures and builds one configuration: scripts/build.sh DIR [cmake flags...]
set -euo pipefail
dir=$1
shift
# ccache hits across checkouts in different directories (CI clones afresh).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMENTORLOG_WERROR=ON "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"
