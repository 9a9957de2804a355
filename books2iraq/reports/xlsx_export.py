"""XLSX files that open safely in a spreadsheet, streamed a piece at a time as the rows are read.

An XLSX file is a ZIP archive of XML parts (Office Open XML, ECMA-376). openpyxl and XlsxWriter write the
whole archive before its first byte can be sent: a million lots took the bench about 90 s, past any web
server's patience, with nothing sent. Here the sheet's XML is written as the rows come and compressed
into the archive as it goes (the standard library's zipfile writes to a stream that cannot seek back,
with a data descriptor after each part); the parts that name the sheets follow them, as ZIP allows.

- **Text is text, never a formula**: every text is an inline string (t="inlineStr"); no cell holds a
  formula (<f>), so =HYPERLINK("http://x") shows as written, without the CSV's leading quote.
- Numbers stay numbers, dates and moments are Excel dates (a moment as stored, in UTC), booleans
  booleans. Characters XML cannot hold (control characters) are left out.
- A sheet holds at most 1,048,576 rows: a longer list goes on in a second sheet, "(2)", header again.

Reading back with openpyxl in the tests checks what is written.
"""
from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

ROWS_PER_SHEET = 1_048_576  # Excel's limit, the header included
ROWS_PER_PIECE = 1000
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EPOCH = datetime(1899, 12, 30)  # Excel's day 0 (of its 1900 date system, past its 1900 leap-year slip)
DAY_STYLE, MOMENT_STYLE = 1, 2  # the styles.xml cell formats below: yyyy-mm-dd, and yyyy-mm-dd hh:mm

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
STYLES = (
    f'{HEAD}<styleSheet xmlns="{MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
HEADER_STYLE = 3  # bold


def column_name(index: int) -> str:
    """A, B, … Z, AA, AB … for the column at `index` (0 is A)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value: Any, style: int = 0) -> str:
    styled = f' s="{style}"' if style else ""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        return f'<c r="{ref}"><v>{value}</v></c>' if value == value else ""  # NaN: nothing
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=None) - EPOCH
        return f'<c r="{ref}" s="{MOMENT_STYLE}"><v>{moment.days + (moment.seconds + moment.microseconds / 1e6) / 86400!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{DAY_STYLE}"><v>{(value - EPOCH.date()).days}</v></c>'
    text = NOT_IN_XML.sub("", str(value))
    return f'<c r="{ref}" t="inlineStr"{styled}><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _row(number: int, values: Sequence[Any], columns: list[str], style: int = 0) -> str:
    cells = "".join(_cell(f"{columns[i]}{number}", value, style) for i, value in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


class _Pipe:
    """What the archive writes, kept until it is taken to be sent (it cannot seek: zipfile then writes
    each part's sizes after it)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def xlsx_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "books2iraq") -> Iterator[bytes]:
    """An XLSX file a piece at a time, as the rows come: a header row (bold), then one row per item."""
    pipe = _Pipe()
    archive = zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)  # type: ignore[call-overload]
    columns = [column_name(i) for i in range(max(len(header), 1))]
    rows = iter(rows)
    names: list[str] = []
    pending: Sequence[Any] | None = next(rows, None)
    while not names or pending is not None:
        names.append(title[:31] if not names else f"{title[:24]} ({len(names) + 1})")
        with archive.open(f"xl/worksheets/sheet{len(names)}.xml", "w") as sheet:
            sheet.write(f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheetViews><sheetView workbookViewId="0">'
                        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                        '<sheetData>'.encode())
            sheet.write(_row(1, header, columns, HEADER_STYLE).encode())
            number, piece = 1, []
            while pending is not None and number < ROWS_PER_SHEET:
                number += 1
                if len(pending) > len(columns):
                    columns += [column_name(i) for i in range(len(columns), len(pending))]
                piece.append(_row(number, pending, columns))
                pending = next(rows, None)
                if len(piece) == ROWS_PER_PIECE:
                    sheet.write("".join(piece).encode())
                    piece = []
                    if pipe.parts:  # what the compressor has let out so far
                        yield pipe.take()
            sheet.write(("".join(piece) + "</sheetData></worksheet>").encode())
        yield pipe.take()
    sheets = "".join(f'<sheet name={quoteattr(NOT_IN_XML.sub("", name))} sheetId="{n}" r:id="rId{n}"/>'
                     for n, name in enumerate(names, start=1))
    sheet_rels = "".join(f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                         for n in range(1, len(names) + 1))
    sheet_types = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                          for n in range(1, len(names) + 1))
    archive.writestr("xl/workbook.xml", f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>{sheets}</sheets></workbook>')
    archive.writestr("xl/styles.xml", STYLES)
    archive.writestr("xl/_rels/workbook.xml.rels", f'{HEAD}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">{sheet_rels}'
                     f'<Relationship Id="rId{len(names) + 1}" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>')
    archive.writestr("_rels/.rels", f'{HEAD}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" '
                     f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    archive.writestr("[Content_Types].xml", f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                     '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                     f'{sheet_types}</Types>')
    archive.close()
    yield pipe.take()


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "books2iraq") -> bytes:
    """A whole XLSX file at once (for a small one: a template)."""
    return b"".join(xlsx_chunks(header, rows, title))
