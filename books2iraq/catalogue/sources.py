"""Reading catalogue files one record at a time, whatever their size: Open Library editions dumps
(tab-separated, the record as JSON in the last column; gzipped as Open Library ships them), MARC 21
files (pymarc) and spreadsheets saved as CSV. Each record read is a `Read` (a book, by every ISBN it
carries) or a `Skipped` (where, and why), so that an import can say what it left out."""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

import iso639
import pymarc

from books2iraq.errors import DomainError
from books2iraq.i18n import N_
from books2iraq.intake import titles
from books2iraq.intake.models import DataSource, ReadingLevel, TitleKind

FORMATS = {"openlibrary": DataSource.OPEN_LIBRARY, "marc": DataSource.MARC, "csv": DataSource.CSV}
# A small file of each format, for the demo and the tests.
SAMPLES_DIR = Path(__file__).parent / "samples"
SAMPLES = [SAMPLES_DIR / "openlibrary-editions.txt", SAMPLES_DIR / "library.mrc", SAMPLES_DIR / "books.csv"]


@dataclass(frozen=True)
class Read:
    """A book as a file describes it, with every valid ISBN-13 it carries."""

    isbn13s: tuple[str, ...]
    title: str
    authors: str | None = None
    publisher: str | None = None
    year: int | None = None
    language: str | None = None
    subjects: str | None = None
    level: ReadingLevel | None = None
    kind: TitleKind = TitleKind.BOOK


@dataclass(frozen=True)
class Skipped:
    where: str  # "line 12", "record 3"
    reason: str  # one of a few: how many records were skipped for it is counted
    value: str | None = None  # what was wrong, when there is something to show

    @property
    def place(self) -> str:
        return f"{self.where} ({self.value})" if self.value else self.where


class Source:
    """A catalogue file opened for reading (gzip undone), with how far into it the reading has got."""

    def __init__(self, path: Path, fmt: str | None = None) -> None:
        self.path = path
        self.format = fmt or guess_format(path)
        if self.format not in FORMATS:
            raise DomainError(f"“{self.format}” is not a catalogue format: give openlibrary, marc or csv.")
        self.size = path.stat().st_size
        self._raw: BinaryIO = path.open("rb")
        self._stream: BinaryIO = cast(BinaryIO, gzip.GzipFile(fileobj=self._raw)) if _gzipped(path) else self._raw

    @property
    def source(self) -> DataSource:
        return FORMATS[self.format]

    def position(self) -> int:
        """Bytes of the file (as stored, compressed or not) read so far."""
        return self._raw.tell()

    def records(self) -> Iterator[Read | Skipped]:
        return {"openlibrary": _open_library, "marc": _marc, "csv": _csv}[self.format](self._stream)

    def close(self) -> None:
        self._stream.close()
        self._raw.close()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def guess_format(path: Path) -> str:
    """The format a file's name says: .mrc/.marc MARC, .csv CSV, anything else (.txt, .tsv, .gz) Open Library."""
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".mrc", ".marc")):
        return "marc"
    if name.endswith(".csv"):
        return "csv"
    return "openlibrary"


