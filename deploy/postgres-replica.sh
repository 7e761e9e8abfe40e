#!/bin/bash
# The `db-replica` service's entrypoint (official postgres image, compose profile "replica"): on an
# empty volume, copy the primary with pg_basebackup (--write-recovery-conf writes standby.signal and
# primary_conninfo), then run PostgreSQL as a hot standby that streams from the primary.
set -euo pipefail
PGDATA="${PGDATA:-/var/lib/postgresql/data}"
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
  exec gosu postgres bash "$0" "$@"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  export PGPASSWORD="${POSTGRES_REPLICATION_PASSWORD:?set POSTGRES_REPLICATION_PASSWORD}"
  until pg_basebackup --host="${PRIMARY_HOST:-postgres}" --username=replicator --pgdata="$PGDATA" \
      --wal-method=stream --write-recovery-conf --checkpoint=fast; do
    echo "db-replica: the primary is not ready for pg_basebackup yet; retrying in 5 s" >&2
    rm -rf "${PGDATA:?}"/*
    sleep 5
  done
fi
# hot_standby_feedback: a report running here is not cancelled by the primary's vacuum (the
# price: the primary keeps dead rows a report still sees, for at most ONESTOP_REPORT_TIMEOUT_SECONDS).
exec postgres -c hot_standby=on -c hot_standby_feedback=on "$@"
