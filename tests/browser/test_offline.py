"""Intake with no connection, in Chromium: the intake page kept on the device by its service worker,
donations kept in IndexedDB and sent when the connection is back, refusals kept with the server's
message, and the sign-out that warns and clears the device (static/js/offline.js)."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from books2iraq.intake.models import Donation
from books2iraq.sites.models import Site, SiteKind
from tests.browser.helpers import (
    DEMO_PASSWORD,
    PHYSICS_ISBN10,
    PHYSICS_ISBN13,
    VOLUNTEER,
    in_db,
    page_width,
    sign_in,
    unique,
    unique_isbn13,
)

pytestmark = pytest.mark.browser

# Codes in the page's sentences are isolated left to right (U+2066 … U+2069), for Arabic and Kurdish.
RECEIPT = re.compile(r"Receipt number for the donor: \u2066([0-9A-Z]{4}-[0-9A-Z]{4})\u2069\.")


# What waits on the network (the service worker's first caching, a sync) may take longer on a busy machine.
SLOW = 20_000


def isolated(code: str) -> str:
    return f"\u2066{code}\u2069"


def open_intake(context):
    page = context.new_page()
    sign_in(page, VOLUNTEER)
    page.goto("/intake/new")
    # The page, its files and the catalogue's titles are on the device: it may go offline now.
    expect(page.locator("form[data-intake]")).to_have_attribute("data-offline-ready", "1", timeout=SLOW)
    return page


def record(page, *scans: str, donor: str = "", site: str | None = None) -> str:
    """Scan books, name the donor, record the donation with no connection; the receipt number it was given."""
    if site:
        page.get_by_label("Drop-off point").select_option(label=site)
    scans_field = page.get_by_label("Scanned ISBNs")
    scans_field.click()
    for isbn in scans:
        page.keyboard.type(f"{isbn}\n")
    if donor:
        page.get_by_text("Donor (optional)").click()
        page.get_by_label("Donor's name (optional)").fill(donor)
    page.get_by_role("button", name="Record donation").click()
    kept = page.locator("#flashes")
    expect(kept).to_contain_text("No connection: the donation is kept on this device")
    expect(scans_field).to_have_value("")  # ready for the next donor
    return RECEIPT.search(kept.inner_text()).group(1)


def on_device(page) -> dict:
    """What the device keeps: the service worker's cache, the databases, the workers."""
    return page.evaluate(
        """async () => {
            const cached = [];
            for (const name of await caches.keys()) {
                for (const request of await (await caches.open(name)).keys()) cached.push(new URL(request.url).pathname);
            }
            return {
                caches: await caches.keys(), cached: cached,
                databases: (await indexedDB.databases()).map((found) => found.name),
                workers: (await navigator.serviceWorker.getRegistrations()).map((found) => found.scope),
            };
        }"""
    )


