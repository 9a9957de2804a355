"""Demo data for a first look: four months of a books-for-Iraq operation, ending today.

Six drop-off points and a warehouse; a few hundred donations from people, school drives,
publishers and library clear-outs, with English, Arabic and Kurdish titles; the older ones sorted
(some copies rejected), the newest still waiting; crates packed and sealed; one shipment delivered
to Mosul, one by sea to Basra, one by road to Erbil held at the border, one being packed.

Built only through the services, so the demo obeys the same rules (and audit trail) as real use.
The same every time: a seeded random generator, dates counted back from today.
"""
from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from stdnum import ean

from books2iraq.admin import services as organisations
from books2iraq.auth import services as users
from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.catalogue import imports as catalogue_imports
from books2iraq.catalogue.sources import SAMPLES
from books2iraq.crating import services as crating
from books2iraq.crating.models import Crate, CrateStatus
from books2iraq.documents import issuing
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake import titles
from books2iraq.intake.models import (
    Condition,
    Disposition,
    Donation,
    Donor,
    DonorKind,
    Lot,
    LotStatus,
    ReadingLevel,
    RejectReason,
    Title,
    TitleKind,
)
from books2iraq.pallets import services as pallets
from books2iraq.pallets.models import Pallet
from books2iraq.receiving import services as receiving
from books2iraq.receiving.models import CrateOutcome
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import (
    Governorate,
    Incoterm,
    Recipient,
    RecipientKind,
    Shipment,
    ShipmentStatus,
    TransportMode,
)
from books2iraq.sites import services as sites
from books2iraq.sites.models import Site, SiteKind
from books2iraq.sorting import services as sorting
from books2iraq.wishes import services as wish_lists

SEED = 1_258  # the demo is the same on every run
DAYS = 120  # how far back the operation goes
DONATIONS = 300
COPIES_PER_CRATE = 48
TARE_KG = Decimal("1.50")

DEMO_USERS = [
    ("admin@example.org", "Amina Admin", Role.ADMIN),
    ("coordinator@example.org", "Karim Coordinator", Role.COORDINATOR),
    ("warehouse@example.org", "Wafa Warehouse", Role.WAREHOUSE),
    ("volunteer@example.org", "Victor Volunteer", Role.VOLUNTEER),
]
# Librarians of receiving institutions (an index into RECIPIENTS), who check in the crates that arrive.
LIBRARIANS = [
    ("recipient@example.org", "Omar Al-Jubouri", 0),  # the librarian of the University of Mosul
    ("librarian.erbil@example.org", "Dilan Ahmed", 1),
]
# How the delivered demo shipment arrived: crate (by position) → (outcome, copies damaged, note).
ARRIVED_SHORT = {4: ("damaged", 3, "Rain came through a split in the lid; three books swollen."),
                 10: ("missing", 0, "Not on the truck; the driver's list shows 15 crates.")}
MORE_VOLUNTEERS = [
    ("layla.hassan@example.org", "Layla Hassan", "Manchester Iraqi Community Centre"),
    ("tom.reid@example.org", "Tom Reid", "Leeds library drop-off"),
    ("shilan.aziz@example.org", "Shilan Aziz", "Glasgow University drop-off"),
]

# Printed on every document (a demo charity: the numbers are made up)
ORGANISATION = {
    "name": "Books to Iraq (demo)",
    "address": "Unit 4, Tyseley Trading Estate\nBirmingham B11 2AA",
    "country": "United Kingdom",
    "phone": "+44 121 496 0000",
    "email": "shipping@example.org",
    "website": "https://books2iraq.example.org",
    "registration_number": "Charity 1199999 (England and Wales)",
    "eori_number": "GB123456789000",
    "signatory_name": "Karim Coordinator",
    "signatory_title": "Shipping coordinator",
}

# name, city, share of the donations it takes in
DROP_OFFS = [
    ("London drop-off", "London", 30),
    ("Leeds library drop-off", "Leeds", 15),
    ("Manchester Iraqi Community Centre", "Manchester", 20),
    ("Cardiff Central Library drop-off", "Cardiff", 10),
    ("Glasgow University drop-off", "Glasgow", 12),
    ("Bristol mosque library", "Bristol", 13),
]

