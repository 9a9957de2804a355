from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship

from books2iraq.db import TimestampMixin, utcnow
from books2iraq.extensions import Model

if TYPE_CHECKING:
    from books2iraq.auth.models import User
    from books2iraq.crating.models import Crate
    from books2iraq.sites.models import Site


class DonorKind(enum.StrEnum):
    INDIVIDUAL = "individual"
    SCHOOL_DRIVE = "school_drive"
    PUBLISHER = "publisher"
    LIBRARY_CLEARANCE = "library_clearance"
    ORGANISATION = "organisation"


class ReadingLevel(enum.StrEnum):
    CHILDREN = "children"
    SECONDARY = "secondary"
    UNIVERSITY = "university"
    GENERAL = "general"


class TitleKind(enum.StrEnum):
    """What the customs tariff cares about; each kind has its HS code."""

    BOOK = "book"
    DICTIONARY = "dictionary"
    CHILDRENS_PICTURE = "childrens_picture"
    PERIODICAL = "periodical"

    @property
    def hs_code(self) -> str:
        return HS_CODES[self]


# The customs tariff (Harmonized System) heading of each kind of title, and its description in
# English and Arabic as the customs manifest prints it.
HS_CODES: dict[TitleKind, str] = {
    TitleKind.BOOK: "4901.99",
    TitleKind.DICTIONARY: "4901.91",
    TitleKind.CHILDRENS_PICTURE: "4903.00",
    TitleKind.PERIODICAL: "4902.90",
}
HS_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "4901.99": ("Printed books", "كتب مطبوعة"),
    "4901.91": ("Dictionaries and encyclopaedias", "قواميس وموسوعات"),
    "4903.00": ("Children's picture books", "كتب مصورة للأطفال"),
    "4902.90": ("Periodicals", "دوريات"),
}


class DataSource(enum.StrEnum):
    """Where a title's details came from (none: typed by a person)."""

    OPEN_LIBRARY = "open_library"  # an Open Library editions dump
    MARC = "marc"  # a MARC 21 file (a library's catalogue)
    CSV = "csv"  # a spreadsheet
    OPEN_LIBRARY_ONLINE = "open_library_online"  # looked up on openlibrary.org (catalogue/online.py)


class Condition(enum.StrEnum):
    NEW = "new"
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"


class LotStatus(enum.StrEnum):
    RECEIVED = "received"  # logged at a drop-off point, not sorted yet
    ACCEPTED = "accepted"  # sorted, fit to send, waiting for a crate
    REJECTED = "rejected"  # sorted out, with a reason and a disposition
    PACKED = "packed"  # in a crate
    VOID = "void"  # counted away entirely by corrections (quantity 0); kept for the record


class RejectReason(enum.StrEnum):
    WATER_DAMAGED = "water_damaged"
    MOULD = "mould"
    TORN_OR_INCOMPLETE = "torn_or_incomplete"
    OUTDATED = "outdated"
    INAPPROPRIATE = "inappropriate"
    NOT_WANTED = "not_wanted"
    SURPLUS = "surplus"
    OTHER = "other"


class Disposition(enum.StrEnum):
    RECYCLE = "recycle"
    DONATE_LOCALLY = "donate_locally"
    RETURN_TO_DONOR = "return_to_donor"
    DISCARD = "discard"


class Donor(TimestampMixin, Model):
    __tablename__ = "donors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[DonorKind] = mapped_column(default=DonorKind.INDIVIDUAL)
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    consent_to_contact: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    consent_at: Mapped[datetime | None]

    __table_args__ = (
        sa.CheckConstraint("consent_to_contact = false OR consent_at IS NOT NULL", name="consent_dated"),
    )


