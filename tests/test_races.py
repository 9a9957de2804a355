"""Two people acting on the same crate, shipment, title or user at the same moment.

Each race runs on SQLite and on PostgreSQL with two connections (tests/races.py): the first request
holds its transaction open while the second runs into it. Without the row locks of the state
machines (books2iraq/concurrency.py) or the unique-key guard, the PostgreSQL runs fail.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from books2iraq.audit import AuditEvent
from books2iraq.auth import services as users
from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.crating.models import Crate, CrateStatus
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake.models import Donation, Lot, Title
from books2iraq.receiving import services as receiving
from books2iraq.receiving.models import CrateOutcome, CrateReceipt
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import Shipment, ShipmentEvent
from books2iraq.shipping.models import ShipmentStatus as S
from books2iraq.sites.models import Site
from books2iraq.sorting import services as sorting
from tests.factories import SiteFactory, UserFactory, WarehouseFactory, accepted_lot, sealed_crate, shipment_of
from tests.races import race


def get(model, id_):
    return db.session.get(model, id_)


def actor(ids) -> User:
    return get(User, ids["user"])


def actions(subject_type: str, subject_id: int, action: str) -> int:
    stmt = sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.subject_type == subject_type, AuditEvent.subject_id == subject_id, AuditEvent.action == action
    )
    return db.session.scalar(stmt)


@pytest.fixture
def crate_ids(app):
    """An open crate holding 2 copies, and an accepted lot of 5 waiting to go in."""
    with app.app_context():
        packer = UserFactory(role=Role.ADMIN)
        crate = crating.open_crate(site=WarehouseFactory(), actor=packer)
        crating.pack(accepted_lot(2, actor=packer), crate, actor=packer)
        waiting = accepted_lot(5, actor=packer)
        db.session.commit()
        return {"user": packer.id, "crate": crate.id, "lot": waiting.id}


def test_sealing_waits_for_a_book_being_packed_and_weighs_what_the_crate_holds(app, crate_ids):
    ids = crate_ids
    packed, sealed = race(
        app,
        lambda: crating.pack(get(Lot, ids["lot"]), get(Crate, ids["crate"]), actor=actor(ids)),
        lambda: crating.seal(get(Crate, ids["crate"]), gross_kg=Decimal("9"), actor=actor(ids)),
    )
    assert packed.ok and sealed.ok
    with app.app_context():
        crate = get(Crate, ids["crate"])
        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "crate.sealed")).all()
        assert crate.status is CrateStatus.SEALED and crate.copies == 7 and event.detail["copies"] == 7


def test_a_book_packed_into_a_crate_being_sealed_is_refused(app, crate_ids):
    ids = crate_ids
    sealed, packed = race(
        app,
        lambda: crating.seal(get(Crate, ids["crate"]), gross_kg=Decimal("9"), actor=actor(ids)),
        lambda: crating.pack(get(Lot, ids["lot"]), get(Crate, ids["crate"]), actor=actor(ids)),
    )
    assert sealed.ok and not packed.ok
    assert packed.message == "Crate B2I-C-000001 is sealed; reopen it before changing what is inside."
    with app.app_context():
        assert get(Crate, ids["crate"]).copies == 2 and get(Lot, ids["lot"]).crate_id is None


@pytest.fixture
def shipping_ids(app):
    """Two planned shipments (sea, with a container number) and a sealed crate on neither."""
    with app.app_context():
        coordinator = UserFactory(role=Role.ADMIN)
        first = shipment_of(mode="sea", container_no="CSQU3054383", actor=coordinator)
        other = shipment_of(mode="road", actor=coordinator)
        crate = sealed_crate(4, actor=coordinator)
        db.session.commit()
        return {"user": coordinator.id, "shipment": first.id, "other": other.id, "crate": crate.id}


def assign(ids, shipment_key="shipment"):
    return lambda: shipping.assign_crate(get(Shipment, ids[shipment_key]), get(Crate, ids["crate"]), actor=actor(ids))


def change(ids, to):
    return lambda: shipping.change_status(get(Shipment, ids["shipment"]), to, actor=actor(ids))


def test_one_crate_assigned_to_two_shipments_at_once_goes_on_one(app, shipping_ids):
    ids = shipping_ids
    first, second = race(app, assign(ids), assign(ids, "other"))
    assert first.ok and not second.ok
    assert second.message == "Crate B2I-C-000001 is already on shipment S-2026-001."
    with app.app_context():
        assert get(Crate, ids["crate"]).shipment_id == ids["shipment"]
        assert actions("Crate", ids["crate"], "crate.assigned") == 1


def test_two_status_changes_at_once_do_not_fork_the_history(app, shipping_ids):
    ids = shipping_ids
    cancelled, revived = race(app, change(ids, S.CANCELLED), change(ids, S.PACKING))
    assert cancelled.ok and not revived.ok
    assert revived.message == "Shipment S-2026-001 is cancelled; it cannot become packing."
    with app.app_context():
        history = db.session.scalars(
            sa.select(ShipmentEvent.to_status).where(ShipmentEvent.shipment_id == ids["shipment"]).order_by(ShipmentEvent.id)
        ).all()
        assert get(Shipment, ids["shipment"]).status is S.CANCELLED and history == [S.PLANNED, S.CANCELLED]


def packing_with_the_crate(app, ids) -> None:
    with app.app_context():
        shipment = get(Shipment, ids["shipment"])
        shipping.assign_crate(shipment, get(Crate, ids["crate"]), actor=actor(ids))
        shipping.change_status(shipment, S.PACKING, actor=actor(ids))
        db.session.commit()


def reopen(ids):
    return lambda: crating.reopen(get(Crate, ids["crate"]), reason="one more book", actor=actor(ids))


def test_a_crate_cannot_be_reopened_while_its_shipment_becomes_ready(app, shipping_ids):
    ids = shipping_ids
    packing_with_the_crate(app, ids)
    ready, reopened = race(app, change(ids, S.READY), reopen(ids))
    assert ready.ok and not reopened.ok
    assert reopened.message == (
        "Crate B2I-C-000001 is on shipment S-2026-001, which is ready; it can no longer be reopened."
    )
    with app.app_context():
        assert get(Crate, ids["crate"]).status is CrateStatus.SEALED


def test_a_shipment_cannot_become_ready_while_one_of_its_crates_is_reopened(app, shipping_ids):
    ids = shipping_ids
    packing_with_the_crate(app, ids)
    reopened, ready = race(app, reopen(ids), change(ids, S.READY))
    assert reopened.ok and not ready.ok
    assert ready.message == "These crates are open; seal them first: B2I-C-000001."
    with app.app_context():
        assert get(Shipment, ids["shipment"]).status is S.PACKING


def test_cancelling_while_a_crate_is_assigned_releases_that_crate_too(app, shipping_ids):
    ids = shipping_ids
    assigned, cancelled = race(app, assign(ids), change(ids, S.CANCELLED))
    assert assigned.ok and cancelled.ok
    with app.app_context():
        assert get(Shipment, ids["shipment"]).status is S.CANCELLED
        assert get(Crate, ids["crate"]).shipment_id is None
        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "shipment.status_changed")).all()
        assert event.detail["released"] == ["B2I-C-000001"]


def test_a_crate_cannot_be_assigned_to_a_shipment_being_cancelled(app, shipping_ids):
    ids = shipping_ids
    cancelled, assigned = race(app, change(ids, S.CANCELLED), assign(ids))
    assert cancelled.ok and not assigned.ok
    assert assigned.message == "Shipment S-2026-001 is cancelled; its crates can no longer change."
    with app.app_context():
        assert get(Crate, ids["crate"]).shipment_id is None


def test_the_same_new_isbn_scanned_at_two_sites_at_once_makes_one_title(app):
    with app.app_context():
        ids = {"user": UserFactory(role=Role.VOLUNTEER).id, "a": SiteFactory().id, "b": SiteFactory().id}
        db.session.commit()

    def scan_at(site: str):
        return lambda: intake.submit_donation(
            site=get(Site, ids[site]), actor=actor(ids), lines=[intake.LineInput(quantity=1, isbn="9780306406157")]
        )

    first, second = race(app, scan_at("a"), scan_at("b"))
    assert first.ok and second.ok
    with app.app_context():
        [title] = db.session.scalars(sa.select(Title)).all()
        lots = db.session.scalars(sa.select(Lot)).all()
        assert title.isbn13 == "9780306406157" and [lot.title_id for lot in lots] == [title.id, title.id]


def test_two_admins_creating_the_same_user_at_once_get_one_user_and_a_clear_message(app):
    with app.app_context():
        ids = {"user": UserFactory(role=Role.ADMIN).id}
        db.session.commit()

    def create(name: str):
        return lambda: users.create_user(
            email="Layla@Example.org", name=name, password="a long enough password", role=Role.VOLUNTEER, actor=actor(ids)
        )

    first, second = race(app, create("Layla"), create("Layla H."))
    assert first.ok and not second.ok
    assert second.message == "A user with the e-mail address layla@example.org already exists."
    with app.app_context():
        assert [u.name for u in db.session.scalars(sa.select(User).where(User.email == "layla@example.org"))] == ["Layla"]


@pytest.fixture
def sorting_ids(app):
    """A donation with one lot of 2 copies and one lot of 1 copy of another book, waiting to be sorted."""
    with app.app_context():
        sorter = UserFactory(role=Role.WAREHOUSE)
        donation = intake.record_donation(site=SiteFactory(), actor=sorter, lines=[
            intake.LineInput(quantity=2, isbn="9780306406157"), intake.LineInput(quantity=1, isbn="9780140449136")])
        db.session.commit()
        return {"user": sorter.id, "donation": donation.id, "two": donation.lots[0].id, "one": donation.lots[1].id}


def _scan_accept(ids, isbn: str):
    return lambda: sorting.accept_scanned(isbn, donation_id=ids["donation"], actor=actor(ids))


def test_two_sorters_scanning_the_same_book_at_once_each_take_one_copy(app, sorting_ids):
    first, second = race(app, _scan_accept(sorting_ids, "9780306406157"), _scan_accept(sorting_ids, "9780306406157"))
    assert first.ok and second.ok
    with app.app_context():
        lots = db.session.scalars(sa.select(Lot).join(Lot.title).where(Title.isbn13 == "9780306406157")).all()
        assert sorted((lot.status.value, lot.quantity) for lot in lots) == [("accepted", 1), ("accepted", 1)]


def test_the_last_copy_scanned_by_two_sorters_at_once_is_accepted_once(app, sorting_ids):
    first, second = race(app, _scan_accept(sorting_ids, "9780140449136"), _scan_accept(sorting_ids, "9780140449136"))
    assert first.ok and not second.ok
    assert second.message == "No copy of ISBN 9780140449136 is waiting to be sorted in this donation: nothing was accepted."
    with app.app_context():
        lot = get(Lot, sorting_ids["one"])
        assert (lot.status.value, lot.quantity) == ("accepted", 1)
        assert actions("Lot", lot.id, "lot.accepted") == 1


def test_a_whole_donation_accepted_while_a_book_of_it_is_scanned_loses_no_copy(app, sorting_ids):
    first, second = race(
        app, _scan_accept(sorting_ids, "9780306406157"),
        lambda: sorting.accept_donation(get(Donation, sorting_ids["donation"]), actor=actor(sorting_ids)),
    )
    assert first.ok and second.ok
    with app.app_context():
        lots = db.session.scalars(sa.select(Lot).where(Lot.donation_id == sorting_ids["donation"])).all()
        assert sorted((lot.status.value, lot.quantity) for lot in lots) == [("accepted", 1), ("accepted", 1), ("accepted", 1)]


@pytest.fixture
def arriving_ids(app):
    """A dispatched shipment of two sealed crates to the institution of a recipient's librarian."""
    with app.app_context():
        librarian = UserFactory(role=Role.RECIPIENT)
        coordinator = UserFactory(role=Role.COORDINATOR)
        shipment = shipment_of(sealed_crate(4, actor=coordinator), sealed_crate(6, actor=coordinator), mode="road",
                               actor=coordinator, recipient=librarian.recipient)
        for status in (S.PACKING, S.READY, S.DISPATCHED):
            shipping.change_status(shipment, status, actor=coordinator)
        db.session.commit()
        return {"user": librarian.id, "shipment": shipment.id, "crates": [c.id for c in shipment.crates]}


