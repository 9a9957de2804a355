#!/usr/bin/env bash
# `make run` on a fresh checkout must set everything up and serve the login page on SQLite, from a
# virtualenv of its own that holds only what the app needs to run (no test tools).
set -euo pipefail
cd "$(dirname "$0")/.."
port=${SMOKE_PORT:-5057}
log=$(mktemp)
venv=$(mktemp -d)/venv
setsid make run PORT="$port" VENV="$venv" >"$log" 2>&1 &
pid=$!
trap 'kill -- -"$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/auth/login" 2>/dev/null | grep -q "<h1>Sign in</h1>"; then
    echo "smoke: make run serves the login page on port $port"
    if [ -e "$venv/bin/pytest" ] || [ -e "$venv/bin/ruff" ] || [ -e "$venv/bin/playwright" ]; then
      echo "smoke: make run installed development tools" >&2
      exit 1
    fi
    # Its worker draws a long document: the demo's first shipment's packing list, as a coordinator asks.
    "$venv/bin/python" .ci/smoke-document.py "http://127.0.0.1:$port" || { cat "$log" >&2; exit 1; }
    exit 0
  fi
  sleep 1
done
echo "smoke: make run did not serve the login page within 120 s" >&2
cat "$log" >&2
exit 1
