#!/usr/bin/env bash
# Opens ProcScope in a real VS Code: sets the machine up, builds and packages the extension (.vsix), installs it
# into code-server, starts code-server on 127.0.0.1 with this repository as the workspace, and stays in the
# foreground until Ctrl-C, which stops what it started. Port: $PROCSCOPE_PORT (default 8765).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PORT="${PROCSCOPE_PORT:-8765}"
say() { printf '\033[1mopen:\033[0m %s\n' "$*"; }
die() { printf 'open: %s\n' "$*" >&2; exit 1; }
[[ "$PORT" =~ ^[0-9]+$ ]] && ((PORT > 0 && PORT < 65536)) || die "PROCSCOPE_PORT must be a port number, got '$PORT'"

"$ROOT/scripts/setup.sh"

STATE="$ROOT/.vscode-test"
CODE_SERVER="$STATE/code-server/node_modules/.bin/code-server"
EXTENSIONS="$STATE/extensions"
USER_DATA="$STATE/user-data"
CONFIG="$STATE/code-server-config.yaml" # ours, so code-server never writes one into ~/.config
LOG="$STATE/code-server.log"
VERSION="$(node -p 'require("./package.json").version')"
VSIX="$STATE/procscope-$VERSION.vsix"

say "building"
npm run --silent build:production
say "packaging $(basename "$VSIX")"
npx --no-install vsce package --no-dependencies --no-rewrite-relative-links --allow-missing-repository --out "$VSIX" >/dev/null
say "installing it into ${EXTENSIONS#"$ROOT"/}"
mkdir -p "$EXTENSIONS" "$USER_DATA/User"
printf 'auth: none\ncert: false\n' >"$CONFIG"
"$CODE_SERVER" --config "$CONFIG" --user-data-dir "$USER_DATA" --extensions-dir "$EXTENSIONS" \
  --install-extension "$VSIX" --force >/dev/null
if [[ ! -f "$USER_DATA/User/settings.json" ]]; then
  # First start only: a quiet workbench (no welcome page, no telemetry). Later edits in VS Code are kept.
  cat >"$USER_DATA/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "telemetry.telemetryLevel": "off",
  "security.workspace.trust.enabled": false,
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "files.watcherExclude": { "**/node_modules/**": true, "**/.vscode-test/**": true },
  "search.exclude": { "**/node_modules": true, "**/.vscode-test": true }
}
JSON
fi

# Refuse a port someone else holds, rather than failing later with a less clear message.
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "port $PORT on 127.0.0.1 is already in use; choose another with PROCSCOPE_PORT=NNNN $0"
fi

say "starting code-server on 127.0.0.1:$PORT (log: ${LOG#"$ROOT"/})"
# setsid: code-server and everything it spawns (extension host, terminals, watchers) form one process group,
# so Ctrl-C stops exactly what this script started.
setsid "$CODE_SERVER" --config "$CONFIG" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry \
  --disable-update-check --disable-workspace-trust --extensions-dir "$EXTENSIONS" --user-data-dir "$USER_DATA" \
  "$ROOT" >"$LOG" 2>&1 </dev/null &
SERVER=$!
stop() {
  trap - INT TERM EXIT
  if kill -0 "$SERVER" 2>/dev/null; then
    say "stopping code-server (process group $SERVER)"
    kill -TERM -- "-$SERVER" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$SERVER" 2>/dev/null || true
  fi
}
trap stop EXIT
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM

URL="http://127.0.0.1:$PORT/?folder=$ROOT"
# code-server answers /healthz once its HTTP server is up.
for i in $(seq 120); do
  kill -0 "$SERVER" 2>/dev/null || { tail -n 30 "$LOG" >&2; die "code-server exited during start-up (log above)"; }
  if node -e 'require("http").get(process.argv[1], (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on("error", () => process.exit(1))' \
    "http://127.0.0.1:$PORT/healthz"; then
    break
  fi
  ((i < 120)) || { tail -n 30 "$LOG" >&2; die "code-server did not answer on port $PORT within 60 s (log above)"; }
  sleep 0.5
done

echo
say "ProcScope is running in VS Code at:"
echo "    $URL"
say "run \"ProcScope: Open Process Explorer\" from the Command Palette (F1)."
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]] && command -v xdg-open >/dev/null; then
  xdg-open "$URL" >/dev/null 2>&1 || say "could not start a browser; open the URL above yourself"
else
  say "no graphical browser here: open the URL above in a browser on this machine, or from another machine"
  say "forward the port first: ssh -L $PORT:127.0.0.1:$PORT $(id -un)@$(hostname -f 2>/dev/null || hostname)"
fi
say "press Ctrl-C to stop."
wait "$SERVER" || true
say "code-server exited; its log: ${LOG#"$ROOT"/}"
