"""No page shows an untranslated word in Arabic or Sorani Kurdish.

An operation is recorded whose every name and title is written in Arabic script (sites, people,
donors, titles, recipients), so that on a page in Arabic or Kurdish any word in Latin letters is the
interface's own text left in English. Every page a person can open is read in both languages, with
the words a person sees in attributes (placeholders, the column names a phone shows, button values).
Codes stay as they are printed: all-capital abbreviations (ISBN, CIF), references and crate codes,
e-mail addresses, language codes "(ar)", what is typed or pressed (in <code> and <kbd>), and the name
of the Open Library.
"""
from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from books2iraq.admin.services import update_organisation
from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.catalogue import outdated
from books2iraq.crating import services as crating
from books2iraq.extensions import db
from books2iraq.imports import services as imports
from books2iraq.imports.models import ImportKind
from books2iraq.intake import services as intake
from books2iraq.intake import sheet as donation_sheet
from books2iraq.intake.models import RejectReason
from books2iraq.pallets import services as pallets
from books2iraq.receiving import services as receiving
from books2iraq.receiving.models import CrateOutcome
from books2iraq.shipping import services as shipping
from books2iraq.shipping import sheet as recipients_sheet
from books2iraq.shipping.models import ShipmentStatus
from books2iraq.sites import sheet as sites_sheet
from books2iraq.sorting import services as sorting
from books2iraq.wishes import services as wish_lists
from tests.factories import RecipientFactory, SiteFactory, TitleFactory, WarehouseFactory

SHOWN_ATTRIBUTES = {"placeholder", "aria-label", "title", "alt", "data-label"}
# Latin script that is not a word of the interface: e-mail and web addresses, file names, codes with
# digits (B2I-C-000001, 978…), all-capital abbreviations (ISBN, CIF, API), a term of art glossed in
# brackets after its translation ("شرط التسليم (Incoterm)", "العربية (ar)"), text quoted to be typed as
# it is (the customs papers are in English), the keys of a keyboard, and the Open Library's name.
LATIN_OUTSIDE = r"(?<![A-Za-z])(?:{})(?![A-Za-z])"
NOT_WORDS = re.compile("|".join([
    r"\S+@\S+", r"https?://\S+", r"[\w-]+\.(?:csv|pdf|xlsx)\b", r"\b\w*\d\w*\b", LATIN_OUTSIDE.format(r"[A-Z]{2,6}s?"),
    r"\([A-Za-z][A-Za-z ,،.…-]*\)", r"[“«][A-Za-z][^”»]*[”»]", LATIN_OUTSIDE.format("Ctrl|Shift|Enter|Esc|Tab"), "Open Library",
]))
# Not words of the interface: code, typed as it is (<code>, <kbd>), or the value in a text box.
LITERAL = {"script", "style", "template", "code", "kbd", "textarea"}


