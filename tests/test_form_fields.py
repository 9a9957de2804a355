"""Every field a page's form accepts is in the database after the page saves it.

Each test opens the page the way a browser does, submits its form with every field set to a value
that is NOT the field's default (a view that silently drops a field, or passes a default instead,
then fails), and reads the saved row(s) back from the database. Expected values are written out.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from books2iraq.admin.models import Organisation
from books2iraq.audit import AuditEvent
from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.crating.models import Crate, CrateStatus
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake.models import (
    Condition,
    CountCorrection,
    Disposition,
    Donation,
    DonorKind,
    Lot,
    LotStatus,
    ReadingLevel,
    RejectReason,
    TitleKind,
)
from books2iraq.shipping.models import (
    Governorate,
    Incoterm,
    Recipient,
    RecipientKind,
    Shipment,
    ShipmentEvent,
    ShipmentStatus,
    TransportMode,
)
from books2iraq.sites.models import Site, SiteKind
from books2iraq.sorting import services as sorting
from tests.conftest import answer_yes
from tests.factories import (
    RecipientFactory,
    SiteFactory,
    TitleFactory,
    UserFactory,
    WarehouseFactory,
    accepted_lot,
    advance,
    sealed_crate,
    shipment_of,
)

# --- helpers --------------------------------------------------------------------------------------


def offers(client, page: str, data: dict) -> None:
    """The page has an input, select or textarea for every field the test is about to send."""
    html = client.get(page).get_data(as_text=True)
    missing = [name for name in data if not re.search(rf'name="{re.escape(name)}"', html)]
    assert not missing, f"page {page} has no field named {missing}"


def submit(auth, client, url: str, data: dict, *, page: str | None = None):
    """Check the page offers every field, then submit them; the page must save and redirect."""
    offers(client, page or url, data)
    response = auth.post(url, data, page=page)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def user_id(email: str) -> int:
    return db.session.scalar(sa.select(User.id).where(User.email == email))


def lots_of(donation_id: int) -> list[tuple]:
    """(quantity, status, title ISBN or description, condition, reject reason, disposition, note, crate_id),
    sorted, for every lot of a donation."""
    rows = db.session.scalars(sa.select(Lot).where(Lot.donation_id == donation_id))
    return sorted(
        (
            (
                lot.quantity,
                lot.status,
                lot.title.isbn13 if lot.title else lot.description,
                lot.condition,
                lot.reject_reason,
                lot.disposition,
                lot.reject_note,
                lot.crate_id,
            )
            for lot in rows
        ),
        key=repr,
    )


def received_lot(app, quantity: int = 12, **line) -> tuple[int, int]:
    """A received lot (catalogued unless a description is given); returns (lot id, donation id)."""
    with app.app_context():
        if "description" not in line:
            line["title"] = TitleFactory(isbn13="9781861978769", title="Grey's Anatomy")
        donation = intake.record_donation(
            site=SiteFactory(), actor=UserFactory(role=Role.VOLUNTEER), lines=[intake.LineInput(quantity, **line)]
        )
        db.session.commit()
        return donation.lots[0].id, donation.id


# --- intake ---------------------------------------------------------------------------------------


def test_new_donation_saves_every_field(app, client, auth, users):
    with app.app_context():
        SiteFactory(name="Aardvark Hall drop-off", city="Leeds")  # listed first: not the one chosen
        chosen = SiteFactory(name="Zawiya Library drop-off", city="Manchester").id
        db.session.commit()
    auth.login(Role.VOLUNTEER)
    data = {
        "site": str(chosen),
        "received_on": "2025-12-30",  # not today, and another year than today's
        "scans": "9780306406157\n9781861978769 x3\n9780306406157\n",
        "condition": "poor",
        "bags-0-description": "Arabic children's books",
        "bags-0-count": "17",
        "bags-1-description": "",
        "bags-1-count": "6",
        "donor_name": "Amal Hassan",
        "donor_kind": "school_drive",
        "donor_email": "amal.hassan@example.org",
        "donor_phone": "+44 7700 900123",
        "consent": "y",
        "note": "Left at the back door on Sunday.",
        "submission_key": "form-fields-test-0001",
    }
    submit(auth, client, "/intake/new", data)

    with app.app_context():
        donation = db.session.scalar(sa.select(Donation))
        assert donation.site_id == chosen
        assert donation.received_on == date(2025, 12, 30)
        assert donation.ref.startswith("D-2025-")
        assert donation.note == "Left at the back door on Sunday."
        assert donation.submission_key == "form-fields-test-0001"
        assert donation.received_by_id == user_id("volunteer@test.example")
        donor = donation.donor
        assert (donor.name, donor.kind, donor.email, donor.phone, donor.consent_to_contact) == (
            "Amal Hassan",
            DonorKind.SCHOOL_DRIVE,
            "amal.hassan@example.org",
            "+44 7700 900123",
            True,
        )
        assert donor.consent_at is not None
        lines = [
            (line.position, line.title.isbn13 if line.title else None, line.description, line.quantity, line.condition)
            for line in donation.lines
        ]
        # The condition field is "Condition of the scanned books": counted bags keep the default.
        assert lines == [
            (1, "9780306406157", None, 2, Condition.POOR),
            (2, "9781861978769", None, 3, Condition.POOR),
            (3, None, "Arabic children's books", 17, Condition.GOOD),
            (4, None, "Mixed books (counted bag)", 6, Condition.GOOD),
        ]
        assert [(lot.line.position, lot.quantity, lot.condition, lot.status) for lot in donation.lots] == [
            (1, 2, Condition.POOR, LotStatus.RECEIVED),
            (2, 3, Condition.POOR, LotStatus.RECEIVED),
            (3, 17, Condition.GOOD, LotStatus.RECEIVED),
            (4, 6, Condition.GOOD, LotStatus.RECEIVED),
        ]


def test_new_donation_without_consent_saves_no_consent(app, client, auth, users):
    """The consent box unticked (its default) is saved as no consent, with no date."""
    with app.app_context():
        site = SiteFactory(name="Hope Street drop-off").id
        db.session.commit()
    auth.login(Role.VOLUNTEER)
    data = {
        "site": str(site),
        "received_on": "2026-02-03",
        "bags-0-description": "Novels",
        "bags-0-count": "4",
        "donor_name": "Omar Saleh",
        "donor_kind": "publisher",
        "donor_email": "omar@press.example",
        "donor_phone": "0161 555 0100",
        "condition": "fair",
    }
    submit(auth, client, "/intake/new", data)
    with app.app_context():
        donor = db.session.scalar(sa.select(Donation)).donor
        assert (donor.name, donor.kind, donor.email, donor.phone, donor.consent_to_contact, donor.consent_at) == (
            "Omar Saleh",
            DonorKind.PUBLISHER,
            "omar@press.example",
            "0161 555 0100",
            False,
            None,
        )


# --- sorting --------------------------------------------------------------------------------------


def test_accept_saves_the_quantity(app, client, auth, users):
    lot_id, donation_id = received_lot(app, 12)
    auth.login(Role.WAREHOUSE)
    submit(auth, client, f"/sorting/lots/{lot_id}/accept", {"quantity": "5"}, page=f"/sorting/lots/{lot_id}")
    with app.app_context():
        assert lots_of(donation_id) == sorted(
            [
                (5, LotStatus.ACCEPTED, "9781861978769", Condition.GOOD, None, None, None, None),
                (7, LotStatus.RECEIVED, "9781861978769", Condition.GOOD, None, None, None, None),
            ],
            key=repr,
        )


def test_reject_saves_quantity_reason_disposition_and_note(app, client, auth, users):
    lot_id, donation_id = received_lot(app, 12)
    auth.login(Role.WAREHOUSE)
    data = {"quantity": "4", "reason": "mould", "disposition": "return_to_donor", "note": "Smells of damp"}
    submit(auth, client, f"/sorting/lots/{lot_id}/reject", data, page=f"/sorting/lots/{lot_id}")
    with app.app_context():
        assert lots_of(donation_id) == sorted(
            [
                (
                    4,
                    LotStatus.REJECTED,
                    "9781861978769",
                    Condition.GOOD,
                    RejectReason.MOULD,
                    Disposition.RETURN_TO_DONOR,
                    "Smells of damp",
                    None,
                ),
                (8, LotStatus.RECEIVED, "9781861978769", Condition.GOOD, None, None, None, None),
            ],
            key=repr,
        )


# What the catalogue form is given for a title, and what must be saved of it.
TITLE_TYPED = {
    "title": "Kurdish Grammar",
    "authors": "Hemin Mukriyani",
    "language": "ckb",
    "level": "university",
    "kind": "dictionary",
}
TITLE_SAVED = ("9780141439518", "Kurdish Grammar", "Hemin Mukriyani", "ckb", ReadingLevel.UNIVERSITY, TitleKind.DICTIONARY)


def title_details(title) -> tuple:
    return (title.isbn13, title.title, title.authors, title.language, title.level, title.kind)


def test_catalogue_saves_every_detail_of_the_title(app, client, auth, users):
    lot_id, donation_id = received_lot(app, 9, description="Box of mixed books")
    auth.login(Role.WAREHOUSE)
    data = {
        "quantity": "3",
        "isbn": "978-0-14-143951-8",
        **TITLE_TYPED,
    }
    submit(auth, client, f"/sorting/lots/{lot_id}/catalogue", data, page=f"/sorting/lots/{lot_id}")
    with app.app_context():
        lots = db.session.scalars(sa.select(Lot).where(Lot.donation_id == donation_id).order_by(Lot.quantity)).all()
        assert [(lot.quantity, lot.status, lot.title_id is not None) for lot in lots] == [
            (3, LotStatus.RECEIVED, True),
            (6, LotStatus.RECEIVED, False),
        ]
        title = lots[0].title
        assert title_details(title) == TITLE_SAVED


def test_catalogue_of_a_scanned_but_uncatalogued_isbn_saves_every_detail(app, client, auth, users):
    """A volunteer scanned an ISBN nobody had seen (a title record with no title yet); the warehouse
    catalogues that lot on its page, typing the same ISBN and the title's details."""
    with app.app_context():
        donation = intake.record_donation(
            site=SiteFactory(),
            actor=UserFactory(role=Role.VOLUNTEER),
            lines=[intake.LineInput(9, isbn="9780141439518")],
        )
        lot_id = donation.lots[0].id
        assert donation.lots[0].title.title is None
        db.session.commit()
    auth.login(Role.WAREHOUSE)
    data = {
        "quantity": "9",
        "isbn": "9780141439518",
        **TITLE_TYPED,
    }
    submit(auth, client, f"/sorting/lots/{lot_id}/catalogue", data, page=f"/sorting/lots/{lot_id}")
    with app.app_context():
        title = db.session.get(Lot, lot_id).title
        assert title_details(title) == TITLE_SAVED


