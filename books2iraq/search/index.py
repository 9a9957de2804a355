"""The search index: one entry per record that can be searched, its words normalised the same way as
the words searched for, kept up to date as records are flushed.

One table, `search_index` (kind, record_id, body), made by the migration for each database: an FTS5
table on SQLite, a table with a generated tsvector and a GIN index on PostgreSQL. The words are
normalised and split here, in Python, the same for both databases and for what is indexed and what is
searched: NFKC, case folded, Arabic and Kurdish letters folded to one form (alef with hamza or madda
to alef, ta marbuta to ha, alef maqsura and Kurdish ye to ya, Kurdish kaf to kaf, Kurdish vowels to
the letters Arabic spelling uses for them), harakat and tatweel removed, Eastern Arabic digits as 0–9. PostgreSQL takes the words as they are (array_to_tsvector), so
its text parser and locale play no part.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session
from stdnum import isbn as stdnum_isbn

from books2iraq.auth.roles import Role
from books2iraq.crating.models import Crate
from books2iraq.intake.models import Donation, Donor, Title
from books2iraq.shipping.models import Recipient, Shipment

TABLE = "search_index"

# -- words ----------------------------------------------------------------------------------------
MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d\u200e\u200f]")
# Kurdish letters fold to the Arabic ones they are written with in Arabic spelling (دهۆک, دهوك).
FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ې": "ي", "ک": "ك", "ؤ": "و", "ئ": "ي",
    "ۆ": "و", "ێ": "ي", "ە": "ه", "ھ": "ه", "ڵ": "ل", "ڕ": "ر", "ڤ": "ف",
    **{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)},
})
WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    return MARKS.sub("", unicodedata.normalize("NFKC", text).casefold()).translate(FOLD)


def words(*texts: str | None) -> list[str]:
    """The words of some texts, as indexed and as searched. A code's parts are words, and so is the
    whole code run together: "D-2026-000123" is found by "000123" and by "d2026000123" alike."""
    found: list[str] = []
    for text in texts:
        if not text:
            continue
        parts = WORD.findall(normalise(text))
        found += parts
        if len(parts) > 1 and re.fullmatch(r"[\w-]+", text.strip()):
            found.append("".join(parts))
    return list(dict.fromkeys(found))


def isbn_words(isbn13: str | None) -> list[str]:
    """An ISBN-13, and its ISBN-10 where it has one: a book is found by the number printed on it."""
    if not isbn13:
        return []
    isbn10 = stdnum_isbn.to_isbn10(isbn13) if isbn13.startswith("978") else None
    return [isbn13] + ([isbn10.casefold()] if isbn10 else [])


# -- what is indexed ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kind:
    number: int  # with the record's id, the entry's key: record_id * 8 + number
    name: str
    model: Any  # the mapped class
    role: Role  # the least role that may see these records
    columns: Callable[[], sa.Select[Any]]  # the record's id first, then what its words come from
    body: Callable[[Any], list[str]]
    attributes: tuple[str, ...]  # the record's own attributes its words come from (a change elsewhere keeps them)

    def rows(self, connection: sa.Connection, ids: Iterable[int] | None = None, after: int = 0, limit: int = 0) -> list[Any]:
        stmt = self.columns()
        id_column = stmt.selected_columns[0]
        stmt = stmt.where(id_column.in_(list(ids))) if ids is not None else stmt.where(id_column > after)
        stmt = stmt.order_by(id_column)
        return list(connection.execute(stmt.limit(limit) if limit else stmt))


# Plain columns, not whole records: the migration that builds the index runs this code against the
# schema of its day, so it must not ask for columns added after it.
def _donations() -> sa.Select[Any]:
    return sa.select(Donation.id, Donation.ref, Donation.note, Donor.name.label("donor")).outerjoin(
        Donor, Donor.id == Donation.donor_id
    )


def _titles() -> sa.Select[Any]:
    return sa.select(Title.id, Title.isbn13, Title.title, Title.authors, Title.publisher)


def _crates() -> sa.Select[Any]:
    return sa.select(Crate.id, Crate.code, Crate.sscc)


def _shipments() -> sa.Select[Any]:
    return sa.select(
        Shipment.id, Shipment.ref, Shipment.invoice_no, Shipment.container_no, Shipment.transport_doc_no,
        Recipient.name_en, Recipient.name_ar,
    ).join(Recipient, Recipient.id == Shipment.recipient_id)


def _donors() -> sa.Select[Any]:
    return sa.select(Donor.id, Donor.name, Donor.email, Donor.phone)


def _recipients() -> sa.Select[Any]:
    return sa.select(Recipient.id, Recipient.name_en, Recipient.name_ar, Recipient.city)


KINDS = [  # in the order the results show them
    Kind(1, "donation", Donation, Role.VOLUNTEER, _donations, lambda r: words(r.ref, r.donor, r.note),
         ("ref", "note", "donor_id", "donor")),
    Kind(6, "donor", Donor, Role.VOLUNTEER, _donors,
         lambda r: words(r.name, r.email, r.phone, re.sub(r"\D", "", r.phone or "")), ("name", "email", "phone")),
    Kind(2, "title", Title, Role.WAREHOUSE, _titles,
         lambda r: isbn_words(r.isbn13) + words(r.title, r.authors, r.publisher), ("isbn13", "title", "authors", "publisher")),
    Kind(3, "crate", Crate, Role.WAREHOUSE, _crates, lambda r: words(r.code, r.sscc), ("code", "sscc")),
    Kind(4, "shipment", Shipment, Role.COORDINATOR, _shipments,
         lambda r: words(r.ref, r.invoice_no, r.container_no, r.transport_doc_no, r.name_en, r.name_ar),
         ("ref", "invoice_no", "container_no", "transport_doc_no", "recipient_id", "recipient")),
    Kind(5, "recipient", Recipient, Role.COORDINATOR, _recipients, lambda r: words(r.name_en, r.name_ar, r.city),
         ("name_en", "name_ar", "city")),
]
BY_MODEL = {kind.model: kind for kind in KINDS}
BY_NAME = {kind.name: kind for kind in KINDS}
BY_NUMBER = {kind.number: kind for kind in KINDS}


def key(kind: Kind, record_id: int) -> int:
    return record_id * 8 + kind.number


def columns(dialect: str) -> tuple[str, str]:
    """The entry's key and kind as SQL reads them: on SQLite the full-text table's rowid, and the kind
    from its last three bits (key above), so that nothing reads the row itself."""
    return ("rowid", "rowid % 8") if dialect == "sqlite" else ("id", "kind")


# -- keeping it up to date ------------------------------------------------------------------------
# Records whose words come from another: a donor's name is in their donations', a recipient's names
# in their shipments'.
DEPENDENTS: dict[type, tuple[Kind, Any, tuple[str, ...]]] = {
    Donor: (BY_MODEL[Donation], Donation.donor_id, ("name",)),
    Recipient: (BY_MODEL[Shipment], Shipment.recipient_id, ("name_en", "name_ar")),
}


def _changed(obj: Any, attributes: tuple[str, ...]) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in attributes)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    """Note which changed records' words change (the history of their attributes is gone once written)."""
    touched: dict[Kind, set[int]] = {}
    for obj in session.dirty:
        kind = BY_MODEL.get(type(obj))
        if kind is not None and _changed(obj, kind.attributes):
            touched.setdefault(kind, set()).add(obj.id)
    parents = [obj for obj in session.dirty if type(obj) in DEPENDENTS and _changed(obj, DEPENDENTS[type(obj)][2])]
    session.info[_CHANGED] = (touched, parents)