class VisibleText(HTMLParser):
    """The text of a page as a person reads it: outside scripts and styles, and outside elements in
    another language on purpose (the chooser's "English"), plus the attributes shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipped: list[str] = []  # the open elements whose text is not read, innermost last

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in LITERAL or (tag != "html" and values.get("lang")):
            self._skipped.append(tag)
            return
        self.parts += [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]
        if tag in {"input", "button"} and values.get("type") in {"submit", "button"} and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self._skipped and self._skipped[-1] == tag:
            self._skipped.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipped:
            self.parts.append(data)


def english_words(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = NOT_WORDS.sub(" ", " ".join(parser.parts))
    return re.findall(r"[A-Za-z]{2,}", text)


@pytest.fixture
def arabic_operation(app, users):
    """A small operation with every stage filled, named in Arabic script; returns the pages to read."""
    with app.app_context():
        people = {role: db.session.scalar(sa.select(User).where(User.email == email)) for role, email in users.items()}
        for role, person in people.items():
            person.name = {Role.VOLUNTEER: "سارا", Role.WAREHOUSE: "کاوە", Role.COORDINATOR: "علي", Role.ADMIN: "نور",
                           Role.RECIPIENT: "دلان"}[role]
        drop_off = SiteFactory(name="مكتبة الحي", city="لندن")
        warehouse = WarehouseFactory(name="المستودع", city="برمنغهام")
        titles = [TitleFactory(title=f"كتاب {n}", authors="كاتب", language="ar") for n in range(4)]
        donor = intake.create_donor(name="أحمد", actor=people[Role.VOLUNTEER], email="ahmed@test.example")
        donation = intake.record_donation(
            site=drop_off, donor=donor, actor=people[Role.VOLUNTEER],
            lines=[intake.LineInput(quantity=q, title=t) for q, t in zip((12, 5, 3, 2), titles, strict=True)]
            + [intake.LineInput(quantity=20, description="كيس كتب")],
        )
        waiting, accepted, rejected, packed, bag = donation.lots
        sorting.accept(accepted, actor=people[Role.WAREHOUSE], quantity=2)
        sorting.reject(rejected, reason=RejectReason.WATER_DAMAGED, actor=people[Role.WAREHOUSE])
        sorting.accept(packed, actor=people[Role.WAREHOUSE])
        crate = crating.open_crate(site=warehouse, actor=people[Role.WAREHOUSE])
        crating.pack(packed, crate, actor=people[Role.WAREHOUSE])
        crating.seal(crate, gross_kg=Decimal("4.5"), actor=people[Role.WAREHOUSE])
        open_crate = crating.open_crate(site=warehouse, actor=people[Role.WAREHOUSE])
        recipient = RecipientFactory(name_en="جامعة أربيل", address_en="شارع ١٠٠", city="أربيل")
        shipment = shipping.create_shipment(recipient=recipient, actor=people[Role.COORDINATOR])
        shipping.assign_crate(shipment, crate, actor=people[Role.COORDINATOR])
        # Two pallets of a crate each: one sealed and on the shipment, one being built.
        stacked = []
        for n in range(2):
            more = intake.record_donation(site=drop_off, actor=people[Role.VOLUNTEER], lines=[intake.LineInput(quantity=3, title=titles[n])])
            box = crating.open_crate(site=warehouse, actor=people[Role.WAREHOUSE])
            crating.pack(sorting.accept(more.lots[0], actor=people[Role.WAREHOUSE]), box, actor=people[Role.WAREHOUSE])
            crating.seal(box, gross_kg=Decimal("3"), actor=people[Role.WAREHOUSE])
            stacked.append(pallets.open_pallet(site=warehouse, actor=people[Role.WAREHOUSE]))
            pallets.put_on(stacked[n], box, actor=people[Role.WAREHOUSE])
        pallets.seal(stacked[0], gross_kg="25", length_cm=120, width_cm=80, height_cm=60, actor=people[Role.WAREHOUSE])
        shipping.assign_pallet(shipment, stacked[0], actor=people[Role.COORDINATOR])
        # A shipment on the road to the librarian's institution: one crate checked in damaged, one to come.
        library = people[Role.RECIPIENT].recipient
        library.name_en, library.address_en, library.city = "مكتبة السليمانية", "شارع سالم", "السليمانية"
        arriving = [crating.open_crate(site=warehouse, actor=people[Role.WAREHOUSE]) for _ in range(2)]
        for box, lot in zip(arriving, titles[:2], strict=True):
            more = intake.record_donation(site=drop_off, actor=people[Role.VOLUNTEER], lines=[intake.LineInput(quantity=4, title=lot)])
            crating.pack(sorting.accept(more.lots[0], actor=people[Role.WAREHOUSE]), box, actor=people[Role.WAREHOUSE])
            crating.seal(box, gross_kg=Decimal("3.5"), actor=people[Role.WAREHOUSE])
        on_the_road = shipping.create_shipment(recipient=library, actor=people[Role.COORDINATOR], mode="road")
        for box in arriving:
            shipping.assign_crate(on_the_road, box, actor=people[Role.COORDINATOR])
        for status in (ShipmentStatus.PACKING, ShipmentStatus.READY, ShipmentStatus.DISPATCHED):
            shipping.change_status(on_the_road, status, actor=people[Role.COORDINATOR])
        receiving.check_in(on_the_road, arriving[0], outcome=CrateOutcome.DAMAGED, damaged=1, note="مبلل",
                           actor=people[Role.RECIPIENT])
        wanted = wish_lists.add_wish(library, actor=people[Role.RECIPIENT], subject="طب", language="ar", wanted=30,
                                     priority="high", note="للسنة الأولى")
        wish_lists.add_wish(recipient, actor=people[Role.COORDINATOR], level="children", wanted=20)  # the planned one's
        update_organisation(actor=people[Role.ADMIN], receipt_thanks="شكراً لتبرعكم.")  # printed on receipts, English by default
        for rule in outdated.all_rules():  # the examples the migration writes, in Arabic like the rest
            rule.words = {"textbook": "كتاب مدرسي", "atlas": "أطلس"}.get(rule.words, rule.words)
        outdated.add_rule(words="حاسوب", years=10, actor=people[Role.COORDINATOR])
        sheet = imports.upload(ImportKind.DONATION, "قائمة.csv", "isbn,copies,title\n9780306406157,3,فيزياء\n123,x,\n,4,\n".encode(),
                               actor=people[Role.ADMIN], check=donation_sheet.check)
        recipients = imports.upload(
            ImportKind.RECIPIENTS, "جهات.csv", "Name (English),Name (Arabic),Address (English),City,Governorate\n"
            "الكوفة,جامعة الكوفة,شارع,النجف,النجف\nس,,,,\nص,ص,ع,البصرة,كردستان\n".encode(), actor=people[Role.ADMIN],
            check=recipients_sheet.check)
        sites = imports.upload(ImportKind.SITES, "مواقع.csv", "Name,Kind,City\nالكرخ,,بغداد\nهول,شاحنة,هول\n".encode(),
                               actor=people[Role.ADMIN], check=sites_sheet.check)
        db.session.commit()
        return [
            "/", "/search?q=كتاب", "/search?q=أحمد",
            "/intake/new", "/intake/donations", f"/intake/donations/{donation.ref}", "/intake/donors/",
            f"/intake/donors/{donor.id}",
            "/sorting/", f"/sorting/?donation={donation.ref}", f"/sorting/lots/{waiting.id}", f"/sorting/lots/{bag.id}",
            f"/sorting/lots/{rejected.id}",
            "/titles/", f"/titles/{titles[0].id}", "/titles/imports", "/titles/outdated",
            "/crates/", f"/crates/{crate.code}", f"/crates/{open_crate.code}",
            "/pallets/", f"/pallets/{stacked[0].code}", f"/pallets/{stacked[1].code}", f"/crates/{stacked[1].crates[0].code}",
            "/shipping/", f"/shipping/{shipment.ref}", "/shipping/new", "/shipping/recipients",
            f"/shipping/recipients/{recipient.id}/edit", "/shipping/recipients/new",
            "/reports/", "/reports/period",
            "/admin/", "/admin/organisation", "/admin/sites", f"/admin/sites/{drop_off.id}", "/admin/sites/new",
            "/admin/users", f"/admin/users/{people[Role.VOLUNTEER].id}", f"/admin/users/{people[Role.VOLUNTEER].id}/password",
            "/admin/users/new",
            "/auth/password", "/auth/tokens",
            "/receiving/", f"/receiving/{on_the_road.ref}", f"/receiving/{on_the_road.ref}/reconciliation",
            f"/receiving/{on_the_road.ref}/crates/{arriving[1].code}",
            f"/wishes/{library.id}", f"/wishes/{library.id}/{wanted.id}", f"/wishes/{recipient.id}",
            f"/wishes/{recipient.id}/plan/{shipment.ref}",
            "/imports/donation", f"/imports/{sheet.id}", f"/imports/{sheet.id}?show=all",
            "/imports/recipients", f"/imports/{recipients.id}?show=all", "/imports/sites", f"/imports/{sites.id}?show=all",
        ]


@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_no_page_shows_an_english_word_in_arabic_or_kurdish(client, auth, arabic_operation, language):
    untranslated = {}
    # The admin sees every page; the others their own home; the recipient its shipments.
    receiving_pages = ([path for path in arabic_operation if path.startswith("/receiving/")]
                       + [path for path in arabic_operation if path.startswith("/wishes/")][:2])  # its own list
    for role in (Role.ADMIN, Role.VOLUNTEER, Role.WAREHOUSE, Role.RECIPIENT):
        auth.login(role)
        home = "/receiving/" if role is Role.RECIPIENT else "/"
        auth.post("/language", {"language": language, "next": home}, page=home)
        for path in {Role.ADMIN: arabic_operation, Role.RECIPIENT: receiving_pages}.get(role, ["/"]):
            response = client.get(path)
            assert response.status_code == 200, f"{path}: {response.status_code}"
            assert f'<html lang="{language}" dir="rtl">' in response.get_data(as_text=True)
            words = english_words(response.get_data(as_text=True))
            if words:
                untranslated[f"{role.value} {path}"] = sorted(set(words))
        auth.logout()
    signed_out = client.get("/auth/login", headers={"Accept-Language": language}).get_data(as_text=True)
    untranslated.update({"/auth/login": sorted(set(english_words(signed_out)))} if english_words(signed_out) else {})
    assert untranslated == {}


def test_the_reader_of_pages_finds_english_words_and_passes_codes():
    html = ('<p>كتاب <span title="Crate">B2I-C-000001</span> ISBN 9780000000019 CIF عربي (ar) <kbd>Enter</kbd></p>'
            '<td data-label="Copies">٣</td><input type="submit" value="Save"><script>var ignored = 1;</script>'
            '<p>سارا@x.example · user1@test.example</p><select><option lang="en">English</option></select>'
            '<p>رموز APIیەکان · Ctrl+Enter · donations.csv · اكتب: “various, see certificate of origin” and more</p>')
    assert english_words(html) == ["Crate", "Copies", "Save", "and", "more"]
