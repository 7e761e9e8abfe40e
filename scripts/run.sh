#!/usr/bin/env bash
# Start the development web server with the Celery worker and beat beside it.
# Ctrl-C (INT), TERM, or the end of any one of them stops all of them: each runs in a process group
# of its own (setsid), the whole group gets TERM, and whatever is still alive after
# ONESTOP_STOP_TIMEOUT seconds (default 5) gets KILL. Nothing it started outlives it.
set -uo pipefail
cd "$(dirname "$0")/.."

VAR_DIR="${ONESTOP_VAR_DIR:-var}"
STOP_TIMEOUT="${ONESTOP_STOP_TIMEOUT:-5}"
BIND="${ONESTOP_BIND:-127.0.0.1:8000}"
pids=()

start() {  # start "$@" as the leader of a new process group, remember its id
  setsid "$@" &
  pids+=($!)
}

alive() {  # true while any process of the groups we started is alive
  local pid
  for pid in "${pids[@]}"; do
    kill -0 -- "-$pid" 2>/dev/null && return 0
  done
  return 1
}

signal_all() {
  local pid
  for pid in "${pids[@]}"; do
    kill "-$1" -- "-$pid" 2>/dev/null || true
  done
}

stopping=0
stop() {
  [ "$stopping" = 1 ] && return
  stopping=1
  trap '' INT TERM  # a second Ctrl-C must not cut the clean-up short
  echo "Stopping the web server, the Celery worker and beat..."
  signal_all TERM
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while alive && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.1
  done
  if alive; then
    echo "Still running after ${STOP_TIMEOUT}s: killing them."
    signal_all KILL
  fi
  wait 2>/dev/null
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

mkdir -p "$VAR_DIR"
start celery -A onestop worker --beat --loglevel=INFO --concurrency=2 \
  --schedule="$VAR_DIR/celerybeat-schedule" >"$VAR_DIR/celery.log" 2>&1
echo "Celery worker and beat started (log: $VAR_DIR/celery.log)."

start python manage.py runserver "$BIND"

echo "onestop runs on http://$BIND/ (Ctrl-C stops everything)."
wait -n "${pids[@]}"
status=$?
stop
exit "$status"
