from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake.models import (
    Disposition,
    DonationLine,
    DonorKind,
    Lot,
    RejectReason,
)
from books2iraq.reports.csv_export import safe_cell, to_csv
from books2iraq.shipping.models import ShipmentStatus
from books2iraq.sorting import services as sorting
from tests.factories import (
    RecipientFactory,
    SiteFactory,
    TitleFactory,
    UserFactory,
    donation,
    sealed_crate,
    shipment_of,
)

HYPERLINK = '=HYPERLINK("http://x")'
ARABIC = "مقدمة في الفيزياء"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=b", "a=b"),
        (ARABIC, ARABIC),
        (ShipmentStatus.IN_TRANSIT, "in_transit"),
        (date(2026, 3, 1), "2026-03-01"),
        (None, ""),
        (12, 12),
        (-3, -3),
        (Decimal("20.50"), Decimal("20.50")),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value, written):
    cell = safe_cell(value)
    assert cell == written and type(cell) is type(written)


def test_the_file_is_utf8_with_a_bom_text_quoted_numbers_bare():
    data = to_csv(["title", "copies"], [[HYPERLINK, 3], [ARABIC, Decimal("1.5")], [None, -1]])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines() == ['"title","copies"', '"\'=HYPERLINK(""http://x"")",3', f'"{ARABIC}",1.5', '"",-1']
    assert list(csv.reader(io.StringIO(text)))[1] == ["'" + HYPERLINK, "3"]


def download(client, name: str) -> list[list[str]]:
    response = client.get(f"/reports/export/{name}.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="books2iraq-{name}-{date.today().isoformat()}.csv"'
    )
    assert response.data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


@pytest.fixture
def records(app):
    """Two donations (one with a formula and an Arabic title), a rejection, and a crate on a shipment."""
    with app.app_context():
        volunteer = UserFactory(role=Role.VOLUNTEER)
        gift = donation(12, 2, actor=volunteer)
        gift.lines[0].title.title = HYPERLINK
        gift.lines[1].title.title = ARABIC
        gift.donor = intake.create_donor(name="Kitab Press", kind=DonorKind.PUBLISHER, actor=volunteer)
        sorting.reject(
            gift.lots[0], reason=RejectReason.WATER_DAMAGED, disposition=Disposition.RECYCLE, quantity=2,
            actor=UserFactory(role=Role.WAREHOUSE),
        )
        crate = sealed_crate(5, gross_kg="7.5")
        recipient = RecipientFactory(name_en="University of Kufa", name_ar="جامعة الكوفة", city="Najaf")
        shipment = shipment_of(crate, recipient=recipient, carrier="-cmd|' /C calc'!A0", container_no="CSQU3054383")
        db.session.commit()
        return {"donation": gift.ref, "crate": crate.code, "shipment": shipment.ref}


def test_donations_export_one_row_per_line(app, client, auth, records):
    auth.login(Role.COORDINATOR)
    rows = download(client, "donations")
    assert rows[0] == ["donation", "date", "site", "donor kind", "isbn", "title", "copies", "condition", "voided on"]
    with app.app_context():
        assert len(rows) - 1 == db.session.query(DonationLine).count() == 3
    mine = [row for row in rows if row[0] == records["donation"]]
    assert [row[5] for row in mine] == ["'" + HYPERLINK, ARABIC]
    assert [row[6] for row in mine] == ["12", "2"]
    assert mine[0][1] == date.today().isoformat() and mine[0][3] == "publisher" and mine[0][7] == "good"
    assert {row[8] for row in rows[1:]} == {""}  # none voided


