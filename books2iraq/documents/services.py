"""Each document as (filename, PDF bytes), for the pages and the commands alike."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from babel.lists import format_list
from flask_babel import gettext as _

from books2iraq.concurrency import release_reads
from books2iraq.crating.models import Crate
from books2iraq.documents import data, issuing
from books2iraq.documents.base import Progress
from books2iraq.documents.labels import SIZES as LABEL_SIZES
from books2iraq.documents.labels import CrateLabels
from books2iraq.documents.models import IssuedDocument, PaperKind
from books2iraq.documents.packing_list import CratePackingList, ShipmentPackingList
from books2iraq.documents.period_report import PeriodData, PeriodReport
from books2iraq.documents.pick_list import PickList
from books2iraq.documents.receipt import DonorReceipt, DonorYear
from books2iraq.documents.received_note import GoodsReceivedNote
from books2iraq.errors import DomainError
from books2iraq.i18n import cldr
from books2iraq.intake.models import Donation, Donor
from books2iraq.pallets.models import Pallet
from books2iraq.reports.period import Period, report
from books2iraq.shipping.models import Shipment

Document = tuple[str, bytes]


def require_crates(shipment: Shipment) -> None:
    if not shipment.crates:
        raise DomainError(_("Shipment %(ref)s has no crates yet; assign sealed crates before printing.", ref=shipment.ref))


class Drawable(Protocol):
    data: Any

    def render(self, progress: Progress | None = None) -> bytes: ...


@dataclass(frozen=True)
class Plan:
    """A document ready to draw: its file name, and the layout holding the figures it will print."""

    filename: str
    document: Drawable

    def drawn(self) -> Document:
        """The document holds plain, frozen data by now: a reading page's transaction ends before drawing."""
        release_reads()
        return self.filename, self.document.render()


def crate_label(crate: Crate, size: str = "a6") -> Document:
    return Plan(f"{crate.code}-label{_suffix(size)}.pdf", CrateLabels([data.crate_data(crate)], size=label_size(size))).drawn()


def crate_packing_list(crate: Crate) -> Document:
    return Plan(f"{crate.code}-packing-list.pdf", CratePackingList(data.crate_data(crate))).drawn()


def pallet_label(pallet: Pallet, size: str = "a6") -> Document:
    return Plan(f"{pallet.code}-label{_suffix(size)}.pdf", CrateLabels([data.pallet_data(pallet)], size=label_size(size))).drawn()


def labels_plan(shipment: Shipment, size: str = "a6") -> Plan:
    """Every pallet's label, then every crate's: what a label shows of a crate needs no more of its
    contents than its copies."""
    require_crates(shipment)
    size = label_size(size)
    figures = data.shipment_data(shipment, "copies")
    return Plan(f"{shipment.ref}-labels{_suffix(size)}.pdf", CrateLabels([*figures.pallets, *figures.crates], size=size))


def shipment_labels(shipment: Shipment, size: str = "a6") -> Document:
    return labels_plan(shipment, size).drawn()


def _suffix(size: str) -> str:
    return "" if size == "a6" else f"-{size}"


def label_size(size: str) -> str:
    if size not in LABEL_SIZES:
        sizes = format_list(list(LABEL_SIZES), locale=cldr())  # "a6 and 4x6"
        raise DomainError(_("Labels come in %(sizes)s, not “%(size)s”.", sizes=sizes, size=size))
    return size


def packing_list_plan(shipment: Shipment) -> Plan:
    require_crates(shipment)
    return Plan(f"{shipment.ref}-packing-list.pdf", ShipmentPackingList(data.shipment_data(shipment)))


def shipment_packing_list(shipment: Shipment) -> Document:
    return packing_list_plan(shipment).drawn()


def draft_plan(shipment: Shipment, kind: PaperKind) -> Plan:
    """A customs paper not issued yet: a DRAFT, from today's figures."""
    require_crates(shipment)
    return Plan(f"{shipment.ref}-{kind.slug}-DRAFT.pdf", issuing.PAPERS[kind](data.manifest_data(shipment)))


def shipment_paper(shipment: Shipment, kind: PaperKind) -> Document:
    """A customs paper: the newest issued revision, exactly as issued; before it is issued, a DRAFT."""
    require_crates(shipment)
    issued = issuing.latest(shipment, kind)
    if issued is not None:
        return _issued(shipment, issued)
    return draft_plan(shipment, kind).drawn()


def customs_manifest(shipment: Shipment) -> Document:
    return shipment_paper(shipment, PaperKind.MANIFEST)


def certificate_of_origin(shipment: Shipment) -> Document:
    return shipment_paper(shipment, PaperKind.ORIGIN)


def certificate_of_donation(shipment: Shipment) -> Document:
    return shipment_paper(shipment, PaperKind.DONATION)


def issued_paper(shipment: Shipment, kind: PaperKind, revision: int) -> Document:
    """One revision of an issued paper, the very PDF that was issued."""
    return _issued(shipment, issuing.get_revision(shipment, revision, kind))


def _issued(shipment: Shipment, issued: IssuedDocument) -> Document:
    filename, pdf = issued.filename, issued.pdf
    release_reads()
    return filename, pdf


def donor_receipt(donation: Donation) -> Document:
    return Plan(f"{donation.ref}-receipt.pdf", DonorReceipt(data.receipt_data(donation))).drawn()


def donor_year(donor: Donor, year: int) -> Document:
    return Plan(f"donor-{donor.id}-{year}.pdf", DonorYear(data.year_data(donor, year))).drawn()


def period_report(period: Period) -> Document:
    """The report for funders over a period; the annual report when the period is a calendar year."""
    data_ = PeriodData(report(period), data.consignor(), date.today().isoformat())
    name = f"annual-report-{period.whole_year}" if period.whole_year else f"report-{period.start}-{period.end}"
    return Plan(f"books2iraq-{name}.pdf", PeriodReport(data_)).drawn()


def goods_received_note(shipment: Shipment) -> Document:
    return Plan(f"{shipment.ref}-goods-received-note.pdf", GoodsReceivedNote(data.received_note_data(shipment))).drawn()


def pick_list(shipment: Shipment) -> Document:
    require_crates(shipment)
    return Plan(f"{shipment.ref}-pick-list.pdf", PickList(data.pick_data(shipment))).drawn()
