"""Crate and pallet labels (A6 or 4×6 inch): code large, Code128 and QR, "crate n of N" or "pallet n of
N", the UN/ECE Rec. 15 shipping mark, destination and origin, weights, ISO 780 handling marks and the
GS1-128 SSCC; a pallet's label also names the crates on it."""
from __future__ import annotations

import io
from typing import Any

from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas

from books2iraq import refs
from books2iraq.documents.base import GREY, Progress, code128, draw_qr
from books2iraq.documents.data import CrateData, PalletData, shipping_mark
from books2iraq.documents.packing_list import kg
from books2iraq.documents.text import (
    SANS,
    SANS_BOLD,
    draw_line,
    fit,
    font_for,
    register_fonts,
)

NO_COMMERCIAL_VALUE = "DONATED BOOKS — NO COMMERCIAL VALUE"
NO_COMMERCIAL_VALUE_AR = "كتب متبرع بها — بدون قيمة تجارية"


# Label stock: A6 sheets, or 4×6 inch thermal labels.
SIZES = {"a6": A6, "4x6": (4 * inch, 6 * inch)}


class CrateLabels:
    """One label per crate or pallet, drawn straight onto the canvas (a label is a fixed layout, not a story).

    Top down: the no-commercial-value band, the crate's code and barcode, "crate n of N" (PROVISIONAL
    while the shipment's crates may change), the Rec. 15 shipping mark beside a QR code, the consignee,
    the destination country. Bottom up: the sender, the ISO 780 handling marks, the GS1-128 SSCC, the
    weights and size. Text beside the QR code is fitted to the room left of it, so nothing overlaps.
    """

    title = "Labels"
    NAMED = 24  # the crate codes a pallet's label prints; more are counted

    def __init__(self, crates: list[CrateData | PalletData], size: str = "a6") -> None:
        register_fonts()
        self.data = crates
        self.pagesize = SIZES[size]

    def render(self, progress: Progress | None = None) -> bytes:
        """The PDF, a label a page; `progress(labels, of)` is told each label drawn."""
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=self.pagesize, pageCompression=1)
        canvas.setTitle(self.title)
        for number, crate in enumerate(self.data, start=1):
            self.draw_label(canvas, crate)
            canvas.showPage()
            if progress:
                progress(number, len(self.data))
        canvas.save()
        return buffer.getvalue()

    def draw_label(self, canvas: Canvas, crate: Any) -> None:
        width, height = self.pagesize
        left, right = 6 * mm, width - 6 * mm
        y = height - 5 * mm
        beside_qr = height  # once the QR code is drawn: above this height, lines leave room for it

        def line(text: str, size: float, bold: bool = False, align: str = "left", color: Any = black) -> None:
            """Draw one line below the previous one and move down past it."""
            nonlocal y
            y -= size
            room = right - left - (27 * mm if y > beside_qr else 0)
            font = font_for(text, bold)
            canvas.setFillColor(color)
            shown = fit(text, font, size, room)
            x = {"right": left + room, "center": left + room / 2}.get(align, left)
            draw_line(canvas, x, y, shown, font, size, align)
            y -= size * 0.3

        line(NO_COMMERCIAL_VALUE, 8.5, bold=True, align="center")
        line(NO_COMMERCIAL_VALUE_AR, 9, bold=True, align="center")
        y -= 1 * mm
        line(crate.code, 22, bold=True, align="center")
        barcode = code128(crate.code, bar_height=12 * mm, bar_width=1.0)
        barcode.drawOn(canvas, (width - barcode.width) / 2, y - 12 * mm)
        y -= 14 * mm
        if crate.number is None:
            line("Not on a shipment yet", 11, bold=True, align="center")
        elif crate.provisional:
            line(f"PROVISIONAL · {self.noun(crate).lower()} {crate.number} of {crate.of}", 13, bold=True, align="center")
            line("Numbers are fixed when the shipment is ready: print again then.", 7, align="center", color=GREY)
        else:
            line(f"{self.noun(crate)} {crate.number} of {crate.of}", 15, bold=True, align="center")
        y -= 1 * mm
        qr_top = y
        draw_qr(canvas, crate.code, right - 25 * mm, qr_top - 25 * mm, 25 * mm)
        beside_qr = qr_top - 25 * mm - 1 * mm
        if crate.shipment_ref and crate.consignee is not None:
            # UN/ECE Recommendation 15 shipping mark: consignee, reference, destination, package number.
            for text in shipping_mark(crate.consignee.name, crate.shipment_ref, crate.city or "", self.mark(crate)):
                line(text, 11, bold=True)
            y = min(y, beside_qr)
            line(crate.consignee.name, 9, bold=True)
            if crate.consignee.name_ar:
                line(crate.consignee.name_ar, 11, bold=True, align="right")
            y -= 2 * mm
            line("IRAQ", 20, bold=True, align="center")
            line("العراق", 16, bold=True, align="center")
        else:
            y = min(y, beside_qr)
        if crate.origin:
            line(f"Country of origin: {crate.origin}", 8, align="center")
        self.draw_more(crate, line)
        self.draw_foot(canvas, crate, left, right)

    @staticmethod
    def noun(item: CrateData | PalletData) -> str:
        return "Pallet" if isinstance(item, PalletData) else "Crate"

    @staticmethod
    def mark(item: CrateData | PalletData) -> str:
        """The package number of the shipping mark: "3/40" for a crate, "P2/9" for a pallet."""
        return f"{'P' if isinstance(item, PalletData) else ''}{item.number}/{item.of}"

    @staticmethod
    def contents(item: CrateData | PalletData) -> str:
        if isinstance(item, PalletData):
            return f"{len(item.crates)} crates · {item.copies} books"
        return f"{item.copies} books"

    def draw_more(self, item: CrateData | PalletData, line: Any) -> None:
        """A pallet's label names the crates on it (each keeps its own label)."""
        if not isinstance(item, PalletData):
            return
        codes = [code.removeprefix(refs.CRATE) for code in item.crates[: self.NAMED]]
        for start in range(0, len(codes), 8):
            line((f"Crates ({refs.CRATE}…): " if start == 0 else "") + ", ".join(codes[start:start + 8]), 7)
        if len(item.crates) > len(codes):
            line(f"and {len(item.crates) - len(codes)} more", 7)

    def draw_foot(self, canvas: Canvas, crate: Any, left: float, right: float) -> None:
        """The bottom of the label, drawn upwards from the edge: sender, handling marks and SSCC, weights."""
        y = 4 * mm

        def small(text: str, size: float, font: str = SANS, color: Any = GREY) -> None:
            nonlocal y
            canvas.setFillColor(color)
            draw_line(canvas, left, y, fit(text, font, size, right - left), font, size)
            y += size * 1.25

        if crate.sender is not None:
            address = ", ".join(part for part in crate.sender.address.splitlines() if part)
            small(address, 6.5)
            small(f"From: {crate.sender.name}", 6.5)
        y += 1 * mm
        keep_dry(canvas, left, y, 11 * mm)
        this_way_up(canvas, left + 13 * mm, y, 11 * mm)
        if crate.sscc:
            canvas.setFillColor(black)
            canvas.setFont(SANS, 7)
            canvas.drawRightString(right, y, f"(00) {crate.sscc}")
            gs1 = code128("\xf1" + "00" + crate.sscc, bar_height=9 * mm, bar_width=0.75)
            gs1.drawOn(canvas, right - gs1.width, y + 2.8 * mm)
        y += 13 * mm
        size = "{}×{}×{} cm · ".format(*crate.dimensions_cm) if crate.dimensions_cm else ""
        small(f"{size}{self.contents(crate)}", 9, color=black)
        if crate.gross_kg is not None:
            small(f"Gross {kg(crate.gross_kg)} kg · net {kg(crate.net_kg)} kg", 11, SANS_BOLD, black)
        else:
            small("Not sealed yet: no weight", 11, SANS_BOLD, black)


