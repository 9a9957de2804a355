"""The title catalogue kept right: a title's details edited, an ISBN attached to a title catalogued
without one, and two records of the same book merged (their lots and donation lines follow). Each
change is audited with what it was before."""
from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.concurrency import lock_all, unique
from books2iraq.crating.models import Crate
from books2iraq.errors import DomainError, NotFound
from books2iraq.extensions import db
from books2iraq.intake import titles
from books2iraq.intake.models import DonationLine, Lot, LotStatus, ReadingLevel, Title, TitleKind

# What an edit may change, and how each value is checked.
EDITABLE = ("title", "authors", "publisher", "year", "language", "subject", "level", "kind")


def get_title(title_id: int) -> Title:
    title = db.session.get(Title, title_id)
    if title is None:
        raise NotFound(_("There is no title %(id)s in the catalogue; it may have been merged into another.", id=title_id))
    return title


def find_title(ref: str) -> Title:
    """A title by its number in the catalogue (123) or by its ISBN (10 or 13 digits, hyphens allowed)."""
    text = (ref or "").strip().removeprefix("#")
    found = None
    if text.isdigit() and len(text) < 10:
        found = db.session.get(Title, int(text))
    elif text:
        found = titles.find_by_isbn(titles.normalise_isbn(text))
    if found is None:
        raise DomainError(_("There is no title “%(ref)s” in the catalogue: give its number (on its page) or its ISBN.",
                            ref=text))
    return found


def all_titles(*, uncatalogued: bool = False) -> sa.Select[tuple[Title]]:
    """The catalogue in the order of its titles (scanned ISBNs with no title yet first, when asked for alone)."""
    stmt = sa.select(Title)
    if uncatalogued:
        stmt = stmt.where(Title.title.is_(None))
    return stmt.order_by(Title.title.is_(None).desc(), Title.title, Title.id)


def lots_of_title(title: Title) -> sa.Select[tuple[Lot]]:
    """Every lot of a title, in every state, newest first, with its donation and crate."""
    return (
        sa.select(Lot)
        .where(Lot.title_id == title.id)
        .options(selectinload(Lot.donation), selectinload(Lot.crate).selectinload(Crate.shipment))
        .order_by(Lot.id.desc())
    )


def copies_by_status(title: Title) -> dict[LotStatus, int]:
    """How many copies of a title are in each state, in the order of the flow (states with none left out)."""
    rows = db.session.execute(
        sa.select(Lot.status, sa.func.sum(Lot.quantity)).where(Lot.title_id == title.id).group_by(Lot.status)
    )
    copies = {status: int(n) for status, n in rows if n}
    return {status: copies[status] for status in LotStatus if status in copies}


def _clean(field: str, value: Any) -> Any:
    if field in ("level", "kind"):
        enum_cls = ReadingLevel if field == "level" else TitleKind
        try:
            return enum_cls(value)
        except ValueError as exc:
            if field == "level":
                raise DomainError(_("“%(value)s” is not a reading level the catalogue knows.", value=value)) from exc
            raise DomainError(_("“%(value)s” is not a kind the catalogue knows.", value=value)) from exc
    if field == "year":
        if value in (None, ""):
            return None
        year = int(value)
        if not 1450 <= year <= 2100:
            raise DomainError(_("%(year)s is not a plausible publication year.", year=year))
        return year
    text = (str(value) if value is not None else "").strip()
    return text or None


