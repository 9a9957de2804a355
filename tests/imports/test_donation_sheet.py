"""A donation imported from a spreadsheet: the sheet read (XLSX, CSV in any of Excel's ways), every row
checked and previewed before anything is written, the donation recorded in one step from the right rows
(the wrong ones left out only when asked), and the same file never imported twice."""
from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import pytest
import sqlalchemy as sa
from stdnum import ean

from books2iraq.audit import AuditEvent
from books2iraq.auth.roles import Role
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.imports import services as imports
from books2iraq.imports import sheets
from books2iraq.imports.models import ImportKind, SheetImport
from books2iraq.intake import sheet as donation_sheet
from books2iraq.intake.models import Donation, DonationLine, Lot, Title
from tests.factories import SiteFactory, TitleFactory, UserFactory
from tests.queries import statements_for
from tests.races import race

ROWS = 5000


def isbn(i: int) -> str:
    body = f"978{700000000 + i:09d}"
    return body + ean.calc_check_digit(body)


def wrong_check_digit(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


def publisher_sheet() -> tuple[list[list[object]], dict[int, str], int]:
    """A publisher's 5,000 rows (ISBN as Excel keeps it, a number; copies; title; author) with 20 made
    wrong in known ways. Returns the rows, the problem of each wrong row by its number in the sheet (the
    header is row 1), and the copies of the right rows, all worked out here."""
    rows: list[list[object]] = [[int(isbn(i)), 1 + i % 7, f"Geography of Iraq, volume {i}", f"Author {i % 40}"] for i in range(ROWS)]
    problems: dict[int, str] = {}

    def spoil(i: int, column: int, value: object, problem: str) -> None:
        rows[i][column] = value
        problems[i + 2] = problem

    for i in (100, 900, 1700, 2500, 3300):
        bad = wrong_check_digit(isbn(i))
        spoil(i, 0, bad, f"ISBN “{bad}” has a wrong check digit; scan or type it again.")
    spoil(400, 0, "97807000004", "ISBN “97807000004” must have 10 or 13 digits.")
    for i in (200, 1200, 2200, 3200):
        spoil(i, 1, None, "No number of copies.")
    for i in (300, 1300):
        spoil(i, 1, "twelve", "“twelve” is not a number of copies.")
    spoil(500, 1, 0, "0 copies: give at least 1 and at most 10,000 on a row.")
    spoil(1500, 1, 20000, "20,000 copies: give at least 1 and at most 10,000 on a row.")
    for i, first in ((600, 10), (1600, 11), (2600, 12)):
        spoil(i, 0, int(isbn(first)), f"The same ISBN as row {first + 2}: give each title once, with all its copies.")
    for i in (700, 1800, 2800):
        spoil(i, 0, None, "No ISBN, and nothing says what is in the box.")
    assert len(problems) == 20
    copies = sum(1 + i % 7 for i in range(ROWS) if i + 2 not in problems)
    return rows, problems, copies


def xlsx(header: list[str], rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def send(client, content: bytes, name: str = "publisher.xlsx", auth=None):
    return auth.post("/imports/donation", {"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def errors(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'class="field-error">([^<]*)<', html) + re.findall(r'<p class="flash flash-error"[^>]*>([^<]*)<', html)


def problems_shown(html: str) -> dict[int, str]:
    rows = re.findall(r'<tr class="row-problem" data-problem>\s*<td[^>]*>(\d+)</td>.*?<span class="field-error">([^<]*)</span>', html, re.S)
    return {int(n): problem.replace("&#34;", '"') for n, problem in rows}


@pytest.mark.slow
def test_a_5000_row_publisher_sheet_is_previewed_with_its_20_bad_rows_and_imported_in_one_step(app, client, auth, site_id):
    rows, problems, copies = publisher_sheet()
    content = xlsx(["ISBN", "Quantity", "Title", "Author"], rows)
    with app.app_context():
        # One ISBN of the sheet is already catalogued by name; one was scanned before and never named.
        named = TitleFactory(isbn13=isbn(1), title="Iraq: a geography (2nd ed.)")
        unnamed = TitleFactory(isbn13=isbn(2), title=None, authors=None)
        db.session.commit()
        titles_before = db.session.scalar(sa.select(sa.func.count()).select_from(Title))
        named_id, unnamed_id = named.id, unnamed.id
    auth.login(Role.VOLUNTEER)
    sent = send(client, content, auth=auth)
    assert sent.status_code == 302
    preview_url = sent.headers["Location"]

    # The preview: every wrong row, with what is wrong with it, in the sheet's own numbering.
    page = client.get(f"{preview_url}?per_page=100")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-bad="20"' in html
    assert f"4,980 rows are right: {copies:,} copies." in html
    assert problems_shown(html) == problems
    everything = client.get(f"{preview_url}?show=all&page=50").get_data(as_text=True)
    assert "4,901–5,000 of 5,000 rows" in everything  # every row can be seen, a page at a time
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Donation)) == 0  # nothing written yet

    details = {"site": str(site_id), "received_on": date.today().isoformat(), "condition": "good",
               "donor_kind": "publisher", "donor_name": "Dar Al-Kutub", "note": "Autumn list"}
    # Not without saying so: the wrong rows are left out only when the person chooses it.
    refused = auth.post(preview_url, details)
    assert refused.status_code == 422
    assert "20 rows have a problem: correct the file and send it again, or choose to leave them out." in errors(refused)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Donation)) == 0

    done = auth.post(preview_url, {**details, "leave_out": "y"})
    assert done.status_code == 302 and done.headers["Location"] == "/intake/donations/D-2026-000001"
    with app.app_context():
        donation = db.session.scalar(sa.select(Donation))
        lines = db.session.execute(
            sa.select(DonationLine.position, Title.isbn13, DonationLine.quantity).join(DonationLine.title)
            .where(DonationLine.donation_id == donation.id).order_by(DonationLine.position)
        ).all()
        good = [i for i in range(ROWS) if i + 2 not in problems]
        assert [(isbn13, n) for _p, isbn13, n in lines] == [(isbn(i), 1 + i % 7) for i in good]
        assert db.session.scalar(sa.select(sa.func.sum(Lot.quantity)).where(Lot.donation_id == donation.id)) == copies
        assert donation.donor.name == "Dar Al-Kutub" and donation.note == "Autumn list\nImported from publisher.xlsx."
        # The sheet names the titles new to the catalogue, and the one scanned before; a named one keeps its name.
        assert db.session.get(Title, named_id).title == "Iraq: a geography (2nd ed.)"
        assert db.session.get(Title, unnamed_id).title == "Geography of Iraq, volume 2"
        assert db.session.scalar(sa.select(Title.authors).where(Title.isbn13 == isbn(4999))) == "Author 39"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Title)) == titles_before + len(good) - 2
        upload = db.session.scalar(sa.select(SheetImport))
        assert (upload.imported_rows, upload.left_out, upload.result_ref) == (4980, sorted(problems), "D-2026-000001")
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "donation.imported"))
        assert event.detail["left_out"] == sorted(problems) and event.detail["rows"] == 4980
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "title.created")) == len(good) - 2

    # The same file again, under another name: refused, nothing more recorded.
    again = send(client, content, name="publisher (copy).xlsx", auth=auth)
    assert again.status_code == 422
    assert errors(again) == [f"This file was imported on {date.today().isoformat()} as D-2026-000001; nothing was imported again."]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Donation)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SheetImport)) == 1


