"""The donor's receipt: thanks, donation ref, date, site, copies, as corrected; a voided donation's says VOIDED."""
from __future__ import annotations

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from books2iraq.documents.base import GREY, Column, PdfDocument, RowTable, code128
from books2iraq.documents.data import ReceiptData, YearData


class DonorReceipt(PdfDocument):
    pagesize = A5
    margins = (12 * mm, 12 * mm, 12 * mm, 14 * mm)
    title = "Donation receipt"

    def footer_text(self) -> str:
        return f"Receipt · donation {self.data.ref}"

    def watermark(self) -> str:
        return "VOIDED" if self.data.void_reason else ""

    def story(self) -> list[Flowable]:
        r: ReceiptData = self.data
        story: list[Flowable] = [
            self.text(r.organisation.name, 12, bold=True),
            self.text(r.organisation.address, 8, color=GREY),
            self.gap(4),
            self.text("Donation receipt / إيصال تبرع", 14, bold=True),
            self.text(f"Donation {r.ref}", 11, bold=True),
            code128(r.ref, bar_height=9 * mm, bar_width=0.8),
            self.gap(2),
            self.text(f"Received on {r.received_on} at {r.site}", 9),
        ]
        if r.offline_receipt:  # the number the donor was given when the drop-off point had no connection
            story.append(self.text(f"Receipt number given at the drop-off point: {r.offline_receipt}", 9))
        if r.donor:
            story.append(self.text(f"From: {r.donor}", 9))
        if r.void_reason:
            return story + self._voided(r)
        story += [
            self.text(f"Copies received: {r.copies}", 11, bold=True),
            self.gap(3),
            RowTable([Column("Books", 100 * mm), Column("Copies", 20 * mm, "right")],
                     [(what, str(n)) for what, n in r.lines], footer=("Total", str(r.copies))),
            self.gap(5),
            self.text(r.thanks, 10),
            self.gap(3),
            self.text("Donated books have no commercial value; this receipt confirms the number of copies given.", 7.5,
                      color=GREY),
        ]
        return story

    def _voided(self, r: ReceiptData) -> list[Flowable]:
        """A voided donation's receipt: it says so first, with the reason, and counts no copies."""
        return [
            self.gap(3),
            self.text("VOIDED", 20, bold=True),
            self.text(f"This donation was voided on {r.voided_on}: {r.void_reason}", 9),
            self.text(f"Copies received: none ({r.copies} recorded in error)", 11, bold=True),
            self.gap(3),
            RowTable([Column("Recorded in error", 100 * mm), Column("Copies", 20 * mm, "right")],
                     [(what, str(n)) for what, n in r.lines], footer=("Voided", "0")),
        ]



class DonorYear(DonorReceipt):
    """A donor's year as one receipt: every donation received from them that year, and the copies in all.
    A voided donation is listed, marked, and not counted."""

    title = "Donations of the year"

    def footer_text(self) -> str:
        return f"Donations of {self.data.year}"  # a donor's name may need shaping, which the footer's plain text has not

    def watermark(self) -> str:
        return ""

    def story(self) -> list[Flowable]:
        y: YearData = self.data
        given = sum(1 for row in y.donations if not row[4])
        rows = [(day, ref, site, "voided" if voided else str(n)) for ref, day, site, n, voided in y.donations]
        return [
            self.text(y.organisation.name, 12, bold=True),
            self.text(y.organisation.address, 8, color=GREY),
            self.gap(4),
            self.text(f"Donations of {y.year} / تبرعات عام {y.year}", 14, bold=True),
            self.text(f"From: {y.donor}", 10, bold=True),
            self.text(f"Copies given in {y.year}: {y.copies} in {given} donation{'' if given == 1 else 's'}", 11, bold=True),
            self.gap(3),
            RowTable([Column("Received", 20 * mm), Column("Donation", 27 * mm), Column("At", 53 * mm),
                      Column("Copies", 16 * mm, "right")], rows, footer=("Total", "", "", str(y.copies))),
            self.gap(5),
            self.text(y.thanks, 10),
            self.gap(3),
            self.text("Donated books have no commercial value; this receipt confirms the number of copies given.", 7.5,
                      color=GREY),
        ]