def test_correct_count_saves_the_count_and_the_reason(app, client, auth, users):
    lot_id, donation_id = received_lot(app, 12)
    auth.login(Role.WAREHOUSE)
    data = {"counted": "10", "reason": "Two were magazines"}
    submit(auth, client, f"/sorting/lots/{lot_id}/correct", data, page=f"/sorting/lots/{lot_id}")
    with app.app_context():
        assert db.session.get(Lot, lot_id).quantity == 10
        correction = db.session.scalar(sa.select(CountCorrection))
        assert (correction.lot_id, correction.donation_id, correction.delta, correction.reason, correction.actor_id) == (
            lot_id,
            donation_id,
            -2,
            "Two were magazines",
            user_id("warehouse@test.example"),
        )


# --- crating --------------------------------------------------------------------------------------


def test_open_crate_saves_the_warehouse(app, client, auth, users):
    with app.app_context():
        WarehouseFactory(name="Alpha warehouse")  # listed first: not the one chosen
        chosen = WarehouseFactory(name="Zulu warehouse").id
        db.session.commit()
    auth.login(Role.WAREHOUSE)
    submit(auth, client, "/crates/", {"site": str(chosen)})
    with app.app_context():
        crate = db.session.scalar(sa.select(Crate))
        assert (crate.site_id, crate.status, crate.gross_kg, crate.shipment_id) == (chosen, CrateStatus.OPEN, None, None)


