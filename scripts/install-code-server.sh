#!/usr/bin/env bash
# Installs code-server (a real VS Code workbench with a real Node extension host) into
# .vscode-test/code-server/, its own npm prefix: it is a test tool, never a dependency of the extension.
# Skips everything when the pinned version is already there. Needs: libkrb5-dev, ripgrep, python3, make, g++
# (scripts/setup.sh installs them).
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}" # newest release whose install script accepts Node 20
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="$ROOT/.vscode-test/code-server"
BIN="$PREFIX/node_modules/.bin/code-server"

installed_version() {
  local pkg="$PREFIX/node_modules/code-server/package.json"
  [[ -f "$pkg" && -x "$BIN" ]] || return 1
  node -p "require(process.argv[1]).version" "$pkg" 2>/dev/null
}

if [[ "$(installed_version || true)" == "$VERSION" ]]; then
  echo "code-server $VERSION already installed in ${PREFIX#"$ROOT"/}"
  exit 0
fi

for tool in rg node npm python3 make g++; do
  command -v "$tool" >/dev/null || { echo "install-code-server: '$tool' is missing; run scripts/setup.sh first" >&2; exit 1; }
done
[[ -f /usr/include/gssapi/gssapi.h ]] || { echo "install-code-server: libkrb5-dev is missing (gssapi/gssapi.h); run scripts/setup.sh first" >&2; exit 1; }

start=$(date +%s)
rm -rf "$PREFIX"
mkdir -p "$PREFIX"
# A private TMPDIR: the ripgrep cache below lives there, and the build's scratch files stay out of /tmp.
WORKTMP="$ROOT/.vscode-test/tmp-install"
rm -rf "$WORKTMP"
mkdir -p "$WORKTMP"
trap 'rm -rf "$WORKTMP"' EXIT

# @vscode/ripgrep's postinstall downloads rg from GitHub, which this machine cannot reach. It first looks for a
# cached archive in $TMPDIR/vscode-ripgrep-cache-<its version>/; a tar.gz holding Debian's rg at its top level
# is accepted (its postinstall checks only the name and unpacks it). code-server 4.100.3 pins @vscode/ripgrep 1.15.11,
# which fetches ripgrep v13.0.0-10.
case "$(uname -m)" in
  x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64 | arm64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) echo "install-code-server: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
RG_CACHE="$WORKTMP/vscode-ripgrep-cache-1.15.11"
mkdir -p "$RG_CACHE"
cp "$(command -v rg)" "$WORKTMP/rg"
tar -C "$WORKTMP" -czf "$RG_CACHE/ripgrep-v13.0.0-10-$RG_TARGET.tar.gz" rg

export TMPDIR="$WORKTMP"
export npm_config_unsafe_perm=true # its install script refuses to run as root without it
export npm_config_yes=true         # its postinstall runs `npx node-gyp`, which would otherwise stop at a prompt
# Build native modules against the headers Debian's nodejs ships, instead of downloading them.
if [[ -f /usr/include/node/common.gypi ]]; then export npm_config_nodedir=/usr; fi

echo "installing code-server $VERSION into ${PREFIX#"$ROOT"/} (about 90 s, ~300 MB)..."
LOG="$ROOT/.vscode-test/install-code-server.log"
if ! npm install --prefix "$PREFIX" --no-audit --no-fund --no-save --loglevel=error "code-server@$VERSION" >"$LOG" 2>&1; then
  tail -n 60 "$LOG" >&2
  echo "install-code-server: npm install failed; full log in $LOG" >&2
  exit 1
fi
got="$(installed_version || true)"
if [[ "$got" != "$VERSION" ]]; then
  tail -n 60 "$LOG" >&2
  echo "install-code-server: expected code-server $VERSION, found '${got:-nothing}' (log: $LOG)" >&2
  exit 1
fi
"$BIN" --config /dev/null --version | head -n 1 # --config: never write ~/.config/code-server
echo "code-server $VERSION installed in $(($(date +%s) - start)) s"