class Title(TimestampMixin, Model):
    __tablename__ = "titles"

    id: Mapped[int] = mapped_column(primary_key=True)
    isbn13: Mapped[str | None] = mapped_column(sa.String(13), unique=True)
    # None until someone catalogues a scanned ISBN nobody had seen before.
    title: Mapped[str | None] = mapped_column(sa.String(500))
    authors: Mapped[str | None] = mapped_column(sa.String(500))
    publisher: Mapped[str | None] = mapped_column(sa.String(200))
    year: Mapped[int | None]
    language: Mapped[str | None] = mapped_column(sa.String(8))  # ISO 639-1: en, ar, ku …
    subject: Mapped[str | None] = mapped_column(sa.String(120))
    level: Mapped[ReadingLevel] = mapped_column(default=ReadingLevel.GENERAL)
    kind: Mapped[TitleKind] = mapped_column(default=TitleKind.BOOK)
    # Where its details came from: the local catalogue's source (catalogue/models.py); none: typed by a person.
    source: Mapped[DataSource | None]

    __table_args__ = (
        sa.CheckConstraint("isbn13 IS NULL OR length(isbn13) = 13", name="isbn13_length"),
        sa.CheckConstraint("year IS NULL OR (year >= 1450 AND year <= 2100)", name="year_range"),
        sa.CheckConstraint("isbn13 IS NOT NULL OR title IS NOT NULL", name="isbn_or_title"),
    )

    @property
    def display(self) -> str:
        return self.title or _("ISBN %(isbn)s (not catalogued yet)", isbn=self.isbn13)

    def __repr__(self) -> str:
        return f"<Title {self.isbn13 or '-'} {self.title!r}>"


class Donation(TimestampMixin, Model):
    __tablename__ = "donations"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(sa.String(32), unique=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), index=True)
    donor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("donors.id"), index=True)
    received_on: Mapped[date]
    received_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    # Sent by the intake form so that a double submit records the donation once.
    submission_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # A donation kept on an intake device while it had no connection (intake/offline.py): the receipt
    # number the device gave the donor, and when the device kept it.
    offline_receipt: Mapped[str | None] = mapped_column(sa.String(9), index=True)
    kept_offline_at: Mapped[datetime | None]
    # A donation recorded in error is voided, never deleted: its lines and lots stay, counted away.
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str | None] = mapped_column(sa.String(500))

    site: Mapped[Site] = relationship()
    donor: Mapped[Donor | None] = relationship()
    received_by: Mapped[User] = relationship()
    lines: Mapped[list[DonationLine]] = relationship(
        back_populates="donation", order_by="DonationLine.position", cascade="all, delete-orphan"
    )
    lots: Mapped[list[Lot]] = relationship(back_populates="donation", order_by="Lot.id")
    corrections: Mapped[list[DonationCorrection]] = relationship(
        back_populates="donation", order_by="DonationCorrection.id"
    )

    __table_args__ = (
        sa.CheckConstraint("(voided_at IS NULL) = (void_reason IS NULL)", name="void_has_reason"),
        sa.CheckConstraint("(offline_receipt IS NULL) = (kept_offline_at IS NULL)", name="offline_receipt_and_time"),
    )

    @property
    def voided(self) -> bool:
        return self.voided_at is not None


class DonationLine(Model):
    """One line as it was handed over: a scanned title with its count, or a counted bag. Never changes."""

    __tablename__ = "donation_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    donation_id: Mapped[int] = mapped_column(sa.ForeignKey("donations.id"), index=True)
    position: Mapped[int]
    title_id: Mapped[int | None] = mapped_column(sa.ForeignKey("titles.id"), index=True)
    description: Mapped[str | None] = mapped_column(sa.String(500))
    quantity: Mapped[int]
    condition: Mapped[Condition] = mapped_column(default=Condition.GOOD)

    donation: Mapped[Donation] = relationship(back_populates="lines")
    title: Mapped[Title | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("title_id IS NOT NULL OR description IS NOT NULL", name="title_or_description"),
        sa.UniqueConstraint("donation_id", "position"),
    )


