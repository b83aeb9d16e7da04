#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for ProcScope: system packages, npm dependencies, and code-server
# (a real VS Code) for the end-to-end tests and scripts/open.sh. Idempotent: each step runs only when needed,
# so a second run takes a few seconds. Run as root, or as a user who may use sudo.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }
t0=$(date +%s)

# 1. Debian packages. What each is for:
#    chromium            headless browser for the webview and end-to-end tests (driven by playwright-core)
#    libkrb5-dev         headers code-server's native modules build against (gssapi/gssapi.h)
#    ripgrep             code-server's search; its installer would download rg, so the Debian one is reused
#    procps iproute2 lsof util-linux   ps, ss, lsof, lslocks/flock: tests compare ProcScope with them
#    htop                the panel-cost benchmark (bench/panelcost.bench.ts) runs the panel beside `htop -d 10`
#    build-essential python3           node-gyp builds for code-server; the labs compile small C programs
#    fonts-nanum         a Korean font, so the Korean walkthroughs render in screenshots
#    git ca-certificates
APT_PACKAGES=(chromium libkrb5-dev ripgrep procps iproute2 lsof util-linux htop python3 build-essential fonts-nanum git ca-certificates)

if ! command -v apt-get >/dev/null; then
  die "apt-get not found: this script supports Debian and Ubuntu. Install the equivalents of: ${APT_PACKAGES[*]}"
fi
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || die "not root and sudo is not installed; run as root"
  SUDO=(sudo)
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$pkg"); fi
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  say "Debian packages present"
fi
if [[ ! -x /usr/bin/chromium && -z "${PROCSCOPE_CHROMIUM:-}" ]]; then
  # Ubuntu's chromium is a snap; the tests take its path from PROCSCOPE_CHROMIUM.
  say "warning: /usr/bin/chromium not found; set PROCSCOPE_CHROMIUM to your Chromium binary (e.g. /snap/bin/chromium)"
fi

# 2. Node.js 20 or newer (the extension host of VS Code 1.100 is Node 20; the scripts use it too). Debian 13
#    and Ubuntu 24.10 and later ship it; on older releases (Debian 12 and Ubuntu 24.04 ship Node.js 18) it comes
#    from NodeSource's apt repository for Node.js 20, the one Node.js's own download page points Debian users to.
node_major() { command -v node >/dev/null && node -p 'process.versions.node.split(".")[0]' || echo 0; }
if (($(node_major) < 20)); then
  candidate=$(apt-cache policy nodejs 2>/dev/null | awk '/Candidate:/ {print $2}')
  candidate=${candidate#*:}
  if [[ "$candidate" =~ ^([0-9]+)\. ]] && ((BASH_REMATCH[1] >= 20)); then
    say "installing Node.js $candidate and npm from apt"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
  else
    say "installing Node.js 20 from NodeSource's apt repository (apt offers ${candidate:-none})"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl gnupg
    "${SUDO[@]}" install -d -m 0755 /etc/apt/keyrings
    curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | "${SUDO[@]}" gpg --dearmor --yes -o /etc/apt/keyrings/nodesource.gpg
    echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_20.x nodistro main" |
      "${SUDO[@]}" tee /etc/apt/sources.list.d/nodesource.list >/dev/null
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs
  fi
  hash -r
fi
(($(node_major) >= 20)) || die "Node.js 20 or newer could not be installed (node: $(command -v node || echo none)); install it, with npm, and re-run"
command -v npm >/dev/null || die "npm is missing: install npm for Node.js $(node -v), then re-run"

# 3. npm dependencies, only when node_modules differs from package-lock.json: npm records what it installed in
#    node_modules/.package-lock.json; every locked package must be there at the locked version (optional ones,
#    such as other platforms' esbuild binaries, may be absent).
node_modules_in_sync() {
  [[ -f node_modules/.package-lock.json ]] || return 1
  node -e '
    const lock = require("./package-lock.json").packages;
    const installed = require("./node_modules/.package-lock.json").packages;
    for (const [path, entry] of Object.entries(lock)) {
      if (path === "") continue;
      const got = installed[path];
      if (got ? got.version !== entry.version : !entry.optional) process.exit(1);
    }'
}
if ! node_modules_in_sync; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
else
  say "node_modules up to date"
fi

# 4. code-server, the real VS Code the end-to-end tests and scripts/open.sh use.
"$ROOT/scripts/install-code-server.sh"

say "done in $(($(date +%s) - t0)) s"
