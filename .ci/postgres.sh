#!/usr/bin/env bash
# Start a throwaway PostgreSQL on 127.0.0.1:$PGPORT under $PGROOT (re-runnable) and create the
# test database; prints the SQLAlchemy URL on its last line. `postgres.sh stop` stops it again.
# Needs PostgreSQL's server binaries (Debian: postgresql). As root, the server runs as `postgres`
# (it refuses root); as anyone else, as that user.
set -euo pipefail
PGPORT=${PGPORT:-55432}
PGROOT=${PGROOT:-/tmp/books2iraq-pg}
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if [ "$(id -u)" = 0 ]; then as_server=(runuser -u postgres --); else as_server=(); fi

if [ "${1:-}" = stop ]; then
  "${as_server[@]}" "$bindir/pg_ctl" -D "$PGROOT/data" -m fast stop >/dev/null 2>&1 || true
  exit 0
fi

mkdir -p "$PGROOT/sock"
if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$PGROOT"; fi
if [ ! -f "$PGROOT/data/PG_VERSION" ]; then
  "${as_server[@]}" "$bindir/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! "${as_server[@]}" "$bindir/pg_ctl" -D "$PGROOT/data" status >/dev/null 2>&1; then
  "${as_server[@]}" "$bindir/pg_ctl" -D "$PGROOT/data" -w -l "$PGROOT/log" \
    -o "-p $PGPORT -c listen_addresses=127.0.0.1 -k $PGROOT/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
fi
if ! "$bindir/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='books_test'" | grep -q 1; then
  "$bindir/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres books_test
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$PGPORT/books_test"