def test_a_voided_donation_exports_the_day_it_was_voided(app, client, auth, records):
    from books2iraq.intake import corrections

    with app.app_context():
        donation = intake.record_donation(
            site=SiteFactory(), actor=UserFactory(), lines=[intake.LineInput(quantity=4, description="bag")]
        )
        corrections.void_donation(donation, actor=UserFactory(role=Role.COORDINATOR), reason="Entered twice")
        db.session.commit()
        ref = donation.ref
    auth.login(Role.COORDINATOR)
    [row] = [row for row in download(client, "donations") if row[0] == ref]
    assert (row[6], row[8]) == ("4", date.today().isoformat())


def test_lots_export_says_where_every_lot_is(app, client, auth, records):
    auth.login(Role.COORDINATOR)
    rows = download(client, "lots")
    assert rows[0][:6] == ["lot", "donation", "isbn", "title", "status", "copies"]
    with app.app_context():
        assert len(rows) - 1 == db.session.query(Lot).count() == 4
    by_status = {(row[1], row[4]): row for row in rows[1:]}
    rejected = by_status[(records["donation"], "rejected")]
    assert (rejected[3], rejected[5], rejected[6], rejected[7]) == ("'" + HYPERLINK, "2", "water_damaged", "recycle")
    packed = next(row for row in rows if row[4] == "packed")
    assert (packed[5], packed[8], packed[9]) == ("5", records["crate"], records["shipment"])


def test_shipments_export_has_totals_and_arabic(app, client, auth, records):
    auth.login(Role.COORDINATOR)
    rows = download(client, "shipments")
    header = rows[0]
    assert len(rows) == 2
    row = dict(zip(header, rows[1], strict=True))
    assert row["shipment"] == records["shipment"] and row["status"] == "planned"
    assert row["recipient (Arabic)"] == "جامعة الكوفة" and row["governorate"] == "erbil"
    assert row["carrier"] == "'-cmd|' /C calc'!A0" and row["container no"] == "CSQU3054383"
    assert (row["crates"], row["copies"], row["gross kg"]) == ("1", "5", "7.50")


def test_unknown_exports_are_404(client, auth, users):
    auth.login(Role.COORDINATOR)
    assert client.get("/reports/export/users.csv").status_code == 404
    assert client.get("/reports/export/donations.txt").status_code == 404


def test_a_long_export_is_streamed_a_piece_at_a_time(app, client, auth):
    with app.app_context():
        title = TitleFactory(title="The Odyssey")
        intake.record_donation(site=SiteFactory(), actor=UserFactory(), lines=[intake.LineInput(quantity=1, title=title)] * 2_500)
        db.session.commit()
    auth.login(Role.COORDINATOR)
    response = client.get("/reports/export/lots.csv")
    assert response.status_code == 200 and response.is_streamed
    pieces = list(response.response)
    assert len(pieces) == 1 + 3  # the header, then 1,000 + 1,000 + 500 rows
    rows = list(csv.reader(io.StringIO(b"".join(pieces).decode("utf-8-sig"))))
    assert rows[0][:3] == ["lot", "donation", "isbn"] and len(rows) == 2_501
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 2_501)]


# -- XLSX: the same lists, each cell of its own type --------------------------------------------------------
def test_an_xlsx_file_writes_text_as_text_never_as_a_formula():
    from datetime import datetime

    from books2iraq.reports.xlsx_export import to_xlsx

    data = to_xlsx(["title", "copies", "when"], [
        [HYPERLINK, 3, date(2026, 3, 1)], ["+1", Decimal("20.50"), datetime(2026, 3, 1, 9, 30)],
        ["-2+3", None, None], ["@SUM(A1)", -3, None], [ARABIC, 0, None], ["bell\x07 rings", True, None],
        [ShipmentStatus.IN_TRANSIT, 1.5, None],
    ], title="lots")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["lots"]
    cells = [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]
    assert [row[0] for row in cells] == [("title", "s"), (HYPERLINK, "s"), ("+1", "s"), ("-2+3", "s"), ("@SUM(A1)", "s"),
                                         (ARABIC, "s"), ("bell rings", "s"), ("in_transit", "s")]
    assert [row[1][0] for row in cells[1:]] == [3, 20.5, None, -3, 0, True, 1.5]
    assert cells[1][2] == (datetime(2026, 3, 1), "d")  # a day, as Excel keeps one and cells[2][2] == (datetime(2026, 3, 1, 9, 30), "d")


