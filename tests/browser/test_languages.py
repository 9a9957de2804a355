"""The interface right to left: the chooser switches a page to Arabic or Sorani Kurdish, the layout
mirrors (the brand on the right, the menu after it) and nothing overflows, on a phone and a desktop."""
from __future__ import annotations

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import VOLUNTEER, expect, page_width, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(("language", "new_donation", "sign_out"), [
    ("ar", "تبرع جديد", "تسجيل الخروج"),
    ("ckb", "بەخشینی نوێ", "چوونەدەرەوە"),
])
def test_the_chooser_turns_the_page_right_to_left(sized_page, width, language, new_donation, sign_out):
    page = sized_page(width, f"{language}-{width}")
    sign_in(page, VOLUNTEER)
    page.get_by_label("Language").select_option(language)
    page.locator("form.language-chooser button").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("banner").get_by_role("link", name=new_donation)).to_be_visible()
    expect(page.get_by_role("button", name=sign_out)).to_be_visible()
    brand = page.locator(".brand").bounding_box()
    assert brand is not None and brand["x"] + brand["width"] > width * 0.6, "the brand stays on the left"
    scroll_width, inner_width = page_width(page)
    assert scroll_width <= inner_width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"language-{language}-{width}.png"))
    # Back to English for the next journey of this person (the choice is theirs on every device).
    page.get_by_label("اللغة" if language == "ar" else "زمان").select_option("en")
    page.locator("form.language-chooser button").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
