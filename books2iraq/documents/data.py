"""The figures the documents print, gathered once in SQL so every document of a shipment agrees.

Layout code never queries: it receives these frozen dataclasses. The customs lines are derived from
the same crates as the packing list, so their totals are equal by construction (and tested).
"""
from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import sqlalchemy as sa
from flask import current_app

from books2iraq.admin.services import get_organisation
from books2iraq.crating.models import Crate
from books2iraq.documents import words
from books2iraq.documents.models import IssuedDocument, PaperKind
from books2iraq.extensions import db
from books2iraq.intake import donors
from books2iraq.intake.models import HS_DESCRIPTIONS, Donation, Donor, Lot, Title
from books2iraq.labels import words as label_words
from books2iraq.pallets.models import Pallet
from books2iraq.receiving.services import reconciliation
from books2iraq.shipping.models import Recipient, Shipment, TransportMode
from books2iraq.shipping.services import SHIPMENT, crates_on

CENT = Decimal("0.01")



@dataclass(frozen=True)
class Party:
    name: str
    address: str = ""
    name_ar: str | None = None
    address_ar: str | None = None
    details: tuple[str, ...] = ()
    kurdish: bool = False  # reads Sorani Kurdish as well: a consignee in a Kurdistan Region governorate


@dataclass(frozen=True)
class ContentLine:
    isbn: str
    title: str
    authors: str
    language: str
    level: str
    hs_code: str
    copies: int


@dataclass(frozen=True)
class CrateData:
    code: str
    copies: int
    gross_kg: Decimal | None
    net_kg: Decimal | None
    dimensions_cm: tuple[int, int, int] | None
    volume_m3: Decimal | None
    lines: tuple[ContentLine, ...]
    number: int | None = None  # n of `of` on its shipment
    of: int | None = None
    shipment_ref: str | None = None
    consignee: Party | None = None
    city: str | None = None
    provisional: bool = False  # its shipment's crates may still change, so "n of N" may too
    origin: str = ""  # country of origin of the goods
    sender: Party | None = None
    sscc: str | None = None
    pallet: str | None = None  # the code of the pallet it travels on, if any


@dataclass(frozen=True)
class PalletData:
    """A pallet as its label and the shipment's papers read it: one package, its crates named."""

    code: str
    crates: tuple[str, ...]  # their codes, in the order they went on
    copies: int
    gross_kg: Decimal | None
    net_kg: Decimal | None  # its crates' books
    dimensions_cm: tuple[int, int, int] | None
    volume_m3: Decimal | None
    sscc: str | None = None
    number: int | None = None  # n of `of` pallets on its shipment
    of: int | None = None
    shipment_ref: str | None = None
    consignee: Party | None = None
    city: str | None = None
    provisional: bool = False
    origin: str = ""
    sender: Party | None = None


@dataclass(frozen=True)
class Transport:
    mode: str = ""
    carrier: str = ""
    transport_doc: str = ""  # "Bill of lading", "CMR consignment note" or "Air waybill", by the mode
    transport_doc_no: str = ""
    container_no: str = ""
    seal_no: str = ""
    vessel: str = ""
    voyage: str = ""
    truck_plate: str = ""
    trailer_plate: str = ""
    tir_ref: str = ""
    port_of_loading: str = ""
    port_of_discharge: str = ""
    place_of_delivery: str = ""
    incoterm: str = ""  # with its named place and version: "CIF Umm Qasr, Incoterms 2020"
    planned_departure: str = ""

    def rows(self) -> list[tuple[words.Term, str]]:
        labels = [
            (words.MODE, self.mode), (words.CARRIER, self.carrier),
            (words.TRANSPORT_DOCUMENTS.get(self.transport_doc, words.TRANSPORT_DOCUMENT), self.transport_doc_no),
            (words.CONTAINER, self.container_no), (words.SEAL, self.seal_no),
            (words.VESSEL_VOYAGE, " / ".join(v for v in (self.vessel, self.voyage) if v)),
            (words.TRUCK_TRAILER, " / ".join(v for v in (self.truck_plate, self.trailer_plate) if v)),
            (words.TRANSIT, self.tir_ref),
            (words.PORT_OF_LOADING, self.port_of_loading), (words.PORT_OF_DISCHARGE, self.port_of_discharge),
            (words.PLACE_OF_DELIVERY, self.place_of_delivery), (words.INCOTERM, self.incoterm),
            (words.PLANNED_DEPARTURE, self.planned_departure),
        ]
        return [(label, value) for label, value in labels if value]


