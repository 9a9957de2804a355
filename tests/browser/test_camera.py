"""Scanning with a phone's camera: Chromium's fake camera shows a picture (an ISBN barcode, the crate
label the app printed) and the page reads it through the vendored barcode reader (ZXing compiled to
WebAssembly) under the app's strict Content-Security-Policy; one book in view is one scan."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image

from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import (
    VOLUNTEER,
    WAREHOUSE,
    arrange_sealed_crate,
    barcode_picture,
    expect,
    fake_camera_video,
    in_db,
    nav,
    sign_in,
    unique_isbn13,
)

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def camera_phone(browser_type, browser_type_launch_args, base_url):
    """open(video) gives a phone-sized page in a Chromium whose camera films `video`."""
    browsers = []

    def open_with(video: Path):
        args = [*browser_type_launch_args["args"], "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={video}"]
        browser = browser_type.launch(**{**browser_type_launch_args, "args": args})
        browsers.append(browser)
        context = browser.new_context(base_url=base_url, permissions=["camera"], **PHONE)
        context.set_default_timeout(10_000)
        return context.new_page()

    yield open_with
    for browser in browsers:
        browser.close()


def test_a_book_held_to_the_camera_is_scanned_once_into_the_donation(camera_phone, db_app, base_url, tmp_path):
    isbn = unique_isbn13()
    page = camera_phone(fake_camera_video(tmp_path / "book.y4m", barcode_picture(isbn)))
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    elsewhere: list[str] = []  # no CDN: the reader and its WebAssembly come from the app
    page.on("request", lambda request: elsewhere.append(request.url) if not request.url.startswith(base_url) else None)
    sign_in(page, VOLUNTEER)
    nav(page, "New donation")
    page.get_by_role("button", name="Camera").click()
    camera = page.get_by_role("dialog", name="Camera scanner")
    expect(camera).to_contain_text(f"Read {isbn} (1 so far)", timeout=20_000)
    rows = page.locator("[data-scan-list] li.scan")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(isbn)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "camera-intake-390.png"))
    page.wait_for_timeout(3_000)  # the same book still in view is not scanned again
    expect(rows).to_have_count(1)
    expect(page.get_by_label("Scanned ISBNs")).to_have_value(f"{isbn}\n")
    camera.get_by_role("button", name="Done").click()
    expect(camera).to_be_hidden()
    page.get_by_role("button", name="Record donation").click()
    expect(page).to_have_url(re.compile(r"/intake/donations/D-\d{4}-\d{6}$"))
    from books2iraq.intake.models import Lot, Title

    with in_db(db_app) as session:
        copies = session.scalar(sa.select(sa.func.sum(Lot.quantity)).join(Lot.title).where(Title.isbn13 == isbn))
    assert copies == 1
    assert not [e for e in errors if "Content Security Policy" in e or "WebAssembly" in e], errors
    assert elsewhere == []


def test_a_printed_crate_label_held_to_the_camera_opens_its_crate(camera_phone, page, db_app, tmp_path):
    code = arrange_sealed_crate(db_app, isbn=unique_isbn13(), copies=3)
    sign_in(page, WAREHOUSE)  # an ordinary browser prints the label
    label = page.request.get(f"/documents/crates/{code}/label.pdf")
    assert label.ok
    (tmp_path / "label.pdf").write_bytes(label.body())
    subprocess.run(["pdftoppm", "-png", "-r", "300", "-singlefile", str(tmp_path / "label.pdf"), str(tmp_path / "label")],
                   check=True)
    printed = Image.open(tmp_path / "label.png").convert("L")
    # The phone held close to the label's bars: the Code 128 fills the view (its QR code is out of it).
    bars = next(found.position for found in zxingcpp.read_barcodes(printed) if found.format.name == "Code128")
    view = printed.crop((bars.top_left.x - 60, bars.top_left.y - 150, bars.bottom_right.x + 60, bars.bottom_right.y + 60))
    phone = camera_phone(fake_camera_video(tmp_path / "label.y4m", view))
    sign_in(phone, WAREHOUSE)
    nav(phone, "Crates")
    phone.get_by_role("button", name="Camera").click()
    expect(phone).to_have_url(re.compile(rf"/crates/{code}$"), timeout=20_000)
    expect(phone.get_by_role("heading", level=1)).to_contain_text(f"Crate {code}")
