"""Text that prints right: Arabic and Sorani Kurdish joined by HarfBuzz, brackets mirrored, harakat
kept, no boxes for characters the fonts lack, and the letters readable back from the PDF."""
from __future__ import annotations

import pytest

from books2iraq.documents.base import PdfDocument
from books2iraq.documents.text import ARABIC_FONT, SANS, register_fonts, runs, visual, width
from tests import pdf


@pytest.fixture(autouse=True)
def fonts():
    register_fonts()


def drawn(text: str) -> str:
    """An all-Arabic line's glyphs as HarfBuzz chose them, left to right: a glyph that is a letter's
    own (isolated) form is that letter; a contextual form has a private code of its own."""
    (piece,) = visual(text, ARABIC_FONT, 12)
    return str(piece)


def test_sorani_letters_without_presentation_forms_join_their_neighbours():
    for letter, word in (("ێ", "مێژووی"), ("ە", "ئەحمەد"), ("ڵ", "باڵندە"), ("ڕ", "پڕ")):
        glyphs = drawn(word)
        assert len(glyphs) == len(word) and letter not in glyphs, f"{letter} is drawn on its own inside {word}"


def test_brackets_in_right_to_left_text_face_the_right_way():
    # Drawn left to right, "(" is the last glyph of "(مقابل" (it is read first), mirrored to face the
    # word on its left; ")" the first of "مقابل)".
    assert drawn("(مقابل")[-1] == ")" and drawn("مقابل)")[0] == "("


def test_harakat_stay_on_their_letters():
    assert len(drawn("كِتَابٌ")) == len("كِتَابٌ")  # three letters and four marks, each a glyph


def test_a_mixed_line_is_drawn_in_bidi_order():
    assert runs("Shipment S-2026-002 للبصرة") == (("Shipment S-2026-002 ", 0), ("للبصرة", 1))
    # A right-to-left line: its brackets belong to the Arabic around them, and are mirrored when shaped.
    assert runs("جامعة دهوك (Duhok)") == ((")", 1), ("Duhok", 2), ("جامعة دهوك (", 1))


def test_characters_the_fonts_lack_are_left_out_not_boxed():
    assert width("Books 📚 for Iraq", SANS, 10) == width("Books  for Iraq", SANS, 10)


class Lines(PdfDocument):
    def story(self):
        return [self.text(line, 11) for line in self.data]


def test_arabic_and_kurdish_read_back_from_the_pdf_in_logical_order():
    # poppler reads shaped text back well enough for words; harakat and lone dashes it reorders itself.
    lines = ["زانکۆی سەلاحەدین هەولێر", "كتاب مفيد للطلاب", "Road to Erbil / طريق أربيل", "Books 📚 for Iraq"]
    text = pdf.text(Lines(lines).render())
    for expected in ("زانکۆی سەلاحەدین هەولێر", "كتاب مفيد للطلاب", "طريق أربيل", "Books for Iraq"):
        assert expected in text, expected


def test_assyrian_and_chaldean_names_print_in_a_syriac_font():
    import os

    from books2iraq.documents.text import NOTO_SYRIAC, SYRIAC_FONT, font_for

    if not NOTO_SYRIAC.exists():
        if os.environ.get("CI"):
            pytest.fail("Noto Sans Syriac (Debian fonts-noto-core) is required in CI")
        pytest.skip("Noto Sans Syriac not installed (apt-get install fonts-noto-core)")
    name = "ܡܪܝ ܐܦܪܝܡ"  # Mar Aphrem
    assert font_for(name) == SYRIAC_FONT
    (piece,) = visual(name, SYRIAC_FONT, 12)
    assert len(str(piece)) == len(name)  # every letter drawn, none left out as a box
    assert name in pdf.text(Lines([f"Church of the East library {name}", name]).render())


@pytest.mark.parametrize("text", [
    "The Collected Poems and Letters of Badr Shakir al-Sayyab, Volume Two",
    "الأعمال الشعرية الكاملة لبدر شاكر السياب، المجلد الثاني",
    "کۆمەڵە شیعرەکانی شێرکۆ بێکەس، بەرگی دووەم",
])
def test_a_cell_too_narrow_for_its_text_keeps_the_most_letters_that_fit_with_an_ellipsis(text):
    from reportlab.pdfbase import pdfmetrics

    from books2iraq.documents.text import fit, font_for

    register_fonts()
    font = font_for(text)
    assert fit(text, font, 8, 10_000) == text  # room enough: as it is
    for room in (30, 55, 80, 120):
        cut = fit(text, font, 8, room)
        n = len(cut) - 1
        assert cut == text[:n] + "…" and width(cut, font, 8) <= room
        assert n + 1 == len(text) or width(text[: n + 1] + "…", font, 8) > room  # one letter more would not fit
        if text.isascii():  # measured by ReportLab alone: the longest cut that fits
            longest = max(k for k in range(len(text)) if pdfmetrics.stringWidth(text[:k] + "…", font, 8) <= room)
            assert n == longest
