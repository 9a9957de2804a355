"""What goes into each export (CSV or XLSX): a header and rows, each file from one query."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from books2iraq.crating.models import Crate
from books2iraq.extensions import db
from books2iraq.intake import donors
from books2iraq.intake.models import Donation, DonationLine, Donor, Lot, Title
from books2iraq.pallets.models import Pallet
from books2iraq.reports.accounting import copies_in_crates
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import Recipient, Shipment
from books2iraq.sites.models import Site

Table = tuple[list[str], Iterable[Sequence[Any]]]


def _streamed(stmt: sa.Select[Any]) -> Iterator[Sequence[Any]]:
    """The rows of a long export as they are read (a server-side cursor on PostgreSQL), never all at
    once. The statement runs when the first row is asked for, inside the response being streamed."""
    yield from db.session.execute(stmt.execution_options(yield_per=2000))


def donations() -> Table:
    """One row per donation line, as it was handed over; a voided donation's lines say when it was voided."""
    stmt = (
        sa.select(
            Donation.ref,
            Donation.received_on,
            Site.name,
            Donor.kind,
            Title.isbn13,
            sa.func.coalesce(Title.title, DonationLine.description),
            DonationLine.quantity,
            DonationLine.condition,
            Donation.voided_at,
        )
        .select_from(DonationLine)
        .join(Donation, DonationLine.donation_id == Donation.id)
        .join(Site, Donation.site_id == Site.id)
        .outerjoin(Donor, Donation.donor_id == Donor.id)
        .outerjoin(Title, DonationLine.title_id == Title.id)
        .order_by(Donation.id, DonationLine.position)
    )
    header = ["donation", "date", "site", "donor kind", "isbn", "title", "copies", "condition", "voided on"]
    rows = ((*row[:-1], row[-1].date() if row[-1] else None) for row in _streamed(stmt))
    return header, rows


def lots() -> Table:
    """Every lot, where it is now: status, reject reason, crate and shipment."""
    stmt = (
        sa.select(
            Lot.id,
            Donation.ref,
            Title.isbn13,
            sa.func.coalesce(Title.title, Lot.description),
            Lot.status,
            Lot.quantity,
            Lot.reject_reason,
            Lot.disposition,
            Crate.code,
            Shipment.ref,
        )
        .join(Donation, Lot.donation_id == Donation.id)
        .outerjoin(Title, Lot.title_id == Title.id)
        .outerjoin(Crate, Lot.crate_id == Crate.id)
        .outerjoin(Shipment, Crate.shipment_id == Shipment.id)
        .order_by(Lot.id)
    )
    header = ["lot", "donation", "isbn", "title", "status", "copies", "reject reason", "disposition", "crate", "shipment"]
    return header, _streamed(stmt)


SHIPMENT_DETAILS = tuple(field for field in shipping.TRANSPORT_FIELDS if field != "notes")


def shipments() -> Table:
    """One row per shipment, oldest first, with its recipient, transport details and totals."""
    header = ["shipment", "status", "recipient", "recipient (Arabic)", "city", "governorate"]
    header += [name.replace("_", " ") for name in SHIPMENT_DETAILS] + ["crates", "copies", "gross kg"]
    rows = (
        [s.ref, s.status, s.recipient.name_en, s.recipient.name_ar, s.recipient.city, s.recipient.governorate]
        + [getattr(s, name) for name in SHIPMENT_DETAILS]
        + [totals.crates, totals.copies, totals.gross_kg]
        for s, totals in reversed(shipping.list_shipments())
    )
    return header, rows


