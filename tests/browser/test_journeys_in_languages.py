"""Each role's journey in English, Arabic and Sorani Kurdish, on a phone and a desktop.

The browser's language (Accept-Language) picks the interface's, as for a person who has not chosen
one. Every page of a journey is checked as a person would see it: in the language and direction
asked for; nothing wider than the screen; the layout mirrored right to left (the organisation's name
at the start of the header, the first column of a table at the start of the line); and photographed
(test-artifacts/screenshots/journey-<role>-<language>-<width>-<step>.png) for a person to compare.
Selectors go by names and addresses, not by words, so one journey serves the three languages.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from books2iraq.auth.models import User
from books2iraq.intake.models import Donation, Lot, LotStatus
from books2iraq.shipping.models import Shipment
from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import (
    ADMIN,
    COORDINATOR,
    DEMO_PASSWORD,
    PHYSICS_ISBN13,
    VOLUNTEER,
    WAREHOUSE,
    arrange_donation,
    arrange_sealed_crate,
    count,
    expect,
    in_db,
    page_width,
    unique_isbn13,
)

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-GB", "ar": "ar-IQ", "ckb": "ckb-IQ"}
# The sign-out button in each language: the page is signed in and in that language.
SIGN_OUT = {"en": "Sign out", "ar": "تسجيل الخروج", "ckb": "چوونەدەرەوە"}


class Journey:
    def __init__(self, page, role: str, language: str, width: int):
        self.page, self.language, self.width = page, language, width
        self.name = f"journey-{role}-{language}-{width}"
        self.step = 0

    def sign_in(self, email: str) -> None:
        self.page.goto("/auth/login")
        self.page.locator("input[name=email]").fill(email)
        self.page.locator("input[name=password]").fill(DEMO_PASSWORD)
        self.page.locator("form:has(input[name=password]) button[type=submit]").click()
        expect(self.page.get_by_role("button", name=SIGN_OUT[self.language])).to_be_visible()

    def open(self, path: str) -> None:
        self.page.goto(path)
        self.looks_right()

    def looks_right(self) -> None:
        """The page now on screen: its language and direction, nothing overflowing, mirrored, photographed."""
        page, rtl = self.page, self.language != "en"
        expect(page.locator("html")).to_have_attribute("lang", self.language)
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if rtl else "ltr")
        scroll_width, inner_width = page_width(page)
        assert scroll_width <= inner_width, f"{page.url}: {scroll_width} px wide on a {inner_width} px screen"
        brand = page.locator(".brand").bounding_box()
        assert brand is not None
        starts_right = brand["x"] + brand["width"] > self.width * 0.6
        assert starts_right == rtl, f"{page.url}: the header starts on the {'right' if starts_right else 'left'}"
        heading = page.locator("main h1").first.bounding_box()
        main = page.locator("main").bounding_box()
        if heading and main:  # a heading starts where the line starts: at the right in Arabic and Kurdish
            gap = (main["x"] + main["width"]) - (heading["x"] + heading["width"]) if rtl else heading["x"] - main["x"]
            assert gap < 40, f"{page.url}: the heading is {gap:.0f} px from the start of its line"
        headers = page.locator("main table:visible thead th")
        if self.width > 700 and headers.count() > 1:  # phones show each row as a card
            first, last = headers.first.bounding_box(), headers.last.bounding_box()
            assert first and last and (first["x"] > last["x"]) == rtl, f"{page.url}: the table's first column is not at the start"
        self.step += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{self.name}-{self.step}.png"), full_page=True)


@pytest.fixture(params=[390, 1280], ids=["phone", "desktop"])
def width(request):
    return request.param


@pytest.fixture(params=list(LOCALES))
def journey(request, sized_page, width):
    role = request.node.originalname.removeprefix("test_").split("_")[0]
    page = sized_page(width, f"{request.param}-{width}", locale=LOCALES[request.param])
    return Journey(page, role, request.param, width)


def test_volunteer_records_a_donation(journey, db_app):
    journey.sign_in(VOLUNTEER)
    journey.open("/")
    journey.open("/intake/new")
    before = count(db_app, sa.select(Donation.id))
    scans = journey.page.locator("textarea[name=scans]")
    expect(scans).to_be_focused()
    journey.page.keyboard.type(f"{PHYSICS_ISBN13}\n{unique_isbn13()}\nx2\n")
    expect(journey.page.locator("[data-scan-list]")).to_be_visible()  # the running list: the scans checked
    journey.looks_right()
    journey.page.keyboard.press("Control+Enter")
    journey.page.wait_for_url("**/intake/donations/D-*")
    journey.looks_right()
    assert count(db_app, sa.select(Donation.id)) == before + 1
    journey.open("/intake/donations")
    journey.open("/intake/donors/")
    # A publisher's list from a spreadsheet: sent, then previewed with its wrong row.
    journey.open("/imports/donation")
    good = unique_isbn13()
    wrong_check_digit = good[:-1] + str((int(good[-1]) + 1) % 10)
    sheet = f"isbn,copies,title\n{PHYSICS_ISBN13},3,Physics\n{wrong_check_digit},2,\n{unique_isbn13()},x,\n"
    journey.page.locator("input[type=file]").set_input_files(
        files=[{"name": "publisher.csv", "mimeType": "text/csv", "buffer": sheet.encode()}])
    journey.page.locator("form[enctype] button[type=submit]").click()
    journey.page.wait_for_url("**/imports/*")
    expect(journey.page.locator("[data-bad]")).to_have_attribute("data-bad", "2")
    journey.looks_right()


def test_warehouse_sorts_and_packs(journey, db_app):
    donation = arrange_donation(db_app, isbn=unique_isbn13(), copies=3, bag=("كتب أطفال", 4))
    crate = arrange_sealed_crate(db_app, isbn=unique_isbn13(), copies=2)
    journey.sign_in(WAREHOUSE)
    journey.open(f"/sorting/?donation={donation['ref']}")
    journey.open(f"/sorting/lots/{donation['lots'][0]}")
    journey.page.locator(f"form[action='/sorting/lots/{donation['lots'][0]}/accept'] button[type=submit]").first.click()
    expect(journey.page.locator("p.flash-success")).to_be_visible()  # the page the accept leads to, loaded
    assert count(db_app, sa.select(Lot.id).where(Lot.id == donation["lots"][0], Lot.status == LotStatus.ACCEPTED)) == 1
    journey.looks_right()
    journey.open(f"/sorting/lots/{donation['lots'][1]}")
    journey.open("/crates/")
    journey.open(f"/crates/{crate}")
    journey.open("/titles/")


def test_coordinator_plans_a_shipment(journey, db_app):
    journey.sign_in(COORDINATOR)
    journey.open("/shipping/")
    journey.open("/shipping/new")
    journey.page.locator("main form.card > button[type=submit]").click()
    journey.page.wait_for_url("**/shipping/S-*")
    journey.looks_right()
    journey.open("/shipping/recipients")
    journey.open("/reports/")


def test_admin_looks_after_people_and_sites(journey, db_app):
    journey.sign_in(ADMIN)
    journey.open("/admin/")
    journey.open("/admin/users")
    journey.open("/admin/users/new")
    journey.open("/admin/sites")
    journey.open("/admin/organisation")
    journey.open("/auth/tokens")


def test_recipient_follows_what_arrives(journey, db_app):
    """The Erbil librarian's own pages: the shipments on their way, one of them, what arrived of it, the wish-list."""
    librarian = "librarian.erbil@example.org"
    with in_db(db_app) as session:
        recipient_id = session.scalar(sa.select(User.recipient_id).where(User.email == librarian))
        ref = session.scalar(sa.select(Shipment.ref).where(Shipment.recipient_id == recipient_id).order_by(Shipment.id.desc()))
    journey.sign_in(librarian)
    journey.open("/receiving/")
    journey.open(f"/receiving/{ref}")
    journey.open(f"/receiving/{ref}/reconciliation")
    journey.open(f"/wishes/{recipient_id}")