def keep_dry(canvas: Canvas, x: float, y: float, size: float) -> None:
    """ISO 780 "keep dry": an umbrella with rain falling on it, in a square frame."""
    canvas.saveState()
    canvas.setLineWidth(0.8)
    canvas.setStrokeColor(black)
    canvas.rect(x, y, size, size)
    cx, top = x + size / 2, y + size * 0.72
    path = canvas.beginPath()
    path.moveTo(x + size * 0.18, top - size * 0.08)
    path.arcTo(x + size * 0.18, top - size * 0.3, x + size * 0.82, top + size * 0.14, startAng=180, extent=-180)
    path.close()
    canvas.setFillColor(black)
    canvas.drawPath(path, stroke=1, fill=1)
    canvas.line(cx, top - size * 0.08, cx, y + size * 0.2)
    canvas.arc(cx - size * 0.1, y + size * 0.12, cx, y + size * 0.28, startAng=180, extent=180)
    for drop_x in (0.22, 0.4, 0.6, 0.78):
        canvas.line(x + size * drop_x, y + size * 0.95, x + size * drop_x, y + size * 0.88)
    canvas.restoreState()


def this_way_up(canvas: Canvas, x: float, y: float, size: float) -> None:
    """ISO 780 "this way up": two arrows pointing up from a bar, in a square frame."""
    canvas.saveState()
    canvas.setLineWidth(0.8)
    canvas.setStrokeColor(black)
    canvas.setFillColor(black)
    canvas.rect(x, y, size, size)
    canvas.line(x + size * 0.2, y + size * 0.15, x + size * 0.8, y + size * 0.15)
    for shaft in (0.35, 0.65):
        sx = x + size * shaft
        canvas.setLineWidth(1.2)
        canvas.line(sx, y + size * 0.15, sx, y + size * 0.65)
        head = canvas.beginPath()
        head.moveTo(sx - size * 0.11, y + size * 0.6)
        head.lineTo(sx + size * 0.11, y + size * 0.6)
        head.lineTo(sx, y + size * 0.85)
        head.close()
        canvas.drawPath(head, stroke=0, fill=1)
    canvas.restoreState()
