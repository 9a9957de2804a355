#!/usr/bin/env bash
# The pictures of the documents in the README: each document of the demo operation, first page, as
# PNG. Run from the repository root after `make install`: bash docs/render.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DATABASE_URL="sqlite:///$work/demo.sqlite" B2I_GS1_COMPANY_PREFIX=5061234
flask=".venv/bin/flask --app wsgi"
$flask db upgrade >/dev/null 2>&1
$flask seed-demo >/dev/null
year=$(date +%Y)
for kind in manifest certificate-of-origin certificate-of-donation; do  # the demo issued them
  $flask document "$kind" "S-$year-002" -o "$work/$kind.pdf" >/dev/null
done
$flask document packing-list "S-$year-002" -o "$work/packing-list.pdf" >/dev/null
$flask document labels "S-$year-003" -o "$work/labels.pdf" >/dev/null
$flask document receipt "D-$(date -d '-120 days' +%Y)-000001" -o "$work/receipt.pdf" >/dev/null  # the demo's first
for name in manifest certificate-of-origin certificate-of-donation packing-list labels receipt; do
  pdftoppm -png -r 50 -f 1 -l 1 -singlefile "$work/$name.pdf" "docs/documents/$name"
done
ls -la docs/documents
