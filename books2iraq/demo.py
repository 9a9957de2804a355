"""Demo data for a first look: users of every role, sites, recipients, donations in every stage.

Built only through the services, so the demo obeys the same rules (and audit trail) as real use.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from books2iraq.auth import services as users
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.intake import services as intake
from books2iraq.intake import titles
from books2iraq.intake.models import (
    Condition,
    Disposition,
    DonorKind,
    ReadingLevel,
    RejectReason,
    TitleKind,
)
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import (
    Governorate,
    Incoterm,
    RecipientKind,
    ShipmentStatus,
    TransportMode,
)
from books2iraq.sites import services as sites
from books2iraq.sites.models import SiteKind
from books2iraq.sorting import services as sorting

DEMO_USERS = [
    ("admin@example.org", "Amina Admin", Role.ADMIN),
    ("coordinator@example.org", "Karim Coordinator", Role.COORDINATOR),
    ("warehouse@example.org", "Wafa Warehouse", Role.WAREHOUSE),
    ("volunteer@example.org", "Victor Volunteer", Role.VOLUNTEER),
]

TITLES = [
    ("9780306406157", "Introduction to Physics", "A. Author", "en", ReadingLevel.UNIVERSITY, TitleKind.BOOK),
    ("9780140449136", "The Odyssey", "Homer", "en", ReadingLevel.GENERAL, TitleKind.BOOK),
    ("9789953871233", "كتاب الرياضيات للمرحلة الثانوية", "وزارة التربية", "ar", ReadingLevel.SECONDARY, TitleKind.BOOK),
    ("9780198611868", "Oxford English-Arabic Dictionary", "H. S. Doniach", "en", ReadingLevel.GENERAL, TitleKind.DICTIONARY),
    ("9780064431781", "Where the Wild Things Are", "Maurice Sendak", "en", ReadingLevel.CHILDREN, TitleKind.CHILDRENS_PICTURE),
]


def seed(password: str) -> dict[str, int]:
    """Create the demo operation; the caller commits. Returns counts of what was made."""
    people = {
        role: users.create_user(email=email, name=name, password=password, role=role, actor=None)
        for email, name, role in DEMO_USERS
    }
    admin, coordinator = people[Role.ADMIN], people[Role.COORDINATOR]
    warehouse_user, volunteer = people[Role.WAREHOUSE], people[Role.VOLUNTEER]

    london = sites.create_site(name="London drop-off", kind=SiteKind.DROP_OFF, city="London", actor=admin)
    leeds = sites.create_site(name="Leeds library drop-off", kind=SiteKind.DROP_OFF, city="Leeds", actor=admin)
    warehouse = sites.create_site(name="Birmingham warehouse", kind=SiteKind.WAREHOUSE, city="Birmingham", actor=admin)

    mosul = shipping.create_recipient(
        name_en="University of Mosul Central Library",
        name_ar="المكتبة المركزية لجامعة الموصل",
        address_en="University of Mosul, Al-Majmoaa Street",
        address_ar="جامعة الموصل، شارع المجموعة",
        city="Mosul",
        governorate=Governorate.NINEVEH,
        kind=RecipientKind.UNIVERSITY,
        contact_name="Head Librarian",
        actor=admin,
    )
    shipping.create_recipient(
        name_en="Salahaddin University-Erbil",
        name_ar="جامعة صلاح الدين - أربيل",
        address_en="Kirkuk Road, Erbil",
        address_ar="طريق كركوك، أربيل",
        city="Erbil",
        governorate=Governorate.ERBIL,
        kind=RecipientKind.UNIVERSITY,
        actor=admin,
    )

    catalogue = [
        titles.create_title(
            isbn13=isbn, title=name, authors=author, language=lang, level=level, kind=kind, actor=warehouse_user
        )
        for isbn, name, author, lang, level, kind in TITLES
    ]
    donor = intake.create_donor(
        name="St Mary's School book drive", kind=DonorKind.SCHOOL_DRIVE, consent_to_contact=True, actor=volunteer
    )
    today = date.today()
    first = intake.record_donation(
        site=london,
        donor=donor,
        actor=volunteer,
        received_on=today - timedelta(days=14),
        lines=[
            intake.LineInput(quantity=12, title=catalogue[0]),
            intake.LineInput(quantity=30, title=catalogue[1]),
            intake.LineInput(quantity=20, title=catalogue[2], condition=Condition.NEW),
            intake.LineInput(quantity=6, title=catalogue[3]),
            intake.LineInput(quantity=25, title=catalogue[4]),
        ],
    )
    second = intake.record_donation(
        site=leeds,
        actor=volunteer,
        received_on=today - timedelta(days=3),
        lines=[intake.LineInput(quantity=18, description="Bag of mixed children's books")],
    )

    lot_physics, lot_odyssey, lot_maths, lot_dict, lot_wild = first.lots
    sorting.reject(
        lot_physics, quantity=2, reason=RejectReason.WATER_DAMAGED, disposition=Disposition.RECYCLE, actor=warehouse_user
    )
    accepted = [sorting.accept(lot, actor=warehouse_user) for lot in (lot_physics, lot_odyssey, lot_maths, lot_dict)]
    sorting.accept(lot_wild, quantity=20, actor=warehouse_user)
    sorting.catalogue(second.lots[0], catalogue[4], quantity=5, actor=warehouse_user)

    crate_one = crating.open_crate(site=warehouse, actor=warehouse_user)
    crating.pack(accepted[0], crate_one, actor=warehouse_user)
    crating.pack(accepted[2], crate_one, actor=warehouse_user)
    crating.seal(crate_one, gross_kg=Decimal("18.40"), length_cm=60, width_cm=40, height_cm=40, actor=warehouse_user)
    crate_two = crating.open_crate(site=warehouse, actor=warehouse_user)
    crating.pack(accepted[1], crate_two, quantity=24, actor=warehouse_user)
    crating.pack(accepted[3], crate_two, actor=warehouse_user)
    crating.seal(crate_two, gross_kg=Decimal("21.75"), length_cm=60, width_cm=40, height_cm=40, actor=warehouse_user)
    crating.open_crate(site=warehouse, actor=warehouse_user)

    shipment = shipping.create_shipment(
        recipient=mosul,
        actor=coordinator,
        mode=TransportMode.SEA,
        carrier="Demo Line",
        container_no="CSQU3054383",
        port_of_loading="Felixstowe",
        port_of_discharge="Umm Qasr",
        place_of_delivery="Mosul",
        incoterm=Incoterm.DAP,
        planned_departure=today + timedelta(days=21),
    )
    shipping.change_status(shipment, ShipmentStatus.PACKING, actor=coordinator)
    shipping.assign_crate(shipment, crate_one, actor=coordinator)
    shipping.assign_crate(shipment, crate_two, actor=coordinator)
    return {"users": len(people), "donations": 2, "crates": 3, "shipments": 1}
