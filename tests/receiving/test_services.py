"""Checking crates in: what each outcome records, the shipment delivered when the last crate is in, a
correction, the coordinator's word for the rest, who sees which shipment, and the accounting invariant
(copies shipped = received + damaged + missing) on a generated container of crates."""
from __future__ import annotations

import random

import pytest
import sqlalchemy as sa

from books2iraq.audit import AuditEvent, describe, events_for
from books2iraq.auth.roles import Role
from books2iraq.errors import DomainError, InvalidTransition, NotFound
from books2iraq.extensions import db
from books2iraq.intake.models import Lot
from books2iraq.receiving import services as receiving
from books2iraq.receiving.models import CrateOutcome, CrateReceipt
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import ShipmentStatus as S
from tests.factories import RecipientFactory, UserFactory, advance, sealed_crate, shipment_of

R, D, M = CrateOutcome.RECEIVED, CrateOutcome.DAMAGED, CrateOutcome.MISSING
ON_THE_ROAD = (S.PACKING, S.READY, S.DISPATCHED)


def sent(*crates, status=ON_THE_ROAD, recipient=None):
    """A shipment of `crates` (each a tuple of lot quantities), dispatched by road to `recipient`."""
    coordinator = UserFactory(role=Role.COORDINATOR)
    shipment = shipment_of(*[sealed_crate(*q) for q in crates], actor=coordinator, mode="road",
                           recipient=recipient or RecipientFactory())
    return advance(shipment, *status, actor=coordinator)


@pytest.fixture
def librarian(ctx):
    return UserFactory(role=Role.RECIPIENT)


def test_each_outcome_records_what_arrived_and_the_last_crate_delivers_the_shipment(ctx, librarian):
    shipment = sent((10, 5), (8,), (12,), recipient=librarian.recipient)
    first, second, third = shipment.crates
    where = receiving.Where("203.0.113.9", "Phone browser")
    whole = receiving.check_in(shipment, first, outcome=R, actor=librarian, where=where)
    assert (whole.copies_sent, whole.copies_received, whole.copies_damaged, whole.copies_missing) == (15, 15, 0, 0)
    assert shipment.status is S.DISPATCHED and receiving.waiting(shipment) == 2
    wet = receiving.check_in(shipment, second, outcome=D, damaged=3, note="rain", actor=librarian, where=where)
    assert (wet.copies_received, wet.copies_damaged, wet.copies_missing) == (5, 3, 0)
    lost = receiving.check_in(shipment, third, outcome=M, actor=librarian, where=where)
    assert (lost.copies_received, lost.copies_damaged, lost.copies_missing) == (0, 0, 12)
    assert shipment.status is S.DELIVERED
    last = shipment.events[-1]
    assert (last.from_status, last.to_status, last.actor_id) == (S.DISPATCHED, S.DELIVERED, librarian.id)
    assert last.note == "every crate checked in, with discrepancies"
    account = receiving.reconciliation(shipment)
    t = account.totals
    assert (t.sent, t.received, t.damaged, t.missing, t.waiting) == (35, 20, 3, 12, 0)
    assert [row.crate.code for row in account.discrepant] == [second.code, third.code]
    # Who, when, from where: in the audit trail of the crate.
    event = events_for(second)[-1]
    assert event.action == "crate.checked_in" and event.actor_id == librarian.id
    assert event.detail["outcome"] == "damaged" and event.detail["damaged"] == 3
    assert event.detail["address"] == "203.0.113.9" and event.detail["device"] == "Phone browser"
    assert describe(event) == f"Checked in from shipment {shipment.ref} as damaged: 5 received, 3 damaged, 0 missing."
    assert receiving.unbalanced_shipments() == []


def test_a_crate_counted_title_by_title_records_each_title_and_the_rest_as_missing(ctx, librarian):
    shipment = sent((6, 4), (2,), recipient=librarian.recipient)
    crate = shipment.crates[0]
    (a, six), (b, four) = sorted(receiving.titles_in(crate), key=lambda pair: -pair[1])
    assert (six, four) == (6, 4)
    receipt = receiving.check_in(shipment, crate, outcome=R, counts={a.id: (5, 1), b.id: (2, 0)}, actor=librarian)
    assert receipt.outcome is D and receipt.counted
    assert (receipt.copies_sent, receipt.copies_received, receipt.copies_damaged, receipt.copies_missing) == (10, 7, 1, 2)
    lines = {line.title_id: (line.sent, line.received, line.damaged, line.missing) for line in receipt.lines}
    assert lines == {a.id: (6, 5, 1, 0), b.id: (4, 2, 0, 2)}
    rows = {row.title.id: row.totals for row in receiving.reconciliation(shipment).titles}
    assert (rows[b.id].sent, rows[b.id].received, rows[b.id].missing) == (4, 2, 2)


