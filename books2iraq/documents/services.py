"""Each document as (filename, PDF bytes), for the pages and the commands alike."""
from __future__ import annotations

from books2iraq.crating.models import Crate
from books2iraq.documents import data
from books2iraq.documents.labels import CrateLabels
from books2iraq.documents.manifest import CustomsManifest
from books2iraq.documents.packing_list import CratePackingList, ShipmentPackingList
from books2iraq.documents.receipt import DonorReceipt
from books2iraq.errors import DomainError
from books2iraq.intake.models import Donation
from books2iraq.shipping.models import Shipment

Document = tuple[str, bytes]


def _require_crates(shipment: Shipment) -> None:
    if not shipment.crates:
        raise DomainError(f"Shipment {shipment.ref} has no crates yet; assign sealed crates before printing.")


def crate_label(crate: Crate) -> Document:
    return f"{crate.code}-label.pdf", CrateLabels([data.crate_data(crate)], sender=data.consignor().name).render()


def crate_packing_list(crate: Crate) -> Document:
    return f"{crate.code}-packing-list.pdf", CratePackingList(data.crate_data(crate)).render()


def shipment_labels(shipment: Shipment) -> Document:
    _require_crates(shipment)
    shipment_data = data.shipment_data(shipment)
    return f"{shipment.ref}-labels.pdf", CrateLabels(list(shipment_data.crates), sender=shipment_data.consignor.name).render()


def shipment_packing_list(shipment: Shipment) -> Document:
    _require_crates(shipment)
    return f"{shipment.ref}-packing-list.pdf", ShipmentPackingList(data.shipment_data(shipment)).render()


def customs_manifest(shipment: Shipment) -> Document:
    _require_crates(shipment)
    return f"{shipment.ref}-customs-manifest.pdf", CustomsManifest(data.manifest_data(shipment)).render()


def donor_receipt(donation: Donation) -> Document:
    return f"{donation.ref}-receipt.pdf", DonorReceipt(data.receipt_data(donation)).render()
