"""The catalogue: titles found by ISBN (ISBN-10 becomes ISBN-13; bad check digits are refused)."""
from __future__ import annotations

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
    existing = find_by_isbn(isbn13)
    if existing is not None:
        if title and title.strip() and not existing.title:
            # A scanned ISBN nobody had catalogued yet: what the sorter types now is its record.
            existing.title = title.strip()
            for field, value in details.items():
                if value is not None:
                    setattr(existing, field, value)
            audit.record(actor, "title.catalogued", existing, title=existing.title, **details)
        return existing
    if not (title or "").strip():
        if (known := records.by_isbn([isbn13]).get(isbn13)) is not None:
            # Scanned, named by nobody, and in the local catalogue: the title is what its record says.
            details = records.title_details(known)
            title = str(details.pop("title"))
        else:
            records.want(isbn13)  # online, in the worker, once this is committed
    try:
        with db.session.begin_nested():
            return create_title(isbn13=isbn13, title=title, actor=actor, **details)  # type: ignore[arg-type]
    except sa.exc.IntegrityError:
        # The same new ISBN scanned elsewhere at the same moment: that request's title is the one.
        if (existing := find_by_isbn(isbn13)) is None:
            raise
        return existing


def create_title(
    *,
    actor: User | None,
    title: str | None,
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
    title = (title or "").strip() or None
    if isbn13 is None and title is None:
        raise DomainError(_("A title needs an ISBN or a title."))
    if isbn13 is not None:
        isbn13 = normalise_isbn(isbn13)
        if find_by_isbn(isbn13) is not None:
            raise DomainError(_("ISBN %(isbn)s is already in the catalogue.", isbn=isbn13))
    if year is not None and not 1450 <= year <= 2100:
        raise DomainError(_("%(year)s is not a plausible publication year.", year=year))
    record = Title(
        isbn13=isbn13,
        title=title,
        authors=authors,
        publisher=publisher,
        year=year,
        language=language,
        subject=subject,
        level=level,
        kind=kind,
        source=source,
    )
    db.session.add(record)
    db.session.flush()
    audit.record(actor, "title.created", record, isbn13=isbn13, title=title, source=source)
    return record

