"""Issuing a shipment's customs papers: the act that gives the pro-forma invoice its number and date
and freezes it, with the certificates of origin and of donation that match it. Until then every
print says DRAFT; after it, every download is the very PDF that was issued, whatever changes in the
records. A correction is a new revision of all three, with its reason."""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from books2iraq import audit, refs
from books2iraq.admin.services import get_organisation
from books2iraq.auth.models import User
from books2iraq.concurrency import unique
from books2iraq.crating.models import Crate
from books2iraq.documents import data
from books2iraq.documents.certificates import CertificateOfDonation, CertificateOfOrigin
from books2iraq.documents.manifest import CustomsManifest, CustomsPaper
from books2iraq.documents.models import IssuedDocument, PaperKind
from books2iraq.errors import DomainError, NotFound
from books2iraq.extensions import db
from books2iraq.i18n import N_, listed
from books2iraq.shipping.models import Shipment
from books2iraq.shipping.services import FREIGHT_PAID, INSURANCE_PAID, SHIPMENT

# The papers issued together, in this order, each drawn from the same figures.
PAPERS: dict[PaperKind, type[CustomsPaper]] = {
    PaperKind.MANIFEST: CustomsManifest,
    PaperKind.ORIGIN: CertificateOfOrigin,
    PaperKind.DONATION: CertificateOfDonation,
}

N_("customs manifest")  # kind.heading.lower(), as a refusal names a paper (the certificates' are labels' words)

# What the papers must name before customs will take them, as the admin's organisation page calls it.
ORGANISATION_NEEDS = (("address", N_("address")), ("phone", N_("phone")), ("signatory_name", N_("signatory's name")))


def _organisation_is_set_up() -> None:
    organisation = get_organisation()
    missing = [_(name) for field, name in ORGANISATION_NEEDS if not getattr(organisation, field)]
    if missing:
        raise DomainError(_(
            "Customs papers need the organisation's %(missing)s: an admin sets them under Admin → Organisation, "
            "then issue again.", missing=listed(missing)))


def _terms_are_complete(shipment: Shipment) -> None:
    """Under an Incoterm whose seller pays the carriage (and its insurance), the invoice shows what was paid."""
    missing = [
        what for what, needed, amount in (
            (N_("freight"), FREIGHT_PAID, shipment.freight), (N_("insurance"), INSURANCE_PAID, shipment.insurance),
        )
        if shipment.incoterm in needed and amount is None
    ]
    if missing:
        incoterm = shipment.incoterm.value if shipment.incoterm else ""
        raise DomainError(
            _("Under %(incoterm)s the papers show the %(missing)s paid: enter the amount with the transport details, "
              "then issue again.", incoterm=incoterm, missing=_(missing[0])) if len(missing) == 1 else
            _("Under %(incoterm)s the papers show the %(missing)s paid: enter the amounts with the transport details, "
              "then issue again.", incoterm=incoterm, missing=listed([_(what) for what in missing]))
        )


def revisions(shipment: Shipment, kind: PaperKind = PaperKind.MANIFEST) -> list[IssuedDocument]:
    """The issued revisions of one paper, newest first, with who issued them (without their PDFs)."""
    return list(
        db.session.scalars(
            sa.select(IssuedDocument)
            .options(selectinload(IssuedDocument.issued_by))
            .where(IssuedDocument.shipment_id == shipment.id, IssuedDocument.kind == kind)
            .order_by(IssuedDocument.revision.desc())
        )
    )


latest = data.latest_issued


def get_revision(shipment: Shipment, revision: int, kind: PaperKind = PaperKind.MANIFEST) -> IssuedDocument:
    issued = db.session.scalar(
        sa.select(IssuedDocument).where(
            IssuedDocument.shipment_id == shipment.id, IssuedDocument.kind == kind, IssuedDocument.revision == revision
        )
    )
    if issued is None:
        raise NotFound(_("Shipment %(ref)s has no revision %(revision)s of its %(paper)s.",
                         ref=shipment.ref, revision=revision, paper=_(kind.heading.lower())))
    return issued


