"""Each document as (filename, PDF bytes), for the pages and the commands alike."""
from __future__ import annotations

from typing import Protocol

from books2iraq.concurrency import release_reads
from books2iraq.crating.models import Crate
from books2iraq.documents import data, issuing
from books2iraq.documents.labels import SIZES as LABEL_SIZES
from books2iraq.documents.labels import CrateLabels
from books2iraq.documents.models import IssuedDocument, PaperKind
from books2iraq.documents.packing_list import CratePackingList, ShipmentPackingList
from books2iraq.documents.receipt import DonorReceipt
from books2iraq.errors import DomainError
from books2iraq.intake.models import Donation
from books2iraq.shipping.models import Shipment

Document = tuple[str, bytes]


def _require_crates(shipment: Shipment) -> None:
    if not shipment.crates:
        raise DomainError(f"Shipment {shipment.ref} has no crates yet; assign sealed crates before printing.")


class Drawable(Protocol):
    def render(self) -> bytes: ...


def _drawn(filename: str, document: Drawable) -> Document:
    """The document holds plain, frozen data by now: a reading page's transaction ends before drawing."""
    release_reads()
    return filename, document.render()


def crate_label(crate: Crate, size: str = "a6") -> Document:
    return _drawn(f"{crate.code}-label{_suffix(size)}.pdf", CrateLabels([data.crate_data(crate)], size=_label_size(size)))


def crate_packing_list(crate: Crate) -> Document:
    return _drawn(f"{crate.code}-packing-list.pdf", CratePackingList(data.crate_data(crate)))


def shipment_labels(shipment: Shipment, size: str = "a6") -> Document:
    _require_crates(shipment)
    crates = list(data.shipment_data(shipment).crates)
    return _drawn(f"{shipment.ref}-labels{_suffix(size)}.pdf", CrateLabels(crates, size=_label_size(size)))


def _suffix(size: str) -> str:
    return "" if size == "a6" else f"-{size}"


def _label_size(size: str) -> str:
    if size not in LABEL_SIZES:
        raise DomainError(f"Labels come in {' and '.join(LABEL_SIZES)}, not “{size}”.")
    return size


def shipment_packing_list(shipment: Shipment) -> Document:
    _require_crates(shipment)
    return _drawn(f"{shipment.ref}-packing-list.pdf", ShipmentPackingList(data.shipment_data(shipment)))


def shipment_paper(shipment: Shipment, kind: PaperKind) -> Document:
    """A customs paper: the newest issued revision, exactly as issued; before it is issued, a DRAFT."""
    _require_crates(shipment)
    issued = issuing.latest(shipment, kind)
    if issued is not None:
        return _issued(shipment, issued)
    draft = issuing.PAPERS[kind](data.manifest_data(shipment))
    return _drawn(f"{shipment.ref}-{kind.slug}-DRAFT.pdf", draft)


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
    return _drawn(f"{donation.ref}-receipt.pdf", DonorReceipt(data.receipt_data(donation)))