def test_pack_saves_the_isbn_and_the_quantity(app, client, auth, users):
    with app.app_context():
        warehouse = UserFactory(role=Role.WAREHOUSE)
        accepted_lot(3, actor=warehouse)  # another title waiting: not the one scanned
        gift = intake.record_donation(
            site=SiteFactory(),
            actor=warehouse,
            lines=[intake.LineInput(9, title=TitleFactory(isbn13="9780141439518", title="Pride and Prejudice"))],
        )
        sorting.accept(gift.lots[0], actor=warehouse)
        crate = crating.open_crate(site=WarehouseFactory(), actor=warehouse)
        code, crate_id, donation_id = crate.code, crate.id, gift.id
        db.session.commit()
    auth.login(Role.WAREHOUSE)
    submit(auth, client, f"/crates/{code}/pack", {"isbn": "0141439513", "quantity": "4"}, page=f"/crates/{code}")
    with app.app_context():
        assert lots_of(donation_id) == sorted(
            [
                (4, LotStatus.PACKED, "9780141439518", Condition.GOOD, None, None, None, crate_id),
                (5, LotStatus.ACCEPTED, "9780141439518", Condition.GOOD, None, None, None, None),
            ],
            key=repr,
        )
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Lot).where(Lot.crate_id == crate_id)) == 1