def check_in(ids, crate: int, outcome: str = "received"):
    return lambda: receiving.check_in(get(Shipment, ids["shipment"]), get(Crate, ids["crates"][crate]),
                                      outcome=CrateOutcome(outcome), actor=actor(ids))


def test_the_last_two_crates_checked_in_at_once_deliver_the_shipment_once(app, arriving_ids):
    ids = arriving_ids
    first, second = race(app, check_in(ids, 0), check_in(ids, 1, "missing"))
    assert first.ok and second.ok
    with app.app_context():
        history = db.session.scalars(
            sa.select(ShipmentEvent.to_status).where(ShipmentEvent.shipment_id == ids["shipment"]).order_by(ShipmentEvent.id)
        ).all()
        assert get(Shipment, ids["shipment"]).status is S.DELIVERED
        assert history.count(S.DELIVERED) == 1 and history[-1] is S.DELIVERED
        assert actions("Shipment", ids["shipment"], "shipment.crate_checked_in") == 2


def test_one_crate_scanned_by_two_people_at_once_has_one_receipt_the_second_a_correction(app, arriving_ids):
    ids = arriving_ids
    first, second = race(app, check_in(ids, 0), check_in(ids, 0, "missing"))
    assert first.ok and second.ok
    with app.app_context():
        receipts = db.session.scalars(sa.select(CrateReceipt)).all()
        assert [(r.crate_id, r.outcome.value, r.copies_missing) for r in receipts] == [(ids["crates"][0], "missing", 4)]
        assert actions("Crate", ids["crates"][0], "crate.checked_in") == 1
        assert actions("Crate", ids["crates"][0], "crate.checked_in_again") == 1
        assert get(Shipment, ids["shipment"]).status is S.DISPATCHED
