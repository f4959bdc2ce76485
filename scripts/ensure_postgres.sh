#!/usr/bin/env bash
# Make a local PostgreSQL ready for the tests and print its DATABASE_URL.
# Installs Debian's postgresql if missing, starts the cluster, and creates a superuser role
# named after the current OS user, reached over the Unix socket with peer authentication:
# no password exists anywhere. Fails loudly if the server cannot start.
set -euo pipefail

log() { echo "ensure_postgres: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  log "installing postgresql"
  as_root apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
fi

read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1) || {
  log "no PostgreSQL cluster found"; exit 1; }
if [ "$status" != "online" ]; then
  log "starting cluster $version/$cluster"
  as_root pg_ctlcluster "$version" "$cluster" start >&2
fi

me=$(id -un)
dbname=${PGDATABASE_NAME:-strategy_tracker}
psql_admin() { as_root su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -qAt -c \"$1\""; }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '$me'")" != 1 ]; then
  log "creating role $me"
  psql_admin "CREATE ROLE \\\"$me\\\" LOGIN SUPERUSER" >&2
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$dbname'")" != 1 ]; then
  log "creating database $dbname"
  psql_admin "CREATE DATABASE $dbname OWNER \\\"$me\\\"" >&2
fi

socket_dir=/var/run/postgresql
psql -h "$socket_dir" -p "$port" -d "$dbname" -qAt -c "SELECT 1" >/dev/null || {
  log "PostgreSQL does not answer on $socket_dir port $port"; exit 1; }
# An empty host means the Unix socket, where peer authentication applies.
echo "postgres://:${port}/${dbname}"