@dataclass(frozen=True)
class ShipmentData:
    ref: str
    consignor: Party
    consignee: Party
    transport: Transport
    crates: tuple[CrateData, ...]
    signatory: str = ""
    issued_on: str = field(default_factory=lambda: date.today().isoformat())  # the day it is printed
    invoice: Invoice | None = None  # the customs papers' number and date, once issued
    pallets: tuple[PalletData, ...] = ()

    @property
    def loose(self) -> tuple[CrateData, ...]:
        """The crates on no pallet: each is a package of its own."""
        return tuple(c for c in self.crates if c.pallet is None)

    @property
    def packages(self) -> int:
        return len(self.pallets) + len(self.loose)

    @property
    def copies(self) -> int:
        return sum(c.copies for c in self.crates)

    @property
    def gross_kg(self) -> Decimal:
        """What the packages weigh: a pallet's own weight stands for its crates'."""
        return sum((p.gross_kg or Decimal(0) for p in self.pallets), Decimal(0)) + sum(
            (c.gross_kg or Decimal(0) for c in self.loose), Decimal(0))

    @property
    def net_kg(self) -> Decimal:
        return sum((c.net_kg or Decimal(0) for c in self.crates), Decimal(0))

    @property
    def volume_m3(self) -> Decimal:
        return sum((p.volume_m3 or Decimal(0) for p in self.pallets), Decimal(0)) + sum(
            (c.volume_m3 or Decimal(0) for c in self.loose), Decimal(0))


@dataclass(frozen=True)
class CustomsLine:
    hs_code: str
    description: str
    description_ar: str
    packages: int
    copies: int
    net_kg: Decimal
    gross_kg: Decimal
    value: Decimal
    packed_with: tuple[str, ...] = ()  # when it fills no package of its own: the HS codes whose packages carry it


@dataclass(frozen=True)
class Invoice:
    """What an issued manifest carries: its number and date, and which revision it is (and why)."""

    number: str
    date: str
    revision: int = 1
    reason: str | None = None


@dataclass(frozen=True)
class Terms:
    """The commercial terms customs reads on a pro-forma invoice: for a gift, mostly fixed words."""

    origin_country: str = ""
    incoterm: str = ""
    freight: Decimal | None = None
    insurance: Decimal | None = None
    exemption_ref: str = ""
    reason_for_export: str = "Donation, free of charge"
    terms_of_payment: str = "No payment: a gift"


@dataclass(frozen=True)
class ManifestData:
    shipment: ShipmentData
    lines: tuple[CustomsLine, ...]
    currency: str
    value_per_copy: Decimal
    invoice: Invoice | None = None  # None: a draft, not issued
    terms: Terms = field(default_factory=Terms)
    notify: Party | None = None  # None: the consignee
    pallets: int = 0  # of the packages, how many are pallets (the rest are crates)

    @property
    def marks(self) -> tuple[str, str, str, str]:
        s = self.shipment
        city = s.crates[0].city if s.crates and s.crates[0].city else ""
        numbers = f"1-{len(s.crates)}"  # as the labels number them: pallets P1/3…, crates 1/12…
        return shipping_mark(s.consignee.name, s.ref, city, f"P1-{len(s.pallets)} · {numbers}" if s.pallets else numbers)

    @property
    def packages(self) -> int:
        return sum(line.packages for line in self.lines)

    @property
    def copies(self) -> int:
        return sum(line.copies for line in self.lines)

    @property
    def net_kg(self) -> Decimal:
        return sum((line.net_kg for line in self.lines), Decimal(0))

    @property
    def gross_kg(self) -> Decimal:
        return sum((line.gross_kg for line in self.lines), Decimal(0))

    @property
    def value(self) -> Decimal:
        return sum((line.value for line in self.lines), Decimal(0))


@dataclass(frozen=True)
class ReceiptData:
    ref: str
    received_on: str
    site: str
    donor: str
    copies: int
    lines: tuple[tuple[str, int], ...]
    organisation: Party
    thanks: str
    voided_on: str = ""  # a voided donation's receipt says so, with the reason
    void_reason: str = ""
    offline_receipt: str = ""  # the number the intake device gave the donor with no connection (intake/offline.py)


