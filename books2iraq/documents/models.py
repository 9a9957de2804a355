"""Issued documents: once a coordinator issues a shipment's customs papers, what was issued is kept
as it was (the PDF itself, and the figures it printed), whatever changes in the records after."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from books2iraq.db import utcnow
from books2iraq.extensions import Model

if TYPE_CHECKING:
    from books2iraq.auth.models import User
    from books2iraq.shipping.models import Shipment


class PaperKind(enum.StrEnum):
    """The customs papers issued together for a shipment."""

    MANIFEST = "manifest"  # customs manifest / pro-forma invoice
    ORIGIN = "certificate_of_origin"
    DONATION = "certificate_of_donation"

    @property
    def heading(self) -> str:
        return {"manifest": "Customs manifest", "certificate_of_origin": "Certificate of origin",
                "certificate_of_donation": "Certificate of donation"}[self.value]

    @property
    def slug(self) -> str:
        """As in its file name and address: certificate-of-origin."""
        return self.value.replace("_", "-")


class IssuedDocument(Model):
    """One revision of one of a shipment's customs papers, frozen when it was issued."""

    __tablename__ = "issued_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(sa.ForeignKey("shipments.id"), index=True)
    kind: Mapped[PaperKind]
    number: Mapped[str] = mapped_column(sa.String(20))  # the invoice number, the same for every revision
    revision: Mapped[int]
    issued_on: Mapped[date]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(sa.Text)  # why a revision corrects the one before
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON, deferred=True)  # the figures it printed (a full container's are long)
    pdf: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))

    shipment: Mapped[Shipment] = relationship()
    issued_by: Mapped[User] = relationship()

    @property
    def filename(self) -> str:
        return f"{self.number}-rev{self.revision}-{self.shipment.ref}-{self.kind.slug}.pdf"

    __table_args__ = (
        sa.UniqueConstraint("shipment_id", "kind", "revision"),
        sa.CheckConstraint("revision >= 1", name="revision_positive"),
        sa.CheckConstraint("revision = 1 OR reason IS NOT NULL", name="revision_has_reason"),
    )


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class DocumentFile(Model):
    """A drawn document, kept under the hash of what it shows (documents/jobs.py): asked for again with
    nothing changed, it is this very file, at once."""

    __tablename__ = "document_files"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    size: Mapped[int]
    pdf: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class DocumentJob(Model):
    """Somebody asked for a long document (a shipment's labels, packing list or manifest): the worker
    draws it in the background and notes how far it has got; the page shows that, then the file."""

    __tablename__ = "document_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))  # documents.jobs.KINDS: labels, packing-list, manifest
    subject: Mapped[str] = mapped_column(sa.String(40))  # the shipment's ref
    size: Mapped[str | None] = mapped_column(sa.String(8))  # labels: a6 or 4x6
    status: Mapped[JobStatus] = mapped_column(default=JobStatus.QUEUED)
    done: Mapped[int] = mapped_column(default=0)  # labels drawn, or pages
    total: Mapped[int | None]  # labels to draw; None when the number of pages is not known in advance
    message: Mapped[str | None] = mapped_column(sa.String(500))  # why it failed
    file_key: Mapped[str | None] = mapped_column(sa.ForeignKey("document_files.key", ondelete="SET NULL"))
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    file: Mapped[DocumentFile | None] = relationship()
    requested_by: Mapped[User] = relationship()

    __table_args__ = (
        sa.Index("ix_document_jobs_asked", "kind", "subject", "size", "status"),
        sa.CheckConstraint("done >= 0", name="done_not_negative"),
    )
