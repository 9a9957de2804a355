"""Reading what a USB barcode scanner typed: one ISBN per line, repeats counted.

A line may also carry a count: `9780306406157 x3`, `9780306406157*3` or `9780306406157, 3`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from books2iraq.errors import DomainError
from books2iraq.intake.titles import normalise_isbn

_COUNT = re.compile(r"^(?P<isbn>.+?)\s*(?:[x×*,;]\s*|\s+)(?P<count>\d{1,5})$", re.IGNORECASE)
MAX_SCAN_LINES = 2_000


@dataclass(frozen=True)
class ScannedTitle:
    isbn13: str
    quantity: int


def parse_scans(text: str) -> list[ScannedTitle]:
    """ISBN-13s with their counts, in the order first scanned; a bad line is refused by number."""
    counts: dict[str, int] = {}
    lines = (text or "").splitlines()
    if len(lines) > MAX_SCAN_LINES:
        raise DomainError(f"At most {MAX_SCAN_LINES} scanned lines in one donation; split it in two.")
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        isbn_text, count = line, 1
        match = _COUNT.match(line)
        if match and len(re.sub(r"[\s-]", "", match["isbn"])) in (10, 13):
            isbn_text, count = match["isbn"], int(match["count"])
        if count < 1:
            raise DomainError(f"Scan line {number}: the count must be at least 1.")
        try:
            isbn13 = normalise_isbn(isbn_text)
        except DomainError as exc:
            raise DomainError(f"Scan line {number}: {exc}") from exc
        counts[isbn13] = counts.get(isbn13, 0) + count
    return [ScannedTitle(isbn13, quantity) for isbn13, quantity in counts.items()]
