"""Logging a donation at a drop-off point: its lines become lots in the 'received' state."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from flask_babel import gettext as _

from books2iraq import audit, refs
from books2iraq.auth.models import User
from books2iraq.catalogue import records
from books2iraq.catalogue.models import CatalogueRecord
from books2iraq.crating.models import Crate
from books2iraq.dates import check_date, written
from books2iraq.errors import Conflict, DomainError, NotFound
from books2iraq.extensions import db
from books2iraq.i18n import N_, number
from books2iraq.intake import donors, titles
from books2iraq.intake.models import (
    Condition,
    Donation,
    DonationLine,
    Donor,
    DonorKind,
    Lot,
    LotStatus,
    Title,
)
from books2iraq.intake.offline import KeptOffline
from books2iraq.intake.scans import parse_scans, read_lines
from books2iraq.reports.accounting import copies_received
from books2iraq.sites.models import Site

MAX_COPIES_PER_LINE = 10_000


@dataclass(frozen=True)
class LineInput:
    """One line of a donation: a scanned/typed ISBN, a known title, or a counted bag (description)."""

    quantity: int
    isbn: str | None = None
    title: Title | None = None
    description: str | None = None
    condition: Condition = Condition.GOOD


def create_donor(
    *,
    name: str,
    actor: User | None,
    kind: DonorKind = DonorKind.INDIVIDUAL,
    email: str | None = None,
    phone: str | None = None,
    consent_to_contact: bool = False,
) -> Donor:
    if not name.strip():
        raise DomainError(_("Give the donor's name, or leave the donor out."))
    donor = Donor(
        name=name.strip(),
        kind=kind,
        email=email or None,
        phone=phone or None,
        consent_to_contact=consent_to_contact,
        consent_at=datetime.now(UTC) if consent_to_contact else None,
    )
    db.session.add(donor)
    db.session.flush()
    audit.record(actor, "donor.created", donor, consent_to_contact=consent_to_contact)
    return donor


def record_donation(
    *,
    site: Site,
    lines: list[LineInput],
    actor: User,
    donor: Donor | None = None,
    received_on: date | None = None,
    note: str | None = None,
    confirm_date: bool = True,
    submission_key: str | None = None,
    offline: KeptOffline | None = None,
) -> Donation:
    """Record a hand-over; each line becomes one lot of received copies. Channels go through
    submit_donation(), which also makes a repeated submission record nothing. A person at the intake
    page passes `confirm_date` only when they ticked that a doubtful date is right (check_received_on).
    `offline`: the intake page kept it on the device first, and gave the donor a receipt number."""
    if not site.active:
        raise DomainError(_("%(site)s is closed; choose another site.", site=site.name))
    if not lines:
        raise DomainError(_("A donation needs at least one line: scan a book or count a bag."))
    resolved = resolve_lines(lines, actor)

    received_on = check_received_on(received_on or date.today(), confirmed=confirm_date)
    donation = Donation(
        ref=refs.donation_ref(received_on.year),
        site=site,
        donor=donor,
        received_on=received_on,
        received_by=actor,
        note=note or None,
        submission_key=submission_key or None,
        offline_receipt=offline.receipt if offline else None,
        kept_offline_at=offline.at if offline else None,
    )
    db.session.add(donation)
    for position, (title, line) in enumerate(resolved, start=1):
        place_line(donation, position, title, line)
    db.session.flush()
    audit.record(
        actor,
        "donation.recorded",
        donation,
        site=site.name,
        lines=len(resolved),
        copies=sum(line.quantity for _title, line in resolved),
        **({"offline_receipt": offline.receipt, "kept_offline_at": offline.at.isoformat(timespec="seconds")} if offline else {}),
    )
    return donation


def place_line(donation: Donation, position: int, title: Title | None, line: LineInput) -> DonationLine:
    """Add a resolved line (resolve_line) to a donation, and the lot of received copies it becomes."""
    record = DonationLine(
        donation=donation,
        position=position,
        title=title,
        description=line.description,
        quantity=line.quantity,
        condition=line.condition,
    )
    db.session.add(record)
    db.session.add(
        Lot(
            donation=donation,
            line=record,
            title=title,
            description=line.description,
            quantity=line.quantity,
            condition=line.condition,
            status=LotStatus.RECEIVED,
        )
    )
    return record


class DateNeedsConfirmation(DomainError):
    """A received-on date that may well be a typing mistake: kept only when the person confirms it."""

    field = "received_on"


RECEIVED_ON = N_("The date the books were received")


def check_received_on(value: date, *, confirmed: bool) -> date:
    """A donation's received-on date: never before 2000 nor after tomorrow (dates.check_date); a date
    after today or more than a year back only when `confirmed`, as it is more likely a slip of the
    keyboard than the truth."""
    today = date.today()
    check_date(value, RECEIVED_ON, latest=today + timedelta(days=1))
    if not confirmed and value > today:
        raise DateNeedsConfirmation(_("%(date)s is in the future; tick “the date is right” to keep it.",
                                      date=written(value)))
    if not confirmed and value < today - timedelta(days=365):
        raise DateNeedsConfirmation(
            _("%(date)s is more than a year ago; tick “the date is right” to keep it.", date=written(value))
        )
    return value


def resolve_lines(lines: list[LineInput], actor: User) -> list[tuple[Title | None, LineInput]]:
    """Each line checked and its title found or added (resolve_line): the titles of all its ISBNs found
    or added at once (titles.titles_for), in a fixed number of statements however many lines."""
    isbns = {}
    for line in lines:
        if line.isbn:
            try:
                isbns[titles.normalise_isbn(line.isbn)] = titles.Naming()
            except DomainError:
                continue  # resolve_line says which line, and why
    known = titles.titles_for(isbns, actor=actor)
    return [resolve_line(n, line, actor, known) for n, line in enumerate(lines, start=1)]


def resolve_line(
    n: int, line: LineInput, actor: User, known: dict[str, Title] | None = None
) -> tuple[Title | None, LineInput]:
    """Line `n` checked (copies, ISBN, description), with its title found or added to the catalogue
    (`known`: titles already found, by ISBN-13; a title added is added to it)."""
    if not isinstance(line.quantity, int) or isinstance(line.quantity, bool) or line.quantity < 1:
        raise DomainError(_("Line %(line)s: the number of copies must be a whole number of at least 1.",
                            line=number(n, grouped=False)))
    if line.quantity > MAX_COPIES_PER_LINE:
        raise DomainError(_("Line %(line)s: %(copies)s copies is more than %(most)s; split it into several lines.",
                            line=number(n, grouped=False), copies=number(line.quantity, grouped=False), most=number(MAX_COPIES_PER_LINE, grouped=False)))
    title = line.title
    if line.isbn:
        try:
            isbn13 = titles.normalise_isbn(line.isbn)
            title = (known or {}).get(isbn13) or titles.title_for_isbn(isbn13, actor=actor)
        except DomainError as exc:
            raise DomainError(_("Line %(line)s: %(problem)s", line=number(n, grouped=False), problem=exc)) from exc
        if known is not None:
            known[isbn13] = title
    description = (line.description or "").strip() or None
    if title is None and description is None:
        raise DomainError(_("Line %(line)s: scan an ISBN or describe what is in the bag.", line=number(n, grouped=False)))
    return title, LineInput(
        quantity=line.quantity, title=title, description=description, condition=line.condition
    )


def donor_for(given: DonorInput | None, donor_id: int | None = None, *, actor: User) -> Donor | None:
    """Who gave a donation: the returning donor named by number, or known by the e-mail given, else a
    new record of the details given (none: anonymous). A returning donor who now agrees to be
    contacted says so on their record."""
    if donor_id is not None:
        return donors.get_donor(donor_id)
    if given is None:
        return None
    known = donors.by_email(given.email)
    if known is None:
        return create_donor(**vars(given), actor=actor)
    if given.consent_to_contact and not known.consent_to_contact:
        donors.edit_donor(known, actor=actor, consent_to_contact=True)
    return known


@dataclass(frozen=True)
class DonorInput:
    name: str
    kind: DonorKind = DonorKind.INDIVIDUAL
    email: str | None = None
    phone: str | None = None
    consent_to_contact: bool = False


def scanned_lines(scans: str, bags: list[tuple[str, int]], condition: Condition) -> list[LineInput]:
    """The lines of what the intake page sends: scanned ISBNs (repeats counted), then counted bags."""
    lines = [LineInput(quantity=scan.quantity, isbn=scan.isbn13, condition=condition) for scan in parse_scans(scans)]
    return lines + [LineInput(quantity=count, description=description) for description, count in bags]


def submit_donation(
    *,
    site: Site,
    actor: User,
    lines: list[LineInput],
    donor: DonorInput | None = None,
    donor_id: int | None = None,
    received_on: date | None = None,
    note: str | None = None,
    submission_key: str | None = None,
    confirm_date: bool = True,
    offline: KeptOffline | None = None,
) -> tuple[Donation, bool]:
    """Every channel's way in (the intake page, the API): record a donation and its donor once.

    Returns (donation, created). The same `submission_key` sent again, even at the same moment from
    two requests, answers with the donation already recorded and records nothing (created False).
    """
    # No look for the key first: a repeat is rare, and the key's unique index refuses it as surely.
    try:
        with db.session.begin_nested():
            donor_record = donor_for(donor, donor_id, actor=actor)
            donation = record_donation(
                site=site, lines=lines, actor=actor, donor=donor_record, received_on=received_on, note=note,
                confirm_date=confirm_date, submission_key=submission_key, offline=offline,
            )
    except sa.exc.IntegrityError:
        # The key was sent before (or by another request at the same moment): its donation is the one.
        if (done := find_by_submission_key(submission_key)) is not None:
            same = _same_submission(done, site, lines)
            if offline is not None and same.offline_receipt is None:
                # Recorded by the intake page's own send, whose answer was lost: the device then kept it and
                # gave the donor a receipt number, which must lead to this donation.
                same.offline_receipt, same.kept_offline_at = offline.receipt, offline.at
                audit.record(actor, "donation.offline_receipt", same, offline_receipt=offline.receipt)
            return same, False
        raise
    return donation, True


def _same_submission(done: Donation, site: Site, lines: list[LineInput]) -> Donation:
    """The donation a repeated submission key recorded, when the repeat sends what it sent; a key
    sent again with other books or another site is a mistake that must not pass silently."""
    sent = [(_book_of(line), line.quantity, line.condition) for line in lines]
    recorded = [
        (line.title.isbn13 or f"title {line.title.id}" if line.title else (line.description or "").strip(),
         line.quantity, line.condition)
        for line in done.lines
    ]
    if site.id != done.site_id or sent != recorded:
        raise Conflict(_(
            "This form was already sent and recorded as donation %(ref)s, with other books or another site; "
            "nothing more was recorded. To log another donation, open a new form.", ref=done.ref
        ))
    return done


def _book_of(line: LineInput) -> str:
    """What a line says it is, as a recorded line would say it: an ISBN-13, a title, or a description."""
    if line.isbn:
        try:
            return titles.normalise_isbn(line.isbn)
        except DomainError:
            return line.isbn
    if line.title is not None:
        return line.title.isbn13 or f"title {line.title.id}"
    return (line.description or "").strip()


def find_by_submission_key(submission_key: str | None) -> Donation | None:
    if not submission_key:
        return None
    return db.session.scalar(sa.select(Donation).where(Donation.submission_key == submission_key))


def donations(
    *, site_id: int | None = None, received_from: date | None = None, received_to: date | None = None,
    donor_id: int | None = None,
) -> sa.Select[Any]:
    """Donations newest first, of a site, a donor and a span of dates: a statement for one page of
    the list (paging.paginate with donation_rows, which adds each one's copies)."""
    stmt = (
        sa.select(Donation)
        .options(sa.orm.selectinload(Donation.site), sa.orm.selectinload(Donation.donor))  # joined, deep pages joined every row they skip
        .order_by(Donation.id.desc())
    )
    if site_id is not None:
        stmt = stmt.where(Donation.site_id == site_id)
    if donor_id is not None:
        stmt = stmt.where(Donation.donor_id == donor_id)
    if received_from is not None:
        stmt = stmt.where(Donation.received_on >= received_from)
    if received_to is not None:
        stmt = stmt.where(Donation.received_on <= received_to)
    return stmt


def lots_of(donation: Donation) -> list[Lot]:
    """Every lot a donation became, in every state, with its title, crate and shipment: one statement
    and its eager loads, however many lots."""
    return list(
        db.session.scalars(
            sa.select(Lot)
            .where(Lot.donation_id == donation.id)
            .options(sa.orm.selectinload(Lot.title), sa.orm.selectinload(Lot.crate).selectinload(Crate.shipment))
            .order_by(Lot.id)
        )
    )


def donation_rows(result: sa.Result[Any]) -> list[tuple[Donation, int]]:
    """A page of donations with the copies each received: one more statement, over those donations
    alone (summing every donation's lines to show fifty of them cost 300 ms at a million lots)."""
    page = list(result.scalars())
    copies: dict[int, int] = {}
    if page:
        received = copies_received([d.id for d in page])
        copies = {i: int(n) for i, n in db.session.execute(sa.select(received.c.donation_id, received.c.copies))}
    return [(donation, copies.get(donation.id, 0)) for donation in page]


def get_by_ref(ref: str) -> Donation:
    donation = db.session.scalar(sa.select(Donation).where(Donation.ref == ref.strip().upper()))
    if donation is None:
        raise NotFound(_("There is no donation %(ref)s.", ref=ref))
    return donation


@dataclass(frozen=True)
class CheckedScan:
    """A line of the intake page's scans as the volunteer sees it while scanning."""

    line: int
    text: str
    isbn13: str | None
    quantity: int
    copies_of_it: int  # copies of this ISBN in all the lines so far
    title: str | None  # its name, where the operation or the local catalogue knows it
    authors: str | None
    known: str  # "title" (given before), "catalogue" (the local catalogue knows it), "new", or "bad"
    problem: str | None


def check_scans(text: str) -> list[CheckedScan]:
    """What each scanned line is, before the donation is recorded: its book where it is known, or why
    the line is not an ISBN; every line, good or bad. Two queries however many lines."""
    lines = read_lines(text)
    isbns = [line.isbn13 for line in lines if line.isbn13]
    given = titles.by_isbn(isbns)
    known = records.by_isbn([isbn for isbn in isbns if isbn not in given or not given[isbn].title])
    copies = Counter[str]()
    for line in lines:
        if line.isbn13:
            copies[line.isbn13] += line.quantity
    checked = []
    for line in lines:
        title, record = given.get(line.isbn13 or ""), known.get(line.isbn13 or "")
        named: Title | CatalogueRecord | None = None
        if line.isbn13 is None:
            kind = "bad"
        elif title is not None and title.title:
            kind, named = "title", title
        elif record is not None:
            kind, named = "catalogue", record
        else:
            kind = "new"
        checked.append(CheckedScan(
            line=line.number, text=line.text[:40], isbn13=line.isbn13, quantity=line.quantity,
            copies_of_it=copies[line.isbn13 or ""], title=named.title if named else None,
            authors=named.authors if named else None, known=kind, problem=line.problem,
        ))
    return checked
