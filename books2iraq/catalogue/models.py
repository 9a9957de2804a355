"""The local catalogue: what is known of books by their ISBN before anyone has scanned one, filled from
Open Library dumps, MARC files and spreadsheets (catalogue/imports.py). Intake looks here first: a
scanned ISBN found here becomes a title with its name at once (intake/titles.py)."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from books2iraq.db import utcnow
from books2iraq.extensions import Model
from books2iraq.intake.models import DataSource, ReadingLevel, TitleKind


class CatalogueRecord(Model):
    """One book as a source describes it, by ISBN-13: reference data, not yet a title of the operation."""

    __tablename__ = "catalogue_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    isbn13: Mapped[str] = mapped_column(sa.String(13), unique=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    authors: Mapped[str | None] = mapped_column(sa.String(500))
    publisher: Mapped[str | None] = mapped_column(sa.String(200))
    year: Mapped[int | None]
    language: Mapped[str | None] = mapped_column(sa.String(8))  # ISO 639-1 where there is one: en, ar, ku …
    subjects: Mapped[str | None] = mapped_column(sa.String(1000))  # "; " between them
    level: Mapped[ReadingLevel | None]
    kind: Mapped[TitleKind] = mapped_column(default=TitleKind.BOOK)
    source: Mapped[DataSource]
    source_file: Mapped[str | None] = mapped_column(sa.String(200))  # the file it was imported from
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def subject(self) -> str | None:
        """The first subject: the one a title keeps."""
        return self.subjects.split("; ")[0][:120] if self.subjects else None

    def __repr__(self) -> str:
        return f"<CatalogueRecord {self.isbn13} {self.title!r}>"


class CatalogueImport(Model):
    """One run of `flask catalogue import`: the file, and what it added, changed and left out (why)."""

    __tablename__ = "catalogue_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(sa.String(200))
    source: Mapped[DataSource]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    read: Mapped[int] = mapped_column(default=0)  # records read (a record may carry several ISBNs)
    added: Mapped[int] = mapped_column(default=0)  # ISBNs new to the catalogue
    updated: Mapped[int] = mapped_column(default=0)  # ISBNs whose details changed
    unchanged: Mapped[int] = mapped_column(default=0)
    titles_filled: Mapped[int] = mapped_column(default=0)  # scanned ISBNs with no name that now have one
    skipped: Mapped[dict[str, int]] = mapped_column(sa.JSON, default=dict)  # why → how many records


class LookupOutcome(enum.StrEnum):
    FOUND = "found"
    UNKNOWN = "unknown"  # the provider does not know the ISBN
    FAILED = "failed"  # no answer in time, or an answer that made no sense: tried again later


class CatalogueLookup(Model):
    """What looking an ISBN up online gave (catalogue/online.py): the cache that keeps it from being
    asked again and again."""

    __tablename__ = "catalogue_lookups"

    id: Mapped[int] = mapped_column(primary_key=True)
    isbn13: Mapped[str] = mapped_column(sa.String(13), unique=True)
    provider: Mapped[str] = mapped_column(sa.String(40))
    outcome: Mapped[LookupOutcome]
    message: Mapped[str | None] = mapped_column(sa.String(500))
    attempts: Mapped[int] = mapped_column(default=0)
    looked_up_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutdatedRule(Model):
    """A book charity's rule of thumb, as Books For Africa keeps them: books whose subjects or title say
    `words` ("textbook", "atlas") older than `years` are candidates to reject as outdated; the sorting
    screen flags them (catalogue/outdated.py) and the sorter decides."""

    __tablename__ = "outdated_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    words: Mapped[str] = mapped_column(sa.String(60), unique=True)
    years: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.CheckConstraint("years >= 1 AND years <= 100", name="years_range"),)

    def __repr__(self) -> str:
        return f"<OutdatedRule {self.words!r} {self.years}>"