def test_the_preview_runs_the_same_statements_for_100_rows_as_for_5000(app, client, auth):
    rows, _problems, _copies = publisher_sheet()
    auth.login(Role.VOLUNTEER)
    small = send(client, xlsx(["ISBN", "Copies"], [row[:2] for row in rows[:100]]), name="small.xlsx", auth=auth)
    large = send(client, xlsx(["ISBN", "Copies"], [row[:2] for row in rows]), name="large.xlsx", auth=auth)
    assert statements_for(app, client, small.headers["Location"]) == statements_for(app, client, large.headers["Location"])


def test_a_schools_counted_boxes_in_an_arabic_excel_csv(app, client, auth, site_id):
    """Excel in Arabic saves CSV in Windows Arabic (cp1256), separated by semicolons; the template in
    Arabic names the columns in Arabic."""
    auth.login(Role.VOLUNTEER)
    template = client.get("/imports/donation/template.csv", headers={"Accept-Language": "ar"})
    assert template.status_code == 200 and template.headers["Content-Disposition"] == 'attachment; filename="books2iraq-donation-template.csv"'
    header = template.data.decode("utf-8-sig").splitlines()[0].replace('"', "").split(",")
    assert header[:2] == ["ردمك", "النسخ"]
    sheet = "\r\n".join([";".join(header), "9780306406157;12;;;", ";30;;;قصص أطفال (صندوق 1)", ";1,200;;;كتب مدرسية"])
    sent = send(client, sheet.encode("cp1256"), name="مدرسة.csv", auth=auth)
    assert sent.status_code == 302
    done = auth.post(sent.headers["Location"], {"site": str(site_id), "received_on": date.today().isoformat(),
                                                "condition": "fair", "donor_kind": "individual"})
    assert done.status_code == 302
    with app.app_context():
        donation = db.session.scalar(sa.select(Donation))
        assert [(line.title.isbn13 if line.title else line.description, line.quantity, line.condition.value)
                for line in donation.lines] == [("9780306406157", 12, "fair"), ("قصص أطفال (صندوق 1)", 30, "fair"),
                                                ("كتب مدرسية", 1200, "fair")]