@pytest.mark.parametrize("counts, refusal", [
    ({"a": (7, 0)}, "copies were sent"),
    ({"a": (3, 4)}, "copies were sent"),
    ({"a": (-1, 0)}, "copies were sent"),
    ({"stranger": (1, 0)}, "holds no copies of title no."),
])
def test_counts_that_cannot_be_are_refused_and_nothing_is_written(ctx, librarian, counts, refusal):
    shipment = sent((6,), recipient=librarian.recipient)
    crate = shipment.crates[0]
    (title, _six), = receiving.titles_in(crate)
    given = {title.id if key == "a" else title.id + 1000: value for key, value in counts.items()}
    with pytest.raises(DomainError, match=refusal):
        receiving.check_in(shipment, crate, outcome=R, counts=given, actor=librarian)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CrateReceipt)) == 0


@pytest.mark.parametrize("damaged", [0, 9, -2])
def test_a_damaged_crate_needs_between_one_and_all_of_its_copies(ctx, librarian, damaged):
    shipment = sent((8,), recipient=librarian.recipient)
    with pytest.raises(DomainError, match=r"holds 8 copies: say how many of them are damaged \(1 to 8\)"):
        receiving.check_in(shipment, shipment.crates[0], outcome=D, damaged=damaged, actor=librarian)


def test_a_crate_of_another_shipment_is_refused(ctx, librarian):
    shipment = sent((4,), (4,), recipient=librarian.recipient)
    other = sent((3,))
    with pytest.raises(DomainError, match=r"is not on shipment .*; put it aside and tell the coordinator"):
        receiving.crate_on(shipment, other.crates[0].code)
    with pytest.raises(DomainError, match="is not on shipment"):
        receiving.check_in(shipment, other.crates[0], outcome=R, actor=librarian)
    with pytest.raises(NotFound, match="There is no crate B2I-C-999999"):
        receiving.crate_on(shipment, " b2i-c-999999 ")
    assert receiving.crate_on(shipment, shipment.crates[1].code.lower()) is shipment.crates[1]


@pytest.mark.parametrize("status", [S.PLANNED, S.PACKING, S.READY])
def test_nothing_is_checked_in_before_the_shipment_leaves(ctx, librarian, status):
    path = {S.PLANNED: (), S.PACKING: (S.PACKING,), S.READY: (S.PACKING, S.READY)}[status]
    shipment = sent((4,), status=path, recipient=librarian.recipient)
    with pytest.raises(InvalidTransition, match="its crates are checked in once it has left the warehouse"):
        receiving.check_in(shipment, shipment.crates[0], outcome=R, actor=librarian)


def test_a_check_in_corrected_keeps_the_earlier_figures_in_the_audit_and_delivery_happens_once(ctx, librarian):
    shipment = sent((5,), recipient=librarian.recipient)
    crate = shipment.crates[0]
    receiving.check_in(shipment, crate, outcome=R, actor=librarian)
    assert shipment.status is S.DELIVERED
    receiving.check_in(shipment, crate, outcome=D, damaged=2, note="found two wet at the bottom", actor=librarian)
    receipt = receiving.receipt_of(crate)
    assert (receipt.copies_received, receipt.copies_damaged, receipt.note) == (3, 2, "found two wet at the bottom")
    again = events_for(crate)[-1]
    assert again.action == "crate.checked_in_again"
    assert again.detail["before"] == {"outcome": "received", "sent": 5, "received": 5, "damaged": 0, "missing": 0}
    assert [e.to_status for e in shipment.events].count(S.DELIVERED) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CrateReceipt)) == 1


