"""Crates through the API: open at a warehouse, pack by lot or by ISBN, seal with a weight."""
from __future__ import annotations

import pytest

from books2iraq import audit
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.crating.models import CrateStatus
from books2iraq.extensions import db
from books2iraq.intake.models import LotStatus
from books2iraq.sorting import services as sorting
from tests.api.conftest import error, row_counts
from tests.factories import (
    SiteFactory,
    TitleFactory,
    UserFactory,
    WarehouseFactory,
    donation,
)

CODE = "B2I-C-000001"


@pytest.fixture
def setup(app) -> dict[str, int]:
    """A warehouse, a drop-off point, and accepted copies of one title in two lots (4 + 6)."""
    with app.app_context():
        packer = UserFactory(role=Role.WAREHOUSE)
        title = TitleFactory(isbn13="9780306406157", title="Physics")
        lot_ids = []
        for quantity in (4, 6):
            lot = donation(quantity, actor=packer).lots[0]
            lot.title = title
            lot_ids.append(sorting.accept(lot, actor=packer).id)
        ids = {"warehouse": WarehouseFactory(name="Birmingham").id, "drop_off": SiteFactory().id, "lot": lot_ids[0]}
        db.session.commit()
        return ids


def test_open_pack_and_seal_a_crate(app, api, users, setup):
    response = api.post("/crates", {"site_id": setup["warehouse"]}, role=Role.WAREHOUSE)
    assert response.status_code == 201
    assert response.get_json() | {"site": None} == {
        "code": CODE, "status": "open", "site": None, "copies": 0, "gross_kg": None, "length_cm": None, "width_cm": None,
        "height_cm": None, "volume_m3": None, "sealed_at": None, "shipment_ref": None, "lots": [],
    }
    packed = api.post(f"/crates/{CODE}/lots", {"lot_id": setup["lot"], "quantity": 3}, role=Role.WAREHOUSE).get_json()
    assert packed["copies"] == 3 and [(lot["quantity"], lot["status"], lot["crate_code"]) for lot in packed["lots"]] == [(3, "packed", CODE)]
    packed = api.post(f"/crates/{CODE.lower()}/lots", {"isbn": "0306406152", "quantity": 5}, role=Role.WAREHOUSE).get_json()
    # FIFO: the last copy of the first lot, then 4 of the second (split off); the lots read in id order
    assert packed["copies"] == 8 and [lot["quantity"] for lot in packed["lots"]] == [1, 3, 4]
    sealed = api.post(f"/crates/{CODE}/seal", {"gross_kg": 9.5, "length_cm": 60, "width_cm": 40, "height_cm": 40}, role=Role.WAREHOUSE)
    assert sealed.status_code == 200
    got = sealed.get_json()
    assert (got["status"], got["gross_kg"], got["volume_m3"], got["sealed_at"] is not None) == ("sealed", "9.50", "0.096", True)
    assert api.get(f"/crates/{CODE}", role=Role.WAREHOUSE).get_json() == got
    with app.app_context():
        crate = crating.get_by_code(CODE)
        assert crate.status is CrateStatus.SEALED and crate.copies == 8
        assert all(lot.status is LotStatus.PACKED for lot in crate.lots)
        assert [(e.action, e.actor.email) for e in audit.events_for(crate)] == [
            ("crate.opened", users[Role.WAREHOUSE]),
            ("crate.sealed", users[Role.WAREHOUSE]),
        ]


def test_a_crate_is_opened_only_at_a_warehouse(app, api, setup):
    before = row_counts(app)
    response = api.post("/crates", {"site_id": setup["drop_off"]})
    assert error(response)[0:2] == (422, "refused") and "is not a warehouse; crates are packed at a warehouse." in error(response)[2]
    assert error(api.post("/crates", {"site_id": 999})) == (422, "refused", "There is no site number 999.")
    assert row_counts(app) == before


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("lots", {"isbn": "9780306406157", "quantity": 11}, 422, "Only 10 accepted copies of Physics are waiting to be packed; you asked for 11."),
        ("lots", {"isbn": "9780306406158"}, 422, "ISBN “9780306406158” has a wrong check digit; scan or type it again."),
        ("lots", {"lot_id": 999}, 422, "There is no lot 999."),
        ("seal", {"gross_kg": 5}, 422, f"Crate {CODE} is empty; pack at least one book before sealing."),
    ],
)
def test_refused_packing_and_sealing_write_nothing(app, api, setup, path, body, status, message):
    api.post("/crates", {"site_id": setup["warehouse"]})
    before = row_counts(app)
    assert error(api.post(f"/crates/{CODE}/{path}", body)) == (status, "refused", message)
    assert row_counts(app) == before


def test_a_sealed_crate_takes_no_more_books(api, setup):
    api.post("/crates", {"site_id": setup["warehouse"]})
    api.post(f"/crates/{CODE}/lots", {"isbn": "9780306406157"})
    assert api.post(f"/crates/{CODE}/seal", {"gross_kg": "2.25"}).get_json()["gross_kg"] == "2.25"
    response = api.post(f"/crates/{CODE}/lots", {"isbn": "9780306406157"})
    assert error(response) == (409, "conflict", f"Crate {CODE} is sealed: nothing was packed. Reopen it to pack more "
                                                 "books, or go to another crate (scan its code).")
    assert error(api.post(f"/crates/{CODE}/seal", {"gross_kg": 3})) == (409, "conflict", f"Crate {CODE} is sealed; reopen it before changing what is inside.")


@pytest.mark.parametrize(
    ("path", "body", "fields"),
    [
        ("lots", {"lot_id": 1, "isbn": "9780306406157"}, ["body"]),
        ("lots", {}, ["body"]),
        ("lots", {"lot_id": 1, "quantity": 0}, ["quantity"]),
        ("seal", {"gross_kg": "heavy"}, ["gross_kg"]),
        ("seal", {"gross_kg": 5, "length_cm": 60.5}, ["length_cm"]),
    ],
)
def test_bodies_of_the_wrong_shape(api, setup, path, body, fields):
    api.post("/crates", {"site_id": setup["warehouse"]})
    response = api.post(f"/crates/{CODE}/{path}", body)
    assert error(response)[:2] == (400, "invalid_request")
    assert sorted({d["field"] for d in response.get_json()["error"]["details"]}) == fields


def test_weights_and_dimensions_are_checked_by_the_service(api, setup):
    api.post("/crates", {"site_id": setup["warehouse"]})
    api.post(f"/crates/{CODE}/lots", {"isbn": "9780306406157"})
    assert error(api.post(f"/crates/{CODE}/seal", {"gross_kg": 0}))[2] == "The gross weight must be more than 0 and at most 2,000 kg."
    assert error(api.post(f"/crates/{CODE}/seal", {"gross_kg": 5, "length_cm": 60}))[2] == (
        "Give all three dimensions as whole centimetres between 1 and 1500, or none."
    )


def test_an_unknown_crate_is_not_found(api):
    assert error(api.get("/crates/B2I-C-999999")) == (404, "not_found", "There is no crate B2I-C-999999.")
    assert error(api.post("/crates/B2I-C-999999/seal", {"gross_kg": 1}))[:2] == (404, "not_found")
