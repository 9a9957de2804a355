"""The dashboard's figures at every status a shipment can stop at.

For each status, one shipment carries one crate of a distinctive number of copies; those copies
must be counted in exactly one stage (the one in the table below), both by
the running totals (`tallies.stages()`), a recount and the rendered page, and the shipment must sit in the board
column of its status and in no other.
"""
from __future__ import annotations

import re

import pytest

from books2iraq.auth.roles import Role
from books2iraq.crating.models import Crate
from books2iraq.extensions import db
from books2iraq.reports import accounting, dashboard, tallies
from books2iraq.shipping.models import ShipmentStatus as S
from tests.factories import advance, sealed_crate, shipment_of
from tests.reports.test_dashboard import bar_values

STAGES = ("received", "accepted", "packed", "shipped", "delivered", "rejected")

# Where the copies of a shipment's crates are counted, for every status the shipment can stop at.
EXPECTED_STAGE = {
    "planned": "packed",
    "packing": "packed",
    "ready": "packed",
    "dispatched": "shipped",
    "in_transit": "shipped",
    "at_customs": "shipped",
    "cleared": "shipped",
    "delivered": "delivered",
    "cancelled": "packed",  # a cancelled shipment releases its crates: packed, not shipped yet
}

# The allowed path from planned to each status.
TO_READY = (S.PACKING, S.READY)
TO_DISPATCHED = (*TO_READY, S.DISPATCHED)
PATH = {
    "planned": (),
    "packing": (S.PACKING,),
    "ready": TO_READY,
    "dispatched": TO_DISPATCHED,
    "in_transit": (*TO_DISPATCHED, S.IN_TRANSIT),
    "at_customs": (*TO_DISPATCHED, S.IN_TRANSIT, S.AT_CUSTOMS),
    "cleared": (*TO_DISPATCHED, S.IN_TRANSIT, S.AT_CUSTOMS, S.CLEARED),
    "delivered": (*TO_DISPATCHED, S.IN_TRANSIT, S.AT_CUSTOMS, S.CLEARED, S.DELIVERED),
    "cancelled": (*TO_READY, S.CANCELLED),
}

COPIES = 23 + 14  # one crate of two lots: 37 copies, a number no other figure on the page has


def test_the_table_covers_every_shipment_status():
    assert set(EXPECTED_STAGE) == {status.value for status in S}
    assert set(PATH) == set(EXPECTED_STAGE)
    assert set(EXPECTED_STAGE.values()) <= set(STAGES)


def board_columns(html: str) -> dict[str, str]:
    columns = dict(re.findall(r'<section class="board-column[^"]*" data-status="([^"]+)">(.*?)</section>', html, re.S))
    assert list(columns) == [status.value for status in S]
    return columns


@pytest.mark.parametrize("status", list(EXPECTED_STAGE))
def test_copies_of_a_shipment_are_in_one_stage_and_it_is_in_one_board_column(status, app, client, auth, users):
    stage = EXPECTED_STAGE[status]
    expected = {key: (COPIES if key == stage else 0) for key in STAGES}
    with app.app_context():
        crate = sealed_crate(23, 14)
        shipment = advance(shipment_of(crate, mode="road"), *PATH[status])
        assert shipment.status.value == status
        ref, crate_id, shipment_id = shipment.ref, crate.id, shipment.id
        db.session.commit()

        on_board = 0 if status == "cancelled" else 1
        assert (db.session.get(Crate, crate_id).shipment_id == shipment_id) == bool(on_board)

        assert tallies.stages() == expected == accounting.copies_per_stage()
        figures = dashboard.build()
        assert {bar.key: bar.value for bar in figures.stages} == expected
        assert figures.copies_held == COPIES
        board = {
            column.value: [(shipment.ref, totals.crates, totals.copies) for shipment, totals in cards]
            for column, cards in figures.board
        }
        assert board == {s.value: ([(ref, on_board, COPIES * on_board)] if s.value == status else []) for s in S}

    auth.login(Role.COORDINATOR)
    response = client.get("/reports/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert bar_values(html, "stages") == expected
    columns = board_columns(html)
    assert [column for column, content in columns.items() if ref in content] == [status]
    card = "1 crate · 37 copies" if on_board else "0 crates · 0 copies"
    assert card in columns[status]
