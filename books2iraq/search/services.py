"""Searching: what a role may find for some words, kind by kind, and where a scanned code leads.

A search costs the same few statements whatever the size of the operation: one to count the matches
of each kind, then for each kind shown one for the page of matches and one for their records.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import ValidationError

from books2iraq import refs
from books2iraq.auth.roles import Role
from books2iraq.crating.models import Crate
from books2iraq.extensions import db
from books2iraq.intake.models import Donation, Donor, Title
from books2iraq.intake.offline import RECEIPT
from books2iraq.paging import Page, paginate
from books2iraq.pallets.models import Pallet
from books2iraq.search.index import BY_NAME, KINDS, TABLE, Kind, columns, words
from books2iraq.shipping.models import Recipient, Shipment

PREVIEW = 10  # matches of each kind shown on the first page of results
MAX_WORDS = 12


@dataclass(frozen=True)
class Results:
    query: str
    words: list[str]
    counts: dict[str, int]  # kind -> matches, for the kinds the role may see
    groups: dict[str, list[Any]] = field(default_factory=dict)  # kind -> records, best first
    page: Page[Any] | None = None  # all the matches of one kind, when one was asked for

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def kinds_for(role: Role) -> list[Kind]:
    return [kind for kind in KINDS if role.includes(kind.role)]


def _matching(found: list[str]) -> tuple[str, dict[str, Any]]:
    """The condition that an entry holds every word (the last one as the start of a word, as it is
    being typed: every word, so "salah univ" finds "Salahaddin University")."""
    if db.engine.dialect.name == "sqlite":
        return f"{TABLE} MATCH :match", {"match": " ".join(f'"{w}"*' for w in found)}
    return "words @@ CAST(:match AS tsquery)", {"match": " & ".join(f"'{w}':*" for w in found)}


RANKED = 5_000  # up to this many matches, the best first; beyond, the newest first (ranking them all is slow)


def _order(matches: int) -> str:
    # The entry's key is record_id * 8 + kind: within a kind, its order is the records' order, and the
    # index walks it without sorting.
    key, _ = columns(db.engine.dialect.name)
    if matches > RANKED:
        return f"{key} DESC"
    if db.engine.dialect.name == "sqlite":
        return f"rank, {key} DESC"
    return f"ts_rank(words, CAST(:match AS tsquery)) DESC, {key} DESC"


def search(query: str, role: Role, kind: str | None = None, number: int = 1, size: int = 50) -> Results:
    """The records of the kinds `role` may see that hold every word of `query`: PREVIEW of each kind,
    or one page of all of one kind."""
    isbn13 = _isbn13(query.strip())
    found = [isbn13] if isbn13 else words(query)[:MAX_WORDS]  # an ISBN however it is hyphenated
    allowed = {k.number: k for k in kinds_for(role)}
    if not found:
        return Results(query, [], {})
    condition, params = _matching(found)
    _, kind_of = columns(db.engine.dialect.name)
    counted = db.session.execute(sa.text(f"SELECT {kind_of}, count(*) FROM {TABLE} WHERE {condition} GROUP BY 1"), params)
    counts_by_number = {int(kind): int(n) for kind, n in counted}
    counts = {k.name: counts_by_number.get(n, 0) for n, k in allowed.items()}
    chosen = BY_NAME.get(kind or "")
    if chosen is not None and chosen.number in allowed:
        total = counts[chosen.name]
        pages = max(1, -(-total // size))
        number = min(max(number, 1), pages)
        records = _records(chosen, _ids(chosen, condition, params, total, size, (number - 1) * size))
        return Results(query, found, counts, page=Page(records, number, size, total))
    groups = {
        name: _records(BY_NAME[name], _ids(BY_NAME[name], condition, params, count, PREVIEW, 0))
        for name, count in counts.items() if count
    }
    return Results(query, found, counts, groups)


def page_of(query: str, role: Role, kind: str, number: int = 1, size: int = 50) -> Page[Any]:
    """One page of the records of one kind that hold every word of `query` (none: an empty page)."""
    return search(query, role, kind, number, size).page or Page([], 1, size, 0)


def listed(query: str, role: Role, kind: str, everything: sa.Select[Any], number: int, size: int) -> Page[Any]:
    """A page of a list that can be searched: the records matching `query` when there is one (the
    search index's order), else of `everything` (the list's own order and filters)."""
    if query.strip():
        return page_of(query, role, kind, number, size)
    return paginate(everything, number, size, lambda result: result.scalars().all())


def _ids(kind: Kind, condition: str, params: dict[str, Any], matches: int, limit: int, offset: int) -> list[int]:
    sqlite = db.engine.dialect.name == "sqlite"
    _, kind_of = columns(db.engine.dialect.name)
    stmt = sa.text(
        f"SELECT record_id FROM {TABLE} WHERE {condition} AND {kind_of} = :kind "
        f"ORDER BY {_order(matches)} LIMIT :limit OFFSET :offset"
    )
    values = {**params, "kind": kind.number, "limit": limit, "offset": offset}
    if sqlite or matches <= RANKED:
        return list(db.session.scalars(stmt, values))
    # Newest first among many matches: PostgreSQL walks the key backwards, checking each entry, and
    # stops at the page (0.7 ms for page 20 of 100,000). Its estimate of a word's matches is far too
    # low, so left alone it gathers all of them and sorts (70 ms).
    db.session.execute(sa.text("SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off"))
    try:
        return list(db.session.scalars(stmt, values))
    finally:
        db.session.execute(sa.text("SET LOCAL enable_bitmapscan = on; SET LOCAL enable_seqscan = on"))


# How each kind's records are loaded for the results: with what the results show of them.
LOADERS: dict[str, Callable[[], sa.Select[Any]]] = {
    "donation": lambda: sa.select(Donation).options(selectinload(Donation.donor), selectinload(Donation.site)),
    "title": lambda: sa.select(Title),
    "crate": lambda: sa.select(Crate).options(selectinload(Crate.shipment)),
    "shipment": lambda: sa.select(Shipment).options(selectinload(Shipment.recipient)),
    "recipient": lambda: sa.select(Recipient),
    "donor": lambda: sa.select(Donor),
}


def _records(kind: Kind, ids: Sequence[int]) -> list[Any]:
    """The records with these ids, in the order given (the best match first)."""
    if not ids:
        return []
    model = kind.model
    by_id = {r.id: r for r in db.session.scalars(LOADERS[kind.name]().where(model.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


# -- scanned codes ----------------------------------------------------------------------------------
SCANNED_ONLY = {"pallet": Role.WAREHOUSE}  # found by their code alone, not by words: who may open them
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")


def jump(query: str, role: Role) -> tuple[str, Any] | None:
    """The one record a scanned or typed code names, as (kind, record), when the role may see it: a
    donation ref, a crate's or a pallet's code or SSCC, a shipment ref or its invoice number, an ISBN."""
    code = query.strip()
    if not CODE.fullmatch(code) or len(code) > 40:
        return None
    upper = code.upper()
    digits = code[2:] if len(code) == 20 and code.startswith("00") else code  # an SSCC scanned with its AI
    candidates: list[tuple[str, Any]] = [
        # a donation's ref, or the receipt number an intake device gave its donor with no connection
        ("donation", sa.select(Donation).where(sa.or_(Donation.ref == upper, Donation.offline_receipt == upper))),
        ("crate", sa.select(Crate).where(sa.or_(Crate.code == upper, Crate.sscc == digits))),
        ("pallet", sa.select(Pallet).where(sa.or_(Pallet.code == upper, Pallet.sscc == digits))),
        ("shipment", sa.select(Shipment).where(sa.or_(Shipment.ref == upper, Shipment.invoice_no == upper))),
    ]
    isbn13 = _isbn13(code)
    if isbn13:
        candidates.append(("title", sa.select(Title).where(Title.isbn13 == isbn13)))
    for name, stmt in candidates:
        if not role.includes(BY_NAME[name].role if name in BY_NAME else SCANNED_ONLY[name]) or not _could_be(name, upper, isbn13):
            continue
        record = db.session.scalar(stmt)
        if record is not None:
            return name, record
    return None


def _could_be(kind: str, upper: str, isbn13: str | None) -> bool:
    """Whether a code has the shape of this kind's codes: one query for a scan, not four."""
    return {
        "donation": upper.startswith(refs.DONATION) or RECEIPT.fullmatch(upper) is not None,
        "crate": upper.startswith(refs.CRATE) or (upper.isdigit() and len(upper) in (18, 20)),
        "pallet": upper.startswith(refs.PALLET) or (upper.isdigit() and len(upper) in (18, 20)),
        "shipment": upper.startswith((refs.SHIPMENT, refs.INVOICE)),
        "title": isbn13 is not None,
    }[kind]


def _isbn13(code: str) -> str | None:
    try:
        return stdnum_isbn.to_isbn13(stdnum_isbn.validate(code))
    except ValidationError:
        return None

