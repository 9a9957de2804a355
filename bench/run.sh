#!/usr/bin/env bash
# `make bench`: the documents, then every page, scan and load figure, then the catalogue import, on SQLite and PostgreSQL. With
# BENCH_POSTGRES_URL unset, a throwaway PostgreSQL is started under .pg-bench/ for the run (where its
# server is installed) and stopped after it; the bench empties the database it is given.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
if [ -z "${BENCH_POSTGRES_URL:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export PGROOT="$PWD/.pg-bench" PGPORT=${BENCH_PGPORT:-55434}
  BENCH_POSTGRES_URL=$(bash .ci/postgres.sh | tail -n 1)
  export BENCH_POSTGRES_URL
  trap 'bash .ci/postgres.sh stop' EXIT
fi
[ -n "${BENCH_POSTGRES_URL:-}" ] || echo "bench: no PostgreSQL here (Debian: postgresql); SQLite only" >&2
started=$SECONDS
for step in documents pages catalogue; do
  "$python" "bench/$step.py"
  echo "bench: $step done at $((SECONDS - started)) s" >&2
done
