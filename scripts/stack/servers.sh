# Starts, waits for and describes the local servers. Sourced by scripts/stack.sh.
# Each server is skipped when its env var already points at one; a live copy started
# shellcheck shell=bash
# earlier is reused; otherwise it is started and waited for until it answers.

KAFKA_ADDR="127.0.0.1:19092"
FERRETDB_URI="mongodb://127.0.0.1:27117/"
REDIS_PORT=16379
MOTO_URL="http://127.0.0.1:15000"

# name|env var|marker in its command line|local address
SERVERS=(
  "kafka|KAFKA_BOOTSTRAP_SERVERS|kafka.Kafka|$KAFKA_ADDR"
  "ferretdb|MONGODB_URI|ferretdb|$FERRETDB_URI"
  "redis|REDIS_URL|redis-server|redis://127.0.0.1:$REDIS_PORT/0"
  "moto|AWS_ENDPOINT_URL|moto_server|$MOTO_URL"
)

tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Decide whether a server must be started here; say why not otherwise.
must_start() {
  local name="$1" var="$2" marker="$3" pid
  if [ -n "${!var:-}" ]; then
    say "$name: using $var=${!var}"
    return 1
  fi
  if pid="$(live_pid "$name" "$marker")"; then
    say "$name: already running (pid $pid)"
    return 1
  fi
  return 0
}

start_kafka() {
  must_start kafka KAFKA_BOOTSTRAP_SERVERS kafka.Kafka || return 0
  require_free_port kafka 19092
  local config="$STACK_DIR/kafka/server.properties" data="$DATA_DIR/kafka"
  local java=(java -cp "$KAFKA_LIBS/*"
    "-Dlog4j2.configurationFile=$ROOT/deploy/local/kafka/log4j2.properties")
  sed "s|@LOG_DIRS@|$data|" "$ROOT/deploy/local/kafka/server.properties" >"$config"

  # Format the storage once, when the data folder is new; formatting again would fail.
  if [ ! -f "$data/meta.properties" ]; then
    local cluster_id
    cluster_id="$("${java[@]}" kafka.tools.StorageTool random-uuid)"
    "${java[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$config" \
      >>"$(log_file kafka)" 2>&1 || die "kafka: storage format failed; see $(log_file kafka)"
  fi
  say "kafka: starting on $KAFKA_ADDR"
  spawn kafka "${java[@]}" -Xmx512m kafka.Kafka "$config"
}

start_ferretdb() {
  must_start ferretdb MONGODB_URI ferretdb || return 0
  require_free_port ferretdb 27117
  mkdir -p "$DATA_DIR/ferretdb" "$DATA_DIR/ferretdb-state"
  say "ferretdb: starting on 127.0.0.1:27117"
  spawn ferretdb "$BIN_DIR/ferretdb" --handler=sqlite \
    --sqlite-url="file:$DATA_DIR/ferretdb/" --state-dir="$DATA_DIR/ferretdb-state" \
    --listen-addr=127.0.0.1:27117 --debug-addr=- --telemetry=disable
}

start_redis() {
  must_start redis REDIS_URL redis-server || return 0
  require_free_port redis "$REDIS_PORT"
  mkdir -p "$DATA_DIR/redis"
  say "redis: starting on 127.0.0.1:$REDIS_PORT"
  spawn redis redis-server --bind 127.0.0.1 --port "$REDIS_PORT" \
    --dir "$DATA_DIR/redis" --daemonize no
}

start_moto() {
  must_start moto AWS_ENDPOINT_URL moto_server || return 0
  require_free_port moto 15000
  say "moto: starting on $MOTO_URL"
  # AWS managed policies (ReadOnlyAccess, ...) exist in moto only when it loads them.
  spawn moto env MOTO_IAM_LOAD_MANAGED_POLICIES=true \
    "${UV[@]}" run --frozen moto_server -H 127.0.0.1 -p 15000
}

# The pid of a server this stack runs, or a clear error when it is not running.
running_pid() {
  live_pid "$1" "$2" || die "$1 is not running; see $(log_file "$1")"
}

wait_servers() {
  local pid
  if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
    pid="$(running_pid kafka kafka.Kafka)"
    wait_until kafka "$pid" tcp_open 19092
    wait_until kafka "$pid" probe kafka "$KAFKA_ADDR"
  fi
  if [ -z "${MONGODB_URI:-}" ]; then
    pid="$(running_pid ferretdb ferretdb)"
    wait_until ferretdb "$pid" probe mongodb "$FERRETDB_URI"
  fi
  if [ -z "${REDIS_URL:-}" ]; then
    pid="$(running_pid redis redis-server)"
    wait_until redis "$pid" redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping
  fi
  if [ -z "${AWS_ENDPOINT_URL:-}" ]; then
    pid="$(running_pid moto moto_server)"
    wait_until moto "$pid" probe http "$MOTO_URL/"
  fi
}

# Write .stack/env: one KEY=value line per server address, for services and tests.
write_env() {
  {
    echo "KAFKA_BOOTSTRAP_SERVERS=${KAFKA_BOOTSTRAP_SERVERS:-$KAFKA_ADDR}"
    echo "MONGODB_URI=${MONGODB_URI:-$FERRETDB_URI}"
    echo "REDIS_URL=${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT/0}"
    echo "AWS_ENDPOINT_URL=${AWS_ENDPOINT_URL:-$MOTO_URL}"
    # moto accepts any credentials; fixed fake ones keep real ones away from it.
    if [ -z "${AWS_ENDPOINT_URL:-}" ]; then
      echo "AWS_ACCESS_KEY_ID=testing"
      echo "AWS_SECRET_ACCESS_KEY=testing"
      echo "AWS_DEFAULT_REGION=us-east-1"
    fi
  } >"$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

servers_up() {
  install_all
  start_kafka
  start_ferretdb
  start_redis
  start_moto
  wait_servers
  write_env
  say "servers ready; environment in $ENV_FILE:"
  cat "$ENV_FILE"
}

servers_stop() {
  local entry name marker
  for entry in "${SERVERS[@]}"; do
    IFS='|' read -r name _ marker _ <<<"$entry"
    stop_one "$name" "$marker"
  done
}

servers_status() {
  local entry name var marker addr pid
  for entry in "${SERVERS[@]}"; do
    IFS='|' read -r name var marker addr <<<"$entry"
    if [ -n "${!var:-}" ]; then
      echo "$name: external ($var=${!var})"
    elif pid="$(live_pid "$name" "$marker")"; then
      echo "$name: running, pid $pid, $addr, log $(log_file "$name")"
    else
      echo "$name: stopped"
    fi
  done
}
