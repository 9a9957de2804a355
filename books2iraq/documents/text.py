"""Fonts and text for the PDFs: Arabic shaped and right-to-left, user text never read as markup.

Nothing here parses markup: every string is drawn as the characters it holds, so a title such as
`<b>Fish & Chips` prints as written.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import arabic_reshaper
import fontpkg_amiri
from bidi import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
AMIRI = Path(fontpkg_amiri.ROOT) / "files"

SANS, SANS_BOLD, ARABIC_FONT, ARABIC_BOLD = "B2I-Sans", "B2I-Sans-Bold", "B2I-Arabic", "B2I-Arabic-Bold"


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """DejaVu Sans for Latin text where the system has it (Debian's fonts-dejavu-core), else Amiri;
    Amiri (shipped by the fontpkg-amiri wheel) for Arabic."""
    amiri, amiri_bold = AMIRI / "Amiri-Regular.ttf", AMIRI / "Amiri-Bold.ttf"
    sans, sans_bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if not (sans.exists() and sans_bold.exists()):
        sans, sans_bold = amiri, amiri_bold
    for name, path in ((SANS, sans), (SANS_BOLD, sans_bold), (ARABIC_FONT, amiri), (ARABIC_BOLD, amiri_bold)):
        pdfmetrics.registerFont(TTFont(name, str(path), shapable=False))


def has_arabic(text: str) -> bool:
    return bool(ARABIC.search(text))


_STRONG = re.compile(r"[A-Za-z\u00c0-\u024f\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def is_rtl(text: str) -> bool:
    """Whether the text reads right to left: its first strong letter is Arabic (the bidi rule P2)."""
    match = _STRONG.search(text)
    return match is not None and has_arabic(match.group())


def font_for(text: str, bold: bool = False) -> str:
    if has_arabic(text):
        return ARABIC_BOLD if bold else ARABIC_FONT
    return SANS_BOLD if bold else SANS


@lru_cache(maxsize=65_536)
def shaped(text: str) -> str:
    """Arabic letters joined into their contextual forms (logical order kept, for measuring and wrapping)."""
    return arabic_reshaper.reshape(text) if has_arabic(text) else text


@lru_cache(maxsize=65_536)
def visual(line: str) -> str:
    """One already-wrapped line in the order it is drawn left to right."""
    return get_display(shaped(line)) if has_arabic(line) else line


def width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(shaped(text), font, size)


@lru_cache(maxsize=16)
def widest_ascii(font: str) -> float:
    """The widest printable ASCII glyph of a font, in ems: ASCII text of n characters is at most
    n × size × this wide, so short cells need no measuring."""
    return max(pdfmetrics.stringWidth(chr(code), font, 1) for code in range(32, 127))


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Greedy word wrap in logical order; a word longer than the line is cut by characters.

    Each word is measured once (a line's width is the sum of its words and spaces: words are shaped
    on their own), and a long word is cut by halving, so a 2,000-letter word costs a few hundred
    measurements, not millions.
    """
    space = width(" ", font, size)
    lines: list[str] = []
    for paragraph in (text or "").splitlines() or [""]:
        current, current_width = "", 0.0
        for word in paragraph.split(" "):
            word_width = width(word, font, size)
            if current and current_width + space + word_width <= max_width:
                current, current_width = f"{current} {word}", current_width + space + word_width
                continue
            if not current and word_width <= max_width:
                current, current_width = word, word_width
                continue
            if current:
                lines.append(current)
            while word_width > max_width and len(word) > 1:
                cut = _longest_fitting_prefix(word, font, size, max_width)
                lines.append(word[:cut])
                word = word[cut:]
                word_width = width(word, font, size)
            current, current_width = word, word_width
        lines.append(current)
    return lines


def _longest_fitting_prefix(word: str, font: str, size: float, max_width: float) -> int:
    """How many of the word's first characters fit on a line (at least one)."""
    low, high = 1, len(word)
    while low < high:
        mid = (low + high + 1) // 2
        if width(word[:mid], font, size) <= max_width:
            low = mid
        else:
            high = mid - 1
    return low


def fit(text: str, font: str, size: float, max_width: float) -> str:
    """The text, cut with an ellipsis if it is wider than max_width (logical order)."""
    if width(text, font, size) <= max_width:
        return text
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if width(text[:mid] + "…", font, size) <= max_width:
            low = mid
        else:
            high = mid - 1
    return text[:low] + "…"
