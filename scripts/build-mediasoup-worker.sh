#!/usr/bin/env bash
# Build the mediasoup C++ worker offline and cache the binary outside the repo.
#
# Usage: bash scripts/build-mediasoup-worker.sh <mediasoup-npm-package-dir>
#   e.g. bash scripts/build-mediasoup-worker.sh node_modules/mediasoup
#
# Result: ${KONVENT_CACHE_DIR:-/var/cache/konvent}/mediasoup-worker-<version>,
# <version> taken from the package's package.json. Point MEDIASOUP_WORKER_BIN at
# it, both when installing mediasoup (which then skips its own postinstall
# build/download) and when running the server.
#
# Why this script exists:
# - mediasoup's postinstall either downloads a prebuilt worker from GitHub or
#   builds it with meson, whose subproject wraps download OpenSSL, libuv,
#   usrsctp, abseil, nlohmann_json, Catch2 and libsrtp from GitHub and
#   wrapdb. Our machines (developers, CI) reach only the npm registry, Debian's
#   archive and a Python package index, so none of that works. We pin
#   mediasoup 3.12.x, the newest line that builds offline against Debian 12's
#   libraries without patching mediasoup's sources.
# - Six wraps (openssl, nlohmann_json, libuv, usrsctp, abseil-cpp, catch2) are
#   replaced, in a temporary copy of worker/, by the small stand-in subprojects
#   in scripts/mediasoup/subprojects/, which hand the worker's meson.build the
#   variables it reads, taken from Debian's -dev packages via dependency().
# - libsrtp stays on upstream's libsrtp2.wrap, unchanged, so that it is built
#   on OpenSSL as upstream does. Debian's binary libsrtp2 is built on NSS and
#   measured far slower here (~200 vs ~500 forwarded 1 Mbit/s SRTP consumers
#   per core). The wrap's source tarball is taken from Debian's *source*
#   package (libsrtp2_2.5.0.orig.tar.gz, `apt-get source`), whose sha256 is
#   exactly the wrap's source_hash; it is verified and placed in the wrap's
#   packagecache so meson uses it without downloading. The tarball is cached
#   next to the binary so later builds need no deb-src access.
# - Meson >= 1.1 (required by the worker; Debian 12 has 1.0.1) is installed
#   with pip into a venv in the cache dir; ninja and compilers come from Debian.
#
# Properties:
# - Idempotent: if the cached binary exists and runs, it prints a line and exits
#   0 (a worker started without MEDIASOUP_VERSION exits with code 41, which is
#   how mediasoup itself checks that a worker binary runs on the host).
# - Never writes inside the given package dir: worker/ is copied to a temporary
#   directory under /var/tmp, which is removed at exit.
# - Installs its own build dependencies with apt-get (root, or sudo if present);
#   runs `apt-get update` at most once and only when something is missing. If
#   no deb-src entry exists, it adds
#   /etc/apt/sources.list.d/konvent-src.sources mirroring debian.sources.
# - Concurrent runs for the same version serialise on a lock in the cache dir.
# - A full build takes about 5-6 minutes on 2 cores.
#
# Environment:
#   KONVENT_CACHE_DIR   cache directory (default /var/cache/konvent)
#   KONVENT_MESON_SPEC  pip requirement for meson (default 'meson>=1.1.0,<2')
#   KONVENT_BUILD_JOBS  ninja parallelism (default: nproc)
set -euo pipefail

