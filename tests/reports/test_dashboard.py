from __future__ import annotations

import re
from datetime import date

from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake.models import Disposition, RejectReason
from books2iraq.reports import accounting, dashboard, tallies
from books2iraq.shipping.models import ShipmentStatus as S
from books2iraq.sorting import services as sorting
from tests.factories import (
    RecipientFactory,
    SiteFactory,
    UserFactory,
    advance,
    donation,
    sealed_crate,
    shipment_of,
)

TO_DISPATCHED = (S.PACKING, S.READY, S.DISPATCHED)
TO_DELIVERED = (*TO_DISPATCHED, S.AT_CUSTOMS, S.CLEARED, S.DELIVERED)


def sorted_donation(received: int, rejected: int, *, site=None, reason=RejectReason.WATER_DAMAGED):
    """A donation of `received` copies of one title: `rejected` of them rejected, the rest accepted."""
    sorter = UserFactory(role=Role.WAREHOUSE)
    gift = donation(received, site=site, actor=sorter)
    lot = gift.lots[0]
    sorting.reject(lot, reason=reason, disposition=Disposition.RECYCLE, quantity=rejected, actor=sorter)
    sorting.accept(lot, actor=sorter)
    return gift


def bar_values(html: str, chart: str) -> dict[str, int]:
    block = re.search(rf'<ul class="bars" data-chart="{chart}">(.*?)</ul>', html, re.S)
    assert block, f"no chart {chart}"
    return {key: int(value) for key, value in re.findall(r'data-key="([^"]+)" data-value="(\d+)"', block.group(1))}


def test_every_copy_is_in_exactly_one_stage(ctx):
    london, leeds = SiteFactory(name="London"), SiteFactory(name="Leeds")
    sorted_donation(12, 2, site=london)
    sorted_donation(4, 1, site=leeds, reason=RejectReason.MOULD)
    donation(3, site=leeds)  # not sorted yet
    miscounted = donation(1, site=leeds).lots[0]
    sorting.correct_count(miscounted, counted=0, reason="empty bag", actor=UserFactory(role=Role.WAREHOUSE))
    shipment_of(sealed_crate(4))  # planned: its copies are packed, not shipped
    advance(shipment_of(sealed_crate(5), mode="road"), *TO_DISPATCHED)
    advance(shipment_of(sealed_crate(2, 4), mode="air"), *TO_DELIVERED)
    cancelled = advance(shipment_of(sealed_crate(7)), S.CANCELLED)  # its crate is released: packed again

    stages = {"received": 3, "accepted": 13, "packed": 11, "shipped": 5, "delivered": 6, "rejected": 3}
    assert tallies.stages() == stages == accounting.copies_per_stage()  # kept as it went == counted again
    figures = dashboard.build()
    assert figures.copies_held == 41
    assert [(bar.key, bar.value) for bar in figures.reject_reasons] == [("water_damaged", 2), ("mould", 1)]
    assert figures.reject_reasons[0].label == "water damaged" and figures.reject_reasons[0].percent == 100.0
    assert figures.reject_reasons[1].percent == 50.0
    per_site = {bar.label: bar.value for bar in figures.per_site}
    assert per_site["London"] == 12 and per_site["Leeds"] == 8  # as handed over, before the correction
    assert sum(per_site.values()) == 42 and figures.per_site[0].value == 12
    board = dict(figures.board)
    assert list(board) == list(S)
    assert [len(board[s]) for s in (S.PLANNED, S.DISPATCHED, S.DELIVERED, S.CANCELLED, S.PACKING)] == [1, 1, 1, 1, 0]
    ((_, totals),) = board[S.DELIVERED]
    assert (totals.crates, totals.copies) == (1, 6)
    assert board[S.CANCELLED][0][0] is cancelled and board[S.CANCELLED][0][1].copies == 0


def test_copies_per_iso_week_over_the_last_twelve_weeks(ctx):
    today = date(2030, 1, 9)  # a Wednesday in ISO week 2030-W02
    for received_on, copies in [
        (date(2030, 1, 9), 4),
        (date(2030, 1, 7), 1),  # the same week's Monday
        (date(2029, 12, 31), 6),  # a Monday that is in ISO week 2030-W01
        (date(2029, 12, 30), 2),  # the Sunday before: 2029-W52
        (date(2029, 10, 22), 3),  # Monday of the oldest week shown, 2029-W43
        (date(2029, 10, 21), 50),  # one day too old
        (date(2030, 1, 14), 70),  # next week: not yet
    ]:
        donation(copies).received_on = received_on
    db.session.flush()
    weeks = dashboard.received_per_week(today)
    assert len(weeks) == 12
    assert weeks[0] == ("2029-W43", "2029-W43 (from 22 Oct)", 3)
    assert [(key, n) for key, _, n in weeks[-3:]] == [("2029-W52", 2), ("2030-W01", 6), ("2030-W02", 5)]
    assert sum(n for _, _, n in weeks) == 16


def test_bars_are_scaled_to_the_longest_and_survive_all_zero():
    assert [b.percent for b in dashboard.bars([("a", "A", 4), ("b", "B", 1), ("c", "C", 0)])] == [100.0, 25.0, 0.0]
    assert [b.percent for b in dashboard.bars([("a", "A", 0)])] == [0.0]
    assert dashboard.bars([]) == []


def test_the_dashboard_page_shows_what_was_set_up(app, client, auth, users):
    with app.app_context():
        sorted_donation(12, 2, site=SiteFactory(name="Erbil drive"))
        recipient = RecipientFactory(name_en="University of Mosul", name_ar="جامعة الموصل")
        ref = advance(shipment_of(sealed_crate(3, 4), recipient=recipient, mode="road"), *TO_DISPATCHED).ref
        db.session.commit()
    auth.login(Role.COORDINATOR)
    html = client.get("/reports/").get_data(as_text=True)
    stages = bar_values(html, "stages")
    assert stages == {"received": 0, "accepted": 10, "packed": 0, "shipped": 7, "delivered": 0, "rejected": 2}
    assert bar_values(html, "reasons") == {"water_damaged": 2}
    assert '<span class="bar-label">water damaged</span>' in html
    assert bar_values(html, "sites")["Erbil drive"] == 12
    assert len(bar_values(html, "weeks")) == 12 and sum(bar_values(html, "weeks").values()) == 19
    column = re.search(r'<section class="board-column" data-status="dispatched">(.*?)</section>', html, re.S).group(1)
    assert ref in column and "University of Mosul" in column and "جامعة الموصل" in column
    assert "1 crate · 7 copies" in column
    assert "/reports/export/lots.csv" in html


def test_an_empty_dashboard_renders(client, auth, users):
    auth.login(Role.ADMIN)
    html = client.get("/reports/").get_data(as_text=True)
    assert "No donations yet." in html and "Nothing rejected." in html
    assert set(bar_values(html, "stages").values()) == {0}