def issue_papers(
    shipment: Shipment, *, actor: User, reason: str | None = None, on: date | None = None
) -> list[IssuedDocument]:
    """Issue the shipment's customs papers together: the manifest / pro-forma invoice, the certificate
    of origin and the certificate of donation, one revision of each, from the same figures. The first
    revision takes an invoice number (PI-2026-0007) and today's date (`on` another day: the demo's
    history); a later one keeps the number and must say what it corrects. Returns the papers, the
    manifest first."""
    SHIPMENT.check(shipment, "issue_papers")  # locks the shipment: one issue at a time
    _organisation_is_set_up()
    _terms_are_complete(shipment)
    reason = (reason or "").strip() or None
    before = latest(shipment)
    if before is not None and reason is None:
        raise DomainError(_("The customs papers of %(ref)s were issued as %(number)s; say what a new revision corrects.",
                            ref=shipment.ref, number=before.number))
    today = on or date.today()
    if shipment.invoice_no is None:
        shipment.invoice_no = refs.invoice_ref(today.year)
    revision = 1 if before is None else before.revision + 1
    invoice = data.Invoice(number=shipment.invoice_no, date=today.isoformat(), revision=revision, reason=reason)
    figures = data.manifest_data(shipment, invoice=invoice)
    content = snapshot(figures)
    papers = []
    for kind, document in PAPERS.items():
        pdf = document(figures).render()
        papers.append(IssuedDocument(
            shipment=shipment, kind=kind, number=shipment.invoice_no, revision=revision, issued_on=today,
            issued_by=actor, reason=reason, content=content, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(),
        ))
    with unique(f"The customs papers of {shipment.ref} were issued by someone else just now; reload the page."):
        db.session.add_all(papers)
        db.session.flush()
    audit.record(
        actor, "shipment.papers_issued", shipment, invoice=shipment.invoice_no, revision=revision, reason=reason,
        sha256={paper.kind.value: paper.sha256 for paper in papers},
    )
    return papers


def snapshot(manifest: data.ManifestData) -> dict[str, Any]:
    """The figures a manifest prints, as JSON (decimals as text, exactly as printed)."""
    def plain(value: object) -> object:
        return str(value) if isinstance(value, Decimal) else value

    raw = dataclasses.asdict(manifest)
    return json.loads(json.dumps(raw, default=plain))


def changed_since(issued: IssuedDocument, shipment: Shipment) -> bool:
    """Whether the records now say something else than the issued revision printed: its parties,
    transport and terms, its lines per HS code (packages, copies, weights, value) and how many crates.
    Each crate's own figures count through those lines; comparing them crate by crate (as revisions
    record them) took a full container's shipment page a third of a second."""
    then = _compared(issued)
    now = snapshot(data.manifest_data(shipment, invoice=data.Invoice(**then["invoice"]), crates=False))
    on_it = db.session.scalar(sa.select(sa.func.count()).select_from(Crate).where(Crate.shipment_id == shipment.id))
    now["shipment"] = _described(now["shipment"], on_it or 0)
    return recorded(now, then) != then


def _described(shipment: dict[str, Any], crates: int) -> dict[str, Any]:
    """The day it is printed and the papers' own number are not what the papers describe; its crates are
    compared by their number, its pallets by the manifest's count of them (and their weight, in its lines)."""
    left_out = ("issued_on", "invoice", "crates", "pallets")
    return {k: v for k, v in shipment.items() if k not in left_out} | {"crates": crates}


def _compared(issued: IssuedDocument) -> dict[str, Any]:
    """What changed_since compares of an issued revision (not to be changed): its figures, with its
    crates counted. A full container's revision holds every crate's lines (800 KB): read and parsed
    once a process (a revision never changes), not on every view of its shipment. The PDF's digest
    keeps apart another database's revision of the same id."""
    return _compared_revision(issued.id, issued.sha256)


@functools.lru_cache(maxsize=256)
def _compared_revision(issued_id: int, sha256: str) -> dict[str, Any]:
    content = db.session.execute(sa.select(IssuedDocument.content).where(IssuedDocument.id == issued_id)).scalar_one()
    return {**content, "shipment": _described(content["shipment"], len(content["shipment"].get("crates", [])))}


def recorded(now: Any, then: Any) -> Any:
    """`now` as far as `then` recorded it: a figure that only one of them records (the snapshot
    grew or shrank with the code since) is not a change to what the revision printed."""
    if isinstance(now, dict) and isinstance(then, dict):
        return {k: recorded(now[k], then[k]) if k in now else then[k] for k in then}
    if isinstance(now, list) and isinstance(then, list) and len(now) == len(then):
        return [recorded(a, b) for a, b in zip(now, then, strict=True)]
    return now
