"""The local catalogue filled from files: Open Library dumps, MARC and CSV read right, bad records
skipped with their reason, a second run changing nothing, scanned ISBNs named, and intake finding
the books the moment they are scanned."""
from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import pytest
import sqlalchemy as sa
from stdnum import ean

from books2iraq.audit import events_for
from books2iraq.auth.roles import Role
from books2iraq.catalogue import hints, imports
from books2iraq.catalogue.models import CatalogueImport, CatalogueRecord
from books2iraq.catalogue.sources import SAMPLES_DIR, Read, Skipped, Source, language_code
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake import titles
from books2iraq.intake.models import DataSource, ReadingLevel, TitleKind
from books2iraq.sorting import services as sorting
from tests.factories import SiteFactory, UserFactory

OPEN_LIBRARY = SAMPLES_DIR / "openlibrary-editions.txt"
MARC = SAMPLES_DIR / "library.mrc"
CSV = SAMPLES_DIR / "books.csv"


def run(path: Path, fmt: str | None = None, **kwargs) -> CatalogueImport:
    done = imports.import_file(path, fmt, actor=None, commit=db.session.commit, **kwargs).run
    db.session.commit()
    return done


def record(isbn13: str) -> CatalogueRecord:
    return db.session.scalars(sa.select(CatalogueRecord).where(CatalogueRecord.isbn13 == isbn13)).one()


def read_all(path: Path, fmt: str | None = None) -> list[Read | Skipped]:
    with Source(path, fmt) as source:
        return list(source.records())


# -- reading each format ------------------------------------------------------------------------------
def test_an_open_library_dump_is_read_edition_by_edition_with_what_it_left_out_and_why():
    found = read_all(OPEN_LIBRARY)
    books = [r for r in found if isinstance(r, Read)]
    skipped = [(s.where, s.reason, s.value) for s in found if isinstance(s, Skipped)]
    assert len(books) == 25
    assert skipped == [
        ("line 4", "not an edition", None),
        ("line 9", "no ISBN", None),
        ("line 10", "no valid ISBN (a wrong check digit, or not 10 or 13 digits)", "9780743273566"),
        ("line 16", "the record is not JSON", None),
        ("line 17", "no title", None),
    ]
    gatsby, orwell = books[0], books[1]
    assert gatsby == Read(
        isbn13s=("9780743273565",), title="The Great Gatsby", authors="F. Scott Fitzgerald", publisher="Scribner",
        year=2004, language="en", subjects="American fiction; Fiction", level=None, kind=TitleKind.BOOK,
    )
    assert orwell.isbn13s == ("9780451524935",)  # its ISBN-10, 0451524934, as ISBN-13
    algorithms = next(b for b in books if b.title == "Introduction to algorithms")
    assert algorithms.isbn13s == ("9780262033848",)  # its ISBN-10 is the same book: one ISBN
    by_title = {b.title: b for b in books}
    assert (by_title["The cat in the hat"].kind, by_title["The cat in the hat"].level) == (
        TitleKind.CHILDRENS_PICTURE, ReadingLevel.CHILDREN)
    assert by_title["The Oxford English-Arabic dictionary of current usage"].kind is TitleKind.DICTIONARY
    assert by_title["مجلة العربي: العدد ٧٠٠"].kind is TitleKind.PERIODICAL
    assert by_title["Cambridge IGCSE physics: coursebook"].level is ReadingLevel.SECONDARY
    assert by_title["Harrison's principles of internal medicine"].level is ReadingLevel.UNIVERSITY
    assert (by_title["تاريخ العراق الحديث"].language, by_title["تاريخ العراق الحديث"].year) == ("ar", 1990)
    assert by_title["L'étranger"].language == "fr"
    assert by_title["قاموس عربي - كردي"].language == "ku"  # MARC's code for Kurdish, kur


def test_a_gzipped_dump_is_read_as_open_library_ships_it(tmp_path):
    packed = tmp_path / "ol_dump_editions_latest.txt.gz"
    packed.write_bytes(gzip.compress(OPEN_LIBRARY.read_bytes()))
    assert read_all(packed) == read_all(OPEN_LIBRARY)


