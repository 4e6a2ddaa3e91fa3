# Shared helpers for scripts/stack.sh: paths, messages, pid files and readiness waits.
# Sourced, never run; every function expects ROOT to be the repository root.
# shellcheck shell=bash
# shellcheck disable=SC2034  # these names are read by the other stack scripts

STACK_DIR="$ROOT/.stack"
LOG_DIR="$STACK_DIR/logs"
RUN_DIR="$STACK_DIR/run"
DATA_DIR="$STACK_DIR/data"
BIN_DIR="$STACK_DIR/bin"
ENV_FILE="$STACK_DIR/env"

# Seconds to wait for a server or service to answer before giving up.
WAIT_TIMEOUT="${STACK_WAIT_TIMEOUT:-90}"

say() { printf 'stack: %s\n' "$*" >&2; }

die() {
  printf 'stack: ERROR: %s\n' "$*" >&2
  exit 1
}

# Run a command as root, through sudo when the caller is not root.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Set UV to the command that runs uv: the one on PATH, or else the module pip installed
# (a pip install under pyenv has no shim on PATH until a rehash).
find_uv() {
  if command -v uv >/dev/null 2>&1; then UV=(uv); else UV=(python3 -m uv); fi
}

pid_file() { printf '%s/%s.pid' "$RUN_DIR" "$1"; }
log_file() { printf '%s/%s.log' "$LOG_DIR" "$1"; }

# Print the pid recorded for a component if that process is alive and still runs the
# command we started (a recycled pid must not be mistaken for our server).
live_pid() {
  local name="$1" marker="$2" file pid args
  file="$(pid_file "$name")"
  [ -f "$file" ] || return 1
  pid="$(cat "$file")"
  # Whole command line (-ww: no cut at $COLUMNS), read before matching: `ps | grep -q`
  # can fail on SIGPIPE under pipefail.
  args="$(ps -ww -o args= -p "$pid" 2>/dev/null)" || args=""
  if [[ "$args" == *"$marker"* ]]; then
    printf '%s' "$pid"
    return 0
  fi
  rm -f "$file"
  return 1
}

# Start a command detached in its own session (so stop can end its whole process
# group, and it outlives the shell or test session that started it); record its pid.
spawn() {
  local name="$1"
  shift
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  printf '\n=== %s start %s\n' "$name" "$(date -u +%FT%TZ)" >>"$(log_file "$name")"
  # fd 9 holds the stack lock: children must not inherit it or it would never be freed.
  setsid "$@" >>"$(log_file "$name")" 2>&1 </dev/null 9>&- &
  printf '%s' "$!" >"$(pid_file "$name")"
}

# Fail with the component's name and log file when something else holds its port.
require_free_port() {
  local name="$1" port="$2"
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "$name: port 127.0.0.1:$port is taken by a process this stack did not start" \
      "(stop it, or set the server's env var to use it)"
  fi
}

# Poll a check command until it succeeds; fail fast if the process exits meanwhile.
wait_until() {
  local name="$1" pid="$2"
  shift 2
  local deadline=$((SECONDS + WAIT_TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      die "$name exited before answering; see $(log_file "$name")"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      die "$name did not answer within ${WAIT_TIMEOUT}s; see $(log_file "$name")"
    fi
    sleep 0.5
  done
}

# Readiness check through scripts/stack/probe.py in the project's environment.
probe() {
  "$ROOT/.venv/bin/python" "$ROOT/scripts/stack/probe.py" "$@"
}

# Stop one component by its pid file: TERM its process group, then KILL if it lingers.
stop_one() {
  local name="$1" marker="$2" pid
  pid="$(live_pid "$name" "$marker")" || return 0
  say "stopping $name (pid $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$(pid_file "$name")"
}
