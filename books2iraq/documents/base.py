"""What every document shares: the page frame with "page x of y", user text as text, fast long tables."""
from __future__ import annotations

import io
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer

from books2iraq.documents.text import (
    ARABIC_BOLD,
    ARABIC_FONT,
    SANS,
    SANS_BOLD,
    SYRIAC_FONT,
    draw,
    draw_line,
    fit,
    font_for,
    is_rtl,
    register_fonts,
    width,
    wrap,
)

GREY = colors.Color(0.35, 0.38, 0.42)
Progress = Callable[[int, "int | None"], None]  # told how far a long document has got: (done, of how many)
RULE = colors.Color(0.8, 0.82, 0.85)


class NumberedCanvas(Canvas):
    """Holds each page until the end so that every page can say "page x of y"."""

    footer_left = ""
    watermark = ""  # across every page, e.g. DRAFT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            if self.watermark:
                self._draw_watermark()
            self.setFont(SANS, 7.5)
            self.setFillColor(GREY)
            width, _ = self._pagesize
            self.drawString(12 * mm, 8 * mm, self.footer_left)
            self.drawRightString(width - 12 * mm, 8 * mm, f"Page {number} of {total}")
            super().showPage()
        super().save()

    def _draw_watermark(self) -> None:
        width, height = self._pagesize
        picture, (w, h) = watermark_picture(self.watermark)
        shown = width * 0.8 / w
        self.drawImage(picture, (width - w * shown) / 2, (height - h * shown) / 2, w * shown, h * shown, mask="auto")


@lru_cache(maxsize=4)
def watermark_picture(word: str) -> tuple[ImageReader, tuple[int, int]]:
    """`word` large, red and faint, across the page's diagonal, as a picture: it marks every page
    without becoming part of its text (copying the text or reading it back never picks up its letters)."""
    font = ImageFont.truetype(pdfmetrics.getFont(SANS_BOLD).face.filename, 200)
    left, top, right, bottom = (int(edge) for edge in font.getbbox(word))
    picture = Image.new("RGBA", (right - left + 40, bottom - top + 40), (0, 0, 0, 0))
    ImageDraw.Draw(picture).text((20 - left, 20 - top), word, font=font, fill=(190, 25, 25, 44))
    picture = picture.rotate(45, expand=True, resample=Image.Resampling.BICUBIC)
    png = io.BytesIO()
    picture.save(png, "PNG")
    return ImageReader(png), picture.size


