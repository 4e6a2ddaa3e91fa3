#!/usr/bin/env bash
# Local stack for Elevate, without Docker: Kafka, FerretDB, Redis and moto bound to
# 127.0.0.1, then the four services. Data, logs and pid files live under .stack/.
#
#   scripts/stack.sh install    install what is missing (uv, packages, Redis, jars, FerretDB)
#   scripts/stack.sh servers    install if missing, start the servers, write .stack/env
#   scripts/stack.sh services   start the services against .stack/env
#   scripts/stack.sh up         servers, then services
#   scripts/stack.sh stop       stop the services and servers this stack started
#   scripts/stack.sh stop services   stop the services only
#   scripts/stack.sh status     show what runs where
#
# A server whose env var is set (KAFKA_BOOTSTRAP_SERVERS, MONGODB_URI, REDIS_URL,
# AWS_ENDPOINT_URL) is not started; that address is used instead.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="$ROOT/scripts/stack"
# shellcheck source=stack/common.sh
. "$LIB/common.sh"
# shellcheck source=stack/install.sh
. "$LIB/install.sh"
# shellcheck source=stack/servers.sh
. "$LIB/servers.sh"
# shellcheck source=stack/services.sh
. "$LIB/services.sh"

# Serialise runs (tests in parallel sessions may all ask for the servers at once).
take_lock() {
  mkdir -p "$STACK_DIR" "$LOG_DIR" "$RUN_DIR" "$DATA_DIR"
  exec 9>"$STACK_DIR/lock"
  flock -n 9 || { say "waiting for another scripts/stack.sh run"; flock 9; }
}

main() {
  cd "$ROOT"
  case "${1:-}" in
    install) take_lock; install_all ;;
    servers) take_lock; servers_up ;;
    services) take_lock; services_up ;;
    up) take_lock; servers_up; services_up ;;
    stop)
      take_lock
      services_stop
      if [ "${2:-}" != services ]; then servers_stop; fi
      ;;
    status) servers_status; services_status ;;
    *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

main "$@"
