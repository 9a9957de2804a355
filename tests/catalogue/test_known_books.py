"""The local catalogue at work on the pages: a scan at intake names its book, the sorting screen
shows the record beside the lot with where its details came from, and an ISBN nobody knows says
where it was registered and suggests its language."""
from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa
from stdnum import ean

from books2iraq.auth.roles import Role
from books2iraq.catalogue import imports
from books2iraq.catalogue.sources import SAMPLES_DIR
from books2iraq.extensions import db
from books2iraq.intake.models import Donation, Lot, Title
from tests.factories import SiteFactory, TitleFactory

IRAQI = "978992201234" + ean.calc_check_digit("978992201234")  # registered in Iraq, in no catalogue


@pytest.fixture
def site_id(app) -> int:
    with app.app_context():
        imports.import_file(SAMPLES_DIR / "openlibrary-editions.txt", actor=None, commit=db.session.commit)
        site = SiteFactory()
        db.session.commit()
        return site.id


def intake(client, auth, site_id: int, scans: str) -> str:
    """A donation recorded through the intake page; the page its redirect leads to."""
    form = {"site": site_id, "received_on": date.today().isoformat(), "condition": "good",
            "donor_kind": "individual", "scans": scans}
    answer = auth.post("/intake/new", form, page="/intake/new")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return client.get(answer.headers["Location"]).get_data(as_text=True)


def switch(auth, role: Role) -> None:
    auth.logout()
    auth.login(role)


def lot_of(app, isbn13: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Lot.id).join(Lot.title).where(Title.isbn13 == isbn13))


def test_a_scan_at_intake_shows_the_title_the_catalogue_knows(app, client, auth, site_id):
    auth.login(Role.VOLUNTEER)
    page = intake(client, auth, site_id, f"9780747532699\n9780747532699\n{IRAQI}")
    assert "Harry Potter and the Philosopher&#39;s Stone" in page
    assert f"ISBN {IRAQI} (not catalogued yet)" in page
    with app.app_context():
        [donation] = db.session.scalars(sa.select(Donation)).all()
        assert {(line.title.title, line.quantity) for line in donation.lines} == {
            ("Harry Potter and the Philosopher's Stone", 2), (None, 1)}


def details(html: str) -> dict[str, str]:
    block = html[html.index("data-title-details"):]
    block = block[: block.index("</dl>")]
    return {dt: re.sub(r"<[^>]+>", "", dd).strip()
            for dt, dd in re.findall(r"<dt>([^<]+)</dt><dd[^>]*>(.*?)</dd>", block, re.S)}


def test_the_sorting_screen_shows_the_record_beside_the_lot_with_its_source(app, client, auth, site_id):
    auth.login(Role.VOLUNTEER)
    intake(client, auth, site_id, "9780394800011")
    switch(auth, Role.WAREHOUSE)
    page = client.get(f"/sorting/lots/{lot_of(app, '9780394800011')}").get_data(as_text=True)
    assert details(page) == {
        "ISBN": "9780394800011", "Title": "The cat in the hat", "Author": "Dr. Seuss", "Publisher": "Random House, 1957",
        "Language": "English (en)", "Subject": "Picture books for children", "Kind": "children&#39;s picture book · children",
        "Details from": "Open Library",
    }


def test_an_isbn_nobody_knows_says_where_it_was_registered_and_suggests_its_language(app, client, auth, site_id):
    auth.login(Role.VOLUNTEER)
    intake(client, auth, site_id, IRAQI)
    switch(auth, Role.WAREHOUSE)
    lot_id = lot_of(app, IRAQI)
    page = client.get(f"/sorting/lots/{lot_id}").get_data(as_text=True)
    assert details(page) == {"ISBN": IRAQI, "Title": "not catalogued yet",
                             "Registered in": "Iraq: most books from there are in Arabic (ar)"}
    assert re.search(r'name="language"[^>]*value="ar"', page)  # suggested, for the sorter to keep or change

    # Typed once, known at every later scan.
    answer = auth.post(f"/sorting/lots/{lot_id}/catalogue", {"isbn": IRAQI, "title": "ديوان الجواهري", "language": "ar",
                                                            "level": "general", "kind": "book"}, page=f"/sorting/lots/{lot_id}")
    assert answer.status_code == 302
    switch(auth, Role.VOLUNTEER)
    assert "ديوان الجواهري" in intake(client, auth, site_id, IRAQI)
    switch(auth, Role.WAREHOUSE)
    page = client.get(f"/sorting/lots/{lot_id}").get_data(as_text=True)
    assert details(page)["Details from"] == "a person, by hand"


