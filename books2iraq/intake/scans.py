"""Reading what a USB barcode scanner typed: one ISBN per line, repeats counted.

A line may also carry a count: `9780306406157 x3`, `9780306406157*3` or `9780306406157, 3`; or a
quantity key typed after a scan, on a line of its own (`x3`), says how many copies that scan counts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from flask_babel import gettext as _

from books2iraq.errors import DomainError
from books2iraq.i18n import number as figure
from books2iraq.intake.titles import normalise_isbn

_QUANTITY_KEY = re.compile(r"^[x×*]\s*(\d{1,5})$", re.IGNORECASE)
_COUNT = re.compile(r"^(?P<isbn>.+?)\s*(?:[x×*,;]\s*|\s+)(?P<count>\d{1,5})$", re.IGNORECASE)
MAX_SCAN_LINES = 2_000


@dataclass(frozen=True)
class ScannedTitle:
    isbn13: str
    quantity: int


@dataclass(frozen=True)
class ScanLine:
    """One line a scanner typed: its ISBN-13 and count, or why it is not an ISBN."""

    number: int
    text: str
    isbn13: str | None
    quantity: int
    problem: str | None = None


def quantity_key(text: str | None) -> int | None:
    """The count of a quantity key typed after a scan ("x5", "×5", "*5"), else None."""
    match = _QUANTITY_KEY.match((text or "").strip())
    return int(match[1]) if match else None


def read_lines(text: str) -> list[ScanLine]:
    """Every line that holds something, each read on its own: a bad one does not hide the next. A
    quantity key on its own line sets the count of the scan before it."""
    lines = (text or "").splitlines()
    if len(lines) > MAX_SCAN_LINES:
        raise DomainError(_("At most %(most)s scanned lines in one donation; split it in two.", most=figure(MAX_SCAN_LINES, grouped=False)))
    read: list[ScanLine] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        count = quantity_key(line)
        if count is None:
            read.append(_read(number, line))
        elif count < 1:
            read.append(ScanLine(number, line, None, 0, _("the count must be at least 1.")))
        elif read and read[-1].isbn13 is not None:
            read[-1] = replace(read[-1], quantity=count, text=f"{read[-1].text} {line}")
        else:
            read.append(ScanLine(number, line, None, 0, _("a count (x5) comes right after the scan of the book it counts.")))
    return read


def _read(number: int, line: str) -> ScanLine:
    isbn_text, count = line, 1
    match = _COUNT.match(line)
    if match and len(re.sub(r"[\s-]", "", match["isbn"])) in (10, 13):
        isbn_text, count = match["isbn"], int(match["count"])
    if count < 1:
        return ScanLine(number, line, None, 0, _("the count must be at least 1."))
    try:
        return ScanLine(number, line, normalise_isbn(isbn_text), count)
    except DomainError as exc:
        return ScanLine(number, line, None, count, str(exc))


def parse_scans(text: str) -> list[ScannedTitle]:
    """ISBN-13s with their counts, in the order first scanned; a bad line is refused by number."""
    counts: dict[str, int] = {}
    for line in read_lines(text):
        if line.problem or line.isbn13 is None:
            raise DomainError(_("Scan line %(line)s: %(problem)s", line=figure(line.number, grouped=False), problem=line.problem))
        counts[line.isbn13] = counts.get(line.isbn13, 0) + line.quantity
    return [ScannedTitle(isbn13, quantity) for isbn13, quantity in counts.items()]
