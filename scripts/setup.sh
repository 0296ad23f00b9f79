#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh machine: Debian packages
# (QEMU and friends for the real-kernel parity suite, Chromium for end-to-end
# tests) and the npm packages. Idempotent: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for cmd_pkg in qemu-system-x86_64:qemu-system-x86 busybox:busybox-static cpio:cpio gcc:gcc chromium:chromium rg:ripgrep pkg-config:pkg-config; do
  cmd=${cmd_pkg%%:*}; pkg=${cmd_pkg#*:}
  command -v "$cmd" >/dev/null 2>&1 || need_apt+=("$pkg")
done
[ -e /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q "${need_apt[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi
