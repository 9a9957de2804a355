"""Filling the local catalogue from a file (`flask --app wsgi catalogue import FILE`): read one record
at a time (catalogue/sources.py), stored a batch at a time, each batch its own transaction, so that a
dump of several gigabytes runs in bounded memory, never holds the database's write lock for long, and
can be run again: a record already there is counted unchanged, or updated where its details changed.
Scanned ISBNs nobody had named yet take the details of the records that arrive for them."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.catalogue import records
from books2iraq.catalogue.models import CatalogueImport, CatalogueRecord
from books2iraq.catalogue.sources import Read, Skipped, Source
from books2iraq.db import bulk_insert, utcnow
from books2iraq.extensions import db
from books2iraq.intake.models import DataSource

BATCH = 2000  # ISBNs stored per transaction
EXAMPLES = 5  # places named per reason a record was skipped
COMPARED = ("title", "authors", "publisher", "year", "language", "subjects", "level", "kind")


class Importing:
    """One import under way: its record (CatalogueImport), and the places of the first records skipped
    for each reason, to show."""

    def __init__(self, source: Source, actor: User | None) -> None:
        self.source = source
        self.actor = actor
        self.run = CatalogueImport(file_name=source.path.name[:200], source=source.source, skipped={})
        db.session.add(self.run)
        db.session.flush()
        self.skipped: Counter[str] = Counter()
        self.examples: dict[str, list[str]] = {}

    def skip(self, skipped: Skipped) -> None:
        self.skipped[skipped.reason] += 1
        places = self.examples.setdefault(skipped.reason, [])
        if len(places) < EXAMPLES:
            places.append(skipped.place)


def all_imports() -> sa.Select[tuple[CatalogueImport]]:
    """Every import, the latest first: a statement, for a page of them."""
    return sa.select(CatalogueImport).order_by(CatalogueImport.id.desc())


def books_known() -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(CatalogueRecord)) or 0)


def import_file(
    path: Path,
    fmt: str | None = None,
    *,
    actor: User | None,
    commit: Callable[[], None],
    progress: Callable[[int], None] = lambda position: None,
) -> Importing:
    """Import a catalogue file; `commit` ends each batch's transaction, `progress` hears how many bytes
    of the file have been read after each. Returns the import, its figures on its record."""
    with Source(path, fmt) as source:
        importing = Importing(source, actor)
        pending: dict[str, Read] = {}
        for read in source.records():
            if isinstance(read, Skipped):
                importing.skip(read)
                continue
            importing.run.read += 1
            for isbn13 in read.isbn13s:
                pending[isbn13] = read  # the same ISBN twice in a file: the later record is the one
            if len(pending) >= BATCH:
                _store(importing, pending)
                pending = {}
                commit()
                progress(source.position())
        _store(importing, pending)
        _finish(importing)
        commit()
        progress(source.size)
    return importing


def _store(importing: Importing, batch: dict[str, Read]) -> None:
    """One batch of ISBNs into the catalogue, and the scanned titles of them that have no name yet named."""
    run = importing.run
    added, updated, unchanged = store(batch, run.source, run.file_name)
    run.added, run.updated, run.unchanged = run.added + added, run.updated + updated, run.unchanged + unchanged
    run.titles_filled += records.name_titles(list(batch), importing.actor, catalogue_import=run.id)


def store(batch: dict[str, Read], source: DataSource, source_file: str | None) -> tuple[int, int, int]:
    """Records of these ISBNs into the catalogue: new ones added, changed ones updated, each set in one
    statement (COPY on PostgreSQL). Returns how many were added, updated and found unchanged."""
    if not batch:
        return 0, 0, 0
    table = cast(sa.Table, CatalogueRecord.__table__)
    columns = [table.c.id, table.c.isbn13, *(table.c[name] for name in COMPARED)]
    known = {row.isbn13: row for row in db.session.execute(sa.select(*columns).where(table.c.isbn13.in_(batch)))}
    added: list[tuple[object, ...]] = []
    changed: list[dict[str, Any]] = []
    now = utcnow()
    for isbn13, read in batch.items():
        values = {name: getattr(read, name) for name in COMPARED}
        row = known.get(isbn13)
        if row is None:
            added.append((isbn13, *values.values(), source, source_file, now))
        elif any(getattr(row, name) != values[name] for name in COMPARED):
            changed.append({"record_id": row.id, **values, "source": source, "source_file": source_file, "updated_at": now})
    # (the ORM's bulk insert would split a batch into runs of rows with the same columns left empty)
    bulk_insert(db.session.connection(), table, ["isbn13", *COMPARED, "source", "source_file", "updated_at"], added)
    if changed:
        db.session.execute(table.update().where(table.c.id == sa.bindparam("record_id")), changed)
    return len(added), len(changed), len(batch) - len(added) - len(changed)


def _finish(importing: Importing) -> None:
    run = importing.run
    run.skipped = dict(importing.skipped.most_common())
    run.finished_at = utcnow()
    audit.record(
        importing.actor, "catalogue.imported", run,
        file=run.file_name, source=run.source.value, read=run.read, added=run.added, updated=run.updated,
        unchanged=run.unchanged, titles_filled=run.titles_filled, skipped=run.skipped,
    )
    db.session.flush()
