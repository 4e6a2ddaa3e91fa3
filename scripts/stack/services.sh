# Starts, waits for and describes the Elevate services. Sourced by scripts/stack.sh.
# shellcheck shell=bash

SERVICES=(gateway workflow provisioner advisor)
DEV_SUBJECT="${ELEVATE_AUTH_DEV_SUBJECT:-dev@example.com}"
DEV_APPROVER="${ELEVATE_AUTH_DEV_APPROVER_SUBJECT:-lead@example.com}"

# Export the server addresses written by `servers`, and the services' own settings.
load_env() {
  [ -f "$ENV_FILE" ] || die "no $ENV_FILE yet: run scripts/stack.sh servers first"
  set -a
  # shellcheck source=/dev/null
  . "$ENV_FILE"
  set +a
  export ELEVATE_CATALOGUE_DIR="${ELEVATE_CATALOGUE_DIR:-$ROOT/config/catalogue}"
  export GATEWAY_PORT="${GATEWAY_PORT:-8000}"
  export ELEVATE_PUBLIC_URL="${ELEVATE_PUBLIC_URL:-http://127.0.0.1:$GATEWAY_PORT}"
  # The local stack, and only it, turns on the development authenticator, with a token
  # and a task-token secret made once per checkout and kept under .stack/.
  export ELEVATE_AUTH_DEV_MODE="${ELEVATE_AUTH_DEV_MODE:-true}"
  export ELEVATE_AUTH_DEV_TOKEN="${ELEVATE_AUTH_DEV_TOKEN:-$(local_secret dev-token)}"
  export ELEVATE_AUTH_DEV_APPROVER_TOKEN="${ELEVATE_AUTH_DEV_APPROVER_TOKEN:-$(local_secret dev-approver-token)}"
  export ELEVATE_TASK_TOKEN_SECRET="${ELEVATE_TASK_TOKEN_SECRET:-$(local_secret task-token-secret)}"
  # Sessions let a browser without a bearer header open approval links (&session=...).
  export ELEVATE_AUTH_SESSION_KEYS="${ELEVATE_AUTH_SESSION_KEYS:-$(local_fernet_key)}"
}

# A Fernet key kept in .stack/session-key, made on first use.
local_fernet_key() {
  local file="$STACK_DIR/session-key"
  if [ ! -s "$file" ]; then
    (umask 077 && "$ROOT/.venv/bin/python" -c \
      'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' >"$file")
  fi
  cat "$file"
}

# A random secret kept in .stack/<name>, made on first use.
local_secret() {
  local file="$STACK_DIR/$1"
  if [ ! -s "$file" ]; then
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$file")
  fi
  cat "$file"
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

# A local mail sink, so approval emails of `make run` can be read in .stack/mail/new/.
MAIL_PORT=1025
start_mail() {
  if pid="$(live_pid mail aiosmtpd)"; then
    say "mail: already running (pid $pid)"
    return 0
  fi
  say "mail: SMTP sink on 127.0.0.1:$MAIL_PORT, messages in $STACK_DIR/mail/new/"
  spawn mail "${UV[@]}" run --frozen python -m aiosmtpd -n -l "127.0.0.1:$MAIL_PORT" \
    -c aiosmtpd.handlers.Mailbox "$STACK_DIR/mail"
}

services_up() {
  local svc pid url
  find_uv
  load_env
  check_modules
  start_mail
  for svc in "${SERVICES[@]}"; do start_service "$svc"; done

  url="http://127.0.0.1:$GATEWAY_PORT"
  pid="$(live_pid gateway elevate_gateway)" || die "gateway exited; see $(log_file gateway)"
  wait_until gateway "$pid" probe http "$url/health"
  for svc in "${SERVICES[@]}"; do
    live_pid "$svc" "elevate_$svc" >/dev/null || die "$svc exited; see $(log_file "$svc")"
  done

  say "gateway listening on $url (logs in $LOG_DIR)"
  say "development authenticator ON (local stack only): you are $DEV_SUBJECT"
  say "bearer token: $ELEVATE_AUTH_DEV_TOKEN"
  say "approver ($DEV_APPROVER, group sre-leads) bearer token: $ELEVATE_AUTH_DEV_APPROVER_TOKEN"
  say "(both are kept in .stack/dev-token and .stack/dev-approver-token)"
  say "try: curl -s -H 'Authorization: Bearer $ELEVATE_AUTH_DEV_TOKEN' '$url/roles'"
  say "     curl -s -H 'Authorization: Bearer $ELEVATE_AUTH_DEV_TOKEN' \\"
  say "       '$url/elevate?role=ec2-read-only&provider=aws&reason=check+cpu&duration=PT2M'"
}

services_stop() {
  local svc
  for svc in "${SERVICES[@]}"; do stop_one "$svc" "elevate_$svc"; done
  stop_one mail aiosmtpd
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