U, S, C, G = ReadingLevel.UNIVERSITY, ReadingLevel.SECONDARY, ReadingLevel.CHILDREN, ReadingLevel.GENERAL
BOOK, DICT, PICTURE = TitleKind.BOOK, TitleKind.DICTIONARY, TitleKind.CHILDRENS_PICTURE

# title, authors, language, level, kind, subject. The first five keep the ISBNs of earlier demos
# (the browser tests scan them); the rest get made-up ISBNs with the right check digit.
TITLES = [
    ("9780306406157", "Introduction to Physics", "A. Author", "en", U, BOOK, "physics"),
    ("9780140449136", "The Odyssey", "Homer", "en", G, BOOK, "literature"),
    ("9789953871233", "كتاب الرياضيات للمرحلة الثانوية", "وزارة التربية", "ar", S, BOOK, "mathematics"),
    ("9780198611868", "Oxford English-Arabic Dictionary", "H. S. Doniach", "en", G, DICT, "languages"),
    ("9780064431781", "Where the Wild Things Are", "Maurice Sendak", "en", C, PICTURE, "children"),
    (None, "Campbell Biology", "Lisa A. Urry, Michael L. Cain", "en", U, BOOK, "biology"),
    (None, "Calculus: Early Transcendentals", "James Stewart", "en", U, BOOK, "mathematics"),
    (None, "Principles of Economics", "N. Gregory Mankiw", "en", U, BOOK, "economics"),
    (None, "Gray's Anatomy for Students", "Richard Drake, Wayne Vogl", "en", U, BOOK, "medicine"),
    (None, "Fundamentals of Physics", "David Halliday, Robert Resnick", "en", U, BOOK, "physics"),
    (None, "Organic Chemistry", "Paula Yurkanis Bruice", "en", U, BOOK, "chemistry"),
    (None, "Introduction to Algorithms", "Thomas H. Cormen", "en", U, BOOK, "computing"),
    (None, "Engineering Mechanics: Statics", "J. L. Meriam", "en", U, BOOK, "engineering"),
    (None, "Robbins Basic Pathology", "Vinay Kumar", "en", U, BOOK, "medicine"),
    (None, "Guyton and Hall Textbook of Medical Physiology", "John E. Hall", "en", U, BOOK, "medicine"),
    (None, "Pride and Prejudice", "Jane Austen", "en", G, BOOK, "literature"),
    (None, "Animal Farm", "George Orwell", "en", G, BOOK, "literature"),
    (None, "The Old Man and the Sea", "Ernest Hemingway", "en", G, BOOK, "literature"),
    (None, "Great Expectations", "Charles Dickens", "en", G, BOOK, "literature"),
    (None, "Things Fall Apart", "Chinua Achebe", "en", G, BOOK, "literature"),
    (None, "Essential Grammar in Use", "Raymond Murphy", "en", S, BOOK, "languages"),
    (None, "GCSE Mathematics Higher", "Tony Banks", "en", S, BOOK, "mathematics"),
    (None, "A-level Chemistry", "E. N. Ramsden", "en", S, BOOK, "chemistry"),
    (None, "A History of the Modern Middle East", "William L. Cleveland", "en", U, BOOK, "history"),
    (None, "The Very Hungry Caterpillar", "Eric Carle", "en", C, PICTURE, "children"),
    (None, "The Gruffalo", "Julia Donaldson", "en", C, PICTURE, "children"),
    (None, "Matilda", "Roald Dahl", "en", C, BOOK, "children"),
    (None, "Charlotte's Web", "E. B. White", "en", C, BOOK, "children"),
    (None, "Collins English Dictionary", "Collins", "en", G, DICT, "languages"),
    (None, "المورد: قاموس إنكليزي-عربي", "منير البعلبكي", "ar", G, DICT, "languages"),
    (None, "بين القصرين", "نجيب محفوظ", "ar", G, BOOK, "literature"),
    (None, "موسم الهجرة إلى الشمال", "الطيب صالح", "ar", G, BOOK, "literature"),
    (None, "رجال في الشمس", "غسان كنفاني", "ar", G, BOOK, "literature"),
    (None, "الأيام", "طه حسين", "ar", G, BOOK, "literature"),
    (None, "كليلة ودمنة", "ابن المقفع", "ar", G, BOOK, "literature"),
    (None, "مقدمة ابن خلدون", "ابن خلدون", "ar", U, BOOK, "history"),
    (None, "ديوان المتنبي", "أبو الطيب المتنبي", "ar", G, BOOK, "literature"),
    (None, "أساسيات الكيمياء العامة", "قسم الكيمياء", "ar", U, BOOK, "chemistry"),
    (None, "مبادئ الاقتصاد", "قسم الاقتصاد", "ar", U, BOOK, "economics"),
    (None, "علم التشريح للطلاب", "كلية الطب", "ar", U, BOOK, "medicine"),
    (None, "حكايات قبل النوم", "دار الأطفال", "ar", C, PICTURE, "children"),
    (None, "قواعد اللغة العربية الميسرة", "وزارة التربية", "ar", S, BOOK, "languages"),
    (None, "مەم و زین", "ئەحمەدی خانی", "ckb", G, BOOK, "literature"),
    (None, "فەرهەنگی کوردی-ئینگلیزی", "ڕێبوار", "ckb", G, DICT, "languages"),
    (None, "چیرۆکی منداڵان", "دەزگای ئاراس", "ckb", C, PICTURE, "children"),
]