def test_the_xlsx_template_reads_back_as_a_sheet_with_its_example_rows(app, client, auth):
    auth.login(Role.VOLUNTEER)
    template = client.get("/imports/donation/template.xlsx")
    assert template.status_code == 200
    assert template.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    read = sheets.read(template.data)
    assert read.header == ("ISBN", "Copies", "Title", "Author", "What is in it")
    with app.test_request_context():
        checked = donation_sheet.check(read)
    assert [(row.number, row.value, row.problem) for row in checked.rows] == [
        (2, donation_sheet.Line(12, "9780306406157"), None), (3, donation_sheet.Line(30), None)]


@pytest.mark.parametrize("content, name, message", [
    (b"", "empty.csv", "The file is empty."),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00", "list.xlsx",
     "This file cannot be read as a spreadsheet: save it as XLSX or CSV and send it again."),
    (b"PK\x03\x04not really a workbook", "list.xlsx",
     "This file cannot be read as a spreadsheet: save it as XLSX or CSV and send it again."),
    (b"isbn,title\n9780306406157,Physics\n", "no-copies.csv",
     "The first row must name the columns Copies; it names isbn, title."),
    (b"copies,title\n3,Physics\n", "no-isbn.csv",
     "The first row must name an “ISBN” column, or a “What is in it” column for counted boxes."),
    (b"isbn,copies\n" + b"9780306406157,1\n" * 20001, "long.csv", "The sheet has more than 20,000 rows; split it into several files."),
    (b"isbn,copies\n" + b"9" * (5 * 1024 * 1024), "huge.csv", "The file is larger than 5 MB; split it into several files."),
])
def test_a_file_that_is_not_a_sheet_to_import_is_refused_and_nothing_kept(app, client, auth, content, name, message):
    auth.login(Role.VOLUNTEER)
    refused = send(client, content, name=name, auth=auth)
    assert refused.status_code == 422
    assert errors(refused) == [message]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SheetImport)) == 0