def test_a_marc_file_is_read_record_by_record():
    found = read_all(MARC)
    assert [type(r).__name__ for r in found] == ["Read", "Read", "Read", "Read", "Skipped"]
    dictionary, physics, sociology, lancet, no_isbn = found
    assert dictionary == Read(
        isbn13s=("9780198611868",), title="Oxford English-Arabic dictionary of current usage", authors="Doniach, N. S.",
        publisher="Oxford University Press", year=1972, language="en", subjects="English language; Dictionaries",
        level=None, kind=TitleKind.DICTIONARY,
    )
    assert physics.isbn13s == ("9780521618274",) and physics.title == "Cambridge IGCSE physics: coursebook"
    assert (sociology.title, sociology.authors, sociology.language) == ("مقدمة في علم الاجتماع", "الوردي، علي", "ar")
    assert lancet.kind is TitleKind.PERIODICAL  # a serial (leader/07 s)
    assert no_isbn == Skipped("record 5", "no ISBN")


def test_a_spreadsheet_is_read_row_by_row_and_each_bad_row_says_why():
    found = read_all(CSV)
    assert [r.title for r in found if isinstance(r, Read)] == [
        "Pride and Prejudice", "كتاب القراءة للصف الأول الابتدائي", "فەرهەنگی ئینگلیزی - کوردی"]
    reader, kurdish = found[1], found[2]
    assert (reader.language, reader.level, reader.kind) == ("ar", ReadingLevel.CHILDREN, TitleKind.BOOK)  # "Arabic"
    assert (kurdish.language, kurdish.kind) == ("ckb", TitleKind.DICTIONARY)  # Sorani has no two-letter code
    assert [(s.place, s.reason) for s in found if isinstance(s, Skipped)] == [
        ("line 5 (9780141439519)", "no valid ISBN (a wrong check digit, or not 10 or 13 digits)"),
        ("line 6 (adult)", "a level that is not one of children, secondary, university, general"),
        ("line 7", "no title"),
        ("line 8 (3006)", "a year that is not a plausible publication year (1450-2100)"),
    ]


def test_a_spreadsheet_without_an_isbn_or_a_title_column_is_refused_whole(tmp_path):
    sheet = tmp_path / "titles.csv"
    sheet.write_text("code,name\n9780141439518,Pride and Prejudice\n")
    assert read_all(sheet) == [Skipped("line 1", "the header row must name an isbn and a title column")]


@pytest.mark.parametrize(
    ("given", "code"),
    [("eng", "en"), ("ara", "ar"), ("ar", "ar"), ("Arabic", "ar"), ("arabic", "ar"), ("kur", "ku"), ("ckb", "ckb"),
     ("Central Kurdish", "ckb"), ("per", "fa"), ("fre", "fr"), ("und", None), ("mul", None), ("", None), ("xx", None)],
)
def test_languages_are_kept_as_iso_639_1_where_the_language_has_a_code(given, code):
    assert language_code(given) == code


# -- importing -------------------------------------------------------------------------------------------
@pytest.mark.usefixtures("ctx")
def test_an_import_adds_each_isbn_once_and_says_what_it_did():
    done = run(OPEN_LIBRARY)
    assert (done.read, done.added, done.updated, done.unchanged) == (25, 25, 0, 0)
    assert done.skipped == {"not an edition": 1, "no ISBN": 1, "no title": 1, "the record is not JSON": 1,
                            "no valid ISBN (a wrong check digit, or not 10 or 13 digits)": 1}
    assert done.finished_at is not None and done.file_name == "openlibrary-editions.txt"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CatalogueRecord)) == 25
    gatsby = record("9780743273565")
    assert (gatsby.title, gatsby.source, gatsby.source_file) == ("The Great Gatsby", DataSource.OPEN_LIBRARY,
                                                                 "openlibrary-editions.txt")
    [event] = events_for(done)
    assert event.action == "catalogue.imported" and event.detail["added"] == 25 and event.detail["skipped"]["no ISBN"] == 1


