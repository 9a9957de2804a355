"""The warehouse builds a pallet from its pages, and the coordinator loads it onto a shipment by its code;
the pages cost the same SQL statements whatever they hold."""
from __future__ import annotations

from datetime import date

import pytest

from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.pallets import services as pallets
from books2iraq.pallets.models import PalletStatus
from books2iraq.shipping import services as shipping
from tests import pdf
from tests.conftest import answer_yes
from tests.factories import UserFactory, WarehouseFactory, sealed_crate, shipment_of
from tests.queries import statements_for
from tests.reports.test_csv_export import download


@pytest.fixture
def waiting(app):
    """Three sealed crates waiting at a warehouse (10, 10 and 6 copies; 20.5 kg each), and a planned shipment."""
    with app.app_context():
        packer = UserFactory(role=Role.WAREHOUSE)
        site = WarehouseFactory(name="Birmingham")
        crates = [sealed_crate(n, site=site, actor=packer).code for n in (10, 10, 6)]
        shipment = shipment_of()
        db.session.commit()
        return {"site": site.id, "crates": crates, "ref": shipment.ref}


def test_a_pallet_is_built_from_its_page_and_loaded_onto_a_shipment_by_its_code(app, client, auth, waiting):
    auth.login(Role.WAREHOUSE)
    response = auth.post("/pallets/", {"site": str(waiting["site"])})
    page = "/pallets/B2I-P-000001"
    assert response.headers["Location"] == page
    assert client.get("/pallets/find?code=b2i-p-000001").headers["Location"] == page
    html = client.get(page).get_data(as_text=True)
    assert all(f'<option value="{code}">' in html for code in waiting["crates"])  # suggested as the code is typed
    for code in waiting["crates"]:
        html = auth.post(f"{page}/crates", {"code": code.lower()}, page=page, follow_redirects=True).get_data(as_text=True)
        assert f"Crate {code} is on pallet B2I-P-000001 now." in html
    again = auth.post(f"{page}/crates", {"code": waiting["crates"][0]}, page=page)
    assert again.status_code == 422 and f"Crate {waiting['crates'][0]} is on pallet B2I-P-000001 already." in again.get_data(as_text=True)
    question = auth.post(f"{page}/crates/{waiting['crates'][2]}/remove", {}, page=page)
    assert question.status_code == 422 and f"Take crate {waiting['crates'][2]} off pallet B2I-P-000001?" in question.get_data(as_text=True)
    assert "taken off pallet" in answer_yes(client, question, follow_redirects=True).get_data(as_text=True)
    light = auth.post(f"{page}/seal", {"gross_kg": "40", "length_cm": "120", "width_cm": "80", "height_cm": "90"}, page=page)
    assert light.status_code == 422 and "weighs at least its crates, 41.00 kg; you gave 40.00 kg." in light.get_data(as_text=True)
    html = auth.post(f"{page}/seal", {"gross_kg": "63.5", "length_cm": "120", "width_cm": "80", "height_cm": "90"},
                     page=page, follow_redirects=True).get_data(as_text=True)
    assert "Pallet B2I-P-000001 sealed with 2 crates; print its label." in html
    assert 'data-total="copies">20<' in html and "/documents/pallets/B2I-P-000001/label.pdf" in html
    crate_page = client.get(f"/crates/{waiting['crates'][0]}").get_data(as_text=True)
    assert "data-stays-sealed" in crate_page and f"/crates/{waiting['crates'][0]}/reopen" not in crate_page
    assert 'href="/pallets/B2I-P-000001"' in crate_page  # "On pallet B2I-P-000001."
    label = client.get("/documents/pallets/B2I-P-000001/label.pdf")
    assert label.mimetype == "application/pdf" and "2 crates · 20 books" in pdf.text(label.data)

    auth.logout()
    auth.login(Role.COORDINATOR)
    shipment_page = f"/shipping/{waiting['ref']}"
    html = client.get(shipment_page).get_data(as_text=True)
    assert '<option value="B2I-P-000001">' in html and "1 sealed pallet waiting" in html
    html = auth.post(f"{shipment_page}/crates", {"code": "B2I-P-000001"}, page=shipment_page,
                     follow_redirects=True).get_data(as_text=True)
    assert f"Pallet B2I-P-000001 is on {waiting['ref']} now, with its 2 crates." in html
    assert 'data-total="pallets">1<' in html and 'data-total="gross_kg">63.50<' in html
    assert "1 package: 1 pallet." in html
    # A crate on the pallet has no Remove button; asked by hand, the refusal says what to do.
    assert f"/crates/{waiting['crates'][0]}/remove" not in html
    refused = auth.post_without_form(f"{shipment_page}/crates/{waiting['crates'][0]}/remove", {},
                                     follow_redirects=True).get_data(as_text=True)
    assert f"Crate {waiting['crates'][0]} is on pallet B2I-P-000001: take the pallet off, which carries it." in refused
    question = auth.post(f"{shipment_page}/pallets/B2I-P-000001/remove", {}, page=shipment_page)
    assert "Take pallet B2I-P-000001 off shipment" in question.get_data(as_text=True)
    html = answer_yes(client, question, follow_redirects=True).get_data(as_text=True)
    assert f"Pallet B2I-P-000001 taken off {waiting['ref']}." in html
    with app.app_context():
        pallet = pallets.get_by_code("B2I-P-000001")
        assert pallet.status is PalletStatus.SEALED and pallet.shipment is None
        assert shipping.shipment_totals(shipping.get_by_ref(waiting["ref"])).crates == 0
    header, row = download(client, "pallets")
    assert header == ["pallet", "sscc", "status", "warehouse", "crates", "copies", "gross kg", "length cm", "width cm",
                      "height cm", "sealed on", "shipment"]
    assert row == ["B2I-P-000001", "", "sealed", "Birmingham", "2", "20", "63.50", "120", "80", "90",
                   date.today().isoformat(), ""]
    crates = {r[0]: r[-1] for r in download(client, "crates")[1:]}
    assert crates == {waiting["crates"][0]: "B2I-P-000001", waiting["crates"][1]: "B2I-P-000001", waiting["crates"][2]: ""}


