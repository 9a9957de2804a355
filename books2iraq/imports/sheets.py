"""Reading a spreadsheet someone uploads: an XLSX workbook (its first sheet) or a CSV file, as rows of text.

What the file is, is told by its first bytes, not its name: an XLSX file is a ZIP archive. A CSV file
may be UTF-8 (with or without Excel's byte-order mark) or Windows Arabic (cp1256, what Excel in Arabic
saves), separated by commas, semicolons or tabs. A workbook's formulas are read as the values Excel
last worked out, never as formulas; its numbers as they are written (an ISBN that Excel keeps as the
number 9780306406157 is read as those 13 digits). defusedxml, installed beside openpyxl, guards the
XML parsing against entity tricks, a workbook that would unpack into more than MAX_UNPACKED is refused
before it is opened, and at most MAX_ROWS rows and MAX_COLUMNS columns are read.

The header is the first row that is not empty; its names are matched to the columns a kind of import
wants (`columns`) in any case, with spaces, hyphens and underscores alike, in English or in the words
the interface gives them in Arabic and Kurdish.
"""
from __future__ import annotations

import csv
import enum
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Generic, TypeVar

from flask_babel import force_locale
from flask_babel import gettext as _

from books2iraq.errors import DomainError
from books2iraq.i18n import LANGUAGES, number

T = TypeVar("T")
MAX_ROWS = 20_000
MAX_UNPACKED = 200 * 1024 * 1024  # what a workbook's parts may hold unpacked: a 20,000-row sheet is a few MB
MAX_COLUMNS = 30
ZIP_MAGIC = b"PK\x03\x04"
SEPARATORS = ",;\t"


@dataclass(frozen=True)
class Row:
    """A row of the sheet: its number as the spreadsheet shows it (the header is row 1 when it is the
    first), and its cells as text, stripped, one per column of the header ('' for an empty cell)."""

    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    header: tuple[str, ...]
    rows: tuple[Row, ...]


def read(content: bytes) -> Sheet:
    """The rows of an uploaded spreadsheet (XLSX or CSV), the empty ones left out; DomainError when it is
    neither, or holds no header, or too many rows."""
    if not content.strip():
        raise DomainError(_("The file is empty."), field="file")
    raw = _xlsx_rows(content) if content.startswith(ZIP_MAGIC) else _csv_rows(content)
    header: tuple[str, ...] | None = None
    rows: list[Row] = []
    for n, values in raw:
        cells = tuple(values[:MAX_COLUMNS])
        if not any(cells):
            continue
        if header is None:
            header = cells[:max(i for i, name in enumerate(cells) if name) + 1]  # a workbook's empty columns out
            continue
        if len(rows) == MAX_ROWS:
            raise DomainError(_("The sheet has more than %(most)s rows; split it into several files.",
                                most=number(MAX_ROWS)), field="file")
        rows.append(Row(n, (cells + ("",) * len(header))[:len(header)]))
    if header is None:
        raise DomainError(_("The file is empty."), field="file")
    return Sheet(header, tuple(rows))


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    import openpyxl  # a workbook only: most uploads are CSV, and openpyxl takes a while to import
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:  # a small file that unpacks into gigabytes is refused first
            if sum(part.file_size for part in archive.infolist()) > MAX_UNPACKED:
                raise DomainError(_("This file cannot be read as a spreadsheet: save it as XLSX or CSV and send it again."),
                                  field="file")
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise DomainError(_("This file cannot be read as a spreadsheet: save it as XLSX or CSV and send it again."),
                          field="file") from exc
    try:
        sheet = book.worksheets[0]
        for n, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            if n > MAX_ROWS + 100 and not any(v is not None for v in values):
                break  # a sheet formatted down to row 1,048,576: nothing more is written in it
            yield n, [text(value) for value in values]
    finally:
        book.close()