@dataclass(frozen=True)
class YearData:
    """A donor's year in one receipt: each donation (ref, day, site, copies, voided), and the copies given."""

    donor: str
    year: int
    donations: tuple[tuple[str, str, str, int, bool], ...]
    organisation: Party
    thanks: str

    @property
    def copies(self) -> int:
        return sum(n for _ref, _day, _site, n, voided in self.donations if not voided)


def consignee_mark(name: str) -> str:
    """Rec. 15's first line: an abbreviation of the consignee, from the initials of its name."""
    words = [w for w in re.split(r"[\s\-–—,./()]+", name) if w and w[0].isalnum()]
    initials = "".join(w[0] for w in words if w[0].isupper() or w[0].isdigit())
    return (initials or name[:6]).upper()[:10]


def shipping_mark(consignee: str, ref: str, city: str, packages: str) -> tuple[str, str, str, str]:
    """The UN/ECE Recommendation 15 shipping mark, the same on the labels and the papers: consignee's
    initials, the shipment's reference, the destination, the package number ("3/40", or "1-40")."""
    return consignee_mark(consignee), ref, city.upper(), packages


# -- gathering ------------------------------------------------------------------------------------
def consignor() -> Party:
    org = get_organisation()
    details = tuple(
        f"{label}: {value}"
        for label, value in (
            ("Tel", org.phone), ("E-mail", org.email), ("Registration no.", org.registration_number),
            ("EORI", org.eori_number),
        )
        if value
    )
    address = "\n".join(part for part in (org.address, org.country) if part)
    return Party(name=org.name, address=address, details=details)


def consignee(recipient: Recipient) -> Party:
    details = tuple(
        value
        for value in (
            recipient.contact_name,
            f"Tel: {recipient.contact_phone}" if recipient.contact_phone else None,
            recipient.contact_email,
            f"Tax/registration no.: {recipient.tax_number}" if recipient.tax_number else None,
        )
        if value
    )
    address = "\n".join(
        (recipient.address_en, f"{recipient.city}, {label_words(recipient.governorate)} Governorate, Iraq")
    )
    return Party(recipient.name_en, address, recipient.name_ar, recipient.address_ar, details,
                 kurdish=recipient.governorate.in_kurdistan_region)


def tare_kg() -> Decimal:
    return current_app.config["CRATE_TARE_KG"]


def _net(gross: Decimal | None, tare: Decimal) -> Decimal | None:
    return None if gross is None else max(gross - tare, Decimal(0)).quantize(CENT)


def _content_lines(crate_ids: list[int]) -> dict[int, list[ContentLine]]:
    """Each crate's contents, one line per title, in one query."""
    copies = sa.func.sum(Lot.quantity)
    stmt = (
        sa.select(Lot.crate_id, Title.isbn13, Title.title, Title.authors, Title.language, Title.level, Title.kind, copies)
        .join(Title, Lot.title_id == Title.id)
        .where(Lot.crate_id.in_(crate_ids))
        .group_by(Lot.crate_id, Title.id)
        .order_by(Lot.crate_id, Title.title, Title.isbn13)
    )
    lines: dict[int, list[ContentLine]] = defaultdict(list)
    for crate_id, isbn, title, authors, language, level, kind, n in db.session.execute(stmt):
        lines[crate_id].append(
            ContentLine(
                isbn=isbn or "",
                title=title or f"ISBN {isbn}",
                authors=authors or "",
                language=language or "",
                level=level.value,
                hs_code=kind.hs_code,
                copies=int(n),
            )
        )
    return lines


def _hs_lines(crate_ids: list[int]) -> dict[int, list[ContentLine]]:
    """Each crate's copies under each HS code, one line a code, in one query: all the customs papers
    need of its contents (grouping titles instead gathered 50,000 lines to print four rows)."""
    stmt = (
        sa.select(Lot.crate_id, Title.kind, sa.func.sum(Lot.quantity))
        .join(Title, Lot.title_id == Title.id)
        .where(Lot.crate_id.in_(crate_ids))
        .group_by(Lot.crate_id, Title.kind)
    )
    copies: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for crate_id, kind, n in db.session.execute(stmt):
        copies[crate_id][kind.hs_code] += int(n)
    lines: dict[int, list[ContentLine]] = defaultdict(list)
    for crate_id, codes in copies.items():
        lines[crate_id] = [ContentLine(isbn="", title="", authors="", language="", level="", hs_code=code, copies=n)
                           for code, n in sorted(codes.items())]
    return lines