def test_a_title_corrected_by_hand_no_longer_claims_its_source(app, client, auth, site_id):
    auth.login(Role.VOLUNTEER)
    intake(client, auth, site_id, "9780385490818")
    with app.app_context():
        title_id = db.session.scalar(sa.select(Title.id).where(Title.isbn13 == "9780385490818"))
    switch(auth, Role.WAREHOUSE)
    page = f"/titles/{title_id}"
    assert details(client.get(page).get_data(as_text=True))["Details from"] == "Open Library"
    form = {"title": "The Handmaid's Tale", "authors": "Margaret Atwood", "publisher": "Anchor Books", "year": "1998",
            "language": "en", "subject": "Fiction", "level": "general", "kind": "book"}
    assert auth.post(f"/titles/{title_id}/edit", form, page=page).status_code == 302
    shown = details(client.get(page).get_data(as_text=True))
    assert (shown["Title"], shown["Details from"]) == ("The Handmaid&#39;s Tale", "a person, by hand")
    with app.app_context():
        assert db.session.get(Title, title_id).source is None
    assert "source from “open library” to —." in client.get(page).get_data(as_text=True)  # the history says it was


def test_the_local_catalogue_page_says_how_many_books_it_knows_and_what_each_import_did(app, client, auth, site_id):
    with app.app_context():
        imports.import_file(SAMPLES_DIR / "books.csv", actor=None, commit=db.session.commit)
    auth.login(Role.WAREHOUSE)
    page = client.get("/titles/imports").get_data(as_text=True)
    assert "28 books known by ISBN" in page
    rows = re.findall(r'<tr data-import="\d+">(.*?)</tr>', page, re.S)
    cells = [[" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]
    assert [row[0] for row in cells] == ["books.csv (a spreadsheet)", "openlibrary-editions.txt (Open Library)"]
    assert cells[1][2:] == ["25", "25", "0", "0", "0", "1 not an edition; 1 no ISBN; 1 no valid ISBN (a wrong check digit, "
                            "or not 10 or 13 digits); 1 the record is not JSON; 1 no title"]


def test_a_sorter_picks_a_suggested_match_and_every_later_scan_of_the_isbn_knows_it(app, client, auth, site_id):
    with app.app_context():
        TitleFactory(title="مقدمة ابن خلدون", authors="ابن خلدون", language="ar", isbn13=None)
        TitleFactory(title="Unrelated book", authors="Someone")
        db.session.commit()
    auth.login(Role.VOLUNTEER)
    intake(client, auth, site_id, IRAQI)
    switch(auth, Role.WAREHOUSE)
    lot_id = lot_of(app, IRAQI)
    page = client.get(f"/sorting/lots/{lot_id}?find=خلدون").get_data(as_text=True)
    matches = re.findall(r'<input type="hidden" name="title" value="([^"]+)">', page)
    assert matches == ["مقدمة ابن خلدون"]
    nothing = client.get(f"/sorting/lots/{lot_id}?find=zzzz").get_data(as_text=True)
    assert "No title of the operation holds “zzzz”" in nothing

    form = dict(re.findall(r'<input type="hidden" name="(isbn|title|authors|language|level|kind)" value="([^"]*)">', page))
    answer = auth.post(f"/sorting/lots/{lot_id}/catalogue", form, page=f"/sorting/lots/{lot_id}?find=خلدون")
    assert answer.status_code == 302
    with app.app_context():
        named = db.session.scalars(sa.select(Title).where(Title.isbn13 == IRAQI)).one()
        assert (named.title, named.authors, named.language, named.source) == ("مقدمة ابن خلدون", "ابن خلدون", "ar", None)
    switch(auth, Role.VOLUNTEER)
    assert "مقدمة ابن خلدون" in intake(client, auth, site_id, IRAQI)
