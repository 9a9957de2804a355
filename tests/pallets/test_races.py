"""Two people acting on one pallet or one crate of it at the same moment, on SQLite and on PostgreSQL
with two connections (tests/races.py): the pallet's row lock (its state machine) and the crate's make
the second wait for the first and then see what it did."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from books2iraq.audit import AuditEvent
from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.crating.models import Crate
from books2iraq.extensions import db
from books2iraq.pallets import services as pallets
from books2iraq.pallets.models import Pallet
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import Shipment
from tests.factories import UserFactory, WarehouseFactory, sealed_crate, shipment_of
from tests.races import race


def get(model, id_):
    return db.session.get(model, id_)


@pytest.fixture
def ids(app):
    """Two open pallets at one warehouse, a sealed crate waiting there, a sealed pallet of two crates
    (B2I-P-000003), and two planned shipments."""
    with app.app_context():
        packer = UserFactory(role=Role.ADMIN)
        site = WarehouseFactory()
        first, second = (pallets.open_pallet(site=site, actor=packer) for _ in range(2))
        crate = sealed_crate(4, site=site, actor=packer)
        full = pallets.open_pallet(site=site, actor=packer)
        for _ in range(2):
            pallets.put_on(full, sealed_crate(3, site=site, actor=packer), actor=packer)
        pallets.seal(full, gross_kg="60", length_cm=120, width_cm=80, height_cm=70, actor=packer)
        one, other = shipment_of(actor=packer), shipment_of(actor=packer)
        db.session.commit()
        return {"user": packer.id, "first": first.id, "second": second.id, "crate": crate.id, "full": full.id,
                "one": one.id, "other": other.id}


def put_on(ids, pallet):
    return lambda: pallets.put_on(get(Pallet, ids[pallet]), get(Crate, ids["crate"]), actor=get(User, ids["user"]))


def load(ids, shipment):
    return lambda: shipping.assign_pallet(get(Shipment, ids[shipment]), get(Pallet, ids["full"]), actor=get(User, ids["user"]))


def test_one_crate_put_on_two_pallets_at_once_goes_on_one(app, ids):
    first, second = race(app, put_on(ids, "first"), put_on(ids, "second"))
    assert first.ok and not second.ok
    assert second.message == "Crate B2I-C-000001 is on pallet B2I-P-000001 already."
    with app.app_context():
        assert get(Crate, ids["crate"]).pallet_id == ids["first"]
        added = db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "crate.stacked"))
        assert added == 1 + 2  # this race's, and the full pallet's two


def test_one_pallet_loaded_onto_two_shipments_at_once_goes_on_one_with_all_its_crates(app, ids):
    first, second = race(app, load(ids, "one"), load(ids, "other"))
    assert first.ok and not second.ok
    assert second.message == "Pallet B2I-P-000003 is already on shipment S-2026-001."
    with app.app_context():
        pallet = get(Pallet, ids["full"])
        assert pallet.shipment_id == ids["one"] and {c.shipment_id for c in pallet.crates} == {ids["one"]}
        assert shipping.shipment_totals(get(Shipment, ids["other"])).crates == 0


def test_a_crate_put_on_a_pallet_being_sealed_is_refused(app, ids):
    def seal():
        pallet = get(Pallet, ids["first"])
        pallets.put_on(pallet, get(Crate, ids["crate"]), actor=get(User, ids["user"]))
        return pallets.seal(pallet, gross_kg="30", length_cm=120, width_cm=80, height_cm=50, actor=get(User, ids["user"]))

    with app.app_context():  # a second crate waiting, to go on the pallet being sealed
        late = sealed_crate(2, site=get(Pallet, ids["first"]).site).id
        db.session.commit()
    sealed, added = race(app, seal, lambda: pallets.put_on(get(Pallet, ids["first"]), get(Crate, late),
                                                           actor=get(User, ids["user"])))
    assert sealed.ok and not added.ok
    assert added.message == "Pallet B2I-P-000001 is sealed; reopen it before putting crates on or taking them off."
    with app.app_context():
        assert [c.id for c in get(Pallet, ids["first"]).crates] == [ids["crate"]] and get(Crate, late).pallet_id is None