def test_seal_saves_the_weight_and_all_three_dimensions(app, client, auth, users):
    with app.app_context():
        warehouse = UserFactory(role=Role.WAREHOUSE)
        crate = crating.open_crate(site=WarehouseFactory(), actor=warehouse)
        crating.pack(accepted_lot(6, actor=warehouse), crate, actor=warehouse)
        code, crate_id = crate.code, crate.id
        db.session.commit()
    auth.login(Role.WAREHOUSE)
    data = {"gross_kg": "23.75", "length_cm": "61", "width_cm": "42", "height_cm": "37"}
    submit(auth, client, f"/crates/{code}/seal", data, page=f"/crates/{code}")
    with app.app_context():
        crate = db.session.get(Crate, crate_id)
        assert (crate.status, crate.gross_kg, crate.length_cm, crate.width_cm, crate.height_cm) == (
            CrateStatus.SEALED,
            Decimal("23.75"),
            61,
            42,
            37,
        )
        assert crate.sealed_at is not None


def test_reopen_saves_the_reason(app, client, auth, users):
    with app.app_context():
        crate = sealed_crate(5)
        code, crate_id = crate.code, crate.id
        db.session.commit()
    auth.login(Role.WAREHOUSE)
    submit(auth, client, f"/crates/{code}/reopen", {"reason": "Wrong book packed"}, page=f"/crates/{code}")
    with app.app_context():
        crate = db.session.get(Crate, crate_id)
        assert (crate.status, crate.gross_kg, crate.sealed_at) == (CrateStatus.OPEN, None, None)
        event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "crate.reopened", AuditEvent.subject_id == crate_id)
        )
        assert event.detail["reason"] == "Wrong book packed"
        assert event.actor_id == user_id("warehouse@test.example")


# --- shipping -------------------------------------------------------------------------------------

