#!/usr/bin/env bash
# Start the development web server with the Celery worker and beat beside it.
# Ctrl-C (or the end of any one of them) stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do
    pkill -TERM -P "$pid" 2>/dev/null || true  # runserver's reloader child, celery's pool
    kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

mkdir -p var
celery -A onestop worker --beat --loglevel=INFO --concurrency=2 \
  --schedule="var/celerybeat-schedule" >var/celery.log 2>&1 &
pids+=($!)
echo "Celery worker and beat started (log: var/celery.log)."

python manage.py runserver "${ONESTOP_BIND:-127.0.0.1:8000}" &
pids+=($!)

echo "onestop runs on http://${ONESTOP_BIND:-127.0.0.1:8000}/ (Ctrl-C stops everything)."
wait -n "${pids[@]}"