_CHANGED = "books2iraq.search.changed"


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, flush_context: Any) -> None:
    """Index again what the flush wrote: one statement per kind of record, whatever the number. New
    records have no entry yet; changed ones lose theirs first."""
    changed, parents = session.info.pop(_CHANGED, ({}, []))
    added: dict[Kind, set[int]] = {}
    for obj in session.new:
        if type(obj) in BY_MODEL:
            added.setdefault(BY_MODEL[type(obj)], set()).add(obj.id)
    for obj in session.deleted:
        if type(obj) in BY_MODEL:
            changed.setdefault(BY_MODEL[type(obj)], set()).add(obj.id)
    if not (changed or added or parents):
        return
    connection = session.connection()
    for parent in parents:
        kind, foreign_key, _ = DEPENDENTS[type(parent)]
        changed.setdefault(kind, set()).update(
            connection.scalars(sa.select(kind.model.id).where(foreign_key == parent.id))
        )
    for kind in {*changed, *added}:
        write(connection, kind, changed.get(kind, set()) | added.get(kind, set()), fresh=added.get(kind, set()))


def write(
    connection: sa.Connection, kind: Kind, ids: Iterable[int] | None = None, after: int = 0, limit: int = 0,
    fresh: set[int] | frozenset[int] = frozenset(),
) -> list[int]:
    """Write again the entries of these records of one kind (records gone lose theirs); `ids` None:
    the next `limit` records after id `after`; `fresh`: those of `ids` just added, with no entry to
    remove. Returns the ids written."""
    ids = None if ids is None else list(ids)
    column, _ = columns(connection.dialect.name)
    rows = [
        {"key": key(kind, row.id), "kind": kind.number, "record_id": row.id, "body": " ".join(kind.body(row))}
        for row in kind.rows(connection, ids, after, limit)
    ]
    stale = [i for i in ids or () if i not in fresh]
    if stale:
        connection.execute(sa.text(f"DELETE FROM {TABLE} WHERE {column} = :key"), [{"key": key(kind, i)} for i in stale])
    if rows:
        connection.execute(
            sa.text(f"INSERT INTO {TABLE} ({column}, kind, record_id, body) VALUES (:key, :kind, :record_id, :body)"), rows
        )
    return [row["record_id"] for row in rows]


def rebuild(connection: sa.Connection, batch: int = 5000) -> int:
    """Index every record again (after a bulk load, or to mend the index); returns how many."""
    connection.execute(sa.text(f"DELETE FROM {TABLE}"))
    count = 0
    for kind in KINDS:
        last = 0
        while written := write(connection, kind, after=last, limit=batch):
            count += len(written)
            last = written[-1]
    return count


def is_index_table(name: str | None) -> bool:
    """The index and, on SQLite, FTS5's own tables behind it: made by hand in the migration, not from the models."""
    return bool(name) and (name == TABLE or str(name).startswith(f"{TABLE}_"))