log() { printf '[build-mediasoup-worker] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $# -eq 1 ]] || die "usage: bash $0 <path-to-mediasoup-npm-package-dir>"

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STANDINS_DIR="$SCRIPT_DIR/mediasoup/subprojects"
STANDINS=(openssl nlohmann_json libuv usrsctp abseil-cpp catch2)

PKG_DIR=$(cd "$1" 2>/dev/null && pwd) || die "package dir not found: $1"
[[ -f "$PKG_DIR/package.json" ]] || die "no package.json in $PKG_DIR"
[[ -f "$PKG_DIR/worker/meson.build" ]] || die "no worker/meson.build in $PKG_DIR (not a mediasoup package?)"

CACHE_DIR=$(realpath -m "${KONVENT_CACHE_DIR:-/var/cache/konvent}")
MESON_SPEC=${KONVENT_MESON_SPEC:-'meson>=1.1.0,<2'}
JOBS=${KONVENT_BUILD_JOBS:-$(nproc)}

# Read the package version (top-level "version" key).
if command -v node >/dev/null 2>&1; then
  VERSION=$(node -e 'process.stdout.write(String(require(process.argv[1]).version ?? ""))' "$PKG_DIR/package.json")
else
  VERSION=$(sed -n 's/^[[:space:]]\{0,2\}"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$PKG_DIR/package.json" | head -n 1)
fi
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] || die "cannot read a version from $PKG_DIR/package.json (got '$VERSION')"
[[ "$VERSION" == 3.12.* ]] || log "WARNING: stand-ins were written for mediasoup 3.12.x; building $VERSION anyway"

BIN="$CACHE_DIR/mediasoup-worker-$VERSION"

# A worker started without MEDIASOUP_VERSION exits with 41 (worker/src/main.cpp):
# that proves the binary and its shared libraries load on this host.
worker_runs() {
  [[ -f "$1" && -x "$1" && -s "$1" ]] || return 1
  local rc=0
  env -i "$1" </dev/null >/dev/null 2>&1 || rc=$?
  [[ $rc -eq 41 ]]
}

if worker_runs "$BIN"; then
  echo "mediasoup-worker $VERSION: cached at $BIN"
  exit 0
fi

SUDO=()
if [[ $EUID -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || die "not root and no sudo: cannot install build dependencies"
  SUDO=(sudo)
fi

if ! mkdir -p "$CACHE_DIR" 2>/dev/null || [[ ! -w "$CACHE_DIR" ]]; then
  "${SUDO[@]}" mkdir -p "$CACHE_DIR"
  "${SUDO[@]}" chown "$(id -u):$(id -g)" "$CACHE_DIR"
fi

# Serialise concurrent builds of the same version, then look again.
exec 9>"$CACHE_DIR/.mediasoup-worker-$VERSION.lock"
flock 9
if worker_runs "$BIN"; then
  echo "mediasoup-worker $VERSION: cached at $BIN (built by a concurrent run)"
  exit 0
fi
[[ -e "$BIN" ]] && log "cached $BIN does not run on this host; rebuilding"

START=$(date +%s)

# ---------------------------------------------------------------- temp dir
WORK=$(mktemp -d /var/tmp/konvent-mediasoup-worker.XXXXXX)
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- apt helpers
export DEBIAN_FRONTEND=noninteractive
APT_UPDATED=0
apt_update_once() {
  [[ $APT_UPDATED -eq 1 ]] && return 0
  log "apt-get update"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  APT_UPDATED=1
}

# ---------------------------------------------------------------- libsrtp source
# Read (never modify) upstream's wrap: the tarball it expects and its sha256.
SRTP_WRAP="$PKG_DIR/worker/subprojects/libsrtp2.wrap"
[[ -f "$SRTP_WRAP" ]] || die "no worker/subprojects/libsrtp2.wrap in $PKG_DIR"
wrap_key() { sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\\([^[:space:]]*\\).*/\\1/p" "$SRTP_WRAP" | head -n 1; }
SRTP_FILE=$(wrap_key source_filename)
SRTP_HASH=$(wrap_key source_hash)
SRTP_DIRNAME=$(wrap_key directory)
[[ -n "$SRTP_FILE" && "$SRTP_HASH" =~ ^[0-9a-f]{64}$ ]] || die "cannot parse $SRTP_WRAP"
SRTP_UPSTREAM_VERSION=${SRTP_DIRNAME#libsrtp-}
SRTP_CACHED="$CACHE_DIR/sources/$SRTP_FILE"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

has_deb_src() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] && grep -qE '^[[:space:]]*deb-src[[:space:]]' "$f" && return 0
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] && grep -qiE '^[[:space:]]*Types:.*\bdeb-src\b' "$f" && return 0
  done
  return 1
}

add_deb_src() {
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    log "adding deb-src entry /etc/apt/sources.list.d/konvent-src.sources"
    sed -E 's/^([[:space:]]*Types:[[:space:]]*)deb[[:space:]]*$/\1deb-src/' \
      /etc/apt/sources.list.d/debian.sources \
      | "${SUDO[@]}" tee /etc/apt/sources.list.d/konvent-src.sources >/dev/null
  elif [[ -f /etc/apt/sources.list ]] && grep -qE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list; then
    log "adding deb-src entry /etc/apt/sources.list.d/konvent-src.list"
    sed -nE 's/^[[:space:]]*deb([[:space:]])/deb-src\1/p' /etc/apt/sources.list \
      | "${SUDO[@]}" tee /etc/apt/sources.list.d/konvent-src.list >/dev/null
  else
    die "no Debian apt source found to mirror as deb-src"
  fi
  DEB_SRC_ADDED=1
}

fetch_srtp_source() {
  local dl
  dl=$(mktemp -d "$WORK/libsrtp-src.XXXXXX")
  # The download goes into our private (root-owned, mode 700) temp dir, which
  # apt's sandbox user cannot write; say so instead of letting apt warn.
  local get=("${SUDO[@]}" apt-get source --download-only -q -o APT::Sandbox::User=root libsrtp2)
  # A just-added deb-src entry has no index yet.
  [[ $DEB_SRC_ADDED -eq 0 ]] || apt_update_once
  (cd "$dl" && "${get[@]}" >&2) || {
    # The deb-src index may never have been fetched (or is stale).
    apt_update_once
    (cd "$dl" && "${get[@]}" >&2)
  } || die "apt-get source --download-only libsrtp2 failed"
  local origs orig
  origs=("$dl"/libsrtp2_"$SRTP_UPSTREAM_VERSION".orig.tar.*)
  orig=${origs[0]}
  [[ -f "$orig" ]] || die "Debian's libsrtp2 source has no orig tarball for $SRTP_UPSTREAM_VERSION: $(cd "$dl" && echo *)"
  local got
  got=$(sha256_of "$orig")
  [[ "$got" == "$SRTP_HASH" ]] || die "$(basename "$orig") sha256 $got != libsrtp2.wrap source_hash $SRTP_HASH"
  mkdir -p "$CACHE_DIR/sources"
  cp "$orig" "$SRTP_CACHED.tmp.$$"
  mv -f "$SRTP_CACHED.tmp.$$" "$SRTP_CACHED"
  log "cached $(basename "$orig") as $SRTP_CACHED"
}

NEED_SRTP=0
DEB_SRC_ADDED=0
if [[ -f "$SRTP_CACHED" && "$(sha256_of "$SRTP_CACHED")" == "$SRTP_HASH" ]]; then
  log "libsrtp source: cached $SRTP_CACHED"
else
  rm -f "$SRTP_CACHED"
  NEED_SRTP=1
  # Added before any apt-get update below, so that one update covers both.
  if ! has_deb_src; then add_deb_src; fi
fi

# ---------------------------------------------------------------- build deps
BUILD_DEPS=(build-essential pkg-config ninja-build python3-venv libuv1-dev libssl-dev
  libusrsctp-dev libabsl-dev nlohmann-json3-dev catch2 dpkg-dev)
missing=()
for p in "${BUILD_DEPS[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -gt 0 ]]; then
  log "installing build dependencies: ${missing[*]}"
  apt_install() { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2; }
  # Package lists may be absent or stale: update once and retry on failure.
  if [[ $APT_UPDATED -eq 1 ]] || ! apt_install "${missing[@]}"; then
    apt_update_once
    apt_install "${missing[@]}"
  fi
fi

# ---------------------------------------------------------------- libsrtp fetch
[[ $NEED_SRTP -eq 0 ]] || fetch_srtp_source

# ---------------------------------------------------------------- meson venv
MESON_VENV="$CACHE_DIR/meson-venv"
MESON="$MESON_VENV/bin/meson"
meson_ok() {
  [[ -x "$MESON" ]] || return 1
  "$MESON_VENV/bin/python" - <<'EOF' 2>/dev/null
import sys
from importlib.metadata import version
v = tuple(int(x) for x in version("meson").split(".")[:2])
sys.exit(0 if v >= (1, 1) else 1)
EOF
}
if ! meson_ok; then
  log "installing meson into $MESON_VENV"
  rm -rf "$MESON_VENV"
  # Debian's python3 (python3-venv installed above), not whatever is first in PATH.
  PY=/usr/bin/python3
  [[ -x $PY ]] || PY=$(command -v python3)
  "$PY" -m venv "$MESON_VENV"
  PIP_RETRIES=${PIP_RETRIES:-2} "$MESON_VENV/bin/pip" install -q --disable-pip-version-check "$MESON_SPEC" >&2
  meson_ok || die "meson >= 1.1 not usable from $MESON_VENV"
fi
log "meson $("$MESON" --version), ninja $(ninja --version)"

# ---------------------------------------------------------------- temp copy
SRC="$WORK/worker"
mkdir -p "$SRC"
# worker/out holds the artefacts of an earlier in-package build: not needed.
tar -C "$PKG_DIR/worker" --exclude=./out --exclude=./scripts/node_modules -cf - . | tar -C "$SRC" -xf -
chmod -R u+w "$SRC"

mkdir -p "$SRC/subprojects/packagecache"
cp "$SRTP_CACHED" "$SRC/subprojects/packagecache/$SRTP_FILE"

# ---------------------------------------------------------------- stand-ins
for name in "${STANDINS[@]}"; do
  [[ -f "$STANDINS_DIR/$name/meson.build" ]] || die "missing stand-in $STANDINS_DIR/$name/meson.build"
  rm -f "$SRC/subprojects/$name.wrap"
  rm -rf "${SRC:?}/subprojects/$name"
  cp -r "$STANDINS_DIR/$name" "$SRC/subprojects/$name"
done

# ---------------------------------------------------------------- build
BUILD="$WORK/build"
log "meson setup ($SRC -> $BUILD)"
# Same flags as upstream's `make` Release preset (worker/Makefile).
"$MESON" setup \
  --wrap-mode=nodownload \
  -Dbuildtype=release \
  -Db_ndebug=true \
  -Db_pie=true \
  -Db_staticpic=true \
  "$BUILD" "$SRC" >&2

log "ninja -j$JOBS mediasoup-worker (about 5-6 minutes on 2 cores)"
ninja -C "$BUILD" -j"$JOBS" mediasoup-worker >&2

OUT="$BUILD/mediasoup-worker"
worker_runs "$OUT" || die "built $OUT does not run (expected exit 41 without MEDIASOUP_VERSION)"
install -m 0755 "$OUT" "$BIN.tmp.$$"
mv -f "$BIN.tmp.$$" "$BIN"

END=$(date +%s)
echo "mediasoup-worker $VERSION: built in $((END - START)) s, cached at $BIN"
