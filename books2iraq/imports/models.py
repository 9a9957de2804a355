from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from books2iraq.auth.models import User
from books2iraq.db import utcnow
from books2iraq.extensions import Model


class ImportKind(enum.StrEnum):
    DONATION = "donation"  # the lines of one donation: a publisher's list, a school drive's counted boxes
    RECIPIENTS = "recipients"
    SITES = "sites"


class SheetImport(Model):
    """A spreadsheet uploaded to be imported: the file itself (kept, as what was imported), who sent it,
    and, once imported, when, what it became and how many of its rows were left out. The same file (by
    its SHA-256) is imported once per kind: a unique index over the imported ones refuses it again, even
    from two people at the same moment."""

    __tablename__ = "sheet_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportKind]
    file_name: Mapped[str] = mapped_column(sa.String(200))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    rows: Mapped[int]  # rows read below the header, empty ones left out
    imported_at: Mapped[datetime | None]
    imported_rows: Mapped[int | None]
    left_out: Mapped[list[int] | None] = mapped_column(sa.JSON)  # the row numbers deliberately left out
    result_ref: Mapped[str | None] = mapped_column(sa.String(32))  # what it became: a donation's ref, or how many added

    uploaded_by: Mapped[User] = relationship()

    __table_args__ = (
        sa.Index("ix_sheet_imports_once", "kind", "sha256", unique=True,
                 sqlite_where=sa.text("imported_at IS NOT NULL"), postgresql_where=sa.text("imported_at IS NOT NULL")),
        sa.Index("ix_sheet_imports_sha256", "sha256"),
        sa.CheckConstraint("(imported_at IS NULL) = (imported_rows IS NULL) AND (imported_at IS NULL) = (result_ref IS NULL)",
                           name="imported_whole"),
    )
