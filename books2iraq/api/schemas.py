"""The shapes shared by the API's resources: base models, field types, errors, and the records most calls return.

Request models are strict (no type coercion, no unknown fields); they check shape only, the rules stay
in the services. Response models are built from the domain objects.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Self

from flask_babel import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from books2iraq.db import aware
from books2iraq.intake.models import (
    Condition,
    Disposition,
    LotStatus,
    ReadingLevel,
    RejectReason,
    TitleKind,
)
from books2iraq.sites.models import SiteKind
from books2iraq.web import MAX_ID

if TYPE_CHECKING:
    from books2iraq.intake.models import Lot

NO_NUL = r"^[^\x00]*$"

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Copies = Annotated[int, Field(ge=1, le=MAX_ID, description="A number of copies (the services set the upper limits).")]
Kilograms = Annotated[Decimal, Field(description="Kilograms, as a decimal string such as \"20.50\".")]
Money = Annotated[Decimal, Field(description="A sum of money, as a decimal string such as \"1200.00\".")]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", _("Text may not contain NUL characters"))
    return value


@dataclass(frozen=True)
class Text:
    """`Annotated[str, Text(200)]`: at most 200 characters (what the column holds), and no NUL character
    (PostgreSQL refuses those)."""

    max_length: int
    min_length: int = 0

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        schema = handler(source)
        schema.update(max_length=self.max_length, **({"min_length": self.min_length} if self.min_length else {}))  # type: ignore[attr-defined]
        return core_schema.no_info_after_validator_function(_no_nul, schema)

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return handler(schema) | {"pattern": NO_NUL}


Timestamp = Annotated[datetime, AfterValidator(aware)]


class In(BaseModel):
    """A request body: strict JSON types, unknown fields refused."""

    model_config = ConfigDict(strict=True, extra="forbid")


class Query(BaseModel):
    """Query-string parameters: text converted to the field types, unknown parameters refused."""

    model_config = ConfigDict(extra="forbid")


class PageQuery(Query):
    """A list's page: every row can be reached, `limit` at a time."""

    page: int = Field(default=1, ge=1, le=MAX_ID, description="From 1; past the last page, the last page.")
    limit: int = Field(default=100, ge=1, le=500, description="Rows a page.")


class Out(BaseModel):
    """A response: read from the records (and their related records) by attribute name."""

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of_record(cls, record: Any, **values: Any) -> Self:
        """The model from the record's attributes of the same names, and `values` for the others."""
        return cls.model_validate({name: getattr(record, name) for name in cls.model_fields if name not in values} | values)


class FieldProblem(Out):
    field: str = Field(description="Where the problem is, e.g. `lines.0.quantity`.")
    message: str


class ErrorBody(Out):
    code: str = Field(
        description="invalid_request, unauthorized, forbidden, not_found, method_not_allowed, conflict, refused or server_error."
    )
    message: str = Field(description="What went wrong, written for the person at the screen.")
    details: list[FieldProblem] = Field(default_factory=list, description="Present on 400: each field that is not right.")


class ErrorOut(Out):
    error: ErrorBody


class SiteOut(Out):
    id: int
    name: str
    kind: SiteKind
    city: str
    active: bool


class TitleOut(Out):
    id: int
    isbn13: str | None
    title: str | None
    authors: str | None
    publisher: str | None
    year: int | None
    language: str | None
    level: ReadingLevel
    kind: TitleKind


class LotOut(Out):
    id: int
    donation_ref: str
    status: LotStatus
    quantity: int
    condition: Condition
    label: str = Field(description="The title, or the description of a counted bag.")
    title: TitleOut | None
    description: str | None
    reject_reason: RejectReason | None
    disposition: Disposition | None
    reject_note: str | None
    crate_code: str | None
    parent_id: int | None = Field(description="The lot these copies were split from.")

    @classmethod
    def of(cls, lot: Lot) -> LotOut:
        return cls.of_record(lot, donation_ref=lot.donation.ref, crate_code=lot.crate.code if lot.crate else None)


class PageOut(Out):
    """Which page of a list this is, of how many, and how many rows the whole list holds."""

    page: int
    pages: int
    total: int
    limit: int

    @staticmethod
    def of_page(page: Any) -> dict[str, int]:
        return {"page": page.number, "pages": page.pages, "total": page.total, "limit": page.size}
