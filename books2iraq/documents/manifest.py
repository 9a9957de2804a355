"""Customs manifest / pro-forma invoice: lines by HS code, totals equal to the packing list's; and what
the papers issued with it share."""
from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from books2iraq.documents import words as w
from books2iraq.documents.base import GREY, RULE, Column, PdfDocument, RowTable, code128
from books2iraq.documents.data import CustomsLine, ManifestData
from books2iraq.documents.packing_list import Blocks, kg, packages_line

DECLARATION = (
    "We declare that the goods described above are donated books and printed matter, given free of charge for "
    "educational use by the consignee; they are not for sale and have no commercial value. The values shown are "
    "for customs purposes only. The information on this document is true and correct."
)
DECLARATION_AR = (
    "نقر بأن البضائع الموصوفة أعلاه كتب ومطبوعات متبرع بها، مقدمة مجاناً للاستخدام التعليمي من قبل المرسل إليه، "
    "وهي ليست للبيع وليس لها قيمة تجارية. القيم المذكورة لأغراض جمركية فقط."
)


class CustomsPaper(PdfDocument):
    """What the papers issued together share: the invoice's number and date (or DRAFT), the goods by HS
    code, the shipping mark and room for stamps. Each takes the same ManifestData, so their packages,
    copies and weights agree by construction."""

    name = "Customs paper"  # in the footer: "Certificate of origin PI-2026-0007"

    def footer_text(self) -> str:
        invoice = self.data.invoice
        if invoice is None:
            return f"DRAFT {self.name.lower()} · shipment {self.data.shipment.ref}"
        revision = f" revision {invoice.revision}" if invoice.revision > 1 else ""
        return f"{self.name} {invoice.number}{revision} · shipment {self.data.shipment.ref}"

    def watermark(self) -> str:
        return "DRAFT" if self.data.invoice is None else ""

    def heading(self) -> list[Flowable]:
        """The invoice's number and date; or, before it is issued, a plain DRAFT."""
        m: ManifestData = self.data
        s, invoice = m.shipment, m.invoice
        if invoice is None:
            return [
                self.text(f"DRAFT, not issued: not for customs · shipment {s.ref} · printed {s.issued_on}", 10.5,
                          bold=True),
                self.text("مسودة غير صادرة — لا تُقدَّم إلى الجمارك", 10.5, bold=True),
            ]
        # Labels and values in cells of their own: a date after Arabic words would print reversed.
        cells = [
            [self.text("Invoice no. / رقم الفاتورة", 7.5, color=GREY), self.text("Date / التاريخ", 7.5, color=GREY),
             self.text("Shipment / الشحنة", 7.5, color=GREY)],
            [self.text(invoice.number, 11, bold=True), self.text(invoice.date, 11, bold=True), self.text(s.ref, 11)],
        ]
        table = Table(cells, colWidths=[48 * mm, 40 * mm, 40 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0)]))
        lines: list[Flowable] = [table]
        if invoice.revision > 1:
            lines.append(self.text(f"Revision {invoice.revision}, replacing revision {invoice.revision - 1}: "
                                   f"{invoice.reason}", 9.5, bold=True))
        return lines

    def goods(self, values: bool = True) -> RowTable:
        """The goods by HS code with their totals; with the customs values on the invoice."""
        m: ManifestData = self.data
        columns = [
            Column("HS / الرمز", 14 * mm), Column("Description / الوصف", 50 * mm),
            Column("Packages / الطرود", 23 * mm, "right"), Column("Copies / النسخ", 18 * mm, "right"),
        ]
        if values:
            columns.append(Column("Per copy", 15 * mm, "right"))
        columns += [Column("Net kg / صافي", 19 * mm, "right"), Column("Gross kg / إجمالي", 22 * mm, "right")]
        if values:
            columns.append(Column(f"{m.currency} / القيمة", 21 * mm, "right"))
        rows = []
        for ln in m.lines:
            row = [ln.hs_code, f"{ln.description} / {ln.description_ar}", packages(ln), f"{ln.copies:,}"]
            row += [f"{m.value_per_copy:,.2f}"] if values else []
            row += [kg(ln.net_kg), kg(ln.gross_kg)] + ([f"{ln.value:,.2f}"] if values else [])
            rows.append(tuple(row))
        totals = ["Total", "المجموع", str(m.packages), f"{m.copies:,}"] + ([""] if values else [])
        totals += [kg(m.net_kg), kg(m.gross_kg)] + ([f"{m.value:,.2f}"] if values else [])
        return RowTable(columns, rows, size=7.5, row_height=12, footer=totals)

    def marks(self) -> list[Flowable]:
        """The shipping mark of UN/ECE Recommendation 15, as on every crate's label."""
        m: ManifestData = self.data
        return [self.text("Shipping marks / علامات الشحن", 7.5, color=GREY)] + [
            self.text(line, 10, bold=True) for line in m.marks
        ]

    def stamp_boxes(self, *titles: str, height: float = 25 * mm) -> Table:
        width = 182 * mm / len(titles)
        table = Table([[self.text(title, 7, color=GREY) for title in titles]], colWidths=[width] * len(titles),
                      rowHeights=[height])
        table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, RULE), ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return table

    def invoice_ref(self) -> str:
        """"PI-2026-0007 of 2026-11-25", as the certificates cite the invoice they go with."""
        invoice = self.data.invoice
        return f"{invoice.number} of {invoice.date}" if invoice else "(not issued yet)"

    def signature(self) -> list[Flowable]:
        s = self.data.shipment
        signatory = s.signatory or "Name and title: ______________________"
        return [
            self.text(f"Signed for {s.consignor.name}: {signatory}", 9),
            self.text("Signature / التوقيع: ______________________    Date / التاريخ: ______________", 9),
        ]


