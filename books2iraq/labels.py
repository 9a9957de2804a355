"""How a person reads a stored value: the one place that turns an enum member into words.

`water_damaged` reads "water damaged", `dhi_qar` reads "Dhi Qar". When the interface is
translated, the translation hooks in here and every page, message and form follows.
"""
from __future__ import annotations

import enum

import iso639

from books2iraq.crating.models import CrateStatus
from books2iraq.intake.models import DataSource, LotStatus
from books2iraq.shipping.models import Governorate, ShipmentStatus

# Where plain "underscores become spaces" reads wrong.
LABELS: dict[enum.Enum, str] = {
    **{g: g.value.replace("_", " ").title() for g in Governorate},  # proper names
    DataSource.OPEN_LIBRARY: "Open Library",
    DataSource.MARC: "a MARC file",
    DataSource.CSV: "a spreadsheet",
    DataSource.OPEN_LIBRARY_ONLINE: "Open Library, looked up online",
}


def label(member: enum.Enum) -> str:
    """The words for an enum member, lower case unless they are a name."""
    return LABELS.get(member) or str(member.value).replace("_", " ")


def language_name(code: str | None) -> str:
    """"Arabic (ar)" for a title's language code; the code alone when ISO 639 does not know it."""
    if not code:
        return "—"
    try:
        return f"{iso639.Language.match(code).name} ({code})"
    except iso639.LanguageNotFoundError:
        return code


def choices(enum_cls: type[enum.Enum], blank: str | None = None) -> list[tuple[str, str]]:
    """(value, label) for a select field, each label starting with a capital; `blank` first if given."""
    options = [(str(m.value), _capitalised(label(m))) for m in enum_cls]
    return [("", blank), *options] if blank is not None else options


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """"1 crate", "1,234 crates": a number with its noun in the right form."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


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