def test_the_coordinator_marking_it_delivered_checks_in_the_rest_as_received_in_their_name(ctx, librarian):
    shipment = sent((5,), (7,), (9,), recipient=librarian.recipient)
    coordinator = UserFactory(role=Role.COORDINATOR)
    receiving.check_in(shipment, shipment.crates[0], outcome=M, actor=librarian)
    shipping.change_status(shipment, S.DELIVERED, actor=coordinator)
    receipts = {r.crate_id: r for r in db.session.scalars(sa.select(CrateReceipt))}
    assert [(receipts[c.id].outcome, receipts[c.id].checked_by_id) for c in shipment.crates] == [
        (M, librarian.id), (R, coordinator.id), (R, coordinator.id)]
    t = receiving.reconciliation(shipment).totals
    assert (t.sent, t.received, t.missing) == (21, 16, 5)
    assert receiving.unbalanced_shipments() == []


def test_a_recipient_sees_only_its_own_shipments_once_they_have_left(ctx, librarian):
    own = sent((2,), recipient=librarian.recipient)
    at_home = sent((2,), status=(S.PACKING, S.READY), recipient=librarian.recipient)
    others = sent((2,))
    seen = db.session.scalars(receiving.shipments_for(librarian)).all()
    assert seen == [own]
    with pytest.raises(NotFound):
        receiving.shipment_for(librarian, others.ref)
    with pytest.raises(NotFound):
        receiving.shipment_for(librarian, at_home.ref)
    coordinator = UserFactory(role=Role.COORDINATOR)
    assert set(db.session.scalars(receiving.shipments_for(coordinator))) == {own, others}


def test_check_accounts_finds_a_receipt_that_no_longer_adds_up(ctx, librarian):
    shipment = sent((5,), (6,), recipient=librarian.recipient)
    receiving.check_in(shipment, shipment.crates[0], outcome=R, actor=librarian)
    receipt = receiving.receipt_of(shipment.crates[0])
    lot = db.session.scalars(sa.select(Lot).where(Lot.crate_id == shipment.crates[0].id)).one()
    lot.quantity = 4  # a copy taken out of the records behind the receipt's back
    db.session.flush()
    assert [a.problem for a in receiving.unbalanced_shipments()] == [
        f"crate {receipt.crate.code}: 5 checked in as sent, 4 packed in it"]
    lot.quantity = 5
    shipment.status = S.DELIVERED  # delivered with a crate never checked in
    db.session.flush()
    assert [a.problem for a in receiving.unbalanced_shipments()] == [
        f"delivered, but crate {shipment.crates[1].code} was never checked in"]


def test_a_generated_container_balances_whatever_arrived(ctx):
    """120 crates of 1-4 lots, each checked in at random: whole, damaged, missing or counted by title;
    the reconciliation's totals equal sums computed here from what was said, and check-accounts holds."""
    rng = random.Random(17)
    librarian = UserFactory(role=Role.RECIPIENT)
    shipment = sent(*[tuple(rng.randint(1, 12) for _ in range(rng.randint(1, 4))) for _ in range(120)],
                    recipient=librarian.recipient)
    expected = {"sent": 0, "received": 0, "damaged": 0, "missing": 0}
    for crate in shipment.crates:
        titles = receiving.titles_in(crate)
        copies = sum(n for _title, n in titles)
        expected["sent"] += copies
        kind = rng.choice(["whole", "whole", "damaged", "missing", "counted"])
        if kind == "whole":
            receiving.check_in(shipment, crate, outcome=R, actor=librarian)
            expected["received"] += copies
        elif kind == "damaged":
            hurt = rng.randint(1, copies)
            receiving.check_in(shipment, crate, outcome=D, damaged=hurt, actor=librarian)
            expected["received"] += copies - hurt
            expected["damaged"] += hurt
        elif kind == "missing":
            receiving.check_in(shipment, crate, outcome=M, actor=librarian)
            expected["missing"] += copies
        else:
            counts = {}
            for title, n in titles:
                got = rng.randint(0, n)
                hurt = rng.randint(0, n - got)
                counts[title.id] = (got, hurt)
                expected["received"] += got
                expected["damaged"] += hurt
                expected["missing"] += n - got - hurt
            receiving.check_in(shipment, crate, outcome=R, counts=counts, actor=librarian)
    assert shipment.status is S.DELIVERED
    t = receiving.reconciliation(shipment).totals
    assert {"sent": t.sent, "received": t.received, "damaged": t.damaged, "missing": t.missing} == expected
    assert expected["sent"] == expected["received"] + expected["damaged"] + expected["missing"]
    assert receiving.unbalanced_shipments() == []
    checked = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "crate.checked_in"))
    assert checked == 120
