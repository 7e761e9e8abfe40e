#!/bin/bash
# Runs once, when the `postgres` service initialises an empty data volume (the official image runs
# /docker-entrypoint-initdb.d/*): the role `db-replica` streams with, and the pg_hba line that lets
# it connect for replication. On a data volume made before this file existed, run the same two
# statements by hand (docs/SIZING.md "A replica with compose").
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=password="${POSTGRES_REPLICATION_PASSWORD:?set POSTGRES_REPLICATION_PASSWORD}" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
