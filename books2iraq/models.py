"""Every model, imported once so that the metadata (and Alembic) sees the whole schema."""
from books2iraq.admin.models import Organisation
from books2iraq.audit import AuditEvent
from books2iraq.auth.models import User
from books2iraq.auth.sign_ins import SignIn
from books2iraq.auth.tokens import ApiToken
from books2iraq.catalogue.models import CatalogueImport, CatalogueLookup, CatalogueRecord, OutdatedRule
from books2iraq.crating.models import Crate
from books2iraq.documents.models import DocumentFile, DocumentJob, IssuedDocument
from books2iraq.imports.models import SheetImport
from books2iraq.intake.models import (
    CountCorrection,
    Donation,
    DonationCorrection,
    DonationLine,
    Donor,
    Lot,
    Title,
)
from books2iraq.pallets.models import Pallet
from books2iraq.receiving.models import CrateReceipt, ReceiptLine, ReceivedNote
from books2iraq.refs import RefCounter
from books2iraq.reports.models import Tally
from books2iraq.shipping.models import Recipient, Shipment, ShipmentEvent
from books2iraq.sites.models import Site
from books2iraq.wishes.models import WishItem

__all__ = [
    "ApiToken",
    "AuditEvent",
    "CatalogueImport",
    "CatalogueLookup",
    "CatalogueRecord",
    "CountCorrection",
    "Crate",
    "CrateReceipt",
    "DocumentFile",
    "DocumentJob",
    "Donation",
    "DonationCorrection",
    "DonationLine",
    "Donor",
    "IssuedDocument",
    "Lot",
    "Organisation",
    "OutdatedRule",
    "Pallet",
    "ReceiptLine",
    "ReceivedNote",
    "Recipient",
    "RefCounter",
    "Shipment",
    "SignIn",
    "ShipmentEvent",
    "SheetImport",
    "Site",
    "Tally",
    "Title",
    "User",
    "WishItem",
]
