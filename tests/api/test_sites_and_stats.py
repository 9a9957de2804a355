"""The sites list, and the pipeline figures for coordinators."""
from __future__ import annotations

from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake.models import Disposition, RejectReason
from books2iraq.sites.models import SiteKind
from books2iraq.sorting import services as sorting
from tests.factories import (
    SiteFactory,
    UserFactory,
    WarehouseFactory,
    donation,
    sealed_crate,
    shipment_of,
)


def test_sites_open_ones_first(app, api):
    with app.app_context():
        SiteFactory(name="York", active=False)
        SiteFactory(name="Leeds")
        WarehouseFactory(name="Birmingham")
        db.session.commit()
    got = api.get("/sites", role=Role.VOLUNTEER).get_json()["sites"]
    assert [(s["name"], s["kind"], s["active"]) for s in got] == [
        ("Birmingham", SiteKind.WAREHOUSE.value, True), ("Leeds", "drop_off", True), ("York", "drop_off", False)
    ]


def test_stats_count_every_copy_once(app, api):
    with app.app_context():
        leeds = SiteFactory(name="Leeds")
        received = donation(5, 7, site=leeds)
        sorter = UserFactory(role=Role.WAREHOUSE)
        sorting.reject(received.lots[1], reason=RejectReason.MOULD, disposition=Disposition.DISCARD, quantity=2, actor=sorter)
        shipment_of(sealed_crate(10))
        db.session.commit()
    got = api.get("/stats", role=Role.COORDINATOR).get_json()
    assert got["stages"] == {"received": 10, "accepted": 0, "packed": 10, "shipped": 0, "delivered": 0, "rejected": 2}
    assert got["copies_held"] == 22 == sum(got["stages"].values())
    assert got["received_per_site"][0] == {"site": "Leeds", "copies": 12}
    assert sum(w["copies"] for w in got["received_per_week"]) == 22 and len(got["received_per_week"]) == 12
    assert got["reject_reasons"] == {"mould": 2}
    assert got["shipments"]["planned"] == 1 and sum(got["shipments"].values()) == 1
    assert got["unbalanced_donations"] == 0
