"""Donations: a hand-over at a drop-off point, logged by a scanner or a spreadsheet."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from flask_babel import gettext as _
from pydantic import ConfigDict, EmailStr, Field, model_validator
from pydantic_core import PydanticCustomError

from books2iraq.api.auth import api_user
from books2iraq.api.routing import load, route, run
from books2iraq.api.schemas import Copies, Id, In, LotOut, Out, PageOut, PageQuery, SiteOut, Text, Timestamp
from books2iraq.auth.roles import Role
from books2iraq.intake import corrections
from books2iraq.intake import services as intake
from books2iraq.intake.models import Condition, CorrectionKind, Donation, DonationCorrection, DonationLine, DonorKind
from books2iraq.paging import paginate
from books2iraq.reports.accounting import DonationAccount, donation_account
from books2iraq.sites import services as sites


class DonorIn(In):
    name: Annotated[str, Text(200, min_length=1)]
    kind: DonorKind = DonorKind.INDIVIDUAL
    email: EmailStr | None = None
    phone: Annotated[str, Text(40)] | None = None
    consent_to_contact: bool = False


class LineIn(In):
    """A scanned book (`isbn`, ISBN-10 or ISBN-13) or a counted bag (`description`), never both."""

    quantity: Copies
    isbn: Annotated[str, Text(20)] | None = None
    description: Annotated[str, Text(500)] | None = None
    condition: Condition = Condition.GOOD

    @model_validator(mode="after")
    def isbn_or_description(self) -> LineIn:
        if (self.isbn is None) == (self.description is None):
            message = _("Give either an isbn (a scanned book) or a description (a counted bag)")
            raise PydanticCustomError("isbn_or_description", message)
        return self


class DonationIn(In):
    site_id: Id
    received_on: date | None = Field(default=None, description="Default: today.")
    lines: list[LineIn] = Field(min_length=1, max_length=2000)
    donor: DonorIn | None = Field(default=None, description="A new donor; one whose e-mail is known already is that donor.")
    donor_id: Id | None = Field(default=None, description="A returning donor, by number (instead of `donor`).")
    note: Annotated[str, Text(2000)] | None = None
    submission_key: Annotated[str, Text(64, min_length=1)] | None = Field(
        default=None,
        description="Sent again with a retry, it answers with the donation already recorded instead of a second one.",
    )

    @model_validator(mode="after")
    def one_donor(self) -> DonationIn:
        if self.donor is not None and self.donor_id is not None:
            message = _("Give either donor (a new donor) or donor_id (a returning donor), not both")
            raise PydanticCustomError("one_donor", message)
        return self

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "site_id": 1,
                    "lines": [{"isbn": "9780306406157", "quantity": 2}, {"description": "Picture books", "quantity": 12}],
                }
            ]
        }
    )


class DonorOut(Out):
    name: str
    kind: DonorKind


class DonationLineOut(Out):
    position: int
    isbn13: str | None
    title: str | None
    description: str | None
    quantity: int
    condition: Condition

    @classmethod
    def of(cls, line: DonationLine) -> DonationLineOut:
        title = line.title
        return cls.of_record(line, isbn13=title.isbn13 if title else None, title=title.title if title else None)


class AccountOut(Out):
    """Copies received = unsorted + accepted + packed + rejected − corrections."""

    received: int
    unsorted: int
    accepted: int
    packed: int
    rejected: int
    corrections: int
    balanced: bool


class CorrectionOut(Out):
    kind: CorrectionKind
    reason: str
    changes: dict[str, Any] = Field(description="Each thing the correction changed: {\"before\": …, \"after\": …}.")
    by: str
    at: Timestamp

    @classmethod
    def of(cls, correction: DonationCorrection) -> CorrectionOut:
        return cls.of_record(correction, by=correction.actor.name)


class DonationOut(Out):
    ref: str
    site: SiteOut
    received_on: date
    received_by: str
    donor: DonorOut | None
    note: str | None
    copies: int
    lines: list[DonationLineOut]
    lots: list[LotOut]
    account: AccountOut
    voided_at: Timestamp | None = Field(description="Set when the donation was voided: recorded in error, counted away.")
    void_reason: str | None
    corrections: list[CorrectionOut] = Field(description="Its corrections, oldest first.")

    @classmethod
    def of(cls, donation: Donation, account: DonationAccount) -> DonationOut:
        return cls.of_record(
            donation,
            received_by=donation.received_by.name,
            copies=account.received,
            lines=[DonationLineOut.of(line) for line in donation.lines],
            lots=[LotOut.of(lot) for lot in donation.lots],
            account=account,
            corrections=[CorrectionOut.of(c) for c in corrections.corrections_of(donation)],
        )


class DonationSummary(Out):
    ref: str
    site_id: int
    site: str
    received_on: date
    donor: str | None
    copies: int
    voided: bool


class DonationList(PageOut):
    donations: list[DonationSummary]


class DonationQuery(PageQuery):
    site_id: Id | None = None


def _out(donation: Donation) -> DonationOut:
    return DonationOut.of(donation, donation_account(donation))


@route(
    "POST", "/donations", role=Role.VOLUNTEER, summary="Record a donation", body=DonationIn, response=DonationOut,
    status=(201, 200), refusals=(422,),
)
def create_donation(body: DonationIn) -> tuple[DonationOut, int]:
    """Each line becomes a lot of received copies (201). A repeated `submission_key` answers with the donation
    already recorded (200) and records nothing."""
    donation, created = run(
        lambda: intake.submit_donation(
            site=sites.get_site(body.site_id),
            actor=api_user(),
            lines=[intake.LineInput(**line.model_dump()) for line in body.lines],
            donor=intake.DonorInput(**body.donor.model_dump()) if body.donor else None,
            donor_id=body.donor_id,
            received_on=body.received_on,
            note=body.note,
            submission_key=body.submission_key,
        )
    )
    return _out(donation), 201 if created else 200


@route(
    "GET", "/donations", role=Role.VOLUNTEER, query=DonationQuery, response=DonationList,
    summary="List recent donations",
)
def list_donations(query: DonationQuery) -> DonationList:
    """The donations, newest first, optionally of one site, a page at a time."""
    page = paginate(intake.donations(site_id=query.site_id), query.page, query.limit, intake.donation_rows)
    return DonationList(
        **PageOut.of_page(page),
        donations=[
            DonationSummary(
                ref=d.ref,
                site_id=d.site_id,
                site=d.site.name,
                received_on=d.received_on,
                donor=d.donor.name if d.donor else None,
                copies=copies,
                voided=d.voided,
            )
            for d, copies in page.items
        ]
    )


@route("GET", "/donations/<ref>", role=Role.VOLUNTEER, summary="Show a donation", response=DonationOut)
def show_donation(ref: str) -> DonationOut:
    """The donation with its lines, its lots as they are now, and its account of copies."""
    return _out(load(intake.get_by_ref, ref))



class DetailsIn(In):
    """What to correct; a field left out stays as it is."""

    reason: Annotated[str, Text(500, min_length=1)]
    received_on: date | None = Field(default=None, description="Left out or null: unchanged.")
    confirm_date: bool = Field(
        default=False, description="Needed for a received_on date in the future or more than a year ago."
    )
    donor: DonorIn | None = Field(default=None, description="Left out: unchanged; null: no donor.")
    note: Annotated[str, Text(2000)] | None = Field(default=None, description="Left out: unchanged; null or \"\": no note.")


class AddLineIn(In):
    reason: Annotated[str, Text(500, min_length=1)]
    line: LineIn


class VoidIn(In):
    reason: Annotated[str, Text(500, min_length=1)]


def _correct(ref: str, correct: Any) -> DonationOut:
    donation = load(intake.get_by_ref, ref)
    run(lambda: correct(donation))
    return _out(donation)


@route(
    "PATCH", "/donations/<ref>", role=Role.COORDINATOR, body=DetailsIn, response=DonationOut, refusals=(409, 422),
    summary="Correct a donation's donor, date or note",
)
def correct_donation(ref: str, body: DetailsIn) -> DonationOut:
    """Recorded as a correction with its reason. A changed donor becomes a new donor record. Refused (409) for a
    voided donation."""
    given = body.model_fields_set
    return _correct(ref, lambda donation: corrections.correct_details(
        donation,
        actor=api_user(),
        reason=body.reason,
        received_on=body.received_on if body.received_on is not None else corrections.UNCHANGED,
        confirm_date=body.confirm_date,
        donor=(intake.DonorInput(**body.donor.model_dump()) if body.donor else None)
        if "donor" in given else corrections.UNCHANGED,
        note=body.note if "note" in given else corrections.UNCHANGED,
    ))


@route(
    "POST", "/donations/<ref>/lines", role=Role.COORDINATOR, body=AddLineIn, response=DonationOut, status=201,
    summary="Add a forgotten line to a donation",
)
def add_donation_line(ref: str, body: AddLineIn) -> tuple[DonationOut, int]:
    """The line becomes a lot of received copies, waiting to be sorted. Refused (409) for a voided donation."""
    line = intake.LineInput(**body.line.model_dump())
    return _correct(ref, lambda donation: corrections.add_line(
        donation, actor=api_user(), reason=body.reason, line=line
    )), 201


@route(
    "POST", "/donations/<ref>/void", role=Role.COORDINATOR, body=VoidIn, response=DonationOut,
    summary="Void a donation recorded in error",
)
def void_donation(ref: str, body: VoidIn) -> DonationOut:
    """Only while none of its copies has been sorted (409 otherwise). Its lots are counted away to 0 and become void;
    the donation stays on record, marked void, and cannot be corrected again."""
    return _correct(ref, lambda donation: corrections.void_donation(donation, actor=api_user(), reason=body.reason))
