"""How a person reads a stored value: the one place that turns an enum member into words.

`water_damaged` reads "water damaged", `dhi_qar` reads "Dhi Qar", in the language of the page
(`label`); documents for customs and spreadsheets take the English words (`words`). Every member's
words are marked for the catalogues below (MARKED), and a test keeps that list whole.
"""
from __future__ import annotations

import enum
from typing import Any

import iso639
from flask_babel import LazyString

from books2iraq.crating.models import CrateStatus
from books2iraq.i18n import N_, catalogue, cldr
from books2iraq.intake.models import DataSource, LotStatus, TitleKind
from books2iraq.pallets.models import PalletStatus
from books2iraq.shipping.models import ContainerSize, Governorate, Incoterm, ShipmentStatus

# Where plain "underscores become spaces" reads wrong.
LABELS: dict[enum.Enum, str] = {
    **{g: g.value.replace("_", " ").title() for g in Governorate},  # proper names
    DataSource.OPEN_LIBRARY: "Open Library",
    DataSource.MARC: "a MARC file",
    DataSource.CSV: "a spreadsheet",
    DataSource.OPEN_LIBRARY_ONLINE: "Open Library, looked up online",
    TitleKind.CHILDRENS_PICTURE: "children's picture book",
    ContainerSize.FT20: "20-ft container", ContainerSize.FT40: "40-ft container",
    ContainerSize.FT40_HIGH_CUBE: "40-ft high-cube container", ContainerSize.TRAILER: "road semi-trailer",
}
CODES: tuple[type[enum.Enum], ...] = (Incoterm,)  # the same in every language: EXW, CIF

# Every member's words, for `make translations` (it reads only literal text).
MARKED = (
    N_("volunteer"), N_("warehouse"), N_("coordinator"), N_("admin"), N_("recipient"),
    N_("damaged"), N_("missing"),
    N_("high"), N_("normal"), N_("low"),
    N_("drop off"),
    N_("open"), N_("sealed"),
    N_("Anbar"), N_("Babil"), N_("Baghdad"), N_("Basra"), N_("Dhi Qar"), N_("Diyala"), N_("Duhok"), N_("Erbil"),
    N_("Halabja"), N_("Karbala"), N_("Kirkuk"), N_("Maysan"), N_("Muthanna"), N_("Najaf"), N_("Nineveh"),
    N_("Qadisiyyah"), N_("Saladin"), N_("Sulaymaniyah"), N_("Wasit"),
    N_("university"), N_("school"), N_("library"), N_("other"),
    N_("planned"), N_("packing"), N_("ready"), N_("dispatched"), N_("in transit"), N_("at customs"), N_("cleared"),
    N_("delivered"), N_("cancelled"),
    N_("sea"), N_("road"), N_("air"),
    N_("20-ft container"), N_("40-ft container"), N_("40-ft high-cube container"), N_("road semi-trailer"),
    N_("found"), N_("unknown"), N_("failed"),
    N_("individual"), N_("school drive"), N_("publisher"), N_("library clearance"), N_("organisation"),
    N_("children"), N_("secondary"), N_("general"),
    N_("book"), N_("dictionary"), N_("children's picture book"), N_("periodical"),
    N_("Open Library"), N_("a MARC file"), N_("a spreadsheet"), N_("Open Library, looked up online"),
    N_("new"), N_("good"), N_("fair"), N_("poor"),
    N_("received"), N_("accepted"), N_("rejected"), N_("packed"), N_("void"),
    N_("water damaged"), N_("mould"), N_("torn or incomplete"), N_("outdated"), N_("inappropriate"), N_("not wanted"),
    N_("surplus"),
    N_("recycle"), N_("donate locally"), N_("return to donor"), N_("discard"),
    N_("details"), N_("line added"), N_("voided"),
    N_("manifest"), N_("certificate of origin"), N_("certificate of donation"),
    N_("queued"), N_("running"), N_("done"),
)


def words(member: enum.Enum) -> str:
    """The English words for an enum member, lower case unless they are a name (documents, exports)."""
    return LABELS.get(member) or str(member.value).replace("_", " ")


def label(member: enum.Enum) -> str:
    """The words for an enum member in the language of the page."""
    return words(member) if isinstance(member, CODES) else str(catalogue().ugettext(words(member)))


def language_name(code: str | None, english: bool = False) -> str:
    """"Arabic (ar)" for a title's language code, the name in the language of the page (Babel's, from
    CLDR; ISO 639's English name where CLDR has none), or in English for a document; the code alone when
    neither knows it."""
    if not code:
        return "—"
    try:
        language = iso639.Language.match(code)
    except iso639.LanguageNotFoundError:
        return code
    names = {} if english else cldr().languages
    name = names.get(language.part1 or "") or names.get(language.part3) or language.name
    return f"{name} ({code})"


def choices(enum_cls: type[enum.Enum], blank: str | None = None) -> list[tuple[str, Any]]:
    """(value, label) for a select field, each label starting with a capital and read in the language
    of the page each time the form is drawn; `blank` first if given."""
    options = [(str(m.value), LazyString(lambda m=m: _capitalised(label(m)))) for m in enum_cls]
    return [("", blank), *options] if blank is not None else options


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]



# What a status means to the person reading it, for the colour of its badge (class badge-<tone>):
# waiting or under way reads neutral, held up at customs amber, done green, rejected or cancelled red.
NEUTRAL, MOVING, HELD, DONE, STOPPED = "neutral", "moving", "held", "done", "stopped"
TONES: dict[enum.Enum, str] = {
    LotStatus.RECEIVED: NEUTRAL,
    LotStatus.ACCEPTED: DONE,
    LotStatus.PACKED: DONE,
    LotStatus.REJECTED: STOPPED,
    LotStatus.VOID: STOPPED,
    CrateStatus.OPEN: NEUTRAL,
    CrateStatus.SEALED: DONE,
    PalletStatus.OPEN: NEUTRAL,
    PalletStatus.SEALED: DONE,
    ShipmentStatus.PLANNED: NEUTRAL,
    ShipmentStatus.PACKING: NEUTRAL,
    ShipmentStatus.READY: MOVING,
    ShipmentStatus.DISPATCHED: MOVING,
    ShipmentStatus.IN_TRANSIT: MOVING,
    ShipmentStatus.AT_CUSTOMS: HELD,
    ShipmentStatus.CLEARED: MOVING,
    ShipmentStatus.DELIVERED: DONE,
    ShipmentStatus.CANCELLED: STOPPED,
}


def tone(member: enum.Enum) -> str:
    """The tone of a status's badge (see TONES); neutral for anything without one."""
    return TONES.get(member, NEUTRAL)