TRANSPORT = {
    "mode": "sea",
    "carrier": "Gulf Line Shipping",
    "container_no": "CSQU 305438 3",
    "seal_no": "SL-778812",
    "vessel": "MSC Aurora",
    "voyage": "AR614W",
    "port_of_loading": "Felixstowe",
    "port_of_discharge": "Umm Qasr",
    "place_of_delivery": "Erbil, Kurdistan Region",
    "incoterm": "CIP",
    "planned_departure": "2027-03-02",
    "notes": "Fumigation certificate travels with the bill of lading.",
}
TRANSPORT_SAVED = {
    "mode": TransportMode.SEA,
    "carrier": "Gulf Line Shipping",
    "container_no": "CSQU3054383",
    "seal_no": "SL-778812",
    "vessel": "MSC Aurora",
    "voyage": "AR614W",
    "port_of_loading": "Felixstowe",
    "port_of_discharge": "Umm Qasr",
    "place_of_delivery": "Erbil, Kurdistan Region",
    "incoterm": Incoterm.CIP,
    "planned_departure": date(2027, 3, 2),
    "notes": "Fumigation certificate travels with the bill of lading.",
}


def transport_of(shipment: Shipment) -> dict:
    return {field: getattr(shipment, field) for field in TRANSPORT_SAVED}


def test_new_shipment_saves_the_recipient_and_every_transport_detail(app, client, auth, users):
    with app.app_context():
        RecipientFactory(name_en="Al-Amal School")  # listed first: not the one chosen
        chosen = RecipientFactory(name_en="University of Zakho").id
        db.session.commit()
    auth.login(Role.COORDINATOR)
    submit(auth, client, "/shipping/new", {"recipient": str(chosen), **TRANSPORT})
    with app.app_context():
        shipment = db.session.scalar(sa.select(Shipment))
        assert shipment.recipient_id == chosen
        assert shipment.status is ShipmentStatus.PLANNED
        assert transport_of(shipment) == TRANSPORT_SAVED


def test_transport_details_save_every_field(app, client, auth, users):
    with app.app_context():
        shipment = shipment_of(
            mode="road",
            carrier="Old carrier",
            incoterm="EXW",
            port_of_loading="Dover",
            notes="old notes",
            planned_departure=date(2026, 12, 1),
        )
        ref, shipment_id = shipment.ref, shipment.id
        db.session.commit()
    auth.login(Role.COORDINATOR)
    submit(auth, client, f"/shipping/{ref}/transport", TRANSPORT, page=f"/shipping/{ref}")
    with app.app_context():
        assert transport_of(db.session.get(Shipment, shipment_id)) == TRANSPORT_SAVED


def test_assign_crate_saves_the_crate_on_the_shipment(app, client, auth, users):
    with app.app_context():
        sealed_crate(2)  # another sealed crate: not the one scanned
        crate = sealed_crate(7)
        shipment = shipment_of()
        code, crate_id, ref, shipment_id = crate.code, crate.id, shipment.ref, shipment.id
        db.session.commit()
    auth.login(Role.COORDINATOR)
    submit(auth, client, f"/shipping/{ref}/crates", {"code": code}, page=f"/shipping/{ref}")
    with app.app_context():
        on_board = db.session.scalars(sa.select(Crate.id).where(Crate.shipment_id == shipment_id)).all()
        assert on_board == [crate_id]


def test_status_change_saves_the_status_location_and_note(app, client, auth, users):
    with app.app_context():
        shipment = advance(shipment_of(sealed_crate(4), mode="road"), ShipmentStatus.PACKING, ShipmentStatus.READY)
        ref, shipment_id = shipment.ref, shipment.id
        db.session.commit()
    auth.login(Role.COORDINATOR)
    data = {"to_status": "dispatched", "location": "Felixstowe", "note": "Left on the 06:10 ferry"}
    submit(auth, client, f"/shipping/{ref}/status", data, page=f"/shipping/{ref}")
    with app.app_context():
        assert db.session.get(Shipment, shipment_id).status is ShipmentStatus.DISPATCHED
        event = db.session.scalars(
            sa.select(ShipmentEvent).where(ShipmentEvent.shipment_id == shipment_id).order_by(ShipmentEvent.id.desc())
        ).first()
        assert (event.from_status, event.to_status, event.location, event.note, event.actor_id) == (
            ShipmentStatus.READY,
            ShipmentStatus.DISPATCHED,
            "Felixstowe",
            "Left on the 06:10 ferry",
            user_id("coordinator@test.example"),
        )


