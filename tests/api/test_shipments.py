"""Shipments through the API: plan, assign sealed crates, move through the statuses."""
from __future__ import annotations

from datetime import date

import pytest

from books2iraq import audit
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.extensions import db
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import ShipmentStatus, TransportMode
from tests.api.conftest import error, row_counts
from tests.factories import (
    RecipientFactory,
    UserFactory,
    WarehouseFactory,
    sealed_crate,
)

REF = f"S-{date.today().year}-001"


@pytest.fixture
def setup(app) -> dict[str, object]:
    """A recipient, two sealed crates (10 and 3 + 4 copies) and an open one."""
    with app.app_context():
        recipient = RecipientFactory(name_en="University of Duhok", city="Duhok")
        crates = [sealed_crate(10, gross_kg="20.5"), sealed_crate(3, 4, gross_kg="12")]
        open_crate = crating.open_crate(site=WarehouseFactory(), actor=UserFactory(role=Role.WAREHOUSE))
        db.session.commit()
        return {"recipient": recipient.id, "crates": [c.code for c in crates], "open": open_crate.code}


def test_plan_load_and_dispatch_a_shipment(app, api, users, setup):
    body = {"recipient_id": setup["recipient"], "mode": "sea", "container_no": "csqu 305438 3", "incoterm": "CPT", "planned_departure": "2026-05-01"}
    response = api.post("/shipments", body, role=Role.COORDINATOR)
    assert response.status_code == 201, response.get_json()
    got = response.get_json()
    assert (got["ref"], got["status"], got["mode"], got["container_no"], got["incoterm"], got["planned_departure"]) == (
        REF, "planned", "sea", "CSQU3054383", "CPT", "2026-05-01"
    )
    assert got["recipient"]["name_en"] == "University of Duhok" and got["next_statuses"] == ["packing", "cancelled"]
    for code in setup["crates"]:
        got = api.post(f"/shipments/{REF}/crates", {"code": code.lower()}, role=Role.COORDINATOR).get_json()
    assert [(c["code"], c["copies"], c["gross_kg"]) for c in got["crates"]] == [(setup["crates"][0], 10, "20.50"), (setup["crates"][1], 7, "12.00")]
    assert got["totals"] == {"crates": 2, "copies": 17, "gross_kg": "32.50", "volume_m3": "0.000"}
    for status in ("packing", "ready", "dispatched"):
        got = api.post(f"/shipments/{REF}/status", {"status": status, "location": "Felixstowe"}, role=Role.COORDINATOR).get_json()
    assert got["status"] == "dispatched" and got["next_statuses"] == ["in_transit", "at_customs", "delivered"]
    assert [(e["from_status"], e["to_status"], e["location"]) for e in got["events"]] == [
        (None, "planned", None), ("planned", "packing", "Felixstowe"), ("packing", "ready", "Felixstowe"), ("ready", "dispatched", "Felixstowe")
    ]
    assert api.get(f"/shipments/{REF}", role=Role.COORDINATOR).get_json() == got
    with app.app_context():
        shipment = shipping.get_by_ref(REF)
        assert shipment.status is ShipmentStatus.DISPATCHED and shipment.mode is TransportMode.SEA
        actions = [e.action for e in audit.events_for(shipment)]
        assert actions == ["shipment.created"] + ["shipment.crate_assigned"] * 2 + ["shipment.status_changed"] * 3
        assert {e.actor.email for e in audit.events_for(shipment)} == {users[Role.COORDINATOR]}
        assert {e["by"] for e in got["events"]} == {audit.events_for(shipment)[0].actor.name}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"recipient_id": 999}, "There is no recipient number 999."),
        ({"container_no": "CSQU3054384"}, "Container number “CSQU3054384” is not valid (ISO 6346: 4 letters, 6 digits and a check digit)."),
    ],
)
def test_a_refused_shipment_writes_nothing(app, api, setup, body, message):
    before = row_counts(app)
    assert error(api.post("/shipments", {"recipient_id": setup["recipient"]} | body)) == (422, "refused", message)
    assert row_counts(app) == before


def test_crates_and_statuses_are_refused_with_the_services_words(app, api, setup):
    api.post("/shipments", {"recipient_id": setup["recipient"]})
    before = row_counts(app)
    assert error(api.post(f"/shipments/{REF}/crates", {"code": setup["open"]})) == (
        409, "conflict", f"Crate {setup['open']} is open; seal it before putting it on a shipment."
    )
    assert error(api.post(f"/shipments/{REF}/crates", {"code": "B2I-C-999999"})) == (422, "refused", "There is no crate B2I-C-999999.")
    assert error(api.post(f"/shipments/{REF}/status", {"status": "delivered"})) == (
        409, "conflict", f"Shipment {REF} is planned; it cannot become delivered."
    )
    api.post(f"/shipments/{REF}/status", {"status": "packing"})
    assert error(api.post(f"/shipments/{REF}/status", {"status": "ready"})) == (
        422, "refused", f"Shipment {REF} has no crates; assign sealed crates first."
    )
    with app.app_context():
        assert shipping.get_by_ref(REF).status is ShipmentStatus.PACKING
    assert row_counts(app)["shipment_events"] == before["shipment_events"] + 1


def test_shipment_bodies_of_the_wrong_shape(api, setup):
    response = api.post("/shipments", {"recipient_id": setup["recipient"], "mode": "rail", "planned_departure": "soon", "vessel": 3})
    assert error(response)[:2] == (400, "invalid_request")
    assert sorted(d["field"] for d in response.get_json()["error"]["details"]) == ["mode", "planned_departure", "vessel"]
    assert error(api.post("/shipments/S-1-001/status", {"status": "lost"}))[:2] == (400, "invalid_request")


def test_an_unknown_shipment_is_not_found(api):
    assert error(api.get("/shipments/S-1999-001")) == (404, "not_found", "There is no shipment S-1999-001.")
    assert error(api.post("/shipments/S-1999-001/crates", {"code": "B2I-C-000001"}))[:2] == (404, "not_found")


def test_customs_details_go_in_and_come_out_as_decimal_strings(api, setup):
    body = {"recipient_id": setup["recipient"], "mode": "sea", "incoterm": "CIF", "freight": "2350.00", "insurance": "48",
            "transport_doc_no": "GCLU218E004471", "notify_party": "Al-Rafidain Clearing Agency"}
    made = api.post("/shipments", body, role=Role.COORDINATOR)
    assert made.status_code == 201, made.get_json()
    got = made.get_json()
    assert (got["freight"], got["insurance"], got["transport_doc_no"]) == ("2350.00", "48.00", "GCLU218E004471")
    refused = api.post("/shipments", {**body, "freight": "-1"}, role=Role.COORDINATOR)
    assert refused.status_code == 422 and "The freight amount must be a sum of money" in refused.get_json()["error"]["message"]