# Uncatalogued bags: what the volunteer wrote, and the kind of titles found inside when sorted.
BAGS = [
    ("Box of mixed English novels", "literature"),
    ("Bag of children's picture books", "children"),
    ("Carton of Arabic novels", "literature"),
    ("Box of old medical textbooks", "medicine"),
    ("Bag of school textbooks", "mathematics"),
]

# name, kind, how many copies each line holds (low, high), lines per donation (low, high)
DONORS = [
    ("St Mary's School book drive", DonorKind.SCHOOL_DRIVE, (4, 18), (3, 6)),
    ("Hillside Academy book drive", DonorKind.SCHOOL_DRIVE, (3, 15), (3, 6)),
    ("King's College Library clear-out", DonorKind.LIBRARY_CLEARANCE, (4, 20), (2, 5)),
    ("Leeds Central Library surplus", DonorKind.LIBRARY_CLEARANCE, (4, 16), (2, 4)),
    ("Bloomsbury Academic", DonorKind.PUBLISHER, (20, 60), (1, 2)),
    ("Dar Al-Saqi Books", DonorKind.PUBLISHER, (15, 40), (1, 2)),
    ("Rotary Club of Cardiff", DonorKind.ORGANISATION, (3, 12), (2, 5)),
    ("Iraqi Association Manchester", DonorKind.ORGANISATION, (3, 15), (2, 5)),
    ("Dr Sarah Whitfield", DonorKind.INDIVIDUAL, (1, 4), (2, 6)),
    ("Ahmed Al-Rubaie", DonorKind.INDIVIDUAL, (1, 3), (1, 4)),
    ("Fatima Khalil", DonorKind.INDIVIDUAL, (1, 3), (1, 4)),
    ("James Morrison", DonorKind.INDIVIDUAL, (1, 2), (1, 3)),
    ("Hana Barzani", DonorKind.INDIVIDUAL, (1, 3), (1, 4)),
    ("Prof. David Ellis", DonorKind.INDIVIDUAL, (1, 2), (3, 6)),
]
ANONYMOUS = (None, DonorKind.INDIVIDUAL, (1, 3), (1, 3))