def test_three_donations_recorded_offline_reach_the_server_exactly_once_each(new_context, shots, db_app):
    context = new_context()
    page = shots.watch(open_intake(context))
    isbns = [unique_isbn13() for _ in range(3)]
    donors = [f"Offline donor {unique()}" for _ in range(3)]
    with in_db(db_app) as session:
        before = session.scalar(sa.select(sa.func.count()).select_from(Donation))

    context.set_offline(True)
    # A scan shows its title from the catalogue kept on the device, an ISBN-10 too; a slip is marked.
    page.get_by_label("Scanned ISBNs").click()
    page.keyboard.type(f"{PHYSICS_ISBN10}\n{PHYSICS_ISBN13[:-1]}4\n")
    expect(page.locator("[data-scan-list]")).to_contain_text("Introduction to Physics")
    expect(page.locator("[data-scan-list] li[data-known=bad]")).to_contain_text(
        f"ISBN “{PHYSICS_ISBN13[:-1]}4” has a wrong check digit")
    # Recording with a line to fix is refused on the device, as the server would.
    page.get_by_role("button", name="Record donation").click()
    expect(page.locator("#flashes")).to_have_text(
        "Line 2 is not an ISBN: scan it again or remove it, then record the donation.")
    page.get_by_label("Scanned ISBNs").fill("")

    receipts = [
        record(page, PHYSICS_ISBN13, isbns[0], isbns[0], donor=donors[0]),
        record(page, isbns[1], donor=donors[1]),
        record(page, f"{isbns[2]} x4", donor=donors[2]),
    ]
    assert len(set(receipts)) == 3
    outbox = page.locator("[data-outbox]")
    expect(outbox.locator("[data-outbox-title]")).to_have_text("Waiting to send (3)")
    expect(outbox.locator("[data-waiting] li")).to_have_count(3)

    # The page opened again with no connection: the device's copy, with what it keeps.
    page.reload()
    expect(page.get_by_role("heading", name="New donation")).to_be_visible()
    expect(outbox.locator("[data-outbox-title]")).to_have_text("Waiting to send (3)")
    for receipt, donor in zip(receipts, donors, strict=True):
        expect(outbox.locator(f"[data-waiting] li[data-receipt='{receipt}']")).to_contain_text(donor)
    with in_db(db_app) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Donation)) == before

    context.set_offline(False)
    expect(outbox.locator("[data-waiting-part]")).to_be_hidden(timeout=SLOW)
    expect(outbox.locator("[data-sent] li")).to_have_count(3)
    expect(page.locator("#flashes")).to_have_text("3 donations kept on this device are now sent.")
    with in_db(db_app) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Donation)) == before + 3
        sent = session.scalars(sa.select(Donation).where(Donation.offline_receipt.in_(receipts))).all()
        by_receipt = {donation.offline_receipt: donation for donation in sent}
        assert sorted(by_receipt) == sorted(receipts)
        lines = {
            receipt: [(line.title.isbn13, line.quantity) for line in by_receipt[receipt].lines] for receipt in receipts
        }
        assert lines == {
            receipts[0]: [(PHYSICS_ISBN13, 1), (isbns[0], 2)],
            receipts[1]: [(isbns[1], 1)],
            receipts[2]: [(isbns[2], 4)],
        }
        assert [by_receipt[receipt].donor.name for receipt in receipts] == donors
        assert all(donation.kept_offline_at is not None for donation in sent)
        refs = {receipt: by_receipt[receipt].ref for receipt in receipts}
    # What was sent lists each ref with its receipt number, and its printable receipt.
    for receipt in receipts:
        item = outbox.locator("[data-sent] li", has_text=receipt)
        expect(item.get_by_role("link", name=refs[receipt])).to_have_attribute("href", f"/intake/donations/{refs[receipt]}")
        expect(item.get_by_role("link", name="Receipt (PDF)")).to_have_attribute(
            "href", f"/documents/donations/{refs[receipt]}/receipt.pdf")
    pdf = page.request.get(f"/documents/donations/{refs[receipts[1]]}/receipt.pdf")
    assert pdf.ok and pdf.body()[:5] == b"%PDF-"

    # Sent again (a second tab, a lost answer): nothing more is recorded.
    page.evaluate("document.querySelector('[data-send-now]').click()")
    page.reload()
    expect(outbox.locator("[data-sent] li")).to_have_count(3)
    with in_db(db_app) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Donation)) == before + 3

    # Other pages seen online are never kept on the device: only the intake page and the static files.
    page.goto("/intake/donations")
    page.goto(f"/intake/donations/{refs[receipts[0]]}")
    expect(page.get_by_text(f"Receipt number given offline: {receipts[0]}")).to_be_visible()
    page.goto("/intake/donors/")
    kept = on_device(page)
    assert kept["caches"] == ["b2i-intake-v1"]
    assert sorted(path for path in kept["cached"] if not path.startswith("/static/")) == [
        "/intake/manifest.webmanifest", "/intake/new"]
    assert kept["workers"] == [f"{page.url.split('/intake')[0]}/intake/"]


