"""Fonts and text for the PDFs: Arabic and Kurdish shaped and right to left, user text never read
as markup.

A line with Arabic script is cut into runs by the Unicode bidi algorithm (python-bidi's embedding
levels), the runs put in visual order (rule L2), and each right-to-left run shaped by HarfBuzz
(ReportLab's shapeStr over uharfbuzz): letters join in their contextual forms, Sorani letters with
no presentation forms (ێ ە ۆ ڵ ڕ) too, harakat stay on their letters and brackets are mirrored.

Nothing here parses markup: every string is drawn as the characters it holds, so a title such as
`<b>Fish & Chips` prints as written.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import fontpkg_amiri
from bidi.algorithm import (
    explicit_embed_and_overrides,
    get_embedding_levels,
    get_empty_storage,
    resolve_implicit_levels,
    resolve_neutral_types,
    resolve_weak_types,
)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, shapeStr

# Right-to-left scripts: Arabic (with Persian and Kurdish letters) and Syriac.
ARABIC = re.compile("[\u0600-\u06ff\u0700-\u074f\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
SYRIAC = re.compile("[\u0700-\u074f]")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
AMIRI = Path(fontpkg_amiri.ROOT) / "files"
NOTO_SYRIAC = Path("/usr/share/fonts/truetype/noto/NotoSansSyriac-Regular.ttf")  # Debian fonts-noto-core

SANS, SANS_BOLD, ARABIC_FONT, ARABIC_BOLD = "B2I-Sans", "B2I-Sans-Bold", "B2I-Arabic", "B2I-Arabic-Bold"
SYRIAC_FONT = "B2I-Syriac"


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """DejaVu Sans for Latin text where the system has it (Debian's fonts-dejavu-core), else Amiri;
    Amiri (shipped by the fontpkg-amiri wheel) for Arabic and Kurdish; Noto Sans Syriac (Debian's
    fonts-noto-core) for Assyrian and Chaldean names where the system has it."""
    amiri, amiri_bold = AMIRI / "Amiri-Regular.ttf", AMIRI / "Amiri-Bold.ttf"
    sans, sans_bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if not (sans.exists() and sans_bold.exists()):
        sans, sans_bold = amiri, amiri_bold
    for name, path, shapable in (
        (SANS, sans, False), (SANS_BOLD, sans_bold, False), (ARABIC_FONT, amiri, True), (ARABIC_BOLD, amiri_bold, True),
    ):
        pdfmetrics.registerFont(TTFont(name, str(path), shapable=shapable))
    if NOTO_SYRIAC.exists():
        pdfmetrics.registerFont(TTFont(SYRIAC_FONT, str(NOTO_SYRIAC), shapable=True))


def has_arabic(text: str) -> bool:
    return bool(ARABIC.search(text))


_STRONG = re.compile(r"[A-Za-z\u00c0-\u024f\u0600-\u074f\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def is_rtl(text: str) -> bool:
    """Whether the text reads right to left: its first strong letter is Arabic (the bidi rule P2)."""
    match = _STRONG.search(text)
    return match is not None and has_arabic(match.group())


def font_for(text: str, bold: bool = False) -> str:
    if not text.isascii() and SYRIAC.search(text) and NOTO_SYRIAC.exists():
        return SYRIAC_FONT  # without it, Syriac letters are left out (see printable)
    if not text.isascii() and has_arabic(text):
        return ARABIC_BOLD if bold else ARABIC_FONT
    return SANS_BOLD if bold else SANS


@lru_cache(maxsize=65_536)
def runs(line: str) -> tuple[tuple[str, int], ...]:
    """The line cut into runs of one bidi embedding level, in the order they are drawn left to right;
    each run's text stays in logical order, and an odd level reads right to left."""
    if not has_arabic(line):
        return ((line, 0),)
    storage = get_empty_storage()
    storage["base_level"] = 1 if is_rtl(line) else 0  # the paragraph's direction, rule P2
    storage["base_dir"] = ("L", "R")[storage["base_level"]]
    get_embedding_levels(line, storage)
    explicit_embed_and_overrides(storage)
    resolve_weak_types(storage)
    resolve_neutral_types(storage, False)
    resolve_implicit_levels(storage, False)
    pieces: list[tuple[list[str], int]] = []
    for char in storage["chars"]:
        if pieces and pieces[-1][1] == char["level"]:
            pieces[-1][0].append(char["ch"])
        else:
            pieces.append(([char["ch"]], char["level"]))
    ordered = [("".join(chars), level) for chars, level in pieces]
    # Rule L2: from the highest level down to the lowest odd one, reverse every stretch of runs at
    # that level or higher.
    odd = [level for _, level in ordered if level % 2]
    for level in range(max(level for _, level in ordered), min(odd, default=1) - 1, -1):
        n = 0
        while n < len(ordered):
            if ordered[n][1] >= level:
                end = n
                while end < len(ordered) and ordered[end][1] >= level:
                    end += 1
                ordered[n:end] = reversed(ordered[n:end])
                n = end
            else:
                n += 1
    return tuple(ordered)


@lru_cache(maxsize=65_536)
def visual(line: str, font: str, size: float) -> tuple[Any, ...]:
    """One already-wrapped line as the pieces drawn left to right, one after the other: right-to-left
    runs shaped by HarfBuzz (glyphs in visual order), the others as they are. Characters the font
    has no glyph for (emoji, say) are left out rather than drawn as empty boxes."""
    return tuple(shapeStr(text, font, size) if level % 2 else text for text, level in runs(printable(line, font)))


@lru_cache(maxsize=65_536)
def printable(text: str, font: str) -> str:
    """The text without the characters the font has no glyph for."""
    covered = _covered(font)
    if text.isascii() or covered.issuperset(text):
        return text
    return "".join(char for char in text if char in covered)


@lru_cache(maxsize=8)
def _covered(font: str) -> frozenset[str]:
    """The characters the font has glyphs for."""
    return frozenset(map(chr, pdfmetrics.getFont(font).face.charToGlyph))


def width(text: str, font: str, size: float) -> float:
    """How wide the text is drawn (shaped, so joined letters are measured as drawn)."""
    if text.isascii():
        return pdfmetrics.stringWidth(text, font, size)
    if not has_arabic(text):
        return pdfmetrics.stringWidth(printable(text, font), font, size)
    return sum(pdfmetrics.stringWidth(piece, font, size) for piece in visual(text, font, size))


def draw(target: Any, text: str, font: str, size: float) -> None:
    """Write one line at a text object's cursor (which moves past it).

    A shaped run's glyphs have no letters of their own in the PDF, so each is marked with the text it
    stands for (/ActualText), in drawing order as readers expect of a page: copying the text or
    reading it back gives the letters, in logical order."""
    if text.isascii():
        target.textOut(text)
        return
    text = printable(text, font)
    for (run, level), piece in zip(runs(text), visual(text, font, size), strict=True):
        if level % 2:
            letters = run[::-1].encode("utf-16-be").hex().upper()
            target._code.append(f"/Span <</ActualText <FEFF{letters}>>> BDC")  # no public call for marked content
            target.textOut(piece)
            target._code.append("EMC")
        else:
            target.textOut(piece)


def draw_line(canvas: Any, x: float, y: float, text: str, font: str, size: float, align: str = "left") -> None:
    """One line on a canvas: starting at x, ending at x ("right") or centred on x ("center")."""
    if align == "right":
        x -= width(text, font, size)
    elif align == "center":
        x -= width(text, font, size) / 2
    line = canvas.beginText(x, y)
    line.setFont(font, size)
    draw(line, text, font, size)
    canvas.drawText(line)


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
    """The text, cut with an ellipsis if it is wider than max_width (logical order): as many letters as
    fit with it. The cut is first guessed from how much too wide the text is, then moved a letter at a
    time: a long Arabic title is shaped two or three times to fit it, not at every step of a halving."""
    whole = width(text, font, size)
    if whole <= max_width:
        return text

    def fits(n: int) -> bool:
        return n == 0 or width(text[:n] + "…", font, size) <= max_width

    n = min(len(text) - 1, int(len(text) * max_width / whole))
    if fits(n):
        while n + 1 < len(text) and fits(n + 1):
            n += 1
    else:
        while not fits(n):
            n -= 1
    return text[:n] + "…"