RECIPIENTS = [
    ("University of Mosul Central Library", "المكتبة المركزية لجامعة الموصل",
     "University of Mosul, Al-Majmoaa Street", "جامعة الموصل، شارع المجموعة",
     "Mosul", Governorate.NINEVEH, RecipientKind.UNIVERSITY, "Head Librarian"),
    ("Salahaddin University-Erbil", "جامعة صلاح الدين - أربيل",
     "Kirkuk Road, Erbil", "طريق كركوك، أربيل",
     "Erbil", Governorate.ERBIL, RecipientKind.UNIVERSITY, "Library Director"),
    ("University of Basrah Central Library", "المكتبة المركزية لجامعة البصرة",
     "Bab Al-Zubair, Basra", "باب الزبير، البصرة",
     "Basra", Governorate.BASRA, RecipientKind.UNIVERSITY, "Acquisitions Librarian"),
    ("University of Duhok Library", "مكتبة جامعة دهوك",
     "Zakho Street 38, Duhok", "شارع زاخو 38، دهوك",
     "Duhok", Governorate.DUHOK, RecipientKind.UNIVERSITY, "Library Manager"),
    ("Central Public Library, Baghdad", "المكتبة العامة المركزية، بغداد",
     "Al-Rasheed Street, Baghdad", "شارع الرشيد، بغداد",
     "Baghdad", Governorate.BAGHDAD, RecipientKind.LIBRARY, None),
    ("Al-Noor Primary School", "مدرسة النور الابتدائية",
     "Rahimawa Quarter, Kirkuk", "حي رحيم آوه، كركوك",
     "Kirkuk", Governorate.KIRKUK, RecipientKind.SCHOOL, "Head Teacher"),
]


@dataclass
class Plan:
    """A shipment of the demo: where to, how, how many crates, and how far it has gone."""

    recipient: int
    crates: int
    status: ShipmentStatus
    departs: int  # days from today (negative: it left that many days ago)
    transport: dict[str, Any]
    stops: dict[ShipmentStatus, tuple[int, str]]  # status: (days ago, where)


SHIPMENTS = [
    Plan(0, 16, ShipmentStatus.DELIVERED, -58, {
        "mode": TransportMode.ROAD, "carrier": "Anatolia Road Freight", "port_of_loading": "Birmingham",
        "place_of_delivery": "Mosul", "incoterm": Incoterm.DAP, "seal_no": "AR-440912",
        "transport_doc_no": "CMR 0418825", "truck_plate": "34 ABC 512", "trailer_plate": "34 TR 2207",
        "tir_ref": "TIR XC 71204533", "notify_party": "Nineveh Customs Clearing Office\nAl-Nabi Younis Street, Mosul",
        "exemption_ref": "MoHE 3380, 2026-09-02"},
        {ShipmentStatus.DISPATCHED: (58, "Birmingham warehouse"), ShipmentStatus.IN_TRANSIT: (50, "Kapıköy, Türkiye"),
         ShipmentStatus.AT_CUSTOMS: (44, "Ibrahim Khalil border crossing"),
         ShipmentStatus.CLEARED: (41, "Ibrahim Khalil border crossing"), ShipmentStatus.DELIVERED: (38, "Mosul")}),
    Plan(2, 24, ShipmentStatus.IN_TRANSIT, -19, {
        "mode": TransportMode.SEA, "carrier": "Gulf Container Line", "container_no": "CSQU3054383",
        "seal_no": "GCL-0075521", "vessel": "MV Al Mansour", "voyage": "GCL-218E", "port_of_loading": "Felixstowe",
        "port_of_discharge": "Umm Qasr", "place_of_delivery": "Basra", "incoterm": Incoterm.CIF,
        "transport_doc_no": "GCLU218E004471", "freight": Decimal("2350.00"), "insurance": Decimal("48.00"),
        "notify_party": "Al-Rafidain Clearing Agency\nPort of Umm Qasr, Basra", "exemption_ref": "MoHE 4512, 2026-10-28"},
        {ShipmentStatus.DISPATCHED: (19, "Felixstowe"), ShipmentStatus.IN_TRANSIT: (16, "Port Said, Suez Canal")}),
    Plan(1, 10, ShipmentStatus.AT_CUSTOMS, -9, {
        "mode": TransportMode.ROAD, "carrier": "Zagros Logistics", "seal_no": "ZL-310577",
        "port_of_loading": "Birmingham", "place_of_delivery": "Erbil", "incoterm": Incoterm.DAP,
        "transport_doc_no": "CMR 0421907", "truck_plate": "06 KRD 118", "trailer_plate": "06 TR 4471",
        "tir_ref": "TIR XC 71208810", "notify_party": "Zagros Customs Brokerage\nIbrahim Khalil border crossing, Zakho",
        "exemption_ref": "KRG MoHE 1187, 2026-11-10"},
        {ShipmentStatus.DISPATCHED: (9, "Birmingham warehouse"), ShipmentStatus.IN_TRANSIT: (6, "Habur, Türkiye"),
         ShipmentStatus.AT_CUSTOMS: (2, "Ibrahim Khalil border crossing")}),
    Plan(3, 4, ShipmentStatus.PACKING, 12, {
        "mode": TransportMode.ROAD, "carrier": "Zagros Logistics", "place_of_delivery": "Duhok",
        "incoterm": Incoterm.DAP}, {}),
    Plan(4, 0, ShipmentStatus.PLANNED, 40, {"mode": TransportMode.SEA, "port_of_loading": "Felixstowe",
                                       "port_of_discharge": "Umm Qasr", "place_of_delivery": "Baghdad"}, {}),
]
SEALED_WAITING = 4  # sealed crates no shipment has taken yet
ON_A_PALLET = 3  # of the crates of the shipment being packed
# What each library wants (an index into RECIPIENTS): subject, level, language, copies, priority.
WISHES = [
    (2, "medicine", "university", "", 120, "high"), (2, "chemistry", "", "", 60, "normal"),
    (2, "literature", "", "ar", 80, "low"),
    (1, "", "", "ckb", 100, "high"), (1, "languages", "", "", 40, "normal"),
    (3, "", "children", "", 150, "high"), (3, "mathematics", "secondary", "", 40, "normal"),
    (4, "literature", "", "", 100, "normal"),
]
WAITING_AT = ["Bay 1, shelf A", "Bay 1, shelf B", "Bay 2, shelf A", "Bay 2, shelf C"]  # the crates waiting
OPEN_CRATES = 2  # crates being packed today