def test_the_pallet_pages_cost_the_same_statements_whatever_they_hold(app, client, auth):
    with app.app_context():
        packer = UserFactory(role=Role.WAREHOUSE)
        site = WarehouseFactory()
        small, big = (pallets.open_pallet(site=site, actor=packer) for _ in range(2))
        for pallet, crates in ((small, 1), (big, 12)):
            for _ in range(crates):
                pallets.put_on(pallet, sealed_crate(3, site=site, actor=packer), actor=packer)
            pallets.seal(pallet, gross_kg="300", length_cm=120, width_cm=80, height_cm=150, actor=packer)
        few, many = shipment_of(), shipment_of()
        shipping.assign_pallet(few, small, actor=packer)
        for _ in range(4):
            more = pallets.open_pallet(site=site, actor=packer)
            pallets.put_on(more, sealed_crate(2, site=site, actor=packer), actor=packer)
            pallets.seal(more, gross_kg="30", length_cm=120, width_cm=80, height_cm=50, actor=packer)
            shipping.assign_pallet(many, more, actor=packer)
        shipping.assign_pallet(many, big, actor=packer)
        db.session.commit()
        codes, refs = (small.code, big.code), (few.ref, many.ref)
    auth.login(Role.COORDINATOR)
    assert statements_for(app, client, f"/pallets/{codes[0]}") == statements_for(app, client, f"/pallets/{codes[1]}")
    assert statements_for(app, client, f"/shipping/{refs[0]}") == statements_for(app, client, f"/shipping/{refs[1]}")
    assert statements_for(app, client, "/pallets/") == statements_for(app, client, "/pallets/?status=sealed")
