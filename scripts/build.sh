#!/usr/bin/env bash
# Configures and builds one configuration: scripts/build.sh DIR [cmake flags...]
set -euo pipefail
dir=$1
shift
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMENTORLOG_WERROR=ON "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"