def isbn13(n: int) -> str:
    """A made-up ISBN-13 with the right check digit (978-1-915…, one per demo title)."""
    body = f"9781915{n:05d}"
    return body + ean.calc_check_digit(body)


class Demo:
    def __init__(self, password: str, today: date | None = None) -> None:
        self.rng = random.Random(SEED)
        self.today = today or date.today()
        self.password = password

    def seed(self) -> dict[str, int]:
        self.people()
        self.places()
        self.catalogue()
        donations = self.donations()
        self.sort(donations)
        crates = self.crates()
        shipments = self.shipments(crates)
        self.wishes()
        return {
            "users": len(self.staff),
            "sites": len(self.drop_offs) + 1,
            "titles": len(self.titles),
            "donations": len(donations),
            "crates": len(crates) + OPEN_CRATES,
            "pallets": len(db.session.scalars(sa.select(Pallet.id)).all()),
            "shipments": len(shipments),
        }

    def people(self) -> None:
        self.staff: dict[str, User] = {
            email: users.create_user(email=email, name=name, password=self.password, role=role, actor=None)
            for email, name, role in DEMO_USERS
        }
        self.admin = self.staff["admin@example.org"]
        self.coordinator = self.staff["coordinator@example.org"]
        self.packer = self.staff["warehouse@example.org"]

    def places(self) -> None:
        organisations.update_organisation(actor=self.admin, **ORGANISATION)
        self.drop_offs: list[tuple[Site, int]] = [
            (sites.create_site(name=name, kind=SiteKind.DROP_OFF, city=city, actor=self.admin), share)
            for name, city, share in DROP_OFFS
        ]
        self.warehouse = sites.create_site(
            name="Birmingham warehouse", kind=SiteKind.WAREHOUSE, city="Birmingham", actor=self.admin
        )
        by_name = {site.name: site for site, _ in self.drop_offs}
        self.volunteers = [self.staff["volunteer@example.org"]]
        for email, name, site in MORE_VOLUNTEERS:
            volunteer = users.create_user(
                email=email, name=name, password=self.password, role=Role.VOLUNTEER, actor=self.admin,
                site_id=by_name[site].id,
            )
            self.staff[email] = volunteer
            self.volunteers.append(volunteer)
        self.recipients: list[Recipient] = [
            shipping.create_recipient(
                name_en=name_en, name_ar=name_ar, address_en=address_en, address_ar=address_ar, city=city,
                governorate=governorate, kind=kind, contact_name=contact, actor=self.admin,
            )
            for name_en, name_ar, address_en, address_ar, city, governorate, kind, contact in RECIPIENTS
        ]
        self.librarians: dict[int, User] = {}
        for email, name, recipient in LIBRARIANS:
            librarian = users.create_user(email=email, name=name, password=self.password, role=Role.RECIPIENT,
                                          actor=self.admin, recipient_id=self.recipients[recipient].id)
            self.staff[email] = librarian
            self.librarians[recipient] = librarian

    def catalogue(self) -> None:
        self.titles: list[Title] = []
        self.by_subject: dict[str, list[Title]] = {}
        for n, (isbn, name, authors, language, level, kind, subject) in enumerate(TITLES):
            title = titles.create_title(
                isbn13=isbn or isbn13(n), title=name, authors=authors, language=language, level=level, kind=kind,
                subject=subject, actor=self.packer,
            )
            self.titles.append(title)
            self.by_subject.setdefault(subject, []).append(title)
        # The local catalogue: books nobody has given yet, known the moment one is scanned.
        for sample in SAMPLES:
            catalogue_imports.import_file(sample, actor=self.admin, commit=db.session.flush)

    def donations(self) -> list[tuple[int, Donation]]:
        """Donations spread over the months, oldest first; returns (days ago, donation)."""
        rng = self.rng
        donors: list[tuple[Donor | None, tuple[int, int], tuple[int, int]]] = [
            (intake.create_donor(name=name, kind=kind, consent_to_contact=rng.random() < 0.6, actor=self.admin),
             copies, lines)
            for name, kind, copies, lines in DONORS
        ]
        donors.append((None, ANONYMOUS[2], ANONYMOUS[3]))
        weights = [1] * len(DONORS) + [len(DONORS)]  # about half the donations are anonymous
        site_list = [site for site, _ in self.drop_offs]
        site_weights = [share for _, share in self.drop_offs]
        days_ago = sorted((rng.randrange(DAYS) for _ in range(DONATIONS - 1)), reverse=True)
        made: list[tuple[int, Donation]] = []
        first = intake.record_donation(  # the oldest: a school drive whose copies fill the first crate
            site=site_list[0], donor=donors[0][0], actor=self.volunteers[0],
            received_on=self.today - timedelta(days=DAYS),
            lines=[intake.LineInput(quantity=q, title=self.titles[i]) for i, q in ((0, 12), (1, 30), (2, 20), (3, 6))],
        )
        made.append((DAYS, first))
        for ago in days_ago:
            donor, copies, line_range = rng.choices(donors, weights)[0]
            lines = []
            for _ in range(rng.randint(*line_range)):
                quantity = rng.randint(*copies)
                if rng.random() < 0.08:
                    description, _subject = rng.choice(BAGS)
                    lines.append(intake.LineInput(quantity=max(quantity, rng.randint(8, 30)), description=description))
                    continue
                condition = rng.choices(list(Condition), [2, 12, 4, 1])[0]
                if donor is not None and donor.kind is DonorKind.PUBLISHER:
                    condition = Condition.NEW
                lines.append(intake.LineInput(quantity=quantity, title=rng.choice(self.titles), condition=condition))
            made.append((ago, intake.record_donation(
                site=rng.choices(site_list, site_weights)[0], donor=donor, actor=rng.choice(self.volunteers),
                received_on=self.today - timedelta(days=ago), lines=lines,
            )))
        return made

    def sort(self, donations: Sequence[tuple[int, Donation]]) -> None:
        """Sort what came in more than two weeks ago, and half of last week's; the rest waits."""
        rng = self.rng
        bags = dict(BAGS)
        for ago, donation in donations:
            if ago < 7 or (ago < 14 and rng.random() < 0.5):
                continue
            for lot in list(donation.lots):
                if lot.title is None:  # a bag: what is inside, title by title
                    shelf = self.by_subject[bags[lot.description or ""]]
                    while lot.quantity > 3:
                        piece = sorting.catalogue(
                            lot, rng.choice(shelf), quantity=rng.randint(2, lot.quantity - 1), actor=self.packer
                        )
                        self.judge(piece)
                    sorting.reject(
                        lot, reason=RejectReason.TORN_OR_INCOMPLETE, disposition=Disposition.RECYCLE, actor=self.packer
                    )
                    continue
                self.judge(lot)

    def judge(self, lot: Lot) -> None:
        """Accept a lot, rejecting some copies of the worn ones."""
        rng = self.rng
        bad = 0
        if lot.condition is Condition.POOR:
            bad = lot.quantity
        elif lot.condition is Condition.FAIR and rng.random() < 0.5:
            bad = rng.randint(1, lot.quantity)
        elif rng.random() < 0.04:
            bad = 1
        if bad:
            reason, disposition = rng.choice([
                (RejectReason.WATER_DAMAGED, Disposition.RECYCLE),
                (RejectReason.MOULD, Disposition.DISCARD),
                (RejectReason.TORN_OR_INCOMPLETE, Disposition.RECYCLE),
                (RejectReason.OUTDATED, Disposition.DONATE_LOCALLY),
                (RejectReason.SURPLUS, Disposition.DONATE_LOCALLY),
            ])
            sorting.reject(lot, quantity=bad, reason=reason, disposition=disposition, actor=self.packer)
        if bad < lot.quantity or lot.status is LotStatus.RECEIVED:
            sorting.accept(lot, actor=self.packer)

    def crates(self) -> list[Crate]:
        """Pack accepted copies, oldest first, into crates of COPIES_PER_CRATE and seal them; the last
        OPEN_CRATES stay open, part-packed. Returns the sealed crates, oldest first."""
        to_seal = sum(plan.crates for plan in SHIPMENTS) + SEALED_WAITING
        rooms = [COPIES_PER_CRATE] * to_seal + [17 + 14 * n for n in range(OPEN_CRATES)]
        waiting = iter(db.session.scalars(
            sa.select(Lot).join(Lot.donation).where(Lot.status == LotStatus.ACCEPTED)
            .order_by(Donation.received_on, Lot.id)
        ).all())
        lot = next(waiting)
        sealed = []
        for n, room in enumerate(rooms):
            crate = crating.open_crate(site=self.warehouse, actor=self.packer)
            while room:
                take = min(room, lot.quantity)
                crating.pack(lot, crate, quantity=take, actor=self.packer)
                room -= take
                if lot.status is not LotStatus.ACCEPTED:  # all of it packed: the next one
                    lot = next(waiting)
            if n < to_seal:
                kg = TARE_KG + COPIES_PER_CRATE * Decimal(self.rng.randint(38, 62)) / 100
                crating.seal(crate, gross_kg=kg, length_cm=60, width_cm=40, height_cm=40, actor=self.packer)
                sealed.append(crate)
        return sealed

    def shipments(self, crates: list[Crate]) -> list[Shipment]:
        made = []
        for plan in SHIPMENTS:
            # Planned a fortnight before it leaves, packed over the next days, ready two days before.
            leaves = self.today + timedelta(days=plan.departs)
            dates = [min(self.today, leaves - timedelta(days=d)) for d in (14, 10, 2)]
            shipment = shipping.create_shipment(
                recipient=self.recipients[plan.recipient], actor=self.coordinator, planned_departure=leaves,
                **plan.transport,
            )
            made.append(shipment)
            steps: list[tuple[ShipmentStatus, date, str | None]] = [
                (ShipmentStatus.PACKING, dates[1], None), (ShipmentStatus.READY, dates[2], None)
            ] + [(status, self.today - timedelta(days=ago), where) for status, (ago, where) in plan.stops.items()]
            self._back_date(shipment, dates[0])
            for status, day, where in steps:
                if status is ShipmentStatus.READY:  # its crates are packed and sealed by then
                    # The truck being loaded takes most of its crates on a pallet, the rest loose.
                    stacked = crates[:ON_A_PALLET] if plan.status is ShipmentStatus.PACKING else []
                    if stacked:
                        shipping.assign_pallet(shipment, self.pallet(stacked), actor=self.coordinator)
                    for crate in crates[len(stacked): plan.crates]:
                        shipping.assign_crate(shipment, crate, actor=self.coordinator)
                    for crate in crates[: plan.crates]:
                        crate.sealed_at = self._moment(dates[1])
                    crates = crates[plan.crates:]
                    if plan.status is ShipmentStatus.PACKING:
                        break
                if plan.status is ShipmentStatus.PLANNED:
                    break
                if status is ShipmentStatus.DELIVERED:  # the librarian checks in every crate as it arrived
                    self.arrived(shipment, day)
                else:
                    shipping.change_status(shipment, status, actor=self.coordinator, location=where)
                self._back_date(shipment, day)
                if status is ShipmentStatus.READY and plan.stops:  # it leaves with its customs papers
                    for paper in issuing.issue_papers(shipment, actor=self.coordinator, on=day):
                        paper.issued_at = self._moment(day)
        return made

    def pallet(self, crates: list[Crate]) -> Pallet:
        """Sealed crates stacked on a Euro pallet, wrapped, weighed (the pallet and wrap add 22 kg) and measured."""
        pallet = pallets.open_pallet(site=self.warehouse, actor=self.packer)
        for crate in crates:
            pallets.put_on(pallet, crate, actor=self.packer)
        kg = sum((c.gross_kg or Decimal(0) for c in crates), Decimal("22"))
        return pallets.seal(pallet, gross_kg=kg, length_cm=120, width_cm=80, height_cm=95, actor=self.packer)

    def wishes(self) -> None:
        """The libraries' wish-lists, the crates waiting on their shelves, the first packed for Duhok."""
        for recipient, subject, level, language, wanted, priority in WISHES:
            wish_lists.add_wish(self.recipients[recipient], actor=self.coordinator, subject=subject, level=level,
                                language=language, wanted=wanted, priority=priority)
        waiting = db.session.scalars(sa.select(Crate).where(Crate.status == CrateStatus.SEALED,
                                                            Crate.shipment_id.is_(None)).order_by(Crate.id)).all()
        for n, (crate, where) in enumerate(zip(waiting, WAITING_AT, strict=False)):
            crating.pack_for(crate, self.recipients[3] if n == 0 else None, actor=self.packer, location=where)

    def arrived(self, shipment: Shipment, day: date) -> None:
        librarian = self.librarians[self.recipients.index(shipment.recipient)]
        where = receiving.Where("192.0.2.44", "Mozilla/5.0 (Linux; Android 14) Mobile")
        for n, crate in enumerate(shipment.crates):
            outcome, damaged, note = ARRIVED_SHORT.get(n, ("received", 0, None))
            receipt = receiving.check_in(shipment, crate, outcome=CrateOutcome(outcome), damaged=damaged, note=note,
                                         actor=librarian, where=where)
            receipt.checked_at = self._moment(day)

    def _back_date(self, shipment: Shipment, day: date) -> None:
        """The demo's history: its latest status change happened on `day` (services stamp it now)."""
        shipment.events[-1].at = self._moment(day)

    @staticmethod
    def _moment(day: date) -> datetime:
        return min(datetime.combine(day, time(11), tzinfo=UTC), datetime.now(UTC))


def seed(password: str, today: date | None = None) -> dict[str, int]:
    """Create the demo operation, ending `today` (the day it is by default); the caller commits. Returns
    counts of what was made."""
    return Demo(password, today).seed()