def test_a_donation_refused_on_sync_is_kept_with_the_reason_then_fixed_and_sent(new_context, shots, db_app):
    closing = f"Closing hall {unique()}"
    with in_db(db_app) as session:
        session.add(Site(name=closing, city="Kirkuk", kind=SiteKind.DROP_OFF))
        session.commit()
    context = new_context()
    page = shots.watch(open_intake(context))
    isbn, other = unique_isbn13(), unique_isbn13()

    context.set_offline(True)
    refused = record(page, isbn, isbn, donor="Mrs Talabani", site=f"{closing} (Kirkuk)")
    dropped = record(page, other, site=f"{closing} (Kirkuk)")
    # The drop-off point closes while the device is offline.
    with in_db(db_app) as session:
        session.scalar(sa.select(Site).where(Site.name == closing)).active = False
        session.commit()

    context.set_offline(False)
    item = page.locator(f"[data-waiting] li[data-receipt='{refused}']")
    expect(item).to_have_attribute("data-state", "refused", timeout=SLOW)
    expect(item).to_contain_text(f"{closing} is closed; choose another site.")
    expect(page.locator("[data-outbox-title]")).to_have_text("Waiting to send (2)")
    page.reload()  # still there, with its reason, online as offline
    expect(item).to_contain_text(f"{closing} is closed; choose another site.")

    # Signing out now would lose them: the page says so first.
    page.get_by_role("button", name="Sign out").click()
    warning = page.locator("[data-signout-warning]")
    expect(warning).to_contain_text("2 donations recorded on this device are still waiting to send.")
    warning.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_have_count(0)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # Fixed: another drop-off point; sent with the receipt number the donor was given.
    item.get_by_role("button", name="Fix and send again").click()
    expect(page.get_by_label("Scanned ISBNs")).to_have_value(f"{isbn}\n{isbn}\n")
    expect(page.locator("#flashes")).to_contain_text(f"Fix donation {isolated(refused)} and record it again.")
    page.get_by_label("Drop-off point").select_option(label="London drop-off (London)")
    page.get_by_role("button", name="Record donation").click()
    expect(page.locator("#flashes")).to_contain_text(re.compile(rf"Donation \u2066D-\d{{4}}-\d{{6}}\u2069 recorded \(receipt number {isolated(refused)}\)\."))
    expect(page.locator("[data-outbox-title]")).to_have_text("Waiting to send (1)")
    with in_db(db_app) as session:
        donation = session.scalar(sa.select(Donation).where(Donation.offline_receipt == refused))
        assert donation.site.name == "London drop-off"
        assert [(line.title.isbn13, line.quantity) for line in donation.lines] == [(isbn, 2)]
        assert donation.donor.name == "Mrs Talabani"
        assert session.scalar(sa.select(Donation).where(Donation.offline_receipt == dropped)) is None

    # Signing out with one still kept: warned, then the device forgets everything it kept.
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("[data-signout-warning]")).to_contain_text(
        "1 donation recorded on this device is still waiting to send.")
    page.get_by_role("button", name="Sign out and delete them").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    kept = on_device(page)
    assert kept["caches"] == [] and kept["workers"] == []
    assert not [name for name in kept["databases"] if name.startswith("b2i-intake-")]
    with in_db(db_app) as session:
        site = session.scalar(sa.select(Site).where(Site.name == closing))
        assert session.scalar(sa.select(sa.func.count()).select_from(Donation).where(Donation.site_id == site.id)) == 0


def scan_cases() -> str:
    """Lines as scanners and people type them: good ISBN-13s and ISBN-10s (an X too), hyphens and spaces,
    wrong check digits, wrong lengths, other barcodes, letters, counts written every way, quantity keys."""
    import random

    from stdnum import ean
    from stdnum.isbn import _calc_isbn10_check_digit

    rng = random.Random(18)
    lines = []
    for _ in range(60):
        body = rng.choice(["978", "979"]) + "".join(rng.choice("0123456789") for _ in range(9))
        good13 = body + ean.calc_check_digit(body)
        nine = "".join(rng.choice("0123456789") for _ in range(9))
        good10 = nine + _calc_isbn10_check_digit(nine)
        wrong = good13[:-1] + str((int(good13[-1]) + rng.randint(1, 9)) % 10)
        lines += rng.sample([
            good13, good10, wrong, good10[:-1] + ("X" if good10[-1] != "X" else "0"), f"{good13[:3]}-{good13[3:]}",
            f"{good13} x{rng.randint(0, 12)}", f"{good10}*{rng.randint(1, 5)}", f"{good13}, {rng.randint(1, 9)}",
            f"{good13} {rng.randint(1, 99)}", f"x{rng.randint(0, 9)}", good13[:-2], good13 + "1", "977" + good13[3:],
            "abc" + good13[3:], "", "   ", f"  {good13}  ", f"×{rng.randint(1, 4)}", "X", nine,
        ], 6)
    return "\n".join(lines)