def _crate_copies(crate_ids: list[int]) -> dict[int, int]:
    """Each crate's copies, in one query (a label needs no more of its contents)."""
    stmt = (
        sa.select(Lot.crate_id, sa.func.sum(Lot.quantity))
        .join(Title, Lot.title_id == Title.id)  # as the contents count them
        .where(Lot.crate_id.in_(crate_ids))
        .group_by(Lot.crate_id)
    )
    return {crate_id: int(n) for crate_id, n in db.session.execute(stmt)}


def _crate(crate: Crate, lines: list[ContentLine], tare: Decimal, copies: int | None = None, **extra: object) -> CrateData:
    return CrateData(
        code=crate.code,
        copies=sum(line.copies for line in lines) if copies is None else copies,
        gross_kg=crate.gross_kg,
        net_kg=_net(crate.gross_kg, tare),
        dimensions_cm=crate.dimensions_cm,
        volume_m3=crate.volume_m3,
        lines=tuple(lines),
        sscc=crate.sscc,
        **extra,  # type: ignore[arg-type]
    )


TRANSPORT_DOCUMENTS = {
    TransportMode.SEA: words.BILL_OF_LADING.en, TransportMode.ROAD: words.CMR_NOTE.en, TransportMode.AIR: words.AIR_WAYBILL.en,
}
INCOTERMS_VERSION = "Incoterms 2020"


def named_place(shipment: Shipment) -> str:
    """The Incoterm's named place: as given, else where the rule puts it (the destination for C and D
    rules, the port or place of loading for E and F rules)."""
    if shipment.incoterm_place:
        return shipment.incoterm_place
    code = shipment.incoterm.value if shipment.incoterm else ""
    if code in ("CFR", "CIF"):
        return shipment.port_of_discharge or ""
    if code[:1] in ("C", "D"):
        return shipment.place_of_delivery or shipment.port_of_discharge or ""
    return shipment.port_of_loading or ""


def incoterm(shipment: Shipment) -> str:
    if shipment.incoterm is None:
        return ""
    place = named_place(shipment)
    return f"{shipment.incoterm.value} {place}, {INCOTERMS_VERSION}" if place else f"{shipment.incoterm.value}, {INCOTERMS_VERSION}"


def transport(shipment: Shipment) -> Transport:
    def text(value: object) -> str:
        return "" if value is None else str(getattr(value, "value", value))

    return Transport(
        mode=text(shipment.mode).capitalize(),
        carrier=text(shipment.carrier),
        transport_doc=TRANSPORT_DOCUMENTS.get(shipment.mode, "") if shipment.mode else "",
        transport_doc_no=text(shipment.transport_doc_no),
        container_no=text(shipment.container_no),
        seal_no=text(shipment.seal_no),
        vessel=text(shipment.vessel),
        voyage=text(shipment.voyage),
        truck_plate=text(shipment.truck_plate),
        trailer_plate=text(shipment.trailer_plate),
        tir_ref=text(shipment.tir_ref),
        port_of_loading=text(shipment.port_of_loading),
        port_of_discharge=text(shipment.port_of_discharge),
        place_of_delivery=text(shipment.place_of_delivery),
        incoterm=incoterm(shipment),
        planned_departure=shipment.planned_departure.isoformat() if shipment.planned_departure else "",
    )


def latest_issued(shipment: Shipment, kind: PaperKind = PaperKind.MANIFEST) -> IssuedDocument | None:
    """The newest issued revision of one of the shipment's customs papers, or None before they are issued."""
    return db.session.scalar(
        sa.select(IssuedDocument)
        .where(IssuedDocument.shipment_id == shipment.id, IssuedDocument.kind == kind)
        .order_by(IssuedDocument.revision.desc())
        .limit(1)
    )


Contents = Literal["titles", "hs", "copies", "none"]


