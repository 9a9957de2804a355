"""Crate labels (A6): code large, Code128 and QR, "crate n of N", UN/ECE Rec. 15 shipping mark."""
from __future__ import annotations

import io

from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from books2iraq.documents.base import GREY, code128, qr
from books2iraq.documents.data import CrateData, shipping_mark
from books2iraq.documents.text import (
    SANS,
    SANS_BOLD,
    fit,
    font_for,
    register_fonts,
    visual,
)

NO_COMMERCIAL_VALUE = "DONATED BOOKS — NO COMMERCIAL VALUE"
NO_COMMERCIAL_VALUE_AR = "كتب متبرع بها — بدون قيمة تجارية"


class CrateLabels:
    """One A6 page per crate, drawn straight onto the canvas (a label is a fixed layout, not a story)."""

    pagesize = A6
    title = "Crate labels"

    def __init__(self, crates: list[CrateData], sender: str = "") -> None:
        register_fonts()
        self.data = crates
        self.sender = sender

    def render(self) -> bytes:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=self.pagesize, pageCompression=1)
        canvas.setTitle(self.title)
        for crate in self.data:
            self.draw_label(canvas, crate)
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    def draw_label(self, canvas: Canvas, crate: CrateData) -> None:
        width, height = self.pagesize
        left, right = 7 * mm, width - 7 * mm
        usable = right - left
        y = height - 5 * mm

        def line(text: str, size: float, bold: bool = False, align: str = "left") -> None:
            """Draw one line below the previous one and move down past it."""
            nonlocal y
            y -= size
            font = font_for(text, bold)
            canvas.setFont(font, size)
            shown = visual(fit(text, font, size, usable))
            if align == "right":
                canvas.drawRightString(right, y, shown)
            elif align == "center":
                canvas.drawCentredString(width / 2, y, shown)
            else:
                canvas.drawString(left, y, shown)
            y -= size * 0.3

        canvas.setFillColorRGB(0, 0, 0)
        line(NO_COMMERCIAL_VALUE, 8.5, bold=True, align="center")
        line(NO_COMMERCIAL_VALUE_AR, 9, bold=True, align="center")
        y -= 1 * mm
        line(crate.code, 22, bold=True, align="center")
        barcode = code128(crate.code, bar_height=13 * mm, bar_width=1.0)
        barcode.drawOn(canvas, (width - barcode.width) / 2, y - 14 * mm)
        y -= 16 * mm
        if crate.number is not None:
            line(f"Crate {crate.number} of {crate.of}", 15, bold=True, align="center")
        # UN/ECE Recommendation 15 shipping mark: consignee, reference, destination, package number.
        if crate.shipment_ref and crate.consignee is not None:
            mark_top = y
            for text in shipping_mark(crate.consignee.name, crate.shipment_ref, crate.city or "", f"{crate.number}/{crate.of}"):
                line(text, 10, bold=True)
            code = qr(crate.code, size=24 * mm)
            renderPDF.draw(code, canvas, right - 24 * mm, mark_top - 24 * mm)
            y -= 1 * mm
            line(crate.consignee.name, 9, bold=True)
            if crate.consignee.name_ar:
                line(crate.consignee.name_ar, 11, bold=True, align="right")
            if crate.city:
                line(crate.city, 9)
        else:
            code = qr(crate.code, size=24 * mm)
            renderPDF.draw(code, canvas, (width - 24 * mm) / 2, y - 24 * mm)
            y -= 27 * mm
            line("Not yet on a shipment", 9, align="center")
        canvas.setFont(SANS_BOLD, 11)
        canvas.setFillColorRGB(0, 0, 0)
        gross = f"Gross {crate.gross_kg} kg" if crate.gross_kg is not None else "Gross weight: not sealed"
        canvas.drawString(left, 9 * mm, gross)
        canvas.setFont(SANS, 9)
        canvas.drawRightString(right, 9 * mm, f"{crate.copies} books")
        if self.sender:
            canvas.setFont(SANS, 6.5)
            canvas.setFillColor(GREY)
            canvas.drawString(left, 5 * mm, visual(fit(f"From: {self.sender}", SANS, 6.5, usable)))