def test_the_device_reads_scans_exactly_as_the_server_does(new_context, db_app):
    """Offline, the intake page checks scans itself (offline.js readScans): every line must read as the
    server's scans.read_lines reads it (ISBN-13, count, and the same words for what is wrong)."""
    from books2iraq.intake.scans import read_lines

    text = scan_cases()
    context = new_context()
    page = context.new_page()
    sign_in(page, VOLUNTEER)
    page.goto("/intake/new")
    on_the_device = page.evaluate("(text) => window.b2iOffline.readScans(text)", text)
    with db_app.test_request_context("/", headers={"Accept-Language": "en"}):
        on_the_server = [
            {"number": line.number, "text": line.text, "isbn13": line.isbn13, "quantity": line.quantity, "problem": line.problem}
            for line in read_lines(text)
        ]
    assert len(on_the_server) > 300
    assert {line["problem"] is None for line in on_the_server} == {True, False}
    different = [(device, server) for device, server in zip(on_the_device, on_the_server, strict=False) if device != server]
    assert different[:3] == []  # the first lines read otherwise, if any
    assert on_the_device == on_the_server


def test_on_a_phone_in_arabic_the_kept_donations_read_right_to_left(sized_page, db_app):
    """A volunteer at a drop-off point in Mosul, on a phone in Arabic, with no connection."""
    page = sized_page(390, "ar-phone", locale="ar-IQ")
    page.goto("/auth/login")
    page.locator("input[name=email]").fill(VOLUNTEER)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    # Arabic chosen, as the person's own (another journey may have chosen English for them before).
    page.locator("form.language-chooser select").select_option("ar")
    page.locator("form.language-chooser button").click()
    expect(page.get_by_role("button", name="تسجيل الخروج")).to_be_visible()
    try:
        page.goto("/intake/new")
        expect(page.locator("form[data-intake]")).to_have_attribute("data-offline-ready", "1", timeout=SLOW)
        page.context.set_offline(True)
        page.get_by_label("أرقام الردمك الممسوحة").click()
        page.keyboard.type(f"{unique_isbn13()}\n")
        page.locator("form[data-intake] button[type=submit]").click()
        flash = page.locator("#flashes")
        expect(flash).to_contain_text("لا اتصال: حُفظ التبرع على هذا الجهاز")
        receipt = re.search(r"\u2066([0-9A-Z]{4}-[0-9A-Z]{4})\u2069", flash.inner_text()).group(1)
        expect(page.locator("[data-outbox-title]")).to_have_text("ينتظر الإرسال (١)")  # one donation (تبرع) waits: the singular
        item = page.locator(f"[data-waiting] li[data-receipt='{receipt}']")
        expect(item).to_contain_text("رقم الإيصال")
        expect(item).to_contain_text("نسخة واحدة")
        assert item.evaluate("(li) => getComputedStyle(li).direction") == "rtl"
        width, window = page_width(page)
        assert width <= window, f"the page is {width} px wide on a {window} px phone"
        page.context.set_offline(False)
        expect(page.locator("[data-waiting-part]")).to_be_hidden(timeout=SLOW)
        with in_db(db_app) as session:
            assert session.scalar(sa.select(Donation).where(Donation.offline_receipt == receipt)) is not None
    finally:  # back to English for the next journey of this person (the choice is theirs on every device)
        page.context.set_offline(False)
        page.locator("form.language-chooser select").select_option("en")
        page.locator("form.language-chooser button").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_send_cut_off_with_its_page_is_sent_when_the_page_opens_again(new_context, shots, db_app):
    """A donation was on its way when the page closed (a browser crash, a flat battery): it stays on the
    device, marked as being sent, and goes when the page next opens, with a receipt number."""
    context = new_context()
    page = shots.watch(open_intake(context))
    isbn, key = unique_isbn13(), unique("cut") + "0" * 21
    page.evaluate(
        """async ([key, isbn]) => {
            const form = document.querySelector("form[data-intake]");
            const db = await idb.openDB("b2i-intake-" + document.querySelector("form[data-signout]").dataset.user);
            const fields = [["submission_key", key], ["site", form.elements.site.value], ["condition", "good"],
                            ["received_on", form.elements.received_on.value], ["donor_kind", "individual"], ["scans", isbn]];
            await db.put("outbox", {key: key, state: "sending", kept: false, receipt: "C7T0-FF01", message: "", fields: fields,
                                    at: new Date(Date.now() - 3 * 60 * 1000).toISOString(), summary: {copies: 1, donor: "", site: ""}});
            db.close();
        }""",
        [key, isbn],
    )
    page.reload()
    expect(page.locator("[data-sent] li", has_text="C7T0-FF01")).to_be_visible(timeout=SLOW)
    with in_db(db_app) as session:
        donation = session.scalar(sa.select(Donation).where(Donation.submission_key == key))
        assert donation.offline_receipt == "C7T0-FF01"
        assert [(line.title.isbn13, line.quantity) for line in donation.lines] == [(isbn, 1)]
