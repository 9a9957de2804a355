"""Crates at the warehouse: open one, pack accepted books into it by lot or by scanned ISBN, seal it."""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from flask_babel import gettext as _
from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from books2iraq.api.auth import api_user
from books2iraq.api.routing import load, route, run
from books2iraq.api.schemas import (
    Copies,
    Id,
    In,
    Kilograms,
    LotOut,
    Out,
    SiteOut,
    Text,
    Timestamp,
)
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.crating.models import Crate, CrateStatus
from books2iraq.intake import lots
from books2iraq.sites import services as sites

CENTIMETRES = "Whole centimetres; give all three dimensions or none."


class OpenCrateIn(In):
    site_id: Id = Field(description="The warehouse where the crate is packed.")


class PackIn(In):
    """Pack a lot (`lot_id`, all of it unless `quantity` says less) or copies of a scanned title
    (`isbn`, `quantity` copies, 1 by default, oldest accepted lots first)."""

    lot_id: Id | None = None
    isbn: Annotated[str, Text(20)] | None = None
    quantity: Copies | None = None

    @model_validator(mode="after")
    def lot_or_isbn(self) -> PackIn:
        if (self.lot_id is None) == (self.isbn is None):
            raise PydanticCustomError("lot_or_isbn", _("Give either a lot_id or an isbn"))
        return self


class SealIn(In):
    gross_kg: Decimal = Field(description="The weight of the packed crate in kilograms.")
    length_cm: int | None = Field(default=None, description=CENTIMETRES)
    width_cm: int | None = Field(default=None, description=CENTIMETRES)
    height_cm: int | None = Field(default=None, description=CENTIMETRES)


class CrateOut(Out):
    code: str
    status: CrateStatus
    site: SiteOut
    copies: int
    gross_kg: Kilograms | None
    length_cm: int | None
    width_cm: int | None
    height_cm: int | None
    volume_m3: Decimal | None
    sealed_at: Timestamp | None
    shipment_ref: str | None
    lots: list[LotOut]

    @classmethod
    def of(cls, crate: Crate) -> CrateOut:
        shipment_ref = crate.shipment.ref if crate.shipment else None
        return cls.of_record(crate, shipment_ref=shipment_ref, lots=[LotOut.of(lot) for lot in crate.lots])


def _crate(code: str) -> Crate:
    return load(crating.get_by_code, code)


@route(
    "POST", "/crates", role=Role.WAREHOUSE, body=OpenCrateIn, response=CrateOut, status=201, refusals=(422,),
    summary="Open a crate",
)
def open_crate(body: OpenCrateIn) -> CrateOut:
    return CrateOut.of(run(lambda: crating.open_crate(site=sites.get_site(body.site_id), actor=api_user())))


@route("GET", "/crates/<code>", role=Role.WAREHOUSE, summary="Show a crate and what is in it", response=CrateOut)
def show_crate(code: str) -> CrateOut:
    return CrateOut.of(_crate(code))


@route(
    "POST", "/crates/<code>/lots", role=Role.WAREHOUSE, body=PackIn, response=CrateOut,
    summary="Pack books into a crate",
)
def pack_crate(code: str, body: PackIn) -> CrateOut:
    """Answers with the crate and everything now in it."""
    crate = _crate(code)
    isbn, lot_id = body.isbn, body.lot_id
    if isbn is not None:
        run(lambda: crating.pack_isbn(crate, isbn, quantity=body.quantity or 1, actor=api_user()))
    elif lot_id is not None:
        run(lambda: crating.pack(lots.get(lot_id), crate, quantity=body.quantity, actor=api_user()))
    return CrateOut.of(crate)


@route(
    "POST", "/crates/<code>/seal", role=Role.WAREHOUSE, body=SealIn, response=CrateOut,
    summary="Seal a crate with its weight",
)
def seal_crate(code: str, body: SealIn) -> CrateOut:
    crate = _crate(code)
    return CrateOut.of(run(lambda: crating.seal(crate, **body.model_dump(), actor=api_user())))
