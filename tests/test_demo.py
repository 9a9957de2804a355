"""The demo (`seed-demo`, run by `make run`) looks like a real operation, obeys the rules, is the
same on every run, and every page and document shows something of it."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from books2iraq import create_app
from books2iraq.auth.roles import Role
from books2iraq.crating.models import Crate
from books2iraq.documents.models import IssuedDocument
from books2iraq.extensions import db
from books2iraq.intake.models import Donation, Lot, Title
from books2iraq.reports import accounting
from books2iraq.shipping.models import Recipient, Shipment, ShipmentStatus
from books2iraq.sites.models import Site
from tests import pdf
from tests.conftest import DEMO_DAY, AuthActions


@pytest.fixture
def demo_app(demo_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": demo_url})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_the_demo_is_a_few_months_of_a_real_operation(demo_app):
    assert count(Donation) == 300
    first, last = db.session.execute(sa.select(sa.func.min(Donation.received_on), sa.func.max(Donation.received_on))).one()
    assert DEMO_DAY - first == timedelta(days=120) and DEMO_DAY - last <= timedelta(days=3)
    assert sorted(s.name for s in db.session.scalars(sa.select(Site)) if s.kind.value == "drop_off") == [
        "Bristol mosque library", "Cardiff Central Library drop-off", "Glasgow University drop-off",
        "Leeds library drop-off", "London drop-off", "Manchester Iraqi Community Centre",
    ]
    assert count(Recipient) == 6
    languages = Counter(db.session.scalars(sa.select(Title.language)))
    assert languages["en"] >= 20 and languages["ar"] >= 10 and languages["ckb"] >= 2
    # Every stage of a copy's way has copies in it; every copy is accounted for.
    assert {stage: copies > 0 for stage, copies in accounting.copies_per_stage().items()} == {
        "received": True, "accepted": True, "packed": True, "shipped": True, "delivered": True, "rejected": True
    }
    assert accounting.unbalanced_donations() == []
    crates = Counter(c.status.value for c in db.session.scalars(sa.select(Crate)))
    assert crates == {"sealed": 58, "open": 2}


SHIPMENTS = {  # ref number: (recipient, city, mode, status, crates)
    1: ("University of Mosul Central Library", "Mosul", "road", "delivered", 16),
    2: ("University of Basrah Central Library", "Basra", "sea", "in_transit", 24),
    3: ("Salahaddin University-Erbil", "Erbil", "road", "at_customs", 10),
    4: ("University of Duhok Library", "Duhok", "road", "packing", 4),
    5: ("Central Public Library, Baghdad", "Baghdad", "sea", "planned", 0),
}


def test_its_shipments_are_at_every_step_with_a_history_in_order(demo_app):
    shipments = db.session.scalars(sa.select(Shipment).order_by(Shipment.ref)).all()
    assert {
        int(s.ref.rsplit("-", 1)[1]): (s.recipient.name_en, s.recipient.city, s.mode.value, s.status.value, len(s.crates))
        for s in shipments
    } == SHIPMENTS
    for shipment in shipments:
        times = [event.at for event in sorted(shipment.events, key=lambda e: e.id)]
        assert times == sorted(times), shipment.ref  # no step dated before the one it followed
        assert all(crate.status.value == "sealed" for crate in shipment.crates)
    by_sea = shipments[1]
    assert (by_sea.container_no, by_sea.port_of_discharge) == ("CSQU3054383", "Umm Qasr")


def test_shipments_on_their_way_left_with_customs_papers_issued_the_day_they_were_ready(demo_app):
    shipments = db.session.scalars(sa.select(Shipment).order_by(Shipment.ref)).all()
    for n, shipment in enumerate(shipments[:3], start=1):
        ready = next(e.at.date() for e in shipment.events if e.to_status is ShipmentStatus.READY)
        papers = db.session.scalars(sa.select(IssuedDocument).where(IssuedDocument.shipment_id == shipment.id)).all()
        assert sorted((p.kind.value, p.number, p.revision, p.issued_on) for p in papers) == [
            (kind, f"PI-{ready.year}-000{n}", 1, ready) for kind in ("certificate_of_donation", "certificate_of_origin", "manifest")
        ], shipment.ref
    for shipment in shipments[3:]:  # still packing, or planned: drafts only
        assert shipment.invoice_no is None
    client = demo_app.test_client()
    AuthActions(client, {Role.COORDINATOR: "coordinator@example.org"}).login(Role.COORDINATOR)
    response = client.get(f"/documents/shipments/{shipments[2].ref}/manifest.pdf")
    text = pdf.text(response.data)
    assert shipments[2].invoice_no in text and "DRAFT" not in text


def test_it_is_the_same_on_every_run(demo_sqlite, demo_postgres):
    """Seeded twice, once on each database, the demo is the same operation."""

    def fingerprint(url: str) -> list[tuple]:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            rows = db.session.execute(
                sa.select(Donation.ref, Donation.received_on, Site.name, Lot.status, Lot.quantity, Title.isbn13,
                          Lot.description, Crate.code)
                .join(Donation.site).join(Donation.lots).outerjoin(Lot.title).outerjoin(Lot.crate)
                .order_by(Lot.id)
            ).all()
            db.engine.dispose()
        return [tuple(str(value) for value in row) for row in rows]

    first = fingerprint(f"sqlite:///{demo_sqlite}")
    assert len(first) > 900 and first == fingerprint(demo_postgres)


PAGES = [  # a page of each step, and what it must show of the demo
    ("/", "Copies in the pipeline"),
    ("/intake/donations", "D-"),
    ("/sorting/", "Box of mixed English novels"),
    ("/crates/", "B2I-C-000060"),
    ("/shipping/", "University of Basrah Central Library"),
    ("/shipping/S-{year}-003", "Ibrahim Khalil border crossing"),
    ("/shipping/S-{year}-004", 'data-pallet="B2I-P-000001"'),  # the truck being loaded: a pallet and a loose crate
    ("/pallets/", "B2I-P-000001"),
    ("/shipping/recipients", "مكتبة جامعة دهوك"),
    ("/reports/", "Manchester Iraqi Community Centre"),
    ("/admin/users", "Shilan Aziz"),
]


def test_every_step_shows_the_demo(demo_app):
    client = demo_app.test_client()
    auth = AuthActions(client, {role: f"{role.value}@example.org" for role in Role})
    auth.login(Role.ADMIN)
    for url, shown in PAGES:
        response = client.get(url.format(year=DEMO_DAY.year))
        assert response.status_code == 200 and shown in response.get_data(as_text=True), url
    manifest = client.get(f"/documents/shipments/S-{DEMO_DAY.year}-002/manifest.pdf")
    text = pdf.text(manifest.data)
    assert "Books to Iraq (demo)" in text and "CSQU3054383" in text
    assert "24 crates" in text and "1,152" in text  # 24 crates of 48 copies
