#!/usr/bin/env bash
# Everything CI checks, in the order a failure is cheapest to find: machine setup, types, lint, then every test
# layer (unit, integration, webview in headless Chromium, e2e in code-server). Usable as `.ci/run`'s body.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "setup"
./scripts/setup.sh
step "typecheck"
npm run --silent typecheck
step "lint"
npm run --silent lint
step "tests"
npm test