class TextBlock(Flowable):
    """User text as plain text: wrapped, Arabic shaped and right-aligned, never parsed as markup."""

    def __init__(self, text: str, size: float = 9, bold: bool = False, leading: float | None = None,
                 color: colors.Color = colors.black, align: str | None = None) -> None:
        super().__init__()
        self.text = text or ""
        self.size = size
        self.bold = bold
        self.color = color
        self.align = align
        self.font = font_for(self.text, bold)
        # Arabic script reaches further above and below the line than Latin: more room between lines.
        self.leading = leading or size * (1.6 if self.font in (ARABIC_FONT, ARABIC_BOLD, SYRIAC_FONT) else 1.3)
        self.lines: list[str] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.lines = wrap(self.text, self.font, self.size, avail_width)
        self.height = self.leading * len(self.lines)  # read by a table that splits its rows
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """The lines that fit, and the rest: any text, however long, flows on to the next page."""
        lines = wrap(self.text, self.font, self.size, avail_width)
        fitting = int(avail_height // self.leading)
        if fitting < 1 or fitting >= len(lines):
            return []
        return [self._with_lines(lines[:fitting], avail_width), self._with_lines(lines[fitting:], avail_width)]

    def _with_lines(self, lines: list[str], avail_width: float) -> TextBlock:
        """A piece of this block, already laid out (a table may draw it without wrapping it again)."""
        piece = TextBlock("\n".join(lines), self.size, self.bold, self.leading, self.color, self.align)
        piece.font, piece.lines, piece.width, piece.height = self.font, lines, avail_width, self.leading * len(lines)
        return piece

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFont(self.font, self.size)
        canvas.setFillColor(self.color)
        right = self.align == "right" or (self.align is None and is_rtl(self.text))
        y = self.leading * len(self.lines) - self.size
        for line in self.lines:
            draw_line(canvas, self.width if right else 0, y, line, self.font, self.size, "right" if right else "left")
            y -= self.leading


@dataclass(frozen=True)
class Column:
    title: str  # one line per language when it holds line breaks ("Copies\nالنسخ")
    width: float  # points
    align: str = "left"  # left | right


class GroupRow(tuple):
    """A row drawn across the whole table in bold, heading the rows after it ("Crate 3 of 40 · …").
    When its rows run onto the next page, that page starts with `continued` ("Crate 3 of 40 (continued)")."""

    continued: str

    def __new__(cls, text: str, continued: str | None = None) -> GroupRow:
        row = super().__new__(cls, (text,))
        row.continued = continued or f"{text} (continued)"
        return row


class Rows(Sequence[Sequence[str]]):
    """The rows of a table from `start` on, after an optional `lead` row, without copying them: the
    rest of a 50,000-row table, page after page, stays the one list it was."""

    def __init__(self, rows: Sequence[Sequence[str]], start: int = 0, lead: GroupRow | None = None) -> None:
        self.rows, self.start, self.lead = rows, start, lead

    def __len__(self) -> int:
        return len(self.rows) - self.start + (1 if self.lead is not None else 0)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if self.lead is not None:
            if index == 0:
                return self.lead
            index -= 1
        return self.rows[self.start + index]

    def after(self, count: int, lead: GroupRow | None) -> Rows:
        """The rows after the first `count` of these, led by `lead`."""
        skipped_lead = 1 if self.lead is not None and count > 0 else 0
        return Rows(self.rows, self.start + count - skipped_lead, lead)


class RowTable(Flowable):
    """A long table with fixed row heights, drawn straight onto the canvas.

    Rows never wrap (long text is cut with an ellipsis), so splitting across pages is a matter of
    counting rows: a 50,000-row table costs little more than drawing its strings. The header repeats
    on every page, one row for each line of the longest column title.
    """

    def __init__(self, columns: Sequence[Column], rows: Sequence[Sequence[str]], size: float = 7.5,
                 row_height: float = 11, footer: Sequence[str] | None = None) -> None:
        super().__init__()
        self.columns = list(columns)
        self.rows = rows if isinstance(rows, Rows) else Rows(rows)
        self.size = size
        self.row_height = row_height
        self.footer = footer
        self.header_lines = max((c.title.count("\n") + 1 for c in self.columns), default=1)

    def _rows_fitting(self, height: float) -> int:
        return max(int(height // self.row_height) - self.header_lines, 0)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = sum(c.width for c in self.columns)
        extra = self.header_lines + (1 if self.footer else 0)
        self.height = self.row_height * (len(self.rows) + extra)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """The rows that fit and the rest, so that no page ends with a heading (a GroupRow) whose rows
        are all on the next, no totals row starts a page alone, and a group that runs on says so."""
        rows = self.rows
        fitting = self._rows_fitting(avail_height)
        if fitting < 2 or fitting >= len(rows) + (1 if self.footer else 0):
            return [] if fitting < 2 else [self]
        cut = min(fitting, len(rows) - 1) if self.footer else fitting  # the totals keep a row with them
        while cut > 0 and isinstance(rows[cut - 1], GroupRow):
            cut -= 1  # a heading goes over with its rows
        if cut < 1:
            return []
        head = rows[:cut]
        group = next((row for row in reversed(head) if isinstance(row, GroupRow)), None)
        lead = GroupRow(group.continued, group.continued) if group is not None and not isinstance(rows[cut], GroupRow) else None
        return [
            RowTable(self.columns, head, self.size, self.row_height),
            RowTable(self.columns, rows.after(cut, lead), self.size, self.row_height, self.footer),
        ]

    def draw(self) -> None:
        canvas = self.canv
        y = self.height
        # One text object for the whole table: far fewer PDF operators than a drawString per cell.
        self._text = canvas.beginText()
        self._font: str | None = None
        titles = [c.title.split("\n") for c in self.columns]
        for line in range(self.header_lines):
            y -= self.row_height
            self._row(y, [t[line] if line < len(t) else "" for t in titles], bold=True)
        rules = [y - 0.65]  # midway between the header's descenders and the first row's capitals
        for row in self.rows:
            y -= self.row_height
            if isinstance(row, GroupRow):
                self._cell(row[0], 2, y, self.width - 4, "left", bold=True)
            else:
                self._row(y, row)
        if self.footer:
            y -= self.row_height
            rules.append(y + self.row_height - 0.65)
            self._row(y, self.footer, bold=True)
        canvas.drawText(self._text)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        for rule_y in rules:
            canvas.line(0, rule_y, self.width, rule_y)

    def _row(self, y: float, cells: Sequence[str], bold: bool = False) -> None:
        x = 0.0
        for column, cell in zip(self.columns, cells, strict=False):
            self._cell(str(cell), x + 2, y, column.width - 4, column.align, bold)
            x += column.width

    def _cell(self, text: str, x: float, y: float, room: float, align: str, bold: bool) -> None:
        if not text:
            return
        font = font_for(text, bold)
        if font != self._font:
            self._text.setFont(font, self.size)
            self._font = font
        if text.isascii():  # most cells: measured once, by ReportLab's C code
            drawn = pdfmetrics.stringWidth(text, font, self.size)
            if drawn > room:
                text = fit(text, font, self.size, room)
                drawn = pdfmetrics.stringWidth(text, font, self.size)
            if align == "right":
                x += room - drawn
            self._text.setTextOrigin(x, y + 3)
            self._text.textOut(text)
            return
        shown = fit(text, font, self.size, room)
        if align == "right" or is_rtl(text):
            x += room - width(shown, font, self.size)
        self._text.setTextOrigin(x, y + 3)
        draw(self._text, shown, font, self.size)


def code128(value: str, bar_height: float = 14 * mm, bar_width: float = 0.9) -> Code128:
    return Code128(value, barHeight=bar_height, barWidth=bar_width, humanReadable=False, quiet=True)


def draw_qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    """A QR code (error correction M, a quiet zone of 4 modules) as one filled rectangle per run of
    dark modules: one encoding, a few hundred rectangles, instead of a drawing of thousands of shapes."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    count, quiet = code.getModuleCount(), 4
    module = size / (count + 2 * quiet)
    path = canvas.beginPath()
    for row in range(count):
        top = y + size - (row + quiet + 1) * module
        col = 0
        while col < count:
            if code.isDark(row, col):
                start = col
                while col < count and code.isDark(row, col):
                    col += 1
                path.rect(x + (start + quiet) * module, top, (col - start) * module, module)
            col += 1
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


class PdfDocument(ABC):
    """One document: subclasses give `story()`; `render()` returns the PDF bytes."""

    pagesize = A4
    margins = (14 * mm, 14 * mm, 16 * mm, 14 * mm)  # left, right, top, bottom
    title = "books2iraq document"
    numbered = True

    def __init__(self, data: Any) -> None:
        register_fonts()
        self.data = data

    @abstractmethod
    def story(self) -> list[Flowable]:
        """The flowables of the document, from `self.data`."""

    def footer_text(self) -> str:
        return self.title

    def watermark(self) -> str:
        """Drawn large across every page when not empty (a draft says DRAFT)."""
        return ""

    def render(self, progress: Progress | None = None) -> bytes:
        """The PDF; `progress(pages, None)` is told each page drawn (how many there will be is not
        known until the story has been laid out)."""
        buffer = io.BytesIO()
        left, right, top, bottom = self.margins
        width, height = self.pagesize
        doc = BaseDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=left,
            rightMargin=right,
            topMargin=top,
            bottomMargin=bottom,
            title=self.title,
            author="books2iraq",
            pageCompression=1,
        )
        frame = Frame(left, bottom, width - left - right, height - top - bottom, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        told = {"onPageEnd": lambda canvas, doc: progress(doc.page, None)} if progress else {}
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], **told)])
        footer = self.footer_text()

        if self.numbered:
            canvas_class = type("Numbered", (NumberedCanvas,), {"footer_left": footer, "watermark": self.watermark()})
        else:
            canvas_class = Canvas
        doc.build(self.story(), canvasmaker=canvas_class)
        return buffer.getvalue()

    # -- small building blocks ---------------------------------------------------------------
    @staticmethod
    def text(value: str | None, size: float = 9, bold: bool = False, **kwargs: Any) -> TextBlock:
        return TextBlock(value or "", size=size, bold=bold, **kwargs)

    @staticmethod
    def gap(height_mm: float = 3) -> Spacer:
        return Spacer(1, height_mm * mm)

