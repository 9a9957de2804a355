from __future__ import annotations

import pytest

from books2iraq.audit import events_for
from books2iraq.auth.roles import Role
from books2iraq.errors import DomainError, InvalidTransition
from books2iraq.intake import services as intake
from books2iraq.intake.models import (
    CountCorrection,
    Disposition,
    LotStatus,
    RejectReason,
)
from books2iraq.reports.accounting import donation_account
from books2iraq.sorting import services as sorting
from tests.factories import SiteFactory, TitleFactory, UserFactory, donation

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture
def sorter():
    return UserFactory(role=Role.WAREHOUSE)


def test_accepting_part_of_a_lot_splits_it_and_keeps_every_copy(sorter):
    d = donation(12, actor=sorter)
    lot = d.lots[0]
    accepted = sorting.accept(lot, quantity=10, actor=sorter)
    assert (accepted.quantity, accepted.status, accepted.parent_id) == (10, LotStatus.ACCEPTED, lot.id)
    assert (lot.quantity, lot.status) == (2, LotStatus.RECEIVED)
    rejected = sorting.reject(lot, reason=RejectReason.WATER_DAMAGED, disposition=Disposition.RECYCLE, actor=sorter)
    assert rejected is lot and lot.status is LotStatus.REJECTED
    account = donation_account(d)
    assert (account.received, account.accepted, account.rejected, account.unsorted) == (12, 10, 2, 0)
    assert account.balanced
    assert [e.action for e in events_for(lot)] == ["lot.split", "lot.rejected"]
    assert [e.action for e in events_for(accepted)] == ["lot.accepted"]


@pytest.mark.parametrize("quantity", [0, -1, 13, 2.5, True])
def test_impossible_quantities_are_refused(sorter, quantity):
    lot = donation(12, actor=sorter).lots[0]
    with pytest.raises(DomainError):
        sorting.accept(lot, quantity=quantity, actor=sorter)
    assert lot.quantity == 12 and lot.status is LotStatus.RECEIVED


def test_rejecting_for_other_reason_needs_a_note(sorter):
    lot = donation(3, actor=sorter).lots[0]
    with pytest.raises(DomainError, match="Say why"):
        sorting.reject(lot, reason=RejectReason.OTHER, disposition=Disposition.DISCARD, actor=sorter)
    piece = sorting.reject(
        lot, reason=RejectReason.OTHER, disposition=Disposition.DISCARD, note="smells of smoke", actor=sorter
    )
    assert piece.reject_note == "smells of smoke"


def test_a_rejected_lot_is_final(sorter):
    lot = donation(3, actor=sorter).lots[0]
    sorting.reject(lot, reason=RejectReason.MOULD, disposition=Disposition.DISCARD, actor=sorter)
    with pytest.raises(InvalidTransition):
        sorting.accept(lot, actor=sorter)


def test_an_uncatalogued_bag_is_catalogued_piece_by_piece_before_acceptance(sorter):
    d = intake.record_donation(
        site=SiteFactory(), actor=sorter, lines=[intake.LineInput(quantity=30, description="bag of picture books")]
    )
    bag = d.lots[0]
    with pytest.raises(DomainError, match="not catalogued yet"):
        sorting.accept(bag, actor=sorter)
    title = TitleFactory()
    piece = sorting.catalogue(bag, title, quantity=8, actor=sorter)
    assert (piece.quantity, piece.title, piece.description) == (8, title, "bag of picture books")
    assert bag.quantity == 22 and bag.title is None
    sorting.accept(piece, actor=sorter)
    sorting.reject(bag, reason=RejectReason.NOT_WANTED, disposition=Disposition.DONATE_LOCALLY, actor=sorter)
    account = donation_account(d)
    assert (account.accepted, account.rejected, account.unsorted) == (8, 22, 0) and account.balanced


def test_count_corrections_keep_the_books_balanced(sorter):
    d = donation(12, 5, actor=sorter)
    first, second = d.lots
    correction = sorting.correct_count(first, counted=11, reason="miscounted at drop-off", actor=sorter)
    assert correction.delta == -1 and first.quantity == 11
    sorting.correct_count(second, counted=0, reason="line entered twice", actor=sorter)
    assert second.status is LotStatus.VOID
    account = donation_account(d)
    assert (account.received, account.corrections, account.unsorted) == (17, -6, 11)
    assert account.balanced
    assert [e.action for e in events_for(second)] == ["lot.count_corrected"]


@pytest.mark.parametrize(
    ("counted", "reason", "message"),
    [(12, "same", "nothing to correct"), (5, "  ", "Give the reason"), (-1, "x", "0 or more")],
)
def test_bad_corrections_are_refused(sorter, counted, reason, message):
    lot = donation(12, actor=sorter).lots[0]
    with pytest.raises(DomainError, match=message):
        sorting.correct_count(lot, counted=counted, reason=reason, actor=sorter)
    assert lot.quantity == 12
    from books2iraq.extensions import db

    assert db.session.query(CountCorrection).count() == 0


def test_the_queue_lists_received_lots_of_a_site(sorter):
    site = SiteFactory()
    here = donation(3, actor=sorter, site=site)
    donation(4, actor=sorter)
    from books2iraq.paging import paginate

    def page(site_id=None, size=50):
        return paginate(sorting.waiting_lots(site_id), 1, size, lambda result: result.scalars().unique().all())

    assert (page(site.id).items, page(site.id).total) == ([here.lots[0]], 1)
    assert page().total == 2
    assert (page(size=1).items, page(size=1).total) == ([here.lots[0]], 2)


def test_a_packed_lot_cannot_be_accepted_again(sorter):
    from books2iraq.crating import services as crating
    from tests.factories import WarehouseFactory, accepted_lot

    lot = crating.pack(accepted_lot(4, actor=sorter), crating.open_crate(site=WarehouseFactory(), actor=sorter), actor=sorter)
    with pytest.raises(InvalidTransition, match="only received lots can be accepted"):
        sorting.accept(lot, actor=sorter)
    assert lot.status is LotStatus.PACKED and lot.crate is not None