def edit_title(record: Title, /, *, actor: User, **values: Any) -> Title:
    """Change a title's details; every lot of it (and every document printed after) follows."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise DomainError(_("A title has no %(fields)s to change.", fields=", ".join(sorted(unknown))))
    lock_all(sa.select(Title).where(Title.id == record.id))
    clean = {field: _clean(field, value) for field, value in values.items()}
    if "title" in clean and clean["title"] is None and record.isbn13 is None:
        raise DomainError(_("A title without an ISBN needs its title; attach an ISBN first to leave it blank."))
    changes = {
        field: [_plain(getattr(record, field)), _plain(value)]
        for field, value in clean.items() if getattr(record, field) != value
    }
    if not changes:
        return record
    for field, value in clean.items():
        setattr(record, field, value)
    if record.source is not None:  # the details are a person's now, not the source's
        changes["source"] = [record.source.value, None]
        record.source = None
    db.session.flush()
    audit.record(actor, "title.edited", record, changes=changes)
    return record


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)


def attach_isbn(title: Title, raw_isbn: str, *, actor: User) -> Title:
    """Give a title catalogued by its name the ISBN printed on the book (ISBN-10 or -13)."""
    isbn13 = titles.normalise_isbn(raw_isbn)
    lock_all(sa.select(Title).where(Title.id == title.id))
    if title.isbn13 == isbn13:
        return title
    if title.isbn13 is not None:
        raise DomainError(_(
            "“%(title)s” already has ISBN %(isbn)s; a book has one ISBN. If %(other)s is the same book, merge the "
            "two records.", title=title.display, isbn=title.isbn13, other=isbn13,
        ))
    other = titles.find_by_isbn(isbn13)
    if other is not None:
        raise DomainError(_(
            "ISBN %(isbn)s belongs to “%(title)s” (title %(id)s); if it is the same book, merge the two records.",
            isbn=isbn13, title=other.display, id=other.id,
        ))
    with unique(_("ISBN %(isbn)s was just given to another title; reload the page.", isbn=isbn13)):
        title.isbn13 = isbn13
        db.session.flush()
    audit.record(actor, "title.isbn_attached", title, isbn13=isbn13)
    return title


def merge_titles(keep: Title, duplicate: Title, *, actor: User) -> Title:
    """Make two records of the same book one: every lot and donation line of `duplicate` becomes
    `keep`'s, `keep` takes the ISBN and the details it lacked, and `duplicate` is removed."""
    if keep.id == duplicate.id:
        raise DomainError(_("Choose two different titles to merge."))
    keep_id, duplicate_id = keep.id, duplicate.id
    # Both rows locked, in the order of their ids: two merges of the same pair wait for each other.
    locked = {t.id: t for t in lock_all(sa.select(Title).where(Title.id.in_((keep_id, duplicate_id))).order_by(Title.id))}
    if keep_id not in locked or duplicate_id not in locked:
        raise DomainError(_("One of the two titles was merged into another just now; reload the page."))
    if keep.isbn13 and duplicate.isbn13 and keep.isbn13 != duplicate.isbn13:
        raise DomainError(_(
            "Both records have an ISBN (%(isbn)s and %(other)s): they are different editions, and each keeps its "
            "own record.", isbn=keep.isbn13, other=duplicate.isbn13,
        ))
    moved_lots, moved_lines = (
        cast("sa.CursorResult[Any]", db.session.execute(
            sa.update(model).where(model.title_id == duplicate_id).values(title_id=keep_id)
        )).rowcount
        for model in (Lot, DonationLine)
    )
    isbn13 = keep.isbn13 or duplicate.isbn13
    filled = {field: getattr(duplicate, field) for field in EDITABLE
              if getattr(keep, field) in (None, "") and getattr(duplicate, field) not in (None, "")}
    snapshot = {field: _plain(getattr(duplicate, field)) for field in ("isbn13", *EDITABLE)}
    db.session.delete(duplicate)
    db.session.flush()  # the ISBN is free before `keep` takes it
    for field, value in filled.items():
        setattr(keep, field, value)
    keep.isbn13 = isbn13
    db.session.flush()
    db.session.expire_all()  # lots and lines loaded before the bulk update now say `keep`
    audit.record(
        actor, "title.merged", keep, merged_title_id=duplicate_id, merged=snapshot,
        filled={field: _plain(value) for field, value in filled.items()}, lots=moved_lots, donation_lines=moved_lines,
    )
    return keep
