#!/usr/bin/env bash
# `make test`: the suite on SQLite, and on PostgreSQL too wherever its server binaries are installed:
# with TEST_POSTGRES_URL unset, a throwaway server is started under .pg-test/ for the run and
# stopped after it. Without the binaries the PostgreSQL half is skipped, and the run ends saying so.
# Each test process has a database of its own in that server (tests/conftest.py).
set -uo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
if [ -z "${TEST_POSTGRES_URL:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export PGROOT="$PWD/.pg-test" PGPORT=${PGPORT:-55433}
  TEST_POSTGRES_URL=$(bash .ci/postgres.sh | tail -n 1) || exit 1
  export TEST_POSTGRES_URL
  trap 'bash .ci/postgres.sh stop' EXIT
fi
# One test process per core, four at most (each holds a few PostgreSQL connections and seeds its own
# demo; TEST_WORKERS to choose), each test file whole in one of them.
workers=${TEST_WORKERS:-$(nproc 2>/dev/null || echo 2)}
[ "$workers" -gt 4 ] && workers=4
"$python" -m pytest -n "$workers" --dist loadfile --durations=15 "$@"
