"""Random sequences of every operation never create or lose a copy (DESIGN.md: the accounting invariant).

A Hypothesis state machine drives the services as the web pages will: each step is one transaction
that either commits with at least one audit event, or fails with a DomainError and changes nothing.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from books2iraq.audit import AuditEvent
from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.crating.models import Crate, CrateStatus
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.intake import corrections
from books2iraq.intake import services as intake
from books2iraq.intake.models import Disposition, Donation, Lot, LotStatus, RejectReason, Title
from books2iraq.reports import accounting, tallies
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import (
    Recipient,
    Shipment,
    ShipmentStatus,
    TransportMode,
)
from books2iraq.sites.models import Site
from books2iraq.sorting import services as sorting
from tests.factories import (
    RecipientFactory,
    SiteFactory,
    TitleFactory,
    UserFactory,
    WarehouseFactory,
)

# Mostly sensible numbers, sometimes all of a lot (None), sometimes impossible ones.
quantities = st.sampled_from([None, None, 1, 1, 2, 3, 5, 8, 0, -1, 40])
picks = st.integers(min_value=0, max_value=10_000)


def audit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) or 0


class CopiesAreConserved(RuleBasedStateMachine):
    """Every copy that came in is somewhere, with every change in the audit trail."""

    ids: dict[str, int] = {}

    def __init__(self) -> None:
        super().__init__()
        self.donation_ids: list[int] = []
        self.crate_ids: list[int] = []
        self.shipment_ids: list[int] = []
        self.expected_copies = 0  # received plus the corrections this machine made
        self.successes = 0

    # -- helpers ---------------------------------------------------------------------------
    @property
    def actor(self) -> User:
        return db.session.get(User, self.ids["actor"])

    def apply(self, operation, *args, **kwargs):
        """Run one operation as one request: commit with an audit event, or roll back on a DomainError."""
        before = audit_count()
        try:
            result = operation(*args, **kwargs)
        except DomainError:
            db.session.rollback()
            assert audit_count() == before, "a refused operation left an audit event behind"
            return None
        db.session.commit()
        assert audit_count() > before, f"{operation.__name__} changed state without an audit event"
        self.successes += 1
        return result

    def pick_lot(self, n: int, *statuses: LotStatus, catalogued: bool = False) -> Lot | None:
        stmt = sa.select(Lot.id).where(Lot.donation_id.in_(self.donation_ids or [-1])).order_by(Lot.id)
        if catalogued:
            stmt = stmt.where(Lot.title_id.is_not(None))
        if statuses:
            stmt = stmt.where(Lot.status.in_(statuses))
        lot_ids = list(db.session.scalars(stmt))
        return db.session.get(Lot, lot_ids[n % len(lot_ids)]) if lot_ids else None

    def pick_crate(self, n: int, *conditions) -> Crate | None:
        stmt = sa.select(Crate.id).where(Crate.id.in_(self.crate_ids or [-1]), *conditions).order_by(Crate.id)
        crate_ids = list(db.session.scalars(stmt))
        return db.session.get(Crate, crate_ids[n % len(crate_ids)]) if crate_ids else None

    def pick(self, model, ids: list[int], n: int):
        return db.session.get(model, ids[n % len(ids)]) if ids else None

    # -- rules: intake and sorting ---------------------------------------------------------
    @initialize()
    def start(self) -> None:
        self.donate(lines=[(5, True), (9, False)])
        self.open_crate()
        self.create_shipment()

    @precondition(lambda self: len(self.donation_ids) < 4)
    @rule(lines=st.lists(st.tuples(st.integers(min_value=1, max_value=30), st.sampled_from([True, True, False])), min_size=1, max_size=3))
    def donate(self, lines) -> None:
        title = db.session.get(Title, self.ids["title"])
        inputs = [
            intake.LineInput(quantity=q, title=title) if catalogued else intake.LineInput(quantity=q, description="bag")
            for q, catalogued in lines
        ]
        donation = self.apply(
            intake.record_donation, site=db.session.get(Site, self.ids["site"]), lines=inputs, actor=self.actor
        )
        assert donation is not None
        self.donation_ids.append(donation.id)
        self.expected_copies += sum(q for q, _ in lines)

    @rule(n=picks, quantity=quantities)
    def catalogue(self, n, quantity) -> None:
        lot = self.pick_lot(n, LotStatus.RECEIVED)
        if lot is not None:
            self.apply(sorting.catalogue, lot, db.session.get(Title, self.ids["title"]), quantity=quantity, actor=self.actor)

    @rule(n=picks, quantity=quantities)
    def accept(self, n, quantity) -> None:
        lot = self.pick_lot(n, LotStatus.RECEIVED)
        if lot is not None and lot.title_id is None and n % 4:  # mostly catalogued lots; sometimes a bag
            lot = self.pick_lot(n, LotStatus.RECEIVED, catalogued=True)
        if lot is not None:
            self.apply(sorting.accept, lot, quantity=quantity, actor=self.actor)

    @rule(n=picks, quantity=quantities, reason=st.sampled_from(RejectReason), note=st.sampled_from([None, "", "torn"]))
    def reject(self, n, quantity, reason, note) -> None:
        lot = self.pick_lot(n, LotStatus.RECEIVED, LotStatus.ACCEPTED)
        if lot is not None:
            self.apply(
                sorting.reject, lot, quantity=quantity, reason=reason, disposition=Disposition.RECYCLE, note=note,
                actor=self.actor,
            )

    @rule(n=picks, counted=st.integers(min_value=-1, max_value=40))
    def correct_count(self, n, counted) -> None:
        lot = self.pick_lot(n, LotStatus.RECEIVED, LotStatus.ACCEPTED, LotStatus.PACKED)
        if lot is None:
            return
        before = lot.quantity
        if self.apply(sorting.correct_count, lot, counted=counted, reason="recount", actor=self.actor) is not None:
            self.expected_copies += counted - before

    @rule(n=picks)
    def void(self, n) -> None:
        """Void a donation recorded in error (refused once any of it is sorted): its copies are counted away."""
        if not self.donation_ids:
            return
        donation = db.session.get(Donation, self.donation_ids[n % len(self.donation_ids)])
        held = sum(lot.quantity for lot in donation.lots)
        if self.apply(corrections.void_donation, donation, reason="recorded in error", actor=self.actor) is not None:
            self.expected_copies -= held

    @rule(n=picks, days=st.integers(min_value=1, max_value=20))
    def redate(self, n, days) -> None:
        """Correct the day a donation was received: the copies move from one day's total to another's."""
        if not self.donation_ids:
            return
        donation = db.session.get(Donation, self.donation_ids[n % len(self.donation_ids)])
        self.apply(corrections.correct_details, donation, received_on=donation.received_on - timedelta(days=days),
                   reason="typed the wrong day", confirm_date=True, actor=self.actor)

    # -- rules: crating --------------------------------------------------------------------
    @precondition(lambda self: len(self.crate_ids) < 3)
    @rule()
    def open_crate(self) -> None:
        crate = self.apply(crating.open_crate, site=db.session.get(Site, self.ids["warehouse"]), actor=self.actor)
        self.crate_ids.append(crate.id)

    @rule(n=picks, c=picks, quantity=quantities)
    def pack(self, n, c, quantity) -> None:
        lot, crate = self.pick_lot(n, LotStatus.ACCEPTED), self.pick(Crate, self.crate_ids, c)
        if lot is not None and crate is not None:
            self.apply(crating.pack, lot, crate, quantity=quantity, actor=self.actor)

    @rule(n=picks)
    def unpack(self, n) -> None:
        lot = self.pick_lot(n, LotStatus.PACKED)
        if lot is not None:
            self.apply(crating.unpack, lot, actor=self.actor)

    @rule(c=picks, kg=st.sampled_from(["12.5", "31", "7.25", "0", "abc"]))
    def seal(self, c, kg) -> None:
        crate = self.pick_crate(c, Crate.status == CrateStatus.OPEN, Crate.lots.any())
        if crate is not None:
            self.apply(crating.seal, crate, gross_kg=kg, actor=self.actor)

    @rule(c=picks, reason=st.sampled_from(["repack", "repack", ""]))
    def reopen(self, c, reason) -> None:
        crate = self.pick_crate(c, Crate.status == CrateStatus.SEALED)
        if crate is not None:
            self.apply(crating.reopen, crate, reason=reason, actor=self.actor)

    # -- rules: shipping -------------------------------------------------------------------
    @precondition(lambda self: len(self.shipment_ids) < 2)
    @rule()
    def create_shipment(self) -> None:
        shipment = self.apply(
            shipping.create_shipment,
            recipient=db.session.get(Recipient, self.ids["recipient"]),
            mode=TransportMode.ROAD,
            actor=self.actor,
        )
        self.shipment_ids.append(shipment.id)

    @rule(c=picks, s=picks)
    def assign(self, c, s) -> None:
        crate = self.pick_crate(c, Crate.status == CrateStatus.SEALED, Crate.shipment_id.is_(None))
        shipment = self.pick(Shipment, self.shipment_ids, s)
        if crate is not None and shipment is not None:
            self.apply(shipping.assign_crate, shipment, crate, actor=self.actor)

    @rule(c=picks)
    def remove(self, c) -> None:
        crate = self.pick_crate(c, Crate.shipment_id.is_not(None))
        if crate is not None:
            self.apply(shipping.remove_crate, crate.shipment, crate, actor=self.actor)

    @rule(s=picks, valid=st.booleans(), to=st.sampled_from(ShipmentStatus), k=picks)
    def change_status(self, s, valid, to, k) -> None:
        shipment = self.pick(Shipment, self.shipment_ids, s)
        if shipment is None:
            return
        allowed = shipping.next_statuses(shipment)
        if valid and allowed:
            to = allowed[k % len(allowed)]
        self.apply(shipping.change_status, shipment, to, actor=self.actor)

    # -- invariants ------------------------------------------------------------------------
    @invariant()
    def the_dashboards_running_totals_never_drift_from_a_recount(self) -> None:
        assert tallies.read() == tallies.recount()

    @invariant()
    def every_donation_balances(self) -> None:
        for account in accounting.donation_accounts(self.donation_ids):
            assert account.balanced, account

    @invariant()
    def no_copy_is_created_or_lost(self) -> None:
        total = db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(Lot.quantity), 0)).where(Lot.donation_id.in_(self.donation_ids or [-1]))
        )
        assert total == self.expected_copies

    @invariant()
    def shipments_carry_exactly_their_crates(self) -> None:
        copies = {crate.id: n for crate, n in crating.crate_rows(db.session.execute(crating.crates()))}
        for shipment_id in self.shipment_ids:
            shipment = db.session.get(Shipment, shipment_id)
            in_crates = sum(copies[c.id] for c in shipment.crates)
            assert in_crates == sum(lot.quantity for c in shipment.crates for lot in c.lots)
            assert shipping.shipment_totals(shipment).copies == in_crates
            if shipment.status is ShipmentStatus.CANCELLED:
                assert shipment.crates == []
            elif shipment.status not in (ShipmentStatus.PLANNED, ShipmentStatus.PACKING):
                assert shipment.crates and all(c.status.value == "sealed" for c in shipment.crates)


@pytest.mark.slow
def test_random_operations_never_create_or_lose_a_copy(ctx):
    actor = UserFactory(role=Role.ADMIN)
    CopiesAreConserved.ids = {
        "actor": actor.id,
        "site": SiteFactory().id,
        "warehouse": WarehouseFactory().id,
        "title": TitleFactory().id,
        "recipient": RecipientFactory().id,
    }
    db.session.commit()
    run_state_machine_as_test(
        CopiesAreConserved,
        settings=settings(
            max_examples=40,
            stateful_step_count=50,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