def text(value: object) -> str:
    """A cell's value as the person sees it: a whole number without ".0", a date as 2026-12-06."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return " ".join(str(value).split())


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    if b"\x00" in content[:4096]:
        raise DomainError(_("This file cannot be read as a spreadsheet: save it as XLSX or CSV and send it again."),
                          field="file")
    try:
        decoded = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        decoded = content.decode("cp1256", errors="replace")  # Excel's "CSV" in Arabic Windows
    first = next((line for line in decoded.splitlines() if line.strip()), "")
    separator = max(SEPARATORS, key=first.count) if any(s in first for s in SEPARATORS) else ","
    reader = csv.reader(io.StringIO(decoded, newline=""), delimiter=separator)
    try:
        for n, values in enumerate(reader, start=1):
            yield n, [" ".join(v.split()) for v in values]
    except csv.Error as exc:
        raise DomainError(_("This file cannot be read as a spreadsheet: save it as XLSX or CSV and send it again."),
                          field="file") from exc


def template(wanted: Mapping[str, tuple[str, ...]], example: Iterable[tuple[str, ...]]) -> tuple[list[str], list[tuple[str, ...]]]:
    """A kind's template: its columns named in the page's language (their first names), and example rows."""
    return [_(names[0]) for names in wanted.values()], list(example)


def _key(name: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", name).strip().casefold()


def in_every_language(english: str) -> set[str]:
    """A text as a person may type it: in English, and as each language of the interface says it."""
    said = {english}
    for language in LANGUAGES:
        with force_locale(language):
            said.add(_(english))
    return said


def columns(header: Iterable[str], wanted: Mapping[str, tuple[str, ...]], required: Iterable[str]) -> dict[str, int]:
    """Where each wanted column is in the header: {column: index}. `wanted` gives each column its names
    in English (the first is the template's, translated too); DomainError names the required ones missing."""
    names: dict[str, str] = {}
    for column, english in wanted.items():
        for name in (*english, *in_every_language(english[0])):
            names.setdefault(_key(name), column)
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        known = names.get(_key(name))
        if known is not None and known not in found:
            found[known] = index
    missing = [wanted[c][0] for c in required if c not in found]
    if missing:
        raise DomainError(_("The first row must name the columns %(columns)s; it names %(header)s.",
                            columns=_(", ").join(missing), header=_(", ").join(h for h in header if h) or "—"),
                          field="file")
    return found


@dataclass(frozen=True)
class Checked(Generic[T]):
    """A row as read and checked: its cells by column, as typed, and either what is wrong with it or
    what it makes (`value`)."""

    number: int
    cells: Mapping[str, str]
    problem: str | None = None
    value: T | None = None

    @property
    def good(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class CheckedSheet(Generic[T]):
    rows: tuple[Checked[T], ...]

    @property
    def bad(self) -> list[Checked[T]]:
        return [row for row in self.rows if not row.good]

    @property
    def good(self) -> list[Checked[T]]:
        return [row for row in self.rows if row.good]

    @property
    def values(self) -> list[T]:
        return [row.value for row in self.rows if row.good and row.value is not None]


def check_rows(sheet: Sheet, wanted: Mapping[str, tuple[str, ...]], required: Iterable[str],
               check: Callable[[int, dict[str, str]], T]) -> CheckedSheet[T]:
    """Every row of a sheet checked in order by `check` (its number, its cells by column, at most 500
    characters each), which returns what the row makes or raises DomainError saying what is wrong."""
    at = columns(sheet.header, wanted, required)
    rows = []
    for row in sheet.rows:
        cells = {name: row.cells[at[name]][:500] if name in at else "" for name in wanted}
        try:
            rows.append(Checked(row.number, cells, value=check(row.number, cells)))
        except DomainError as exc:
            rows.append(Checked(row.number, cells, problem=str(exc)))
    return CheckedSheet(tuple(rows))


E = TypeVar("E", bound=enum.Enum)


def choices(members: Iterable[E]) -> dict[str, E]:
    """What a person may type for each member of an enum (its code, its words in each language), each
    typed text to its member: the lookup of one column, made once a sheet."""
    from books2iraq.labels import words

    typed: dict[str, E] = {}
    for member in members:
        for said in (str(member.value), *in_every_language(words(member))):
            typed.setdefault(_key(said), member)
    return typed


def chosen(text: str, typed: Mapping[str, E]) -> E | None:
    return typed.get(_key(text))
