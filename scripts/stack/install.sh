# Installs what the local stack needs when it is missing. Sourced by scripts/stack.sh.
# shellcheck shell=bash

FERRETDB_VERSION="v1.24.2"
KAFKA_POM="$ROOT/deploy/local/kafka/pom.xml"
KAFKA_LIBS="$STACK_DIR/kafka/libs"
APT_UPDATED=""

apt_install() {
  if [ -z "$APT_UPDATED" ]; then
    say "apt-get update"
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

install_python() {
  if ! command -v uv >/dev/null 2>&1 && ! python3 -m uv --version >/dev/null 2>&1; then
    say "installing uv with pip"
    python3 -m pip install --quiet uv
    # Under pyenv a new command has no shim until a rehash.
    if command -v pyenv >/dev/null 2>&1; then pyenv rehash; fi
  fi
  find_uv
  (cd "$ROOT" && "${UV[@]}" sync --frozen --quiet)
}

install_redis() {
  if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    apt_install redis-server
  fi
}

# Fetch the broker jars when they are missing or were fetched for another pom.xml.
install_kafka() {
  [ -d "$KAFKA_LIBS" ] && cmp -s "$KAFKA_POM" "$KAFKA_LIBS/.pom.xml" && return
  if ! command -v java >/dev/null 2>&1; then apt_install openjdk-17-jre-headless; fi
  if ! command -v mvn >/dev/null 2>&1; then apt_install maven; fi
  say "fetching the Kafka broker jars with Maven"

  # Fill a temporary folder first so an interrupted download leaves no half-filled libs.
  rm -rf "$KAFKA_LIBS.tmp"
  mvn -q -B -Dstyle.color=never -f "$KAFKA_POM" dependency:copy-dependencies \
    -DoutputDirectory="$KAFKA_LIBS.tmp" -DincludeScope=runtime >"$LOG_DIR/maven.log" 2>&1 \
    || die "kafka: Maven could not fetch the broker jars; see $LOG_DIR/maven.log"
  cp "$KAFKA_POM" "$KAFKA_LIBS.tmp/.pom.xml"
  rm -rf "$KAFKA_LIBS"
  mv "$KAFKA_LIBS.tmp" "$KAFKA_LIBS"
}

# `go install` of FerretDB builds a binary that panics at start, because the module
# lacks the generated build/version/version.txt. Build from a copy of the module with
# that file written instead.
install_ferretdb() {
  [ -x "$BIN_DIR/ferretdb" ] && return
  # The Go release tarball installs to /usr/local/go, which login shells may not have on PATH.
  if ! command -v go >/dev/null 2>&1; then PATH="$PATH:/usr/local/go/bin"; fi
  command -v go >/dev/null 2>&1 || die "ferretdb: Go is needed to build FerretDB; install Go"
  say "building FerretDB $FERRETDB_VERSION"
  local module="github.com/FerretDB/FerretDB@$FERRETDB_VERSION"
  local cached src="$STACK_DIR/src/ferretdb"
  go mod download "$module" || die "ferretdb: go mod download $module failed"
  cached="$(go env GOMODCACHE)/github.com/!ferret!d!b/!ferret!d!b@$FERRETDB_VERSION"

  rm -rf "$src"
  mkdir -p "$(dirname "$src")" "$BIN_DIR"
  cp -R "$cached" "$src"
  chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  (cd "$src" && go build -o "$BIN_DIR/ferretdb.tmp" ./cmd/ferretdb) \
    || die "ferretdb: go build failed in $src"
  mv "$BIN_DIR/ferretdb.tmp" "$BIN_DIR/ferretdb"
}

# Install only what the servers that will start locally need.
install_all() {
  install_python
  # `if` rather than `||`: bash ignores `set -e` inside a function called left of `||`.
  if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then install_kafka; fi
  if [ -z "${MONGODB_URI:-}" ]; then install_ferretdb; fi
  if [ -z "${REDIS_URL:-}" ]; then install_redis; fi
}
