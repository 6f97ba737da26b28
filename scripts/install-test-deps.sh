#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages: PostgreSQL 15 and the pgvector (>= 0.8) extension, and
# Debian's Chromium for the browser tests (driven by playwright-core at /usr/bin/chromium).
# Installs only what is missing and never upgrades an installed package; a quick no-op when everything is there.
# Debian bookworm has no pgvector package, so it is built from Debian trixie's *source* package (DESIGN.md §8),
# through a private apt source list that leaves the machine's own alone.
#   --dry-run   say what would be installed or built, change nothing
#   REELSENSE_PG_BIN   the PostgreSQL server programs' directory (default /usr/lib/postgresql/15/bin)
#   REELSENSE_CHROMIUM the Chromium the browser tests drive (default /usr/bin/chromium)
set -euo pipefail

PG_MAJOR=15
PG_BIN=${REELSENSE_PG_BIN:-/usr/lib/postgresql/$PG_MAJOR/bin}
PG_CONFIG=$PG_BIN/pg_config
PGVECTOR_MIN=0.8.0
# What the tests run (initdb, pg_ctl, postgres), and what building pgvector needs on top.
SERVER_PACKAGES=("postgresql-$PG_MAJOR")
BUILD_PACKAGES=("postgresql-server-dev-$PG_MAJOR" build-essential dpkg-dev ca-certificates)
BROWSER=${REELSENSE_CHROMIUM:-/usr/bin/chromium}
BROWSER_PACKAGES=(chromium fonts-dejavu-core)

DRY_RUN=false
case "${1:-}" in
  --dry-run) DRY_RUN=true ;;
  "") ;;
  *) echo "usage: $0 [--dry-run]" >&2; exit 2 ;;
esac

fail() {
  echo "install-test-deps: $*" >&2
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    fail "need root (or sudo) to run: $*"
  fi
}

# The installed pgvector version, from the extension's control file; empty when it is not installed.
pgvector_version() {
  local control
  [ -x "$PG_CONFIG" ] || return 0
  control="$("$PG_CONFIG" --sharedir)/extension/vector.control"
  [ -f "$control" ] || return 0
  sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$control"
}

version_at_least() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

pgvector_ok() {
  local version
  version=$(pgvector_version)
  [ -n "$version" ] && version_at_least "$version" "$PGVECTOR_MIN"
}

# The packages among the arguments that dpkg does not list as installed.
missing_packages() {
  local package
  for package in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" = "install ok installed" ] || echo "$package"
  done
}

# Installs exactly the packages named: --no-upgrade leaves them alone should one be installed meanwhile.
install_packages() {
  command -v apt-get >/dev/null || fail "apt-get not found: install $* by hand"
  echo "install-test-deps: installing $*"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends --no-upgrade "$@"
}

# Writes a deb-src list for trixie with the URIs and keyring of the machine's own Debian source list.
write_trixie_sources() {
  local system_sources=/etc/apt/sources.list.d/debian.sources uris signed_by
  [ -f "$system_sources" ] || fail "$system_sources not found: cannot tell which Debian mirror to fetch pgvector's source from"
  uris=$(sed -n 's/^URIs: *//p' "$system_sources" | grep -v -- '-security' | head -n1)
  signed_by=$(sed -n 's/^Signed-By: *//p' "$system_sources" | head -n1)
  [ -n "$uris" ] || fail "no URIs: line in $system_sources"
  [ -n "$signed_by" ] || fail "no Signed-By: line in $system_sources"
  cat >"$1" <<EOF
Types: deb-src
URIs: $uris
Suites: trixie
Components: main
Signed-By: $signed_by
EOF
}

build_pgvector() {
  local work apt_options
  work=$(mktemp -d)
  # shellcheck disable=SC2064 # expand $work now: it is local to this function
  trap "rm -rf '$work'" EXIT
  mkdir -p "$work/lists/partial"
  write_trixie_sources "$work/trixie-src.sources"
  # A private list directory and no package caches: the machine's own apt state stays exactly as it was.
  apt_options=(
    -o "Dir::Etc::sourcelist=$work/trixie-src.sources" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$work/lists"
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root
  )
  echo "install-test-deps: fetching pgvector's source package from Debian trixie"
  apt-get "${apt_options[@]}" update -qq
  (cd "$work" && apt-get "${apt_options[@]}" source --download-only -qq pgvector)
  (cd "$work" && dpkg-source -x pgvector_*.dsc src >/dev/null)
  echo "install-test-deps: building pgvector"
  make -C "$work/src" -s PG_CONFIG="$PG_CONFIG" >/dev/null
  as_root make -C "$work/src" -s PG_CONFIG="$PG_CONFIG" install >/dev/null
}

needed=()
[ -x "$PG_BIN/initdb" ] || needed+=("${SERVER_PACKAGES[@]}")
pgvector_ok || needed+=("${BUILD_PACKAGES[@]}")
[ -x "$BROWSER" ] || needed+=("${BROWSER_PACKAGES[@]}")
missing=()
if [ "${#needed[@]}" -gt 0 ]; then
  command -v dpkg-query >/dev/null || fail "no dpkg here: install PostgreSQL $PG_MAJOR, pgvector >= $PGVECTOR_MIN and Chromium by hand"
  mapfile -t missing < <(missing_packages "${needed[@]}")
fi

if $DRY_RUN; then
  echo "install-test-deps: would install: ${missing[*]:-nothing}"
  pgvector_ok || echo "install-test-deps: would build pgvector from Debian trixie's source package"
  exit 0
fi

[ "${#missing[@]}" -eq 0 ] || install_packages "${missing[@]}"
[ -x "$PG_BIN/initdb" ] || fail "PostgreSQL $PG_MAJOR server binaries not found in $PG_BIN after installing"
if ! pgvector_ok; then
  build_pgvector
  pgvector_ok || fail "pgvector >= $PGVECTOR_MIN is not installed after building it (found '$(pgvector_version)')"
fi
[ -x "$BROWSER" ] || fail "Chromium not found at $BROWSER after installing"
echo "install-test-deps: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') with pgvector $(pgvector_version), $("$BROWSER" --version 2>/dev/null | head -n1)"