class CustomsManifest(CustomsPaper):
    title = "Customs manifest / pro-forma invoice"
    name = "Customs manifest"

    def story(self) -> list[Flowable]:
        m: ManifestData = self.data
        s = m.shipment
        return [
            self.text("Customs manifest / pro-forma invoice", 15, bold=True),
            self.text("بيان جمركي / فاتورة مبدئية", 14, bold=True),
            *self.heading(),
            self.gap(1),
            code128(s.ref, bar_height=9 * mm),
            self.gap(3),
            Blocks.side_by_side(
                Blocks.party(self, w.CONSIGNOR.inline(), s.consignor),
                Blocks.party(self, w.CONSIGNEE.inline(), s.consignee),
            ),
            Blocks.side_by_side(
                Blocks.party(self, "Notify party / الجهة المُخطَرة", m.notify or s.consignee),
                Blocks.transport(self, s.transport),
            ),
            Blocks.side_by_side(self.terms(), self.marks()),
            self.gap(4),
            self.goods(),
            self.gap(2),
            self.text(
                "Each package (a pallet, or a crate on no pallet) is counted under the HS code of most of its "
                "copies; a line that fills no package of its own travels in the packages named. Net and gross kg "
                "per HS line are shares of the packages' weights, in proportion to copies.", 7.5, color=GREY),
            self.gap(1),
            self.text(
                f"{packages_line(m.packages, m.pallets, len(s.crates))}, as on the packing list. Copies: {m.copies:,}. "
                f"Value for customs purposes only: {m.currency} {m.value_per_copy} per copy; "
                "donated books, no commercial value.", 8.5),
            self.text("القيمة لأغراض جمركية فقط — كتب متبرع بها بدون قيمة تجارية", 9.5),
            self.gap(3),
            KeepTogether([
                self.text("Declaration / إقرار", 10.5, bold=True),
                self.text(DECLARATION, 8.5),
                self.text(DECLARATION_AR, 9.5),
                self.gap(4),
                *self.signature(),
            ]),
            self.gap(2),
            # On the next page when this one is full: the stamps need their room whole.
            self.stamp_boxes("Consignor's stamp / ختم المرسل", "Chamber of commerce / غرفة التجارة",
                             "Legalisation (embassy of Iraq) / تصديق السفارة العراقية"),
        ]

    def terms(self) -> list[Flowable]:
        """The terms customs reads, label and value in cells of their own (so no value is reordered)."""
        m: ManifestData = self.data
        t = m.terms

        def money(amount: Decimal | None) -> str:
            return f"{m.currency} {amount:,.2f}" if amount is not None else ""

        rows = [
            ("Country of origin / بلد المنشأ", t.origin_country or "—"),
            ("Reason for export / سبب التصدير", f"{t.reason_for_export} / تبرع مجاني"),
            ("Terms of payment / شروط الدفع", f"{t.terms_of_payment} / بدون دفع، هدية"),
            ("Incoterm / شروط التسليم", t.incoterm or "—"),
            ("Freight / أجور الشحن", money(t.freight)),
            ("Insurance / التأمين", money(t.insurance)),
            ("Duty exemption / الإعفاء الجمركي", t.exemption_ref),
        ]
        cells = [[self.text(label, 7.5, color=GREY), self.text(value, 8.5)] for label, value in rows if value]
        table = Table(cells, colWidths=[38 * mm, 50 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return [self.text("Terms / الشروط", 7.5, color=GREY), table]


def packages(line: CustomsLine) -> str:
    """A line's packages; a line that fills no crate of its own says which packages carry it."""
    if line.packages or not line.packed_with:
        return str(line.packages)
    return "with " + ", ".join(line.packed_with)
