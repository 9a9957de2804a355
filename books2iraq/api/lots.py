"""Lots at the warehouse: what waits to be sorted, and sorting it (accept or reject, all or part of a lot)."""
from __future__ import annotations

from typing import Annotated, Literal

import sqlalchemy as sa
import sqlalchemy.orm
from pydantic import Field

from books2iraq.api.auth import api_user
from books2iraq.api.routing import load, route, run
from books2iraq.api.schemas import Copies, In, LotOut, PageOut, PageQuery, Text
from books2iraq.auth.roles import Role
from books2iraq.intake import lots
from books2iraq.intake.models import Disposition, Lot, LotStatus, RejectReason
from books2iraq.paging import paginate
from books2iraq.sorting import services as sorting


class LotQuery(PageQuery):
    status: LotStatus | None = Field(default=None, description="Only lots in this state; `received` is the sorting queue.")


class LotList(PageOut):
    lots: list[LotOut]


class AcceptIn(In):
    action: Literal["accept"]
    quantity: Copies | None = Field(default=None, description="Default: all of the lot; the rest stays to be sorted.")


class RejectIn(In):
    action: Literal["reject"]
    quantity: Copies | None = Field(default=None, description="Default: all of the lot; the rest stays to be sorted.")
    reason: RejectReason
    disposition: Disposition
    note: Annotated[str, Text(500)] | None = Field(default=None, description="Required when the reason is `other`.")


SortIn = Annotated[AcceptIn | RejectIn, Field(discriminator="action")]


def _lot(lot_id: int) -> Lot:
    return load(lots.get, lot_id)


@route("GET", "/lots", role=Role.WAREHOUSE, summary="List lots", query=LotQuery, response=LotList)
def list_lots(query: LotQuery) -> LotList:
    """Lots oldest first, so that the queue of received lots reads in the order they came in."""
    stmt = (
        sa.select(Lot)
        .options(sa.orm.selectinload(Lot.title), sa.orm.selectinload(Lot.donation), sa.orm.selectinload(Lot.crate))
        .order_by(Lot.id)
    )
    if query.status is not None:
        stmt = stmt.where(Lot.status == query.status)
    page = paginate(stmt, query.page, query.limit, lambda result: result.scalars().all())
    return LotList(lots=[LotOut.of(lot) for lot in page.items], **PageOut.of_page(page))


@route("GET", "/lots/<int:lot_id>", role=Role.WAREHOUSE, summary="Show a lot", response=LotOut)
def show_lot(lot_id: int) -> LotOut:
    return LotOut.of(_lot(lot_id))


@route(
    "POST", "/lots/<int:lot_id>/sort", role=Role.WAREHOUSE, body=SortIn, response=LotOut,
    summary="Accept or reject copies of a lot",
)
def sort_lot(lot_id: int, body: AcceptIn | RejectIn) -> LotOut:
    """Answers with the lot that holds the copies sorted: the lot itself, or a new lot split off from it."""
    lot = _lot(lot_id)
    if isinstance(body, AcceptIn):
        return LotOut.of(run(lambda: sorting.accept(lot, quantity=body.quantity, actor=api_user())))
    return LotOut.of(run(lambda: sorting.reject(lot, **body.model_dump(exclude={"action"}), actor=api_user())))