RECIPIENT = {
    "name_en": "Central Library of Sulaymaniyah",
    "name_ar": "المكتبة المركزية في السليمانية",
    "kind": "library",
    "address_en": "Salim Street\nSulaymaniyah",
    "address_ar": "شارع سالم، السليمانية",
    "city": "Sulaymaniyah",
    "governorate": "sulaymaniyah",
    "contact_name": "Shler Karim",
    "contact_phone": "+964 770 123 4567",
    "contact_email": "shler@library.example",
    "wants_subjects": "medicine, engineering",
    "wants_levels": "university, secondary",
    "wants_languages": "en, ckb",
}
RECIPIENT_SAVED = {
    **RECIPIENT,
    "kind": RecipientKind.LIBRARY,
    "governorate": Governorate.SULAYMANIYAH,
}


def recipient_fields(recipient: Recipient) -> dict:
    return {field: getattr(recipient, field) for field in RECIPIENT_SAVED}


def test_new_recipient_saves_every_field(app, client, auth, users):
    auth.login(Role.COORDINATOR)
    submit(auth, client, "/shipping/recipients/new", RECIPIENT)
    with app.app_context():
        recipient = db.session.scalar(sa.select(Recipient).where(Recipient.name_en == RECIPIENT["name_en"]))
        assert recipient_fields(recipient) == RECIPIENT_SAVED
        assert recipient.active is True


def test_edit_recipient_saves_every_field(app, client, auth, users):
    with app.app_context():
        recipient_id = RecipientFactory(
            name_en="Old name",
            name_ar="اسم قديم",
            kind=RecipientKind.UNIVERSITY,
            address_ar="عنوان قديم",
            city="Erbil",
            governorate=Governorate.ERBIL,
            contact_name="Old contact",
            contact_phone="000",
            contact_email="old@example.org",
            wants_subjects="old subjects",
            wants_levels="children",
            wants_languages="ar",
        ).id
        db.session.commit()
    auth.login(Role.COORDINATOR)
    submit(auth, client, f"/shipping/recipients/{recipient_id}/edit", RECIPIENT)
    with app.app_context():
        assert recipient_fields(db.session.get(Recipient, recipient_id)) == RECIPIENT_SAVED


# --- admin ----------------------------------------------------------------------------------------


def test_new_user_saves_every_field(app, client, auth, users):
    with app.app_context():
        SiteFactory(name="Aardvark Hall")
        site = WarehouseFactory(name="Zulu warehouse").id
        db.session.commit()
    auth.login(Role.ADMIN)
    data = {
        "email": "rana.aziz@test.example",
        "name": "Rana Aziz",
        "role": "coordinator",
        "site_id": str(site),
        "password": "a long initial password",
    }
    submit(auth, client, "/admin/users/new", data)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "rana.aziz@test.example"))
        assert (user.name, user.role, user.site_id, user.active) == ("Rana Aziz", Role.COORDINATOR, site, True)
        assert user.check_password("a long initial password")


def test_edit_user_saves_name_role_and_site(app, client, auth, users):
    with app.app_context():
        old_site = SiteFactory(name="Aardvark Hall")
        new_site = WarehouseFactory(name="Zulu warehouse").id
        target = UserFactory(email="kawa@test.example", name="Kawa", role=Role.VOLUNTEER, site=old_site).id
        db.session.commit()
    auth.login(Role.ADMIN)
    data = {"name": "Kawa Mahmood", "role": "warehouse", "site_id": str(new_site)}
    submit(auth, client, f"/admin/users/{target}", data)
    with app.app_context():
        user = db.session.get(User, target)
        assert (user.email, user.name, user.role, user.site_id) == (
            "kawa@test.example",
            "Kawa Mahmood",
            Role.WAREHOUSE,
            new_site,
        )