def _gzipped(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(2) == b"\x1f\x8b"


# -- the details, the same way whatever the file -----------------------------------------------------
YEAR = re.compile(r"\b(1[4-9]\d\d|20\d\d)\b")
# What a book is, from its subjects (and its format where the source says it): the first rule that
# matches decides. The kind gives the HS code on the customs manifest; the level, the reader.
KIND_RULES: list[tuple[TitleKind, re.Pattern[str]]] = [
    (TitleKind.DICTIONARY, re.compile(r"\b(dictionar(y|ies)|encyclop(a)?edias?|lexicons?|glossar(y|ies))\b", re.I)),
    (TitleKind.CHILDRENS_PICTURE, re.compile(r"\bpicture books?\b", re.I)),
    (TitleKind.PERIODICAL, re.compile(r"\b(periodicals?|magazines?|serial publications?)\b", re.I)),
]
LEVEL_RULES: list[tuple[ReadingLevel, re.Pattern[str]]] = [
    (ReadingLevel.CHILDREN, re.compile(r"\b(juvenile|children'?s|picture books?)\b", re.I)),
    (ReadingLevel.SECONDARY, re.compile(r"\b(secondary|high school|young adult)\b", re.I)),
    (ReadingLevel.UNIVERSITY, re.compile(r"\b(universit(y|ies)|college|higher education)\b", re.I)),
]


def kind_of(*texts: str | None) -> TitleKind:
    words = " | ".join(t for t in texts if t)
    return next((kind for kind, rule in KIND_RULES if rule.search(words)), TitleKind.BOOK)


def level_of(subjects: str | None) -> ReadingLevel | None:
    if not subjects:
        return None
    return next((level for level, rule in LEVEL_RULES if rule.search(subjects)), None)


def year_of(text: object) -> int | None:
    found = YEAR.search(str(text)) if text else None
    return int(found.group(1)) if found else None


def language_code(code: str | None) -> str | None:
    """ISO 639-1 (en, ar, ku) for a MARC or ISO 639 code or an English name, where the language has
    one; its three letters otherwise (ckb: Sorani Kurdish); None when none is known or it says
    'undetermined' or 'several'."""
    code = (code or "").strip()
    if not code or code.lower() in {"und", "mul", "zxx", "mis"}:
        return None
    for candidate in [code.lower()] if len(code) <= 3 else [code, code.title()]:
        try:
            language = iso639.Language.match(candidate)
        except iso639.LanguageNotFoundError:
            continue
        return language.part1 or language.part3
    return None


def _text(value: object, limit: int) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text[:limit] or None


def _subjects(values: list[str]) -> str | None:
    """Subjects joined by "; ", as many whole ones as fit the column."""
    kept: list[str] = []
    length = 0
    for value in dict.fromkeys(v for v in (_text(v, 200) for v in values) if v):
        if length + len(value) + 2 > 1000:
            break
        kept.append(value)
        length += len(value) + 2
    return "; ".join(kept) or None


# The reasons a record is skipped are stored and printed in English; N_ marks the fixed ones for the
# catalogue's page, which shows them in the language of the page.
NO_ISBN, BAD_ISBN = N_("no ISBN"), N_("no valid ISBN (a wrong check digit, or not 10 or 13 digits)")


def _isbns(raw: list[str]) -> tuple[tuple[str, ...], str | None]:
    """The valid ISBN-13s among `raw` (ISBN-10s converted), and the first one that was not valid."""
    found: dict[str, None] = {}
    bad = None
    for value in raw:
        token = str(value).strip().split(" ")[0] if value else ""
        if not token or (len(token) == 10 and any(found13[3:12] == token[:9] for found13 in found)):
            continue  # nothing, or the ISBN-10 of an ISBN-13 already found: the same book
        try:
            found[titles.normalise_isbn(token)] = None
        except DomainError:
            bad = bad or token[:20]
    return tuple(found), bad


def _book(where: str, isbns: list[str], title: str | None, **details: Any) -> Read | Skipped:
    isbn13s, bad = _isbns(isbns)
    if not isbn13s:
        return Skipped(where, BAD_ISBN, bad) if bad else Skipped(where, NO_ISBN)
    title = _text(title, 500)
    if title is None:
        return Skipped(where, N_("no title"))
    subjects = details.get("subjects")
    return Read(
        isbn13s=isbn13s,
        title=title,
        authors=_text(details.get("authors"), 500),
        publisher=_text(details.get("publisher"), 200),
        year=details.get("year"),
        language=details.get("language"),
        subjects=subjects,
        level=details.get("level") or level_of(subjects),
        kind=details.get("kind") or kind_of(subjects, details.get("format"), title),
    )


# -- Open Library ---------------------------------------------------------------------------------------
def _open_library(stream: IO[bytes]) -> Iterator[Read | Skipped]:
    """An Open Library editions dump: type, key, revision, last modified, JSON; one edition a line."""
    for n, line in enumerate(io.TextIOWrapper(stream, encoding="utf-8", errors="replace"), start=1):
        columns = line.rstrip("\n").split("\t")
        if len(columns) != 5:
            yield Skipped(f"line {n}", N_("not five tab-separated columns"))
            continue
        if columns[0] != "/type/edition":
            yield Skipped(f"line {n}", N_("not an edition"))
            continue
        try:
            edition = json.loads(columns[4])
        except ValueError:
            yield Skipped(f"line {n}", N_("the record is not JSON"))
            continue
        if not isinstance(edition, dict):
            yield Skipped(f"line {n}", N_("the record is not JSON"))
            continue
        yield read_edition(f"line {n}", edition)


def read_edition(where: str, edition: dict[str, Any]) -> Read | Skipped:
    """An Open Library edition record (a dump's line, or the ISBN API's answer) as a book."""
    def strings(key: str) -> list[str]:
        value = edition.get(key)
        return [str(v) for v in value if isinstance(v, str | int)] if isinstance(value, list) else []

    title = edition.get("title")
    if isinstance(title, str) and isinstance(edition.get("title_prefix"), str):
        title = f"{edition['title_prefix'].strip()} {title}"
    if isinstance(title, str) and isinstance(edition.get("subtitle"), str):
        title = f"{title}: {edition['subtitle']}"
    languages = edition.get("languages")
    language = None
    if isinstance(languages, list) and languages and isinstance(languages[0], dict):
        language = language_code(str(languages[0].get("key", "")).rsplit("/", 1)[-1])
    publishers = strings("publishers")
    by = edition.get("by_statement")
    return _book(
        where,
        strings("isbn_13") + strings("isbn_10"),
        title if isinstance(title, str) else None,
        authors=by.strip(" ./") if isinstance(by, str) else ", ".join(strings("contributions")) or None,
        publisher=publishers[0] if publishers else None,
        year=year_of(edition.get("publish_date")),
        language=language,
        subjects=_subjects(strings("subjects")),
        format=edition.get("physical_format") if isinstance(edition.get("physical_format"), str) else None,
    )


# -- MARC 21 ---------------------------------------------------------------------------------------------
TRAILING = " /:;,.="  # ISBD punctuation that ends a subfield
NAME_TRAILING = " /:;,="  # a name's full stop may end an initial


def _marc(stream: BinaryIO) -> Iterator[Read | Skipped]:
    reader = pymarc.MARCReader(stream, to_unicode=True, force_utf8=True, utf8_handling="replace")
    for n, record in enumerate(reader, start=1):
        if record is None:
            yield Skipped(f"record {n}", N_("not a readable MARC record"))
            continue
        yield _marc_record(f"record {n}", record)


def _marc_record(where: str, record: pymarc.Record) -> Read | Skipped:
    def first(tags: tuple[str, ...], code: str) -> str | None:
        for tag in tags:
            for field in record.get_fields(tag):
                for value in field.get_subfields(code):
                    if value.strip(TRAILING):
                        return value.strip(TRAILING)
        return None

    def every(tag: str, code: str, trailing: str = TRAILING) -> list[str]:
        return [v.strip(trailing) for f in record.get_fields(tag) for v in f.get_subfields(code)]

    title = first(("245",), "a")
    subtitle = first(("245",), "b")
    control = (record["008"].data if record["008"] is not None else None) or ""
    language = language_code(control[35:38]) if len(control) >= 38 else None
    names = [name for tag in ("100", "110", "700") for name in every(tag, "a", NAME_TRAILING)]
    leader = str(record.leader)
    return _book(
        where,
        every("020", "a"),
        f"{title}: {subtitle}" if title and subtitle else title,
        authors="; ".join(dict.fromkeys(n for n in names if n)) or None,
        publisher=first(("264", "260"), "b"),
        year=year_of(first(("264", "260"), "c")) or year_of(control[7:11] if len(control) >= 11 else None),
        language=language or language_code(first(("041",), "a")),
        subjects=_subjects(every("650", "a") + every("655", "a")),
        kind=TitleKind.PERIODICAL if len(leader) > 7 and leader[7] == "s" else None,
    )


# -- CSV --------------------------------------------------------------------------------------------------
CSV_COLUMNS = ("isbn", "title", "authors", "publisher", "year", "language", "subjects", "level", "kind")
_ALIASES = {"isbn13": "isbn", "isbn_13": "isbn", "author": "authors", "subject": "subjects"}


def _csv(stream: IO[bytes]) -> Iterator[Read | Skipped]:
    """A spreadsheet saved as CSV with a header row naming its columns (CSV_COLUMNS; isbn and title needed)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    rows = csv.reader(text)
    header = [_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in next(rows, [])]
    if "isbn" not in header or "title" not in header:
        yield Skipped("line 1", N_("the header row must name an isbn and a title column"))
        return
    for n, values in enumerate(rows, start=2):
        if not any(v.strip() for v in values):
            continue
        row = dict(zip(header, values, strict=False))
        yield _csv_row(f"line {n}", row)


def _csv_row(where: str, row: dict[str, str]) -> Read | Skipped:
    def enum_value(enum_cls: type[ReadingLevel] | type[TitleKind], name: str) -> Any:
        value = (row.get(name) or "").strip().lower().replace(" ", "_").replace("'", "")
        if not value:
            return None
        try:
            return enum_cls(value)
        except ValueError:
            return Skipped(where, f"a {name} that is not one of {', '.join(m.value for m in enum_cls)}", row[name][:40])

    level, kind = enum_value(ReadingLevel, "level"), enum_value(TitleKind, "kind")
    for value in (level, kind):
        if isinstance(value, Skipped):
            return value
    year = (row.get("year") or "").strip()
    if year and (not year.isdigit() or not 1450 <= int(year) <= 2100):
        return Skipped(where, N_("a year that is not a plausible publication year (1450-2100)"), year[:20])
    language = (row.get("language") or "").strip()
    code = language_code(language)
    if language and code is None:
        return Skipped(where, N_("a language that is not an ISO 639 code nor a language's English name"), language[:40])
    return _book(
        where,
        [row.get("isbn") or ""],
        row.get("title"),
        authors=row.get("authors"),
        publisher=row.get("publisher"),
        year=int(year) if year else None,
        language=code,
        subjects=_subjects(re.split(r"\s*;\s*", row.get("subjects") or "")),
        level=level,
        kind=kind,
    )
