"""A list sent as a file to download: CSV or XLSX, each formula-safe (csv_export, xlsx_export)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from flask import Response, stream_with_context

from books2iraq.reports.csv_export import csv_chunks
from books2iraq.reports.xlsx_export import xlsx_chunks

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_download(name: str, fmt: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, dated: bool = True) -> Response:
    """`name` (books2iraq-<name>-<today>.<fmt>) as CSV or XLSX, each streamed as the rows are read (the
    first bytes leave at once); a download, never shown in the browser."""
    filename = f"books2iraq-{name}-{date.today().isoformat()}.{fmt}" if dated else f"books2iraq-{name}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "X-Content-Type-Options": "nosniff"}
    if fmt == "xlsx":
        return Response(stream_with_context(xlsx_chunks(header, rows, title=name)), content_type=XLSX, headers=headers)
    return Response(stream_with_context(csv_chunks(header, rows)), content_type="text/csv; charset=utf-8", headers=headers)