@pytest.mark.usefixtures("ctx")
def test_running_an_import_again_changes_nothing_and_a_corrected_file_updates_what_changed(tmp_path):
    run(OPEN_LIBRARY)
    again = run(OPEN_LIBRARY)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 25)

    corrected = tmp_path / "corrected.txt"
    lines = OPEN_LIBRARY.read_text().splitlines()
    edition = json.loads(lines[0].split("\t")[4])
    edition["publish_date"] = "2013"
    lines[0] = "\t".join([*lines[0].split("\t")[:4], json.dumps(edition)])
    corrected.write_text("\n".join(lines) + "\n")
    fixed = run(corrected)
    assert (fixed.added, fixed.updated, fixed.unchanged) == (0, 1, 24)
    assert (record("9780743273565").year, record("9780743273565").source_file) == (2013, "corrected.txt")


@pytest.mark.usefixtures("ctx")
def test_the_same_isbn_in_two_sources_is_one_record_the_later_import_describing_it():
    run(OPEN_LIBRARY)
    marc = run(MARC)
    assert (marc.added, marc.updated) == (3, 1)  # the IGCSE physics book was in the dump too
    physics = record("9780521618274")
    assert (physics.source, physics.authors) == (DataSource.MARC, "Sang, David")


@pytest.mark.usefixtures("ctx")
def test_scanned_isbns_nobody_had_named_take_the_details_of_their_record_and_named_titles_keep_theirs():
    volunteer = UserFactory(role=Role.VOLUNTEER)
    nameless = titles.title_for_isbn("9780743273565", actor=volunteer)
    named = titles.create_title(isbn13="9780061120084", title="Mockingbird (typed by a sorter)", actor=volunteer)
    db.session.commit()
    assert nameless.title is None

    done = run(OPEN_LIBRARY)
    assert done.titles_filled == 1
    db.session.refresh(nameless)
    assert (nameless.title, nameless.authors, nameless.year, nameless.source) == (
        "The Great Gatsby", "F. Scott Fitzgerald", 2004, DataSource.OPEN_LIBRARY)
    assert named.title == "Mockingbird (typed by a sorter)" and named.source is None
    [event] = [e for e in events_for(nameless) if e.action == "title.catalogued"]
    assert event.detail["title"] == "The Great Gatsby" and event.detail["catalogue_import"] == done.id


@pytest.mark.usefixtures("ctx")
def test_a_scan_at_intake_finds_the_book_in_the_local_catalogue():
    run(OPEN_LIBRARY)
    run(CSV)
    volunteer = UserFactory(role=Role.VOLUNTEER)
    donation = intake.record_donation(
        site=SiteFactory(), actor=volunteer,
        lines=intake.scanned_lines("9780394800011\n9780394800011\n9789922042435\n9780306406157", [], intake.Condition.GOOD),
    )
    db.session.commit()
    cat, kurdish, unknown = (line.title for line in sorted(donation.lines, key=lambda line: line.position))
    assert (cat.title, cat.authors, cat.kind, cat.level, cat.source) == (
        "The cat in the hat", "Dr. Seuss", TitleKind.CHILDRENS_PICTURE, ReadingLevel.CHILDREN, DataSource.OPEN_LIBRARY)
    assert cat.subject == "Picture books for children"
    assert (kurdish.title, kurdish.language, kurdish.source) == ("فەرهەنگی ئینگلیزی - کوردی", "ckb", DataSource.CSV)
    assert unknown.title is None and unknown.source is None and unknown.display == "ISBN 9780306406157 (not catalogued yet)"


@pytest.mark.usefixtures("ctx")
def test_a_title_a_sorter_types_for_a_new_isbn_is_theirs_not_the_records():
    run(OPEN_LIBRARY)
    sorter = UserFactory(role=Role.WAREHOUSE)
    typed = titles.title_for_isbn("9780743273565", actor=sorter, title="The Great Gatsby (school edition)")
    assert (typed.title, typed.authors, typed.source) == ("The Great Gatsby (school edition)", None, None)


