"""The words the shipping documents print, in English, Arabic and Sorani Kurdish.

One place for them, so that a word is always translated the same way on every document. Documents
print in fixed languages whatever the reader's interface language: English and Arabic always, and
Sorani Kurdish as well for a consignee in a Kurdistan Region governorate.
"""
from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    en: str
    ar: str
    ckb: str

    def said(self, kurdish: bool = False) -> tuple[str, ...]:
        """The term in the languages a document prints: English, Arabic, and Kurdish when asked (and
        when it is not the same word as the English, as "ISBN" is)."""
        return tuple(t for t in (self.en, self.ar, self.ckb if kurdish else "") if t)

    def inline(self, kurdish: bool = False) -> str:
        """'Title / العنوان / ناونیشان', for headings on one line."""
        return " / ".join(self.said(kurdish))

    def stacked(self, kurdish: bool = False) -> str:
        """One language a line, for column headings."""
        return "\n".join(self.said(kurdish))

    def translations(self, kurdish: bool = False) -> str:
        """The right-to-left words alone: 'العنوان · ناونیشان', printed under the English."""
        return " · ".join(self.said(kurdish)[1:])


PACKING_LIST = Term("Packing list", "قائمة التعبئة", "لیستی پێچانەوە")
CONSIGNOR = Term("Consignor", "المرسل", "نێرەر")
CONSIGNEE = Term("Consignee", "المرسل إليه", "وەرگر")
TRANSPORT = Term("Transport", "النقل", "گواستنەوە")
CRATES = Term("Crates", "الطرود", "سندووقەکان")
PALLETS = Term("Pallets", "المنصات", "پالێتەکان")
PACKAGES = Term("Packages", "الطرود", "پاکێجەکان")
CONTENTS_PER_CRATE = Term("Contents per crate", "محتويات كل طرد", "ناوەڕۆکی هەر سندووقێک")
FOR = Term("For", "إلى", "بۆ")
GROSS_WEIGHT = Term("Gross weight", "الوزن القائم", "کێشی گشتی")
NET_WEIGHT = Term("Net weight", "الوزن الصافي", "کێشی پوخت")

# Column headings
NUMBER = Term("No.", "رقم", "ژمارە")
CRATE = Term("Crate", "الطرد", "سندووق")
PALLET = Term("Pallet", "المنصة", "پالێت")
ISBN = Term("ISBN", "ردمك", "")
TITLE = Term("Title", "العنوان", "ناونیشان")
AUTHOR = Term("Author", "المؤلف", "نووسەر")
LANGUAGE = Term("Lang.", "اللغة", "زمان")
LEVEL = Term("Level", "المستوى", "ئاست")
HS_CODE = Term("HS", "الرمز الجمركي", "کۆدی گومرگ")
COPIES = Term("Copies", "النسخ", "دانە")
GROSS_KG = Term("Gross kg", "القائم كغ", "گشتی کگ")
NET_KG = Term("Net kg", "الصافي كغ", "پوخت کگ")
DIMENSIONS = Term("Dimensions cm", "الأبعاد سم", "ڕەهەندەکان سم")
VOLUME = Term("m³", "الحجم", "قەبارە")

# Totals and signatures
TOTAL = Term("Total", "المجموع", "کۆ")
TOTAL_COPIES = Term("Total copies", "مجموع النسخ", "کۆی دانەکان")
PACKED_AND_CHECKED_BY = Term("Packed and checked by", "عبأه ودققه", "پێچرا و پشکنرا لەلایەن")
CHECKED_BY = Term("Checked by", "دققه", "پشکنرا لەلایەن")
SIGNATURE = Term("Signature", "التوقيع", "واژۆ")
DATE = Term("Date", "التاريخ", "بەروار")

# The transport block
MODE = Term("Mode", "طريقة النقل", "شێوازی گواستنەوە")
CARRIER = Term("Carrier", "الناقل", "کۆمپانیای گواستنەوە")
TRANSPORT_DOCUMENT = Term("Transport document", "مستند النقل", "بەڵگەنامەی گواستنەوە")
BILL_OF_LADING = Term("Bill of lading", "بوليصة الشحن", "بارنامە")
CMR_NOTE = Term("CMR consignment note", "سند الشحن البري", "بارنامەی وشکانی")
AIR_WAYBILL = Term("Air waybill", "بوليصة الشحن الجوي", "بارنامەی ئاسمانی")
CONTAINER = Term("Container", "الحاوية", "کۆنتەینەر")
SEAL = Term("Seal", "الختم", "مۆر")
VESSEL_VOYAGE = Term("Vessel / voyage", "السفينة والرحلة", "کەشتی و گەشت")
TRUCK_TRAILER = Term("Truck / trailer", "الشاحنة والمقطورة", "بارهەڵگر و تریلەر")
TRANSIT = Term("TIR / transit", "العبور الجمركي", "ترانزیتی گومرگی")
PORT_OF_LOADING = Term("Port of loading", "ميناء الشحن", "بەندەری بارکردن")
PORT_OF_DISCHARGE = Term("Port of discharge", "ميناء التفريغ", "بەندەری داگرتن")
PLACE_OF_DELIVERY = Term("Place of delivery", "مكان التسليم", "شوێنی گەیاندن")
INCOTERM = Term("Incoterm", "شرط التسليم", "مەرجی گەیاندن")
PLANNED_DEPARTURE = Term("Planned departure", "موعد المغادرة", "بەرواری ڕۆیشتن")
TO_BE_ARRANGED = Term("to be arranged", "قيد الترتيب", "ڕێک دەخرێت")

TRANSPORT_DOCUMENTS = {t.en: t for t in (BILL_OF_LADING, CMR_NOTE, AIR_WAYBILL)}
