# Starts, waits for and describes the Elevate services. Sourced by scripts/stack.sh.
# shellcheck shell=bash

SERVICES=(gateway workflow provisioner advisor)

# Export the server addresses written by `servers`, and the services' own settings.
load_env() {
  [ -f "$ENV_FILE" ] || die "no $ENV_FILE yet: run scripts/stack.sh servers first"
  set -a
  # shellcheck source=/dev/null
  . "$ENV_FILE"
  set +a
  export ELEVATE_CATALOGUE_DIR="${ELEVATE_CATALOGUE_DIR:-$ROOT/config/catalogue}"
  export GATEWAY_PORT="${GATEWAY_PORT:-8000}"
}

# Fail naming every service whose `python -m elevate_<svc>` entrypoint does not exist.
check_modules() {
  local svc missing=()
  for svc in "${SERVICES[@]}"; do
    "$ROOT/.venv/bin/python" -c \
      'import importlib.util, sys; sys.exit(importlib.util.find_spec(sys.argv[1]) is None)' \
      "elevate_$svc.__main__" 2>/dev/null || missing+=("elevate_$svc")
  done
  [ "${#missing[@]}" -eq 0 ] || die "services: no runnable module ${missing[*]} (python -m)"
}

start_service() {
  local svc="$1" pid
  if pid="$(live_pid "$svc" "elevate_$svc")"; then
    say "$svc: already running (pid $pid)"
    return 0
  fi
  say "$svc: starting"
  spawn "$svc" "${UV[@]}" run --frozen python -m "elevate_$svc"
}

services_up() {
  local svc pid url
  find_uv
  load_env
  check_modules
  for svc in "${SERVICES[@]}"; do start_service "$svc"; done

  url="http://127.0.0.1:$GATEWAY_PORT"
  pid="$(live_pid gateway elevate_gateway)" || die "gateway exited; see $(log_file gateway)"
  wait_until gateway "$pid" probe http "$url/health"
  for svc in "${SERVICES[@]}"; do
    live_pid "$svc" "elevate_$svc" >/dev/null || die "$svc exited; see $(log_file "$svc")"
  done

  say "gateway listening on $url (logs in $LOG_DIR)"
  # TODO(stack): add the authentication header once the gateway's scheme is settled.
  say "try: curl -s '$url/roles'"
  say "     curl -s '$url/elevate?role=<role>&provider=aws&reason=<why>&duration=PT15M'"
}

services_stop() {
  local svc
  for svc in "${SERVICES[@]}"; do stop_one "$svc" "elevate_$svc"; done
}

services_status() {
  local svc pid
  for svc in "${SERVICES[@]}"; do
    if pid="$(live_pid "$svc" "elevate_$svc")"; then
      echo "$svc: running, pid $pid, log $(log_file "$svc")"
    else
      echo "$svc: stopped"
    fi
  done
}
