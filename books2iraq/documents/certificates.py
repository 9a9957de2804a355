"""The certificates issued with the pro-forma invoice, from the same figures: the certificate of
origin, ready for the chamber of commerce's stamp, and the certificate of donation, which the
consignee shows to be exempted from duties on a gift."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from books2iraq.documents import words as w
from books2iraq.documents.base import GREY
from books2iraq.documents.data import ManifestData
from books2iraq.documents.manifest import CustomsPaper
from books2iraq.documents.packing_list import Blocks, kg


class CertificateOfOrigin(CustomsPaper):
    title = "Certificate of origin"
    name = "Certificate of origin"

    def story(self) -> list[Flowable]:
        m: ManifestData = self.data
        s = m.shipment
        origin = m.terms.origin_country or "____________________"
        return [
            self.text("Certificate of origin", 15, bold=True),
            self.text("شهادة منشأ", 14, bold=True),
            *self.heading(),
            self.gap(3),
            Blocks.side_by_side(
                Blocks.party(self, "Exporter / المصدّر", s.consignor),
                Blocks.party(self, w.CONSIGNEE.inline(), s.consignee),
            ),
            Blocks.side_by_side(
                [self.text("Country of origin of the goods / بلد منشأ البضائع", 7.5, color=GREY),
                 self.text(origin, 12, bold=True),
                 self.gap(2),
                 self.text("Country of destination / بلد المقصد", 7.5, color=GREY),
                 self.text("Iraq / العراق", 12, bold=True)],
                Blocks.transport(self, s.transport),
            ),
            Blocks.side_by_side(self.marks(), self.packages_block()),
            self.gap(4),
            self.goods(values=False),
            self.gap(5),
            KeepTogether([
                self.text("Declaration by the exporter / إقرار المصدّر", 10.5, bold=True),
                self.text(
                    f"The undersigned declares that the goods described above originate in {origin}, that they are "
                    f"shipped under pro-forma invoice {self.invoice_ref()} (shipment {s.ref}), and that the "
                    "particulars above are correct.", 8.5),
                self.text(
                    f"يقر الموقع أدناه بأن البضائع الموصوفة أعلاه منشؤها {origin}، وأنها مشحونة بموجب الفاتورة المبدئية "
                    f"المذكورة أعلاه، وأن البيانات الواردة صحيحة.", 9.5),
                self.gap(4),
                *self.signature(),
            ]),
            self.gap(4),
            KeepTogether([
                self.text("Certification / التصديق", 10.5, bold=True),
                self.text(
                    "It is hereby certified, on the basis of the documents produced, that the goods described above "
                    "originate in the country shown.", 8.5),
                self.text("نشهد بناءً على المستندات المقدمة بأن البضائع الموصوفة أعلاه منشؤها البلد المذكور.", 9.5),
                self.gap(2),
                self.stamp_boxes("Chamber of commerce: stamp, signature, date / غرفة التجارة: الختم والتوقيع والتاريخ",
                                 "Legalisation (embassy of Iraq) / تصديق السفارة العراقية", height=35 * mm),
            ]),
        ]

    def packages_block(self) -> list[Flowable]:
        m: ManifestData = self.data
        return [
            self.text("Packages and weights / الطرود والأوزان", 7.5, color=GREY),
            self.text(f"{m.packages} crates of donated books: {m.copies:,} copies", 9.5, bold=True),
            self.text(f"Net {kg(m.net_kg)} kg · gross {kg(m.gross_kg)} kg", 9.5),
        ]


class CertificateOfDonation(CustomsPaper):
    title = "Certificate of donation"
    name = "Certificate of donation"

    def story(self) -> list[Flowable]:
        m: ManifestData = self.data
        s = m.shipment
        giver, receiver = s.consignor, s.consignee
        exemption = m.terms.exemption_ref
        return [
            self.text("Certificate of donation", 15, bold=True),
            self.text("شهادة تبرع", 14, bold=True),
            *self.heading(),
            self.gap(3),
            Blocks.side_by_side(
                Blocks.party(self, "Donor / المتبرع", giver),
                Blocks.party(self, "Recipient / المستفيد", receiver),
            ),
            self.gap(4),
            self.text(
                f"{giver.name} certifies that the goods listed below, shipped under pro-forma invoice "
                f"{self.invoice_ref()} (shipment {s.ref}), are a gift to {receiver.name}, given free of charge for "
                "education. They were not sold and will not be paid for, and they have no commercial value; the "
                "values on the invoice are for customs purposes only.", 9.5),
            self.gap(1),
            self.text(
                f"تشهد {giver.name} بأن البضائع المدرجة أدناه، والمشحونة بموجب الفاتورة المبدئية المذكورة أعلاه، هدية إلى "
                f"{receiver.name_ar or receiver.name} مقدمة مجاناً لأغراض التعليم. لم تُبع ولن يُدفع ثمنها، وليس لها قيمة "
                "تجارية؛ والقيم الواردة في الفاتورة لأغراض جمركية فقط.", 10.5),
            self.gap(3),
            self.text(
                f"{m.packages} crates · {m.copies:,} copies · net {kg(m.net_kg)} kg · gross {kg(m.gross_kg)} kg", 10,
                bold=True),
            self.gap(2),
            self.goods(values=False),
            self.gap(3),
            self.text(
                "The recipient may present this certificate to be exempted from customs duties and taxes on donated "
                "educational material" + (f" (duty-exemption letter {exemption})." if exemption else "."), 8.5),
            self.text("يحق للمستفيد تقديم هذه الشهادة للإعفاء من الرسوم الجمركية والضرائب على المواد التعليمية المتبرع بها.",
                      9.5),
            self.gap(5),
            KeepTogether([
                *self.signature(),
                self.gap(2),
                self.stamp_boxes("Donor's stamp / ختم المتبرع", "Received by the recipient / استلام المستفيد",
                                 height=28 * mm),
            ]),
        ]