def shipment_data(shipment: Shipment, contents: Contents = "titles") -> ShipmentData:
    """The shipment's figures, its crates in order with what each holds: one line a title ("titles",
    the packing list), one line an HS code ("hs", the customs papers), or only how many copies
    ("copies", the labels); or none of the crates ("none")."""
    crates = [] if contents == "none" else list(
        db.session.scalars(sa.select(Crate).where(Crate.shipment_id == shipment.id).order_by(Crate.id))
    )
    ids = [c.id for c in crates]
    lines = _content_lines(ids) if contents == "titles" else _hs_lines(ids) if contents == "hs" else defaultdict(list)
    copies = _crate_copies(ids) if contents == "copies" else {}
    party, tare, total = consignee(shipment.recipient), tare_kg(), len(crates)
    org = get_organisation()
    sender, on_label = consignor(), _label_details(shipment, org.country)
    pallets = [] if contents == "none" else list(
        db.session.scalars(sa.select(Pallet).where(Pallet.shipment_id == shipment.id).order_by(Pallet.id)))
    codes = {p.id: p.code for p in pallets}
    data = tuple(
        _crate(c, lines[c.id], tare, copies.get(c.id, 0) if contents == "copies" else None, number=n, of=total,
               shipment_ref=shipment.ref, consignee=party, city=shipment.recipient.city, sender=sender,
               pallet=codes.get(c.pallet_id) if c.pallet_id else None, **on_label)
        for n, c in enumerate(crates, start=1)
    )
    return ShipmentData(
        ref=shipment.ref,
        consignor=sender,
        consignee=party,
        transport=transport(shipment),
        crates=data,
        signatory=", ".join(v for v in (org.signatory_name, org.signatory_title) if v),
        invoice=_invoice_of(latest_issued(shipment)),
        pallets=tuple(
            _pallet(p, [c for c in data if c.pallet == p.code], number=n, of=len(pallets), shipment_ref=shipment.ref,
                    consignee=party, city=shipment.recipient.city, sender=sender, **on_label)
            for n, p in enumerate(pallets, start=1)
        ),
    )


def _pallet(pallet: Pallet, crates: list[CrateData], **extra: Any) -> PalletData:
    return PalletData(
        code=pallet.code,
        crates=tuple(c.code for c in crates),
        copies=sum(c.copies for c in crates),
        gross_kg=pallet.gross_kg,
        net_kg=sum((c.net_kg or Decimal(0) for c in crates), Decimal(0)),
        dimensions_cm=pallet.dimensions_cm,
        volume_m3=pallet.volume_m3,
        sscc=pallet.sscc,
        **extra,
    )


def pallet_data(pallet: Pallet) -> PalletData:
    """A pallet for its label: its crates' copies, and its place on its shipment once it has one."""
    crates = list(db.session.scalars(sa.select(Crate).where(Crate.pallet_id == pallet.id).order_by(Crate.id)))
    copies, tare, sender = _crate_copies([c.id for c in crates]), tare_kg(), consignor()
    data = [_crate(c, [], tare, copies.get(c.id, 0), pallet=pallet.code) for c in crates]
    if pallet.shipment is None:
        return _pallet(pallet, data, sender=sender, origin=get_organisation().country or "")
    ids = list(db.session.scalars(sa.select(Pallet.id).where(Pallet.shipment_id == pallet.shipment_id).order_by(Pallet.id)))
    recipient = pallet.shipment.recipient
    return _pallet(pallet, data, number=ids.index(pallet.id) + 1, of=len(ids), shipment_ref=pallet.shipment.ref,
                   consignee=consignee(recipient), city=recipient.city, sender=sender,
                   **_label_details(pallet.shipment, get_organisation().country))


def _label_details(shipment: Shipment, country: str | None) -> dict[str, Any]:
    """What a crate's label says of its shipment beyond the mark: whether its numbering may still
    change (its crates may), and the goods' country of origin."""
    return {"provisional": SHIPMENT.allows(shipment, "change_crates"), "origin": shipment.origin_country or country or ""}


def _invoice_of(issued: IssuedDocument | None) -> Invoice | None:
    if issued is None:
        return None
    return Invoice(number=issued.number, date=issued.issued_on.isoformat(), revision=issued.revision, reason=issued.reason)


def crate_data(crate: Crate) -> CrateData:
    lines = _content_lines([crate.id])[crate.id]
    sender, pallet = consignor(), crate.pallet.code if crate.pallet else None
    if crate.shipment is None:
        return _crate(crate, lines, tare_kg(), sender=sender, origin=get_organisation().country or "", pallet=pallet)
    ids = list(db.session.scalars(sa.select(Crate.id).where(Crate.shipment_id == crate.shipment_id).order_by(Crate.id)))
    recipient = crate.shipment.recipient
    return _crate(
        crate, lines, tare_kg(), number=ids.index(crate.id) + 1, of=len(ids), shipment_ref=crate.shipment.ref,
        consignee=consignee(recipient), city=recipient.city, sender=sender, pallet=pallet,
        **_label_details(crate.shipment, get_organisation().country),
    )


