#!/usr/bin/env bash
# Installs the Debian packages mentorlog builds and tests with; skips the
# install when every one is already present. Run as root on Debian 12.
set -euo pipefail

packages=(
  g++ cmake make ccache python3
  librocksdb-dev libboost-dev nlohmann-json3-dev libsimdjson-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev libssl-dev
  libmimalloc-dev  # the server's allocator (MENTORLOG_MIMALLOC, docs/PERFORMANCE.md)
  clang-16 libclang-rt-16-dev  # scripts/fuzz.sh: libFuzzer (docs/HARDENING.md)
  chromium  # scripts/e2e.sh: the web client's end-to-end test (docs/web.md)
)
# Node for that test too; a node already installed (e.g. nodesource) is kept.
command -v node >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
