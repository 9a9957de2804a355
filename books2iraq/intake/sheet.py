"""A donation from a spreadsheet: a publisher's list of ISBNs and copies, a school drive's counted boxes.

Each row is a line of the donation: a book by its ISBN (its title and author may name a title nobody
has named yet), or a box described in words, with its copies. Every row is checked before anything is
written (`check`), and what is wrong with a row is said in the row: a bad ISBN, no number of copies, an
ISBN given in an earlier row. The donation is recorded from the rows that are right, in one transaction,
only when none is wrong or the person chose to leave the wrong ones out (`import_donation`).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from flask_babel import gettext as _

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.errors import DomainError
from books2iraq.i18n import N_, number
from books2iraq.imports import services as imports
from books2iraq.imports import sheets
from books2iraq.imports.models import ImportKind, SheetImport
from books2iraq.imports.sheets import CheckedSheet, Sheet, check_rows, columns
from books2iraq.intake import titles
from books2iraq.intake.models import Condition, Donation
from books2iraq.intake.services import MAX_COPIES_PER_LINE, DonorInput, LineInput, submit_donation
from books2iraq.sites.models import Site

# Each column by the template's name first (translated in the template of each language), then other
# names publishers' and schools' sheets give it.
COLUMNS = {
    "isbn": (N_("ISBN"), "ISBN-13", "ISBN13", "ISBN-10", "ISBN10", "EAN", "Barcode"),
    "copies": (N_("Copies"), "Quantity", "Qty", "Count", "Number", "Number of copies", "Units", "Books"),
    "title": (N_("Title"), "Book", "Book title", "Name"),
    "authors": (N_("Author"), "Authors", "Author(s)", "By"),
    "description": (N_("What is in it"), "Description", "Contents", "Box", "Items"),
}
TEMPLATE_EXAMPLE = (("9780306406157", "12", "Physics for schools", "A. Author", ""),
                    ("", "30", "", "", "Children's stories in Arabic (box 1)"))
GROUPING = str.maketrans("", "", ", ٬'’")  # 1,200 and ١٬٢٠٠ are twelve hundred


@dataclass(frozen=True)
class Line:
    """What a right row makes: a book by its ISBN-13 (and the title the catalogue already has for it),
    or a counted box, with its copies."""

    quantity: int
    isbn13: str | None = None
    known: str | None = None


def check(sheet: Sheet) -> CheckedSheet[Line]:
    """Every row of the sheet checked, in order; the catalogue's titles of the good ISBNs found in one query."""
    at = columns(sheet.header, COLUMNS, required=("copies",))
    if "isbn" not in at and "description" not in at:
        raise DomainError(_("The first row must name an “%(isbn)s” column, or a “%(description)s” column for counted boxes.",
                            isbn=_(COLUMNS["isbn"][0]), description=_(COLUMNS["description"][0])), field="file")
    seen: dict[str, int] = {}
    checked = check_rows(sheet, COLUMNS, ("copies",), lambda n, cells: _line(n, cells, seen))
    known = titles.by_isbn([line.isbn13 for line in checked.values if line.isbn13])
    return CheckedSheet(tuple(
        replace(row, value=replace(row.value, known=known[row.value.isbn13].title))
        if row.value is not None and row.value.isbn13 in known else row for row in checked.rows
    ))


def _line(n: int, cell: dict[str, str], seen: dict[str, int]) -> Line:
    """The line a row makes, or DomainError saying what is wrong with it (an ISBN given in an earlier row
    among them: `seen` keeps the row of each)."""
    isbn13 = None
    if cell["isbn"]:
        isbn13 = titles.normalise_isbn(cell["isbn"])
        if isbn13 in seen:
            raise DomainError(_("The same ISBN as row %(row)s: give each title once, with all its copies.",
                                row=number(seen[isbn13], grouped=False)))
        seen[isbn13] = n
    elif not cell["description"]:
        raise DomainError(_("No ISBN, and nothing says what is in the box."))
    typed = cell["copies"].translate(GROUPING)
    if not typed:
        raise DomainError(_("No number of copies."))
    if not typed.isdigit():
        raise DomainError(_("“%(typed)s” is not a number of copies.", typed=cell["copies"]))
    quantity = int(typed)
    if not 1 <= quantity <= MAX_COPIES_PER_LINE:
        raise DomainError(_("%(copies)s copies: give at least 1 and at most %(most)s on a row.",
                            copies=number(quantity), most=number(MAX_COPIES_PER_LINE)))
    return Line(quantity, isbn13)


def copies(checked: CheckedSheet[Line]) -> int:
    return sum(line.quantity for line in checked.values)


def template() -> tuple[list[str], list[tuple[str, ...]]]:
    return sheets.template(COLUMNS, TEMPLATE_EXAMPLE)


def import_donation(
    sheet_import: SheetImport,
    *,
    site: Site,
    actor: User,
    leave_out: bool,
    condition: Condition = Condition.GOOD,
    donor: DonorInput | None = None,
    received_on: date | None = None,
    confirm_date: bool = False,
    note: str | None = None,
) -> Donation:
    """Record the donation a sheet lists, from the file as it was uploaded, checked again now (its
    titles may have been named meanwhile). Refused while rows are wrong, unless `leave_out` says the
    person chose to record the others without them; refused for a file imported before."""
    imports.still_to_import(sheet_import, ImportKind.DONATION)
    checked = check(imports.sheet_of(sheet_import))
    good = imports.rows_to_import(checked, leave_out=leave_out)
    found = titles.titles_for({row.value.isbn13: titles.Naming(row.cells["title"] or None, {"authors": row.cells["authors"] or None})
                               for row in good if row.value and row.value.isbn13}, actor=actor)
    lines = [LineInput(quantity=row.value.quantity, title=found[row.value.isbn13] if row.value.isbn13 else None,
                       description=None if row.value.isbn13 else row.cells["description"], condition=condition)
             for row in good if row.value]
    left_out = [row.number for row in checked.bad]
    said = _("Imported from %(file)s.", file=sheet_import.file_name)
    donation, _created = submit_donation(
        site=site, actor=actor, lines=lines, donor=donor, received_on=received_on, confirm_date=confirm_date,
        note="\n".join(part for part in (note, said) if part),
    )
    imports.imported(sheet_import, result_ref=donation.ref, imported_rows=len(good), left_out=left_out, actor=actor)
    audit.record(actor, "donation.imported", donation, file=sheet_import.file_name, sheet=sheet_import.id,
                 rows=len(good), left_out=left_out)
    return donation

