#!/usr/bin/env bash
# Installs code-server (the real VS Code workbench served to a browser) into
# .cache/code-server/, outside the extension's node_modules: it is a tool for
# `npm start` and the end-to-end tests, never part of the shipped extension.
# Idempotent: a second run only checks the version stamp and returns.
# Prints the path of the code-server executable on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

# 4.100.x is the last line whose install script accepts Node 20 (see
# ../shared/reference/toolchain-notes.md); it is VS Code 1.100.3.
version=${MIGTRACE_CODE_SERVER_VERSION:-4.100.3}
# The @vscode/ripgrep version that code-server's lib/vscode/npm-shrinkwrap.json pins.
ripgrep_pkg_version=1.15.11
ripgrep_archive=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

dir=$PWD/.cache/code-server
bin=$dir/node_modules/.bin/code-server
stamp=$dir/.installed-$version

if [ -x "$bin" ] && [ -f "$stamp" ]; then
  echo "$bin"
  exit 0
fi

command -v rg >/dev/null 2>&1 || { echo "install-code-server: ripgrep (rg) is missing; run scripts/setup.sh" >&2; exit 1; }
[ -e /usr/include/gssapi/gssapi.h ] || { echo "install-code-server: libkrb5-dev is missing; run scripts/setup.sh" >&2; exit 1; }

# @vscode/ripgrep downloads a binary in its install script, which fails offline.
# It looks in a cache folder under Node's temporary directory first: put
# Debian's rg there as the archive it expects.
cache=$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$ripgrep_pkg_version
if [ ! -f "$cache/$ripgrep_archive" ]; then
  mkdir -p "$cache"
  tar czf "$cache/$ripgrep_archive" -C "$(dirname "$(command -v rg)")" rg
fi

echo "install-code-server: installing code-server@$version into .cache/code-server (about a minute)" >&2
mkdir -p "$dir"
[ -f "$dir/package.json" ] || echo '{ "name": "migtrace-code-server-cache", "private": true }' > "$dir/package.json"
# unsafe_perm: as root the postinstall refuses without it; yes: a nested `npx node-gyp`.
(
  cd "$dir"
  npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --save-exact --loglevel=error "code-server@$version" >&2
)
[ -x "$bin" ] || { echo "install-code-server: $bin was not created" >&2; exit 1; }
rm -f "$dir"/.installed-*
touch "$stamp"
echo "$bin"
