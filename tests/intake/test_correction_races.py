"""Voiding a donation while a sorter sorts it, or while another coordinator corrects it: exactly one wins.

Each race runs on SQLite and on PostgreSQL with two connections (tests/races.py). On PostgreSQL the void locks the
donation, then every lot of it: a sort holding a lot makes the void wait and then refuse, and a piece a sort split
off meanwhile (a new row referring to the donation) makes the donation's lock wait until the piece can be seen.
Without the donation's lock, a void and a partial sort both succeed and copies are sorted out of a voided donation.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake import corrections, services
from books2iraq.intake.models import Donation, DonationCorrection, Lot, LotStatus
from books2iraq.reports import accounting
from books2iraq.sorting import services as sorting
from tests.factories import SiteFactory, TitleFactory, UserFactory
from tests.races import race


@pytest.fixture
def ids(app) -> dict[str, int]:
    """A donation of one lot of 5 catalogued copies, waiting to be sorted; a coordinator and a sorter."""
    with app.app_context():
        donation = services.record_donation(
            site=SiteFactory(), actor=UserFactory(role=Role.VOLUNTEER),
            lines=[services.LineInput(quantity=5, title=TitleFactory())],
        )
        made = {
            "donation": donation.id,
            "lot": donation.lots[0].id,
            "coordinator": UserFactory(role=Role.COORDINATOR).id,
            "sorter": UserFactory(role=Role.WAREHOUSE).id,
        }
        db.session.commit()
        return made


def void(ids, reason="Recorded in error"):
    return lambda: corrections.void_donation(
        db.session.get(Donation, ids["donation"]), actor=db.session.get(User, ids["coordinator"]), reason=reason
    )


def accept(ids, quantity=None):
    return lambda: sorting.accept(
        db.session.get(Lot, ids["lot"]), actor=db.session.get(User, ids["sorter"]), quantity=quantity
    )


def state(app, ids) -> tuple[bool, list[tuple[LotStatus, int]], int]:
    """(voided, [(status, copies) of each lot], corrections), and the accounts must balance."""
    with app.app_context():
        donation = db.session.get(Donation, ids["donation"])
        assert accounting.unbalanced_donations() == []
        lots = db.session.scalars(sa.select(Lot).where(Lot.donation_id == donation.id).order_by(Lot.id)).all()
        n = db.session.scalar(sa.select(sa.func.count()).select_from(DonationCorrection))
        return donation.voided, [(lot.status, lot.quantity) for lot in lots], n


def test_a_sort_after_a_void_finds_the_lot_void(app, ids):
    voided, accepted = race(app, void(ids), accept(ids))
    assert voided.ok and not accepted.ok
    assert accepted.message == f"Lot {ids['lot']} is void; only received lots can be accepted."
    assert state(app, ids) == (True, [(LotStatus.VOID, 0)], 1)


@pytest.mark.parametrize("quantity", [None, 2], ids=["the whole lot", "part of it"])
def test_a_void_after_a_sort_is_refused(app, ids, quantity):
    """Accepting part of the lot splits a new lot off it, which the void did not see when it began."""
    accepted, voided = race(app, accept(ids, quantity), void(ids))
    assert accepted.ok and not voided.ok
    n = quantity or 5
    assert voided.message.startswith("Donation D-") and f"{n} copies of it are sorted already." in voided.message
    left = [(LotStatus.RECEIVED, 5 - n)] if quantity else []
    assert state(app, ids) == (False, [*left, (LotStatus.ACCEPTED, n)], 0)


def test_two_voids_at_once_void_once(app, ids):
    first, second = race(app, void(ids, "Entered twice"), void(ids, "A test entry"))
    assert first.ok and not second.ok
    assert "was voided on" in second.message and "(Entered twice); it cannot be corrected any more." in second.message
    assert state(app, ids) == (True, [(LotStatus.VOID, 0)], 1)


def test_a_line_added_while_the_donation_is_voided_is_refused(app, ids):
    def add():
        return corrections.add_line(
            db.session.get(Donation, ids["donation"]), actor=db.session.get(User, ids["coordinator"]), reason="Forgotten",
            line=services.LineInput(quantity=3, description="A bag"),
        )

    voided, added = race(app, void(ids), add)
    assert voided.ok and not added.ok and "it cannot be corrected any more." in added.message
    assert state(app, ids) == (True, [(LotStatus.VOID, 0)], 1)
