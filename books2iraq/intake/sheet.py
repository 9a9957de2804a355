"""A donation from a spreadsheet: a publisher's list of ISBNs and copies, a school drive's counted boxes.

Each row is a line of the donation: a book by its ISBN (its title and author may name a title nobody
has named yet), or a box described in words, with its copies. Every row is checked before anything is
written (`check`), and what is wrong with a row is said in the row: a bad ISBN, no number of copies, an
ISBN given in an earlier row. The donation is recorded from the rows that are right, in one transaction,
only when none is wrong or the person chose to leave the wrong ones out (`import_donation`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.errors import DomainError
from books2iraq.i18n import N_, counted, number
from books2iraq.imports import services as imports
from books2iraq.imports.models import ImportKind, SheetImport
from books2iraq.imports.sheets import Sheet, columns
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
class CheckedRow:
    """A row as read and checked: what it says, and either what it is wrong about or the line it makes."""

    number: int
    isbn: str
    copies: str
    title: str
    authors: str
    description: str
    problem: str | None = None
    isbn13: str | None = None
    quantity: int | None = None
    known: str | None = None  # the title the catalogue already has for its ISBN

    @property
    def good(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class Checked:
    rows: tuple[CheckedRow, ...]

    @property
    def bad(self) -> list[CheckedRow]:
        return [row for row in self.rows if not row.good]

    @property
    def good(self) -> list[CheckedRow]:
        return [row for row in self.rows if row.good]

    @property
    def copies(self) -> int:
        return sum(row.quantity or 0 for row in self.good)


def check(sheet: Sheet) -> Checked:
    """Every row of the sheet checked, in order; the catalogue's titles of the good ISBNs found in one query."""
    at = columns(sheet.header, COLUMNS, required=("copies",))
    if "isbn" not in at and "description" not in at:
        raise DomainError(_("The first row must name an “%(isbn)s” column, or a “%(description)s” column for counted boxes.",
                            isbn=_(COLUMNS["isbn"][0]), description=_(COLUMNS["description"][0])), field="file")
    seen: dict[str, int] = {}
    rows = []
    for row in sheet.rows:
        cell = {name: (row.cells[at[name]] if name in at else "") for name in COLUMNS}
        problem, isbn13, quantity = _problem(cell, seen)
        if isbn13 is not None:
            seen.setdefault(isbn13, row.number)
        rows.append(CheckedRow(row.number, cell["isbn"], cell["copies"], cell["title"][:500], cell["authors"][:500],
                               cell["description"][:500], problem, isbn13 if problem is None else None, quantity))
    known = titles.by_isbn([row.isbn13 for row in rows if row.isbn13])
    return Checked(tuple(
        CheckedRow(**{**vars(row), "known": known[row.isbn13].title if row.isbn13 in known else None})
        if row.isbn13 in known else row for row in rows
    ))


def _problem(cell: dict[str, str], seen: dict[str, int]) -> tuple[str | None, str | None, int | None]:
    """What is wrong with a row (None: nothing), its ISBN-13 when it has a good one, and its copies."""
    isbn13 = None
    if cell["isbn"]:
        try:
            isbn13 = titles.normalise_isbn(cell["isbn"])
        except DomainError as exc:
            return str(exc), None, None
        if isbn13 in seen:
            return _("The same ISBN as row %(row)s: give each title once, with all its copies.",
                     row=number(seen[isbn13], grouped=False)), isbn13, None
    elif not cell["description"]:
        return _("No ISBN, and nothing says what is in the box."), None, None
    typed = cell["copies"].translate(GROUPING)
    if not typed:
        return _("No number of copies."), isbn13, None
    if not typed.isdigit():
        return _("“%(typed)s” is not a number of copies.", typed=cell["copies"]), isbn13, None
    quantity = int(typed)
    if not 1 <= quantity <= MAX_COPIES_PER_LINE:
        return _("%(copies)s copies: give at least 1 and at most %(most)s on a row.",
                 copies=number(quantity), most=number(MAX_COPIES_PER_LINE)), isbn13, None
    return None, isbn13, quantity


def template() -> tuple[list[str], list[tuple[str, ...]]]:
    """The template's header, in the page's language, and its two example rows."""
    return [_(names[0]) for names in COLUMNS.values()], list(TEMPLATE_EXAMPLE)


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
    if sheet_import.kind is not ImportKind.DONATION:
        raise DomainError(_("This file was not sent as a donation."))
    imports.still_to_import(sheet_import)
    checked = check(imports.sheet_of(sheet_import))
    bad, good = checked.bad, checked.good
    if not good:
        raise DomainError(_("No row of the sheet is right: nothing can be recorded. Correct the file and send it again."))
    if bad and not leave_out:
        raise DomainError(counted(
            len(bad),
            "%(num)s row has a problem: correct the file and send it again, or choose to leave it out.",
            "%(num)s rows have a problem: correct the file and send it again, or choose to leave them out.",
        ), field="leave_out")
    found = titles.titles_for({row.isbn13: titles.Naming(row.title or None, {"authors": row.authors} if row.authors else {})
                               for row in good if row.isbn13}, actor=actor)
    lines = [LineInput(quantity=row.quantity or 0, title=found[row.isbn13] if row.isbn13 else None,
                       description=None if row.isbn13 else row.description, condition=condition) for row in good]
    left_out = [row.number for row in bad]
    said = _("Imported from %(file)s.", file=sheet_import.file_name)
    donation, _created = submit_donation(
        site=site, actor=actor, lines=lines, donor=donor, received_on=received_on, confirm_date=confirm_date,
        note="\n".join(part for part in (note, said) if part),
    )
    imports.imported(sheet_import, result_ref=donation.ref, imported_rows=len(good), left_out=left_out, actor=actor)
    audit.record(actor, "donation.imported", donation, file=sheet_import.file_name, sheet=sheet_import.id,
                 rows=len(good), left_out=left_out)
    return donation

