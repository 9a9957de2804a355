"""The catalogue: titles found by ISBN (ISBN-10 becomes ISBN-13; bad check digits are refused)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from stdnum import ean
from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.catalogue import records
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.intake.models import DataSource, ReadingLevel, Title, TitleKind


def normalise_isbn(raw: str) -> str:
    """The ISBN-13 of an ISBN-10 or ISBN-13 as typed or scanned, or DomainError."""
    text = (raw or "").strip()
    if not text:
        raise DomainError(_("Scan or type an ISBN."))
    if len(text) == 13 and text.isdigit() and text[:3] in ("978", "979") and ean.calc_check_digit(text[:12]) == text[12]:
        return text  # as a scanner reads it: checked at once (a catalogue import reads millions)
    try:
        compact = stdnum_isbn.validate(text)
    except InvalidChecksum as exc:
        raise DomainError(_("ISBN “%(isbn)s” has a wrong check digit; scan or type it again.", isbn=text)) from exc
    except InvalidLength as exc:
        raise DomainError(_("ISBN “%(isbn)s” must have 10 or 13 digits.", isbn=text)) from exc
    except ValidationError as exc:
        raise DomainError(_("“%(text)s” is not an ISBN.", text=text)) from exc
    return stdnum_isbn.to_isbn13(compact)


def find_by_isbn(isbn13: str) -> Title | None:
    return db.session.scalar(sa.select(Title).where(Title.isbn13 == isbn13))


def by_isbn(raw_isbns: list[str]) -> dict[str, Title]:
    """The titles in the catalogue of these ISBNs as typed or scanned, by ISBN-13, in one query (ISBNs
    that are not valid are left out: whoever uses them says why)."""
    isbn13s = set()
    for raw in raw_isbns:
        try:
            isbn13s.add(normalise_isbn(raw))
        except DomainError:
            continue
    if not isbn13s:
        return {}
    return {t.isbn13: t for t in db.session.scalars(sa.select(Title).where(Title.isbn13.in_(sorted(isbn13s)))) if t.isbn13}


def title_for_isbn(raw_isbn: str, *, actor: User | None, title: str | None = None, **details: object) -> Title:
    """The title of this ISBN, created when it is new: with the details a person typed, else those of the
    local catalogue's record of the ISBN, else with no name yet (to be catalogued at sorting)."""
    isbn13 = normalise_isbn(raw_isbn)
    return titles_for({isbn13: Naming(title, details)}, actor=actor)[isbn13]


@dataclass(frozen=True)
class Naming:
    """What a person says of a title: its name and other details (authors, publisher…), when they say any."""

    title: str | None = None
    details: Mapping[str, object] = field(default_factory=dict)

    @property
    def named(self) -> bool:
        return bool((self.title or "").strip())


def titles_for(wanted: Mapping[str, Naming], *, actor: User | None) -> dict[str, Title]:
    """The titles of these ISBN-13s, by ISBN-13: found in the catalogue (and named, when nobody had and a
    person now does), else created with the details a person gave, else those of the local catalogue's
    record, else with no name yet (to be catalogued at sorting; looked up online once committed).

    A fixed number of statements however many ISBNs: the titles found in one query, the records in one,
    the new titles added in one savepoint. Should another request add one of them at the same moment,
    they are added one at a time instead, that request's title being the one."""
    if not wanted:
        return {}
    found = {t.isbn13: t for t in db.session.scalars(sa.select(Title).where(Title.isbn13.in_(sorted(wanted)))) if t.isbn13}
    for isbn13, title in found.items():
        naming = wanted[isbn13]
        if naming.named and not title.title:
            # A scanned ISBN nobody had catalogued yet: what the person gives now is its record.
            title.title = (naming.title or "").strip()
            for name, value in naming.details.items():
                if value is not None:
                    setattr(title, name, value)
            audit.record(actor, "title.catalogued", title, title=title.title, **naming.details)
    new = [isbn13 for isbn13 in wanted if isbn13 not in found]
    if not new:
        return found
    known = records.by_isbn([isbn13 for isbn13 in new if not wanted[isbn13].named])
    details = {}
    for isbn13 in new:
        naming = wanted[isbn13]
        if naming.named:
            details[isbn13] = {"title": naming.title, **naming.details}
        elif isbn13 in known:  # named by nobody, and in the local catalogue: the title is what its record says
            details[isbn13] = records.title_details(known[isbn13])
        else:
            details[isbn13] = {}
            records.want(isbn13)  # online, in the worker, once this is committed
    try:
        with db.session.begin_nested():
            created = {isbn13: new_title(isbn13=isbn13, **details[isbn13]) for isbn13 in new}  # type: ignore[arg-type]
            db.session.add_all(created.values())
            db.session.flush()
    except sa.exc.IntegrityError:
        # One of them scanned elsewhere at the same moment: one at a time, that request's title the one.
        return {**found, **{isbn13: _one_new_title(isbn13, details[isbn13], actor) for isbn13 in new}}
    for title in created.values():
        _created(title, actor)
    return {**found, **created}


def _one_new_title(isbn13: str, details: dict[str, Any], actor: User | None) -> Title:
    if (existing := find_by_isbn(isbn13)) is not None:
        return existing  # the other request's, committed meanwhile
    try:
        with db.session.begin_nested():
            return create_title(isbn13=isbn13, actor=actor, **details)
    except sa.exc.IntegrityError:
        if (existing := find_by_isbn(isbn13)) is None:
            raise
        return existing


def create_title(*, actor: User | None, title: str | None = None, isbn13: str | None = None, **details: Any) -> Title:
    """A title new to the catalogue (new_title), added and audited."""
    if isbn13 is not None:
        isbn13 = normalise_isbn(isbn13)
        if find_by_isbn(isbn13) is not None:
            raise DomainError(_("ISBN %(isbn)s is already in the catalogue.", isbn=isbn13))
    record = new_title(isbn13=isbn13, title=title, **details)
    db.session.add(record)
    db.session.flush()
    _created(record, actor)
    return record


def _created(record: Title, actor: User | None) -> None:
    audit.record(actor, "title.created", record, isbn13=record.isbn13, title=record.title, source=record.source)


def new_title(
    *,
    title: str | None = None,
    isbn13: str | None = None,
    authors: str | None = None,
    publisher: str | None = None,
    year: int | None = None,
    language: str | None = None,
    subject: str | None = None,
    level: ReadingLevel = ReadingLevel.GENERAL,
    kind: TitleKind = TitleKind.BOOK,
    source: DataSource | None = None,
) -> Title:
    """A title as given, checked (an ISBN-13 as normalise_isbn gives it, or a name; a plausible year), not yet added."""
    title = (title or "").strip() or None
    if isbn13 is None and title is None:
        raise DomainError(_("A title needs an ISBN or a title."))
    if year is not None and not 1450 <= year <= 2100:
        raise DomainError(_("%(year)s is not a plausible publication year.", year=year))
    return Title(isbn13=isbn13, title=title, authors=authors, publisher=publisher, year=year, language=language,
                 subject=subject, level=level, kind=kind, source=source)

