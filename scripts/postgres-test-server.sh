#!/usr/bin/env bash
# A throwaway PostgreSQL server for the persistence tests, on 127.0.0.1:55432 (not the default port, so it never
# meets a real server). Idempotent: installs PostgreSQL if missing, creates the cluster once, starts it if stopped,
# creates the test role and database if missing. Prints the connection string on stdout (and nothing else);
# everything else goes to stderr. Exits non-zero, saying why, when the server cannot be had.
#
#   export WORKFLOWS_TEST_POSTGRES="$(bash scripts/postgres-test-server.sh)"
#   bash scripts/postgres-test-server.sh stop
#
# Settings (environment): WORKFLOWS_PG_PORT (55432), WORKFLOWS_PG_DIR (/tmp/workflows-pg-$PORT).
set -euo pipefail

PORT="${WORKFLOWS_PG_PORT:-55432}"
DIR="${WORKFLOWS_PG_DIR:-/tmp/workflows-pg-$PORT}"
DATA="$DIR/data"
LOG="$DIR/server.log"
DB=workflows_test
ROLE=workflows
PASSWORD=workflows

say() { echo "postgres-test-server: $*" >&2; }
fail() { say "$*"; exit 1; }

# --- binaries -------------------------------------------------------------------------------------------------
find_bindir() {
  local candidate
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]] && { echo "$candidate"; return 0; }
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"; return 0
  fi
  return 1
}

BINDIR="$(find_bindir || true)"
if [[ -z "$BINDIR" ]]; then
  [[ "$(id -u)" == 0 ]] || fail "PostgreSQL is not installed and this user cannot install it (apt-get needs root)."
  say "installing PostgreSQL (apt-get install -y postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq postgresql; } >&2 || fail "apt-get install postgresql failed."
  BINDIR="$(find_bindir || true)"
  [[ -n "$BINDIR" ]] || fail "PostgreSQL was installed but initdb/pg_ctl were not found under /usr/lib/postgresql/*/bin."
fi

# PostgreSQL refuses to run as root: run its tools as the 'postgres' user the package creates.
if [[ "$(id -u)" == 0 ]]; then
  id postgres >/dev/null 2>&1 || fail "running as root, but there is no 'postgres' user to run the server as."
  as_owner() { runuser -u postgres -- "$@"; }
  OWNER=postgres
else
  as_owner() { "$@"; }
  OWNER="$(id -un)"
fi

if [[ "${1:-}" == "stop" ]]; then
  if [[ -f "$DATA/PG_VERSION" ]]; then
    as_owner "$BINDIR/pg_ctl" -D "$DATA" -m fast stop >&2 || true
  fi
  exit 0
fi

# --- cluster ----------------------------------------------------------------------------------------------------
mkdir -p "$DIR"
chown "$OWNER" "$DIR"
chmod 700 "$DIR"
if [[ ! -f "$DATA/PG_VERSION" ]]; then
  say "creating a cluster in $DATA"
  rm -rf "$DATA"
  as_owner "$BINDIR/initdb" -D "$DATA" -U postgres --encoding=UTF8 --no-locale --auth-local=trust --auth-host=scram-sha-256 >&2 \
    || fail "initdb failed."
  cat >>"$DATA/postgresql.conf" <<CONF
# workflows test server
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
max_connections = 200
CONF
fi

if ! as_owner "$BINDIR/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  say "starting on 127.0.0.1:$PORT (log: $LOG)"
  as_owner "$BINDIR/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >&2 \
    || { tail -n 20 "$LOG" >&2 2>/dev/null || true; fail "the server did not start."; }
fi

# --- role and database ------------------------------------------------------------------------------------------
psql_admin() { as_owner "$BINDIR/psql" -h "$DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [[ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]]; then
  psql_admin -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" >&2 || fail "could not create role $ROLE."
fi
if [[ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]]; then
  psql_admin -c "CREATE DATABASE $DB OWNER $ROLE" >&2 || fail "could not create database $DB."
fi

# Prove it over TCP with the password, as the tests will connect.
PGPASSWORD="$PASSWORD" "$BINDIR/psql" -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d "$DB" -qtA -c "SELECT 1" >/dev/null 2>&1 \
  || fail "the server runs, but $ROLE cannot log in to $DB over 127.0.0.1:$PORT."

say "ready: PostgreSQL $(as_owner "$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT, database $DB"
echo "Host=127.0.0.1;Port=$PORT;Database=$DB;Username=$ROLE;Password=$PASSWORD"