def test_reset_password_saves_the_new_password(app, client, auth, users):
    with app.app_context():
        target = UserFactory(email="kawa@test.example").id
        db.session.commit()
    auth.login(Role.ADMIN)
    data = {"password": "brand new password 77", "confirm": "brand new password 77"}
    submit(auth, client, f"/admin/users/{target}/password", data)
    with app.app_context():
        assert db.session.get(User, target).check_password("brand new password 77")


def test_deactivate_buttons_save_active(app, client, auth, users):
    """The 'active' of users, sites and recipients is set by POST-only buttons on their pages."""
    with app.app_context():
        target = UserFactory(email="kawa@test.example").id
        site = SiteFactory(name="Closing drop-off").id
        recipient = RecipientFactory(name_en="Closing school").id
        db.session.commit()
    auth.login(Role.ADMIN)
    answer_yes(client, auth.post(f"/admin/users/{target}/deactivate", {}, page=f"/admin/users/{target}"))
    submit(auth, client, f"/admin/sites/{site}/deactivate", {}, page=f"/admin/sites/{site}")
    submit(auth, client, f"/shipping/recipients/{recipient}/deactivate", {}, page="/shipping/recipients")
    with app.app_context():
        assert db.session.get(User, target).active is False
        assert db.session.get(Site, site).active is False
        assert db.session.get(Recipient, recipient).active is False
    submit(auth, client, f"/admin/users/{target}/reactivate", {}, page=f"/admin/users/{target}")
    with app.app_context():
        assert db.session.get(User, target).active is True


SITE = {"name": "Basra Road warehouse", "kind": "warehouse", "city": "Sheffield", "address": "Unit 4\nBasra Road"}


def test_new_site_saves_every_field(app, client, auth, users):
    auth.login(Role.ADMIN)
    submit(auth, client, "/admin/sites/new", SITE)
    with app.app_context():
        site = db.session.scalar(sa.select(Site))
        assert (site.name, site.kind, site.city, site.address, site.active) == (
            "Basra Road warehouse",
            SiteKind.WAREHOUSE,
            "Sheffield",
            "Unit 4\nBasra Road",
            True,
        )


def test_edit_site_saves_every_field(app, client, auth, users):
    with app.app_context():
        site_id = SiteFactory(name="Old name", kind=SiteKind.DROP_OFF, city="London", address="old address").id
        db.session.commit()
    auth.login(Role.ADMIN)
    submit(auth, client, f"/admin/sites/{site_id}", SITE)
    with app.app_context():
        site = db.session.get(Site, site_id)
        assert (site.name, site.kind, site.city, site.address) == (
            "Basra Road warehouse",
            SiteKind.WAREHOUSE,
            "Sheffield",
            "Unit 4\nBasra Road",
        )


def test_organisation_details_save_every_field(app, client, auth, users):
    data = {
        "name": "Books for Iraq Trust",
        "address": "12 Canal Street\nManchester M1 3HE",
        "country": "United Kingdom",
        "phone": "+44 161 555 0199",
        "email": "office@books2iraq.example",
        "website": "https://books2iraq.example",
        "registration_number": "1187654",
        "eori_number": "GB123456789000",
        "signatory_name": "Layla Ahmed",
        "signatory_title": "Shipping coordinator",
        "receipt_thanks": "Shukran! Your books are on their way to Iraq.",
    }
    auth.login(Role.ADMIN)
    submit(auth, client, "/admin/organisation", data)
    with app.app_context():
        saved = db.session.scalar(sa.select(Organisation))
        assert {field: getattr(saved, field) for field in data} == data
