"""Lists in pages: every list says which rows it shows of how many ("51–100 of 1,234"), and its links
keep the filters. No list drops rows without saying so.

Two statements a page, whatever the size of the list: the count, and the page's rows.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from flask import request, url_for
from flask_babel import gettext

from books2iraq.extensions import db
from books2iraq.i18n import N_, number

T = TypeVar("T")
PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_SIZE = 50

# What a list's pager says, for each kind of row a page lists (the English noun the page gives the
# macro pager): which rows of how many, and the words for none. One whole sentence each, so that every
# language words it its own way.
SHOWN = {
    "donations": (N_("%(first)s–%(last)s of %(total)s donations"), N_("No donations")),
    "donors": (N_("%(first)s–%(last)s of %(total)s donors"), N_("No donors")),
    "titles": (N_("%(first)s–%(last)s of %(total)s titles"), N_("No titles")),
    "lots": (N_("%(first)s–%(last)s of %(total)s lots"), N_("No lots")),
    "crates": (N_("%(first)s–%(last)s of %(total)s crates"), N_("No crates")),
    "shipments": (N_("%(first)s–%(last)s of %(total)s shipments"), N_("No shipments")),
    "recipients": (N_("%(first)s–%(last)s of %(total)s recipients"), N_("No recipients")),
    "users": (N_("%(first)s–%(last)s of %(total)s users"), N_("No users")),
    "imports": (N_("%(first)s–%(last)s of %(total)s imports"), N_("No imports")),
    "rows": (N_("%(first)s–%(last)s of %(total)s rows"), N_("No rows")),
}
SHOWN_ANY = (N_("%(first)s–%(last)s of %(total)s"), N_("None"))  # a noun not in SHOWN


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int  # from 1
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """The position of the page's first row in the whole list (0 when the list is empty)."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last(self) -> int:
        return (self.number - 1) * self.size + len(self.items)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    def shown(self, noun: str) -> str:
        """"51–100 of 1,234 lots", or "No lots", in the language of the page (see SHOWN)."""
        some, none = SHOWN.get(noun, SHOWN_ANY)
        if not self.total:
            return gettext(none)
        return gettext(some, first=number(self.first), last=number(self.last), total=number(self.total))


def requested(default_size: int = DEFAULT_SIZE) -> tuple[int, int]:
    """The page number and size the address asks for; a wrong value means the first page, never an error."""
    number = request.args.get("page", 1, type=int) or 1
    size = request.args.get("per_page", default_size, type=int)
    return max(1, min(number, 10**9)), size if size in PAGE_SIZES else default_size


def paginate(
    stmt: sa.Select[Any], number: int, size: int, rows: Callable[[Any], list[T]], total: int | None = None
) -> Page[T]:
    """One page of an ordered statement. `rows` turns the executed page into its items (for example
    `lambda result: result.scalars().all()`); `total`: how many rows the statement gives, when a running
    total knows it (else they are counted). A page past the end shows the last one."""
    if total is None:
        total = int(db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())) or 0)
    pages = max(1, -(-total // size))
    number = min(number, pages)
    items = rows(db.session.execute(_page_of(stmt, size, (number - 1) * size)))
    return Page(items=list(items), number=number, size=size, total=total)


def page_of(items: Sequence[T], number: int, size: int) -> Page[T]:
    """One page of a list already in memory (the rows of an uploaded sheet); past the end, the last one."""
    pages = max(1, -(-len(items) // size))
    number = min(number, pages)
    return Page(items=list(items[(number - 1) * size:number * size]), number=number, size=size, total=len(items))


def _page_of(stmt: sa.Select[Any], size: int, offset: int) -> sa.Select[Any]:
    """The rows of one page. Deep in a list of records, the keys of the page are found first and then
    their rows: PostgreSQL otherwise reads every row it skips (the 500th page of the sorting queue took
    115 ms, its keys alone 13 ms)."""
    described = stmt.column_descriptions
    entity = described[0]["entity"] if len(described) == 1 else None
    key = getattr(entity, "id", None) if entity is not None and described[0]["type"] is entity else None
    if not offset or key is None:
        return stmt.limit(size).offset(offset)
    keys = stmt.with_only_columns(key).limit(size).offset(offset).scalar_subquery()
    return stmt.where(key.in_(keys))


def page_url(number: int) -> str:
    """The address of another page of the list being shown, with the same filters."""
    values: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict(), "page": number}
    return url_for(request.endpoint or "", **values)


ROW = 987654321  # a value no record has, marking where each row's own goes


def row_url(endpoint: str, name: str, **values: Any) -> Callable[[int], str]:
    """The address of `endpoint` for each row of a long list, built once: row_url("sorting.accept_lot",
    "lot_id")(lot.id) is url_for("sorting.accept_lot", lot_id=lot.id), without routing 200 times.
    For a number (a record's id): it is written as it is, not quoted as url_for would a text."""
    before, _, after = url_for(endpoint, **{**values, name: ROW}).partition(str(ROW))
    return lambda value: f"{before}{int(value)}{after}"

