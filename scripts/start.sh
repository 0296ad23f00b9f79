#!/usr/bin/env bash
# `npm start`: installs what is missing, builds, packages the .vsix, installs it
# into a project-local code-server and serves the workbench on examples/.
# Stays in the foreground; Ctrl-C stops the server.
#
# code-server runs with --auth none, which is only acceptable because it binds
# 127.0.0.1: nobody else on the network can reach it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bash scripts/setup.sh
code_server=$(bash scripts/install-code-server.sh | tail -n 1)

node scripts/package.mjs
vsix=$root/$(node -p 'const m = require("./package.json"); `${m.name}-${m.version}.vsix`')

# Persistent between runs (settings, opened editors) but inside the project, so
# the user's own ~/.config and ~/.local stay untouched.
state=$root/.cache/vscode
mkdir -p "$state/extensions" "$state/user-data/User"
settings=$state/user-data/User/settings.json
[ -f "$settings" ] || cat > "$settings" <<'JSON'
{
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "git.openRepositoryInParentFolders": "never"
}
JSON

# --force: the version number does not change between builds, and without it
# code-server keeps the previously installed copy.
"$code_server" --config "$state/config.yaml" \
  --extensions-dir "$state/extensions" --user-data-dir "$state/user-data" \
  --install-extension "$vsix" --force

port=$(node scripts/free-port.mjs "${MIGTRACE_PORT:-8080}")
if [ "$port" != "${MIGTRACE_PORT:-8080}" ]; then
  echo "start: port ${MIGTRACE_PORT:-8080} is busy; using $port instead"
fi

# setsid: its own process group, so stopping it also stops the file watcher and
# extension host it forks (a plain kill of code-server leaves them orphaned).
setsid "$code_server" --config "$state/config.yaml" \
  --auth none --bind-addr "127.0.0.1:$port" \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  --extensions-dir "$state/extensions" --user-data-dir "$state/user-data" \
  "$root/examples" &
server=$!
stop() {
  kill -TERM -- "-$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  sleep 0.5
  kill -KILL -- "-$server" 2>/dev/null || true
}
trap 'stop; exit 130' INT TERM

# Print the address only once it answers, so that opening it right away works.
ready=
for _ in $(seq 1 150); do
  if node -e "require('http').get('http://127.0.0.1:$port/healthz', (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"; then
    ready=1
    break
  fi
  kill -0 "$server" 2>/dev/null || { echo "start: code-server exited; see the messages above" >&2; stop; exit 1; }
  sleep 0.2
done
[ -n "$ready" ] || { echo "start: code-server did not answer on 127.0.0.1:$port within 30 s" >&2; stop; exit 1; }

cat <<MSG

  migtrace is running in code-server (VS Code $("$code_server" --config "$state/config.yaml" --version 2>/dev/null | sed -n 's/.*with Code //p' | head -n 1)) on examples/:

      http://127.0.0.1:$port/

  Ctrl-C stops it (or: kill $$).

MSG
status=0
wait "$server" || status=$?
stop
exit "$status"
