#!/usr/bin/env bash
# The whole test suite: lint, type checks, unit and integration tests (PGlite, and
# PostgreSQL too when DATABASE_URL is set; Redis when REDIS_URL is set or reachable), and the
# end-to-end tests in Debian's Chromium. Run after scripts/setup.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="/usr/local/bin:$PATH"
export KONVENT_CACHE_DIR="${KONVENT_CACHE_DIR:-/var/cache/konvent}"

step() { printf '\n==> %s\n' "$*"; }

step "Lint (ESLint, Prettier)"
npm run --silent lint
step "Type check"
npm run --silent typecheck
[ -f web/dist/index.html ] || { step "Building the web client"; npm run --silent build; }
step "Unit and integration tests${DATABASE_URL:+ (also on PostgreSQL)}"
npm run --silent test:unit
step "End-to-end tests (Chromium)"
npm run --silent test:e2e