class Lot(TimestampMixin, Model):
    """A number of identical copies in one state and one place."""

    __tablename__ = "lots"

    id: Mapped[int] = mapped_column(primary_key=True)
    donation_id: Mapped[int] = mapped_column(sa.ForeignKey("donations.id"), index=True)
    line_id: Mapped[int] = mapped_column(sa.ForeignKey("donation_lines.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lots.id"))
    title_id: Mapped[int | None] = mapped_column(sa.ForeignKey("titles.id"), index=True)
    description: Mapped[str | None] = mapped_column(sa.String(500))
    quantity: Mapped[int]
    condition: Mapped[Condition] = mapped_column(default=Condition.GOOD)
    status: Mapped[LotStatus] = mapped_column(default=LotStatus.RECEIVED)
    reject_reason: Mapped[RejectReason | None]
    disposition: Mapped[Disposition | None]
    reject_note: Mapped[str | None] = mapped_column(sa.String(500))
    crate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("crates.id"))
    # Set aside for a recipient's wish-list before packing (wishes/services.py): packed only for it.
    earmarked_for_id: Mapped[int | None] = mapped_column(sa.ForeignKey("recipients.id"), index=True)
    # Bumped on every change; a concurrent change of the same lot fails instead of double-counting.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    donation: Mapped[Donation] = relationship(back_populates="lots")
    line: Mapped[DonationLine] = relationship()
    title: Mapped[Title | None] = relationship()
    crate: Mapped[Crate | None] = relationship(back_populates="lots")

    __mapper_args__ = {"version_id_col": version}

    __table_args__ = (
        sa.CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        sa.CheckConstraint("quantity > 0 OR status = 'void'", name="only_void_is_empty"),
        sa.CheckConstraint("(status = 'packed') = (crate_id IS NOT NULL)", name="packed_iff_in_crate"),
        sa.CheckConstraint(
            "(status = 'rejected') = (reject_reason IS NOT NULL AND disposition IS NOT NULL)",
            name="rejected_has_reason",
        ),
        sa.CheckConstraint(
            "status NOT IN ('accepted', 'packed') OR title_id IS NOT NULL", name="sent_lots_catalogued"
        ),
        sa.CheckConstraint("title_id IS NOT NULL OR description IS NOT NULL", name="title_or_description"),
        # Covering indexes: copies per stage and per crate/shipment are summed from the index alone
        # (dashboard at 1M lots on SQLite: shipment board 1.0 s -> 0.06 s, stages 1.0 s -> 0.6 s), and so
        # are a crate's copies per title (a full container's copies per HS code: 137 ms -> 30 ms).
        sa.Index("ix_lots_status_crate_id_quantity", "status", "crate_id", "quantity"),
        sa.Index("ix_lots_crate_id_title_id_quantity", "crate_id", "title_id", "quantity"),
        # The sorting queue (the lots in one state, oldest first), a page deep in it included: 64 ms -> 2 ms.
        sa.Index("ix_lots_status_id", "status", "id"),
        # The stock that fills a wish-list, per title, from the index alone (1M lots: 94 ms -> 36 ms).
        sa.Index("ix_lots_status_earmarked_title_quantity", "status", "earmarked_for_id", "title_id", "quantity"),
    )

    @property
    def label(self) -> str:
        """What a person sees: the title, or the description of an uncatalogued bag."""
        return self.title.display if self.title is not None else (self.description or _("Lot %(lot)s", lot=self.id))

    def __repr__(self) -> str:
        return f"<Lot {self.id} {self.status} x{self.quantity}>"


class CountCorrection(Model):
    """A recorded change of a lot's count (miscounted bag, copy found or lost), with its reason."""

    __tablename__ = "count_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(sa.ForeignKey("lots.id"), index=True)
    donation_id: Mapped[int] = mapped_column(sa.ForeignKey("donations.id"), index=True)
    delta: Mapped[int]
    reason: Mapped[str] = mapped_column(sa.String(500))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    lot: Mapped[Lot] = relationship()

    __table_args__ = (
        sa.CheckConstraint("delta <> 0", name="delta_not_zero"),
        sa.CheckConstraint("length(reason) > 0", name="reason_given"),
    )


class CorrectionKind(enum.StrEnum):
    DETAILS = "details"  # the donor, the date or the note
    LINE_ADDED = "line_added"  # a line forgotten at the drop-off point
    VOIDED = "voided"  # the whole donation was recorded in error


class DonationCorrection(Model):
    """A correction of a donation as it was recorded, with its reason: what it was, what it became."""

    __tablename__ = "donation_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    donation_id: Mapped[int] = mapped_column(sa.ForeignKey("donations.id"), index=True)
    kind: Mapped[CorrectionKind]
    reason: Mapped[str] = mapped_column(sa.String(500))
    # {"what": {"before": …, "after": …}, …}: each thing the correction changed.
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    donation: Mapped[Donation] = relationship(back_populates="corrections")
    actor: Mapped[User] = relationship()

    __table_args__ = (sa.CheckConstraint("length(reason) > 0", name="reason_given"),)
