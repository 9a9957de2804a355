"""`make bench`, the local catalogue: `flask catalogue import` of an Open Library editions dump of
400,000 lines (BENCH_CATALOGUE_LINES), on SQLite and PostgreSQL: lines a second, and the importer's
peak memory, beside the same import of a tenth of the file (memory flat with size: one batch held at
a time). The dump is made up, shaped as Open Library's (the record as JSON in the last column, an
ISBN-13 and an ISBN-10, subjects, languages); one line in a thousand is not an edition."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from pages import commit, empty_postgres, keep_history
from stdnum import ean

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LINES = int(os.environ.get("BENCH_CATALOGUE_LINES", 400_000))  # a full dump's rate; 1,000,000 takes 3 minutes more
SUBJECTS = ["Fiction", "Juvenile fiction", "Physics", "Textbooks", "Arabic poetry", "Dictionaries", "History"]
LANGUAGES = ["eng", "ara", "kur", "fre", "per"]


def isbn10(nine: str) -> str:
    """The ISBN-10 of nine digits (made up here: stdnum's conversion is the slow part of a million lines)."""
    check = (11 - sum((10 - i) * int(d) for i, d in enumerate(nine)) % 11) % 11
    return nine + ("X" if check == 10 else str(check))


def write_dump(path: Path, lines: int) -> None:
    with path.open("w") as out:
        for n in range(lines):
            if n % 1000 == 999:
                out.write(f"/type/author\t/authors/OL{n}A\t1\t2024-01-01T00:00:00\t{{\"name\": \"Author {n}\"}}\n")
                continue
            body = f"978{n:09d}"
            isbn13 = body + ean.calc_check_digit(body)
            edition = {
                "type": {"key": "/type/edition"}, "key": f"/books/OL{n}M", "title": f"A made-up book, number {n}",
                "isbn_13": [isbn13], "isbn_10": [isbn10(body[3:])], "publishers": ["A publisher"],
                "publish_date": str(1950 + n % 75), "languages": [{"key": f"/languages/{LANGUAGES[n % 5]}"}],
                "subjects": [SUBJECTS[n % 7], SUBJECTS[(n // 7) % 7]], "by_statement": f"Author {n % 5000}",
                "authors": [{"key": f"/authors/OL{n % 5000}A"}], "number_of_pages": 100 + n % 400,
            }
            out.write(f"/type/edition\t/books/OL{n}M\t3\t2024-01-01T00:00:00\t{json.dumps(edition)}\n")


def import_once(url: str, dump: Path) -> dict:
    """The import in a process of its own, as `flask catalogue import` runs it; its own peak memory."""
    code = (
        "import json, resource, sys, time\n"
        "from books2iraq import create_app\n"
        "from books2iraq.catalogue import imports\n"
        "from books2iraq.extensions import db\n"
        "from flask_migrate import upgrade\n"
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': {url!r}, 'SECRET_KEY': 'bench'}})\n"
        "with app.app_context():\n"
        "    upgrade()\n"
        "    start = time.perf_counter()\n"
        f"    run = imports.import_file(__import__('pathlib').Path({str(dump)!r}), actor=None, commit=db.session.commit).run\n"
        "    seconds = time.perf_counter() - start\n"
        "    print(json.dumps({'seconds': seconds, 'read': run.read, 'added': run.added, 'skipped': sum(run.skipped.values()),\n"
        "                      'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    RESULTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "small.txt", Path(tmp) / "editions.txt"
        start = time.perf_counter()
        write_dump(large, LINES)
        with large.open() as whole, small.open("w") as tenth:  # its first tenth
            tenth.writelines(line for _, line in zip(range(LINES // 10), whole, strict=False))
        print(f"catalogue: dumps of {LINES // 10:,} and {LINES:,} lines ({large.stat().st_size / 2**20:.0f} MB) made in "
              f"{time.perf_counter() - start:.0f} s", flush=True)
        databases = [("sqlite", lambda n: f"sqlite:///{tmp}/catalogue-{n}.sqlite")]
        if os.environ.get("BENCH_POSTGRES_URL"):
            databases.append(("postgresql", lambda n: empty_postgres(os.environ["BENCH_POSTGRES_URL"])))
        report = {"bench": "catalogue", "at": datetime.now(UTC).isoformat(timespec="seconds"), "commit": commit(), "lines": LINES,
                  "databases": {}}
        for name, url in databases:
            tenth, whole = import_once(url("tenth"), small), import_once(url("whole"), large)
            figures = {
                "lines_per_s": round(LINES / whole["seconds"]), "seconds": round(whole["seconds"], 1),
                "peak_mb": round(whole["peak_mb"], 1), "peak_mb_tenth": round(tenth["peak_mb"], 1),
                "added": whole["added"], "skipped": whole["skipped"],
            }
            report["databases"][name] = figures
            keep_history({"at": report["at"], "commit": report["commit"], "database": name}, [
                ("catalogue import: lines a second", figures["lines_per_s"], "lines/s", None),
                ("catalogue import: peak memory", figures["peak_mb"], "MB", None),
                ("catalogue import: peak memory, a tenth of the file", figures["peak_mb_tenth"], "MB", None),
            ])
            print(f"catalogue import on {name}: {LINES:,} lines in {figures['seconds']} s ({figures['lines_per_s']:,} lines/s), "
                  f"{figures['added']:,} ISBNs added, {figures['skipped']:,} lines skipped; peak memory {figures['peak_mb']} MB "
                  f"(a tenth of the file: {figures['peak_mb_tenth']} MB)", flush=True)
        (RESULTS / "catalogue.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