def test_every_export_as_xlsx_holds_the_rows_of_its_csv(app, client, auth, records):
    from books2iraq.imports.sheets import text
    from books2iraq.reports.exports import EXPORTS

    auth.login(Role.COORDINATOR)
    for name in EXPORTS:
        response = client.get(f"/reports/export/{name}.xlsx")
        assert response.status_code == 200 and response.is_streamed
        pieces = list(response.response)
        assert len(pieces) > 1  # sent as it is written
        assert response.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="books2iraq-{name}-{date.today().isoformat()}.xlsx"')
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(pieces))).worksheets[0]
        assert sheet.title == name
        rows = [[text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        # The CSV's text, without the quote that keeps a spreadsheet from running it: an XLSX cell says it is text.
        expected = [[cell[1:] if cell.startswith("'") else cell for cell in row] for row in download(client, name)]
        assert [[_same(cell) for cell in row] for row in rows] == [[_same(cell) for cell in row] for row in expected], name


def _same(cell: str) -> object:
    """A cell as both files mean it: a number as its value (7.50 is 7.5), a day without its midnight, a truth
    in capitals (an XLSX boolean reads TRUE)."""
    if cell.upper() in ("TRUE", "FALSE"):
        return cell.upper()
    try:
        return Decimal(cell)
    except ArithmeticError:
        return cell.removesuffix(" 00:00:00")


def test_a_list_longer_than_a_sheet_goes_on_in_the_next_one(monkeypatch):
    from books2iraq.reports import xlsx_export

    monkeypatch.setattr(xlsx_export, "ROWS_PER_SHEET", 3)  # the header and two rows a sheet
    book = openpyxl.load_workbook(io.BytesIO(xlsx_export.to_xlsx(["n"], [[n] for n in range(1, 6)], title="lots")))
    assert [(sheet.title, [row[0] for row in sheet.iter_rows(values_only=True)]) for sheet in book.worksheets] == [
        ("lots", ["n", 1, 2]), ("lots (2)", ["n", 3, 4]), ("lots (3)", ["n", 5])]


def test_crates_titles_recipients_and_sites_export_what_their_lists_hold(app, client, auth, records):
    auth.login(Role.COORDINATOR)
    crates = {row[0]: row for row in download(client, "crates")}
    assert crates["crate"] == ["crate", "sscc", "status", "warehouse", "location", "packed for", "copies", "gross kg",
                               "length cm", "width cm", "height cm", "sealed on", "shipment", "pallet"]
    crate = crates[records["crate"]]
    assert (crate[2], crate[6], crate[7], crate[11], crate[12], crate[13]) == (
        "sealed", "5", "7.50", date.today().isoformat(), records["shipment"], "")
    titles = download(client, "titles")
    assert ["'" + HYPERLINK, "12"] in [[row[2], row[11]] for row in titles]
    recipients = {row[0]: row for row in download(client, "recipients")}
    assert recipients["University of Kufa"][1:2] == ["جامعة الكوفة"] and recipients["University of Kufa"][-1] == "True"
    with app.app_context():
        from books2iraq.sites.models import Site
        assert len(download(client, "sites")) - 1 == db.session.query(Site).count()


@pytest.mark.parametrize(("role", "shown"), [(Role.WAREHOUSE, False), (Role.COORDINATOR, True)])
def test_a_list_offers_itself_to_download_to_those_who_may(client, auth, users, role, shown):
    auth.login(role)
    page = client.get("/crates/").get_data(as_text=True)
    assert ('href="/reports/export/crates.xlsx"' in page) is shown
    assert client.get("/reports/export/crates.xlsx").status_code == (200 if shown else 403)