def manifest_data(shipment: Shipment, invoice: Invoice | None = None, crates: bool = True) -> ManifestData:
    """The figures of the customs papers. Without `crates`, the same but for the crates' own figures
    (the papers print them only through the HS lines and the totals): read in one query, for comparing
    a full container's issued papers with the records on every view of its page."""
    value = current_app.config["CUSTOMS_VALUE_PER_COPY"]
    terms = Terms(
        origin_country=shipment.origin_country or get_organisation().country or "",
        incoterm=incoterm(shipment),
        freight=shipment.freight,
        insurance=shipment.insurance,
        exemption_ref=shipment.exemption_ref or "",
    )
    currency = current_app.config["CUSTOMS_CURRENCY"]
    if crates:
        manifest = customs_manifest(shipment_data(shipment, "hs"), value, currency, invoice)
    else:
        figures = dataclasses.replace(shipment_data(shipment, "none"), crates=())
        packages = _packages(shipment)
        manifest = ManifestData(shipment=figures, lines=customs_lines(packages, value), currency=currency,
                                value_per_copy=value, invoice=invoice, pallets=sum(p.pallet for p in packages))
    return dataclasses.replace(manifest, terms=terms, notify=notify_party(shipment.notify_party))


def _packages(shipment: Shipment) -> list[Package]:
    """Each package of the shipment as the customs lines see it (a pallet, or a crate on none), from one
    grouped query: the same as customs_manifest makes of the shipment's figures."""
    stmt = (
        sa.select(Crate.id, Crate.gross_kg, Crate.pallet_id, Pallet.gross_kg, Title.kind, sa.func.sum(Lot.quantity))
        .join(Lot, Lot.crate_id == Crate.id)
        .join(Title, Lot.title_id == Title.id)
        .outerjoin(Pallet, Crate.pallet_id == Pallet.id)
        .where(Crate.shipment_id == shipment.id)
        .group_by(Crate.id, Crate.gross_kg, Crate.pallet_id, Pallet.gross_kg, Title.kind)
        .order_by(Crate.id)
    )
    tare, crates = tare_kg(), dict[int, Package]()
    for crate_id, gross, pallet_id, pallet_gross, kind, n in db.session.execute(stmt):
        package = crates.setdefault(crate_id, Package(defaultdict(int), _net(gross, tare), gross, pallet_id, pallet_gross))
        package.copies[kind.hs_code] += int(n)
    return on_pallets(list(crates.values()))


def notify_party(text: str | None) -> Party | None:
    """The notify party as typed: its first line is the name, the rest the address. None: the consignee."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return Party(name=lines[0], address="\n".join(lines[1:])) if lines else None


def _gift_line(line: Any) -> str:
    """What the donor reads for a line: the title, or the ISBN of a book not catalogued yet (the
    donor need not know that), or the volunteer's description of a counted bag."""
    if line.title is None:
        return line.description or ""
    return line.title.title or f"Book with ISBN {line.title.isbn13}"


def receipt_data(donation: Donation) -> ReceiptData:
    org = get_organisation()
    return ReceiptData(
        ref=donation.ref,
        received_on=donation.received_on.isoformat(),
        site=f"{donation.site.name}, {donation.site.city}",
        donor=donation.donor.name if donation.donor else "",
        copies=sum(line.quantity for line in donation.lines),
        lines=tuple(
            (_gift_line(line), line.quantity) for line in donation.lines
        ),
        organisation=consignor(),
        thanks=org.receipt_thanks or f"Thank you for your gift of books. {org.name} will send them to readers in Iraq.",
        voided_on=donation.voided_at.date().isoformat() if donation.voided_at else "",
        void_reason=donation.void_reason or "",
        offline_receipt=donation.offline_receipt or "",
    )


def year_data(donor: Donor, year: int) -> YearData:
    org = get_organisation()
    return YearData(
        donor=donor.name,
        year=year,
        donations=tuple((d.ref, d.received_on.isoformat(), f"{d.site.name}, {d.site.city}", n, d.voided_at is not None)
                        for d, n in donors.in_year(donor, year)),
        organisation=consignor(),
        thanks=org.receipt_thanks or f"Thank you for your gifts of books. {org.name} sends them to readers in Iraq.",
    )