def test_a_workbook_that_unpacks_into_gigabytes_is_refused_before_it_is_opened(monkeypatch):
    """A ZIP "bomb": 300 KB sent, 300 MB of a single sheet once unpacked."""
    import zipfile

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/sharedStrings.xml", "w") as part:
            for _ in range(300):
                part.write(b" " * (1024 * 1024))
    assert len(bomb.getvalue()) < 1024 * 1024

    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(DomainError, match="This file cannot be read as a spreadsheet"):
        sheets.read(bomb.getvalue())


def test_an_upload_is_seen_by_who_sent_it_and_by_coordinators_only(app, client, auth, users):
    auth.login(Role.VOLUNTEER)
    url = send(client, b"isbn,copies\n9780306406157,2\n", name="mine.csv", auth=auth).headers["Location"]
    assert "mine.csv" in client.get("/imports/donation").get_data(as_text=True)
    auth.logout()
    auth.login(Role.WAREHOUSE)  # another person, whose role includes a volunteer's
    assert client.get(url).status_code == 404
    assert "mine.csv" not in client.get("/imports/donation").get_data(as_text=True)
    auth.logout()
    auth.login(Role.COORDINATOR)
    assert client.get(url).status_code == 200


def test_the_same_file_imported_by_two_people_at_once_is_recorded_once(app):
    """Each sent the file before the other imported it; they record it at the same moment."""
    with app.app_context():
        site = SiteFactory()
        people = [UserFactory(role=Role.VOLUNTEER) for _ in range(2)]
        content = b"isbn,copies\n9780306406157,2\n9780140449136,3\n"
        uploads = [imports.upload(ImportKind.DONATION, "list.csv", content, actor=person, check=donation_sheet.check).id
                   for person in people]
        db.session.commit()
        ids = {"site": site.id, "people": [p.id for p in people], "uploads": uploads}

    def importing(n: int):
        def act():
            from books2iraq.auth.models import User
            from books2iraq.sites.models import Site

            return donation_sheet.import_donation(
                db.session.get(SheetImport, ids["uploads"][n]), site=db.session.get(Site, ids["site"]),
                actor=db.session.get(User, ids["people"][n]), leave_out=False).ref
        return act

    first, second = race(app, importing(0), importing(1))
    assert first.ok and not second.ok
    assert second.message in ("This file has just been imported by someone else; nothing was imported again.",
                              f"This file was imported on {date.today().isoformat()} as {first.value}; nothing was imported again.")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Donation)) == 1
        assert db.session.scalar(sa.select(sa.func.sum(Lot.quantity))) == 5


def test_cells_are_read_as_a_person_sees_them():
    from datetime import datetime
    from decimal import Decimal

    assert [sheets.text(v) for v in (None, 9780306406157, 9.780306406157e12, 12.0, 2.5, True, Decimal("3.10"),
                                     datetime(2026, 12, 6), datetime(2026, 12, 6, 9, 30), "  two   words ")] == [
        "", "9780306406157", "9780306406157", "12", "2.5", "TRUE", "3.10", "2026-12-06", "2026-12-06 09:30:00", "two words"]


def test_a_row_may_write_its_copies_with_grouping_or_arabic_digits(app):
    with app.test_request_context():
        read = sheets.read("isbn\tcopies\n9780306406157\t1,200\n9780140449136\t١٢\n0306406152\t 7 \n".encode())
        checked = donation_sheet.check(read)
    assert [(row.value, row.problem) for row in checked.rows] == [
        (donation_sheet.Line(1200, "9780306406157"), None), (donation_sheet.Line(12, "9780140449136"), None),
        (None, "The same ISBN as row 2: give each title once, with all its copies.")]


def test_an_import_refuses_an_upload_of_another_kind_and_an_upload_with_no_right_row(app):
    with app.test_request_context():
        person, site = UserFactory(role=Role.VOLUNTEER), SiteFactory()
        upload = imports.upload(ImportKind.DONATION, "bad.csv", b"isbn,copies\n123,1\n", actor=person,
                                check=donation_sheet.check)
        with pytest.raises(DomainError, match="No row of the sheet is right"):
            donation_sheet.import_donation(upload, site=site, actor=person, leave_out=True)
