"""CSV files that open safely in a spreadsheet.

Text that begins with =, +, -, @, a tab or a carriage return is what Excel, LibreOffice and Google
Sheets run as a formula; such a cell gets a leading single quote (OWASP "CSV injection"), so a title
such as =HYPERLINK("http://x") shows as written. Numbers stay numbers. The file is UTF-8 with a
byte-order mark, so that Excel shows Arabic correctly.
"""
from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as it should be written: numbers as they are, everything else as harmless text."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]], rows_per_chunk: int = 1000) -> Iterator[bytes]:
    """A CSV file a piece at a time, as the rows come: a header row, then one row per item; text is
    quoted, numbers are not. A million lots never sit in memory at once."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([safe_cell(name) for name in header])
    yield buffer.getvalue().encode("utf-8-sig")
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, rows_per_chunk)):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([safe_cell(value) for value in row] for row in chunk)
        yield buffer.getvalue().encode("utf-8")


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A whole CSV file at once (for a small one)."""
    return b"".join(csv_chunks(header, rows))