def crates() -> Table:
    """Every crate, oldest first: where it is packed and waits, its status, copies, weight and size, and its shipment."""
    held = copies_in_crates()
    stmt = (
        sa.select(Crate.code, Crate.sscc, Crate.status, Site.name, Crate.location, Recipient.name_en,
                  sa.func.coalesce(held.c.copies, 0), Crate.gross_kg, Crate.length_cm, Crate.width_cm, Crate.height_cm,
                  Crate.sealed_at, Shipment.ref, Pallet.code)
        .join(Site, Crate.site_id == Site.id)
        .outerjoin(held, held.c.crate_id == Crate.id)
        .outerjoin(Recipient, Crate.for_recipient_id == Recipient.id)
        .outerjoin(Shipment, Crate.shipment_id == Shipment.id)
        .outerjoin(Pallet, Crate.pallet_id == Pallet.id)
        .order_by(Crate.id)
    )
    header = ["crate", "sscc", "status", "warehouse", "location", "packed for", "copies", "gross kg", "length cm",
              "width cm", "height cm", "sealed on", "shipment", "pallet"]
    rows = ((*row[:11], row[11].date() if row[11] else None, *row[12:]) for row in _streamed(stmt))
    return header, rows


def pallets() -> Table:
    """Every pallet, oldest first: where it is built, its status, crates and copies, weight and size, and its shipment."""
    held = copies_in_crates()
    on_it = (
        sa.select(Crate.pallet_id, sa.func.count(Crate.id).label("crates"),
                  sa.func.sum(sa.func.coalesce(held.c.copies, 0)).label("copies"))
        .outerjoin(held, held.c.crate_id == Crate.id)
        .where(Crate.pallet_id.is_not(None))
        .group_by(Crate.pallet_id)
        .subquery()
    )
    stmt = (
        sa.select(Pallet.code, Pallet.sscc, Pallet.status, Site.name, sa.func.coalesce(on_it.c.crates, 0),
                  sa.func.coalesce(on_it.c.copies, 0), Pallet.gross_kg, Pallet.length_cm, Pallet.width_cm,
                  Pallet.height_cm, Pallet.sealed_at, Shipment.ref)
        .join(Site, Pallet.site_id == Site.id)
        .outerjoin(on_it, on_it.c.pallet_id == Pallet.id)
        .outerjoin(Shipment, Pallet.shipment_id == Shipment.id)
        .order_by(Pallet.id)
    )
    header = ["pallet", "sscc", "status", "warehouse", "crates", "copies", "gross kg", "length cm", "width cm",
              "height cm", "sealed on", "shipment"]
    rows = ((*row[:10], row[10].date() if row[10] else None, row[11]) for row in _streamed(stmt))
    return header, rows


def titles() -> Table:
    """The catalogue: every title, with the copies received of it in all."""
    received = sa.select(Lot.title_id, sa.func.sum(Lot.quantity).label("copies")).group_by(Lot.title_id).subquery()
    stmt = (
        sa.select(Title.id, Title.isbn13, Title.title, Title.authors, Title.publisher, Title.year, Title.language,
                  Title.subject, Title.level, Title.kind, Title.source, sa.func.coalesce(received.c.copies, 0))
        .outerjoin(received, received.c.title_id == Title.id)
        .order_by(Title.id)
    )
    header = ["title", "isbn", "name", "authors", "publisher", "year", "language", "subject", "level", "kind", "source",
              "copies received"]
    return header, _streamed(stmt)


RECIPIENT_COLUMNS = ("name_en", "name_ar", "kind", "address_en", "address_ar", "city", "governorate", "contact_name",
                     "contact_phone", "contact_email", "tax_number", "active")


def recipients() -> Table:
    """Every recipient, with the columns a sheet of recipients to import has (shipping/sheet.py), and whether active."""
    stmt = sa.select(*(getattr(Recipient, name) for name in RECIPIENT_COLUMNS)).order_by(Recipient.name_en)
    return [name.replace("_", " ") for name in RECIPIENT_COLUMNS], _streamed(stmt)


def sites() -> Table:
    """Every drop-off point and warehouse."""
    stmt = sa.select(Site.name, Site.kind, Site.city, Site.address, Site.active).order_by(Site.kind, Site.name)
    return ["name", "kind", "city", "address", "active"], _streamed(stmt)


EXPORTS: dict[str, Callable[[], Table]] = {
    "donations": donations, "lots": lots, "crates": crates, "pallets": pallets, "shipments": shipments, "titles": titles,
    "recipients": recipients, "sites": sites, "donor-contacts": donors.contacts,
}
