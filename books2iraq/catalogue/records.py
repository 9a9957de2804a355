"""Looking in the local catalogue: a scanned ISBN's record, and the details a title takes from it."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from books2iraq.catalogue.models import CatalogueRecord
from books2iraq.extensions import db
from books2iraq.intake.models import ReadingLevel, Title


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
