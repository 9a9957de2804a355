"""Looking in the local catalogue: a scanned ISBN's record, and the details a title takes from it."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.catalogue.models import CatalogueRecord
from books2iraq.extensions import db
from books2iraq.intake.models import ReadingLevel, Title

WANTED = "books2iraq.look_up"  # the session's note of ISBNs to look up online once it commits (online.py)


def want(isbn13: str) -> None:
    """Look this ISBN up online once the current transaction commits (nothing, with lookups switched off)."""
    if current_app.config.get("CATALOGUE_LOOKUP"):
        db.session.info.setdefault(WANTED, set()).add(isbn13)


def by_isbn(isbn13s: list[str]) -> dict[str, CatalogueRecord]:
    """The records of these ISBN-13s, in one query."""
    if not isbn13s:
        return {}
    found = db.session.scalars(sa.select(CatalogueRecord).where(CatalogueRecord.isbn13.in_(sorted(set(isbn13s)))))
    return {record.isbn13: record for record in found}


def title_details(record: CatalogueRecord) -> dict[str, Any]:
    """What a title of this ISBN is, as the record says (a title keeps one subject: the record's first)."""
    return {
        "title": record.title,
        "authors": record.authors,
        "publisher": record.publisher,
        "year": record.year,
        "language": record.language,
        "subject": record.subject,
        "level": record.level or ReadingLevel.GENERAL,
        "kind": record.kind,
        "source": record.source,
    }


def fill(title: Title, record: CatalogueRecord) -> dict[str, Any]:
    """Give a title nobody has catalogued yet (no name) the record's details; returns them."""
    details = title_details(record)
    for field, value in details.items():
        setattr(title, field, value)
    return details


def name_titles(isbn13s: list[str], actor: User | None, **why: object) -> int:
    """Titles scanned by ISBN before anyone knew their name take their record's details, each change
    audited with `why` (the import, the lookup); returns how many were named."""
    nameless = list(db.session.scalars(sa.select(Title).where(Title.isbn13.in_(isbn13s), Title.title.is_(None))))
    if not nameless:
        return 0
    found = by_isbn([title.isbn13 for title in nameless if title.isbn13])
    for title in nameless:
        details = fill(title, found[title.isbn13])  # type: ignore[index]
        audit.record(actor, "title.catalogued", title, title=details["title"], source=details["source"], **why)
    return len(nameless)