# -- customs lines: pure, so the agreement of totals can be tested on any data -------------------
def _split_cents(total: Decimal, weights: dict[str, int]) -> dict[str, Decimal]:
    """Share `total` between keys in proportion to weights, to the cent, summing exactly (largest remainder)."""
    cents = int((total / CENT).to_integral_value(ROUND_HALF_UP))
    if len(weights) == 1:  # most crates hold one kind of book: all of it
        return {key: Decimal(cents) * CENT for key in weights}
    whole = sum(weights.values())
    shares = {k: cents * w // whole for k, w in weights.items()}
    remainders = sorted(weights, key=lambda k: (-(cents * weights[k] % whole), k))
    for key in remainders[: cents - sum(shares.values())]:
        shares[key] += 1
    return {k: Decimal(v) * CENT for k, v in shares.items()}


@dataclass(frozen=True)
class Package:
    """What the customs lines need of a package (a crate, or a pallet of them): its copies under each HS
    code, and its weights. A crate on a pallet says which (`on`) and what the pallet weighs whole."""

    copies: dict[str, int]
    net_kg: Decimal | None
    gross_kg: Decimal | None
    on: int | str | None = None
    pallet_kg: Decimal | None = None
    pallet: bool = False  # this package is a pallet


def on_pallets(crates: list[Package]) -> list[Package]:
    """The packages the crates make: a crate on no pallet is one; the crates on a pallet make one, with
    their copies and net weight, and the pallet's own gross weight. In the order of their first crate."""
    order: list[Package | int | str] = []
    copies: dict[int | str, dict[str, int]] = {}
    net: dict[int | str, Decimal] = {}
    gross: dict[int | str, Decimal | None] = {}
    for crate in crates:
        if crate.on is None:
            order.append(crate)
            continue
        if crate.on not in copies:
            order.append(crate.on)
            copies[crate.on], net[crate.on], gross[crate.on] = defaultdict(int), Decimal(0), crate.pallet_kg
        for code, n in crate.copies.items():
            copies[crate.on][code] += n
        net[crate.on] += crate.net_kg or Decimal(0)
    return [p if isinstance(p, Package) else Package(copies[p], net[p], gross[p], pallet=True) for p in order]


def customs_lines(crates: Iterable[Package], value_per_copy: Decimal) -> tuple[CustomsLine, ...]:
    """Group the packages' contents by HS code.

    Copies per HS code are exact. A package (a crate, or a pallet of them) is counted under the HS code
    of most of its copies; its net and gross weight are shared between its HS codes in proportion to
    copies. So the manifest's packages, copies and weights add up to exactly the packing list's.
    """
    packages: dict[str, int] = defaultdict(int)
    copies: dict[str, int] = defaultdict(int)
    net: dict[str, Decimal] = defaultdict(Decimal)
    gross: dict[str, Decimal] = defaultdict(Decimal)
    carriers: dict[str, set[str]] = defaultdict(set)  # HS code: the codes of the packages its copies are in
    for package in crates:
        per_code = {code: n for code, n in package.copies.items() if n}
        if not per_code:
            continue
        counted_under = max(sorted(per_code), key=lambda code: per_code[code])
        packages[counted_under] += 1
        for code in per_code:
            carriers[code].add(counted_under)
        for code, n in per_code.items():
            copies[code] += n
        for code, kg in _split_cents(package.net_kg or Decimal(0), per_code).items():
            net[code] += kg
        for code, kg in _split_cents(package.gross_kg or Decimal(0), per_code).items():
            gross[code] += kg
    return tuple(
        CustomsLine(
            hs_code=code,
            description=HS_DESCRIPTIONS[code][0],
            description_ar=HS_DESCRIPTIONS[code][1],
            packages=packages[code],
            copies=copies[code],
            net_kg=net[code],
            gross_kg=gross[code],
            value=(value_per_copy * copies[code]).quantize(CENT),
            packed_with=() if packages[code] else tuple(sorted(carriers[code] - {code})),
        )
        for code in sorted(copies)
    )


def _package(crate: CrateData, pallets: dict[str, PalletData]) -> Package:
    per_code: dict[str, int] = defaultdict(int)
    for line in crate.lines:
        per_code[line.hs_code] += line.copies
    pallet = pallets.get(crate.pallet) if crate.pallet else None
    return Package(per_code, crate.net_kg, crate.gross_kg, on=crate.pallet, pallet_kg=pallet.gross_kg if pallet else None)


def customs_manifest(
    shipment: ShipmentData, value_per_copy: Decimal, currency: str, invoice: Invoice | None = None
) -> ManifestData:
    """The manifest of a shipment's figures: its packages' contents grouped by HS code (customs_lines)."""
    pallets = {p.code: p for p in shipment.pallets}
    packages = on_pallets([_package(crate, pallets) for crate in shipment.crates])
    lines = customs_lines(packages, value_per_copy)
    return ManifestData(shipment=shipment, lines=lines, currency=currency, value_per_copy=value_per_copy, invoice=invoice,
                        pallets=sum(p.pallet for p in packages))



# -- the goods received note ------------------------------------------------------------------------
@dataclass(frozen=True)
class ReceivedCrate:
    number: int
    code: str
    sent: int
    received: int | None  # None: not checked in yet
    damaged: int
    missing: int
    outcome: str  # the English words: received, damaged, missing, or "not checked in"
    note: str


@dataclass(frozen=True)
class ReceivedNoteData:
    ref: str
    consignor: Party
    consignee: Party
    container_no: str
    printed_on: str
    last_checked_on: str  # the day the last crate was checked in ("" when none is)
    checked_by: tuple[str, ...]  # the names of the people who checked crates in
    crates: tuple[ReceivedCrate, ...]
    short_titles: tuple[tuple[str, str, int, int, int, int], ...]  # (isbn, title, sent, received, damaged, missing)
    sent: int
    received: int
    damaged: int
    missing: int
    waiting: int  # copies in crates not checked in yet

    @property
    def complete(self) -> bool:
        return self.waiting == 0


def received_note_data(shipment: Shipment) -> ReceivedNoteData:
    """What the goods received note prints: each crate as it was checked in, the titles short."""
    account = reconciliation(shipment)
    crates = tuple(
        ReceivedCrate(
            number=n, code=row.crate.code, sent=row.sent,
            received=row.receipt.copies_received if row.receipt else None,
            damaged=row.receipt.copies_damaged if row.receipt else 0,
            missing=row.receipt.copies_missing if row.receipt else 0,
            outcome=label_words(row.receipt.outcome) if row.receipt else "not checked in",
            note=(row.receipt.note or "") if row.receipt else "",
        )
        for n, row in enumerate(account.crates, start=1)
    )
    short = tuple(
        (row.title.isbn13 or "", row.title.title or "", row.totals.sent, row.totals.received,
         row.totals.damaged, row.totals.missing)
        for row in account.titles if row.totals.damaged or row.totals.missing
    )
    receipts = [row.receipt for row in account.crates if row.receipt is not None]
    names = sorted({r.checked_by.name for r in receipts if r.checked_by is not None})
    t = account.totals
    return ReceivedNoteData(
        ref=shipment.ref, consignor=consignor(), consignee=consignee(shipment.recipient),
        container_no=shipment.container_no or "", printed_on=date.today().isoformat(),
        last_checked_on=max(r.checked_at for r in receipts).date().isoformat() if receipts else "",
        checked_by=tuple(names), crates=crates, short_titles=short,
        sent=t.sent, received=t.received, damaged=t.damaged, missing=t.missing, waiting=t.waiting,
    )


# -- the pick list --------------------------------------------------------------------------------
@dataclass(frozen=True)
class PickData:
    ref: str
    consignee: str
    printed_on: str
    crates: tuple[tuple[str, str, str, int, str], ...]  # (code, warehouse, location, copies, gross kg)
    copies: int
    gross_kg: str


def pick_data(shipment: Shipment) -> PickData:
    """The shipment's crates as a warehouse walks to them: by warehouse, then location, then code."""
    rows = sorted(crates_on(shipment), key=lambda pair: (pair[0].site.name, pair[0].location or "~", pair[0].code))
    total_kg = sum((crate.gross_kg or Decimal(0) for crate, _n in rows), Decimal(0))
    return PickData(
        ref=shipment.ref, consignee=shipment.recipient.name_en, printed_on=date.today().isoformat(),
        crates=tuple((crate.code, crate.site.name, crate.location or "—", copies,
                      f"{crate.gross_kg:.2f}" if crate.gross_kg is not None else "—") for crate, copies in rows),
        copies=sum(copies for _crate, copies in rows), gross_kg=f"{total_kg:.2f}",
    )