@pytest.mark.usefixtures("ctx")
def test_a_sorter_cataloguing_a_bag_by_scanning_finds_the_book_in_the_local_catalogue():
    run(OPEN_LIBRARY)
    volunteer, sorter = UserFactory(role=Role.VOLUNTEER), UserFactory(role=Role.WAREHOUSE)
    donation = intake.record_donation(site=SiteFactory(), actor=volunteer,
                                      lines=[intake.LineInput(quantity=5, description="Box of novels")])
    [bag] = donation.lots
    piece = sorting.catalogue_as(bag, actor=sorter, isbn="9780385490818", quantity=2)
    db.session.commit()
    assert (piece.title.title, piece.title.source, piece.quantity) == ("The handmaid's tale", DataSource.OPEN_LIBRARY, 2)


@pytest.mark.usefixtures("ctx")
def test_a_file_of_an_unknown_format_is_refused():
    with pytest.raises(Exception, match="is not a catalogue format"):
        imports.import_file(OPEN_LIBRARY, "onix", actor=None, commit=db.session.commit)


# -- at size -------------------------------------------------------------------------------------------------
def write_dump(path: Path, editions: int) -> None:
    """An Open Library dump of `editions` made-up books, each with an ISBN-13 and an ISBN-10."""
    with path.open("w") as out:
        for n in range(editions):
            body = f"978{n:09d}"
            edition = {"title": f"Book number {n} " + "x" * 60, "isbn_13": [body + ean.calc_check_digit(body)],
                       "publishers": ["A publisher"], "publish_date": "2001", "languages": [{"key": "/languages/eng"}],
                       "subjects": ["Fiction", "Juvenile fiction"], "by_statement": "A. Writer"}
            out.write(f"/type/edition\t/books/OL{n}M\t1\t2024-01-01T00:00:00\t{json.dumps(edition)}\n")


def traced_import(dump: Path, commit, progress) -> tuple[CatalogueImport, int]:
    """An import and the most memory it held at once (bytes, tracemalloc)."""
    tracemalloc.start()
    try:
        done = imports.import_file(dump, actor=None, commit=commit, progress=progress).run
        db.session.commit()
        return done, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.usefixtures("ctx")
def test_a_large_dump_is_imported_a_batch_at_a_time_in_bounded_memory(app, tmp_path):
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    write_dump(small, imports.BATCH)
    write_dump(large, 4 * imports.BATCH + 7)
    _, small_peak = traced_import(small, db.session.commit, lambda position: None)
    statements: list[str] = []
    commits: list[int] = []
    positions: list[int] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    def commit() -> None:
        commits.append(len(statements))
        db.session.commit()

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        done, large_peak = traced_import(large, commit, positions.append)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert (done.read, done.added, done.unchanged) == (4 * imports.BATCH + 7, 3 * imports.BATCH + 7, imports.BATCH)
    assert len(commits) == 5  # a transaction a batch, and the last, short one
    assert positions[-1] == large.stat().st_size and positions == sorted(positions)
    # A batch costs the same few statements however many ISBNs it stores: find, insert, titles to name…
    per_batch = [b - a for a, b in zip(commits, commits[1:], strict=False)]
    assert max(per_batch[:3]) <= 8, statements[commits[0]:commits[1]]
    # Four times the file, not four times the memory: one batch is held at a time.
    assert large_peak < 1.5 * small_peak, f"{small_peak / 2**20:.1f} MB, then {large_peak / 2**20:.1f} MB"


# -- hints ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("isbn13", "group", "language"),
    [
        ("9789922011110", "Iraq", "ar"),
        ("9789953010373", "Lebanon", "ar"),
        ("9786001234567", "Iran", "fa"),
        ("9789641234567", "Iran", "fa"),
        ("9780140449136", "English language", "en"),
        ("9782070360024", "French language", "fr"),
        ("9788171234567", "India", None),  # many languages: no suggestion
    ],
)
def test_an_isbn_says_where_it_was_registered_and_the_language_that_suggests(isbn13, group, language):
    isbn13 = isbn13[:12] + ean.calc_check_digit(isbn13[:12])
    assert hints.hint(isbn13) == hints.Hint(group=group, language=language)


def test_no_hint_for_what_is_not_an_isbn_13():
    assert hints.hint(None) is None and hints.hint("12345") is None
