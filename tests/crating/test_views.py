from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from books2iraq.audit import events_for
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.crating.models import CrateStatus
from books2iraq.extensions import db
from books2iraq.intake import services as intake_services
from books2iraq.intake.models import Lot, LotStatus
from books2iraq.sorting import services as sorting
from tests.conftest import answer_yes
from tests.factories import TitleFactory, UserFactory, WarehouseFactory, donation


@pytest.fixture
def setup(app):
    """A warehouse, and accepted copies of one title in two lots (4 + 6)."""
    with app.app_context():
        packer = UserFactory(role=Role.WAREHOUSE)
        warehouse = WarehouseFactory(name="Birmingham")
        title = TitleFactory(isbn13="9780306406157", title="Physics")
        for quantity in (4, 6):
            d = donation(1, actor=packer)
            d.lots[0].title = title
            d.lots[0].quantity = quantity
            d.lines[0].quantity = quantity
            sorting.accept(d.lots[0], actor=packer)
        db.session.commit()
        return {"warehouse": warehouse.id}


def crate(code: str):
    return crating.get_by_code(code)


def test_open_scan_pack_seal_reopen_journey(client, auth, app, setup):
    auth.login(Role.WAREHOUSE)
    response = auth.post("/crates/", {"site": str(setup["warehouse"])})
    assert response.headers["Location"] == "/crates/B2I-C-000001"
    assert client.get("/crates/find?code=b2i-c-000001").headers["Location"] == "/crates/B2I-C-000001"
    page = "/crates/B2I-C-000001"
    html = auth.post(f"{page}/pack", {"isbn": "0306406152", "quantity": "7"}, page=page, follow_redirects=True).get_data(as_text=True)
    assert "Packed 7 × Physics into B2I-C-000001." in html
    with app.app_context():
        packed = crate("B2I-C-000001").lots
        assert [lot.quantity for lot in packed] == [4, 3]  # oldest lot first
        assert all(lot.status is LotStatus.PACKED for lot in packed)
    html = auth.post(f"{page}/pack", {"isbn": "9780306406157", "quantity": "4"}, page=page, follow_redirects=True).get_data(as_text=True)
    open_crate = auth.open(page)  # left open in a tab while the crate is sealed
    assert "Only 3 accepted copies of Physics are waiting to be packed; you asked for 4." in html
    html = auth.post(f"{page}/seal", {"gross_kg": "9.5", "length_cm": "60", "width_cm": "40", "height_cm": "40"}, page=page, follow_redirects=True).get_data(as_text=True)
    assert "Crate B2I-C-000001 sealed." in html and "0.096 m³" in html
    html = open_crate.post(f"{page}/pack", {"isbn": "9780306406157", "quantity": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "is sealed: nothing was packed. Reopen it to pack more books" in html
    html = auth.post(f"{page}/reopen", {"reason": "wrong box"}, page=page, follow_redirects=True).get_data(as_text=True)
    assert "Crate B2I-C-000001 reopened." in html
    with app.app_context():
        assert crate("B2I-C-000001").status is CrateStatus.OPEN and crate("B2I-C-000001").copies == 7


def test_books_are_taken_out_of_an_open_crate_only_once_confirmed(client, auth, app, setup):
    auth.login(Role.WAREHOUSE)
    auth.post("/crates/", {"site": str(setup["warehouse"])})
    auth.post("/crates/B2I-C-000001/pack", {"isbn": "9780306406157", "quantity": "2"}, page="/crates/B2I-C-000001")
    with app.app_context():
        lot_id = crate("B2I-C-000001").lots[0].id
    question = auth.post(f"/crates/B2I-C-000001/lots/{lot_id}/unpack", {}, page="/crates/B2I-C-000001")
    html = question.get_data(as_text=True)
    assert question.status_code == 422
    assert "Take 2 copies of Physics out of crate B2I-C-000001?" in html
    assert "They go back to the books waiting to be packed" in html and "Yes, take them out" in html
    with app.app_context():
        assert crate("B2I-C-000001").copies == 2
        assert [e.action for e in events_for(db.session.get(Lot, lot_id))][-1] == "lot.packed"
    html = answer_yes(client, question, follow_redirects=True).get_data(as_text=True)
    assert "Took 2 × Physics out of B2I-C-000001." in html
    with app.app_context():
        assert crate("B2I-C-000001").copies == 0
        lot = db.session.get(Lot, lot_id)
        assert lot.status is LotStatus.ACCEPTED and lot.crate_id is None
        assert [e.action for e in events_for(lot)][-1] == "lot.unpacked"
    assert client.get("/crates/B2I-C-000001/lots/999999/unpack").status_code == 405


def test_a_sealed_crates_page_says_so_and_offers_to_reopen_or_go_to_another_crate(client, auth, app, setup):
    with app.app_context():
        packer = UserFactory(role=Role.WAREHOUSE)
        sealed = crating.open_crate(site=WarehouseFactory(), actor=packer)
        crating.pack_isbn(sealed, "9780306406157", quantity=3, actor=packer)
        crating.seal(sealed, gross_kg="4.5", actor=packer)
        other = crating.open_crate(site=WarehouseFactory(), actor=packer)
        db.session.commit()
        code, other_code = sealed.code, other.code
    auth.login(Role.WAREHOUSE)
    page = f"/crates/{code}"
    html = client.get(page).get_data(as_text=True)
    assert f"Crate {code} is sealed: a book scanned here is not packed." in html
    assert '<a href="#reopen">Reopen it</a>' in html and 'id="reopen"' in html
    assert 'action="/crates/find"' in html and "Go to crate" in html
    assert 'name="isbn"' in html  # a scan still lands in a field

    refused = auth.post(f"{page}/pack", {"isbn": "9780306406157", "quantity": "2"}, page=page)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    message = (f"Crate {code} is sealed: nothing was packed. Reopen it to pack more books, "
               "or go to another crate (scan its code).")
    assert f'<p class="field-error">{message}</p>' in html  # under the scan's own field
    assert re.search(r'<input [^>]*name="isbn" [^>]*value="9780306406157"', html)  # the scan is kept
    with app.app_context():
        assert crate(code).copies == 3 and crate(code).status is CrateStatus.SEALED
        waiting = db.session.scalars(sa.select(Lot.quantity).where(Lot.status == LotStatus.ACCEPTED))
        assert sum(waiting) == 7  # nothing taken from the books waiting to be packed

    as_json = auth.post_without_form(f"{page}/pack", {"isbn": "9780306406157", "quantity": "1"},
                                     headers={"Accept": "application/json"})
    assert as_json.status_code == 409 and as_json.get_json()["error"]["message"] == message

    # A crate's label scanned into the same field goes to that crate.
    went = auth.post(f"{page}/pack", {"isbn": other_code.lower(), "quantity": "1"}, page=page, follow_redirects=True)
    assert went.request.path == f"/crates/{other_code}"


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("/crates/B2I-C-000001/seal", {"gross_kg": "5"}, "is empty; pack at least one book"),
        ("/crates/B2I-C-000001/seal", {"gross_kg": "-5"}, "Please correct: Gross weight"),
        ("/crates/B2I-C-000001/pack", {"isbn": "9780306406158", "quantity": "1"}, "wrong check digit"),
        ("/crates/B2I-C-000001/pack", {"isbn": "9780140449136", "quantity": "1"}, "Only 0 accepted copies of ISBN 9780140449136"),
        ("/crates/B2I-C-000001/reopen", {"reason": "x"}, "is open; only a sealed crate can be reopened"),
    ],
)
def test_refusals_are_explained(client, auth, setup, url, data, message):
    auth.login(Role.WAREHOUSE)
    auth.post("/crates/", {"site": str(setup["warehouse"])})
    if url.endswith("/reopen"):  # an open crate's page offers no reopen form: a hand-made request
        html = auth.post_without_form(url, data, follow_redirects=True).get_data(as_text=True)
    else:
        html = auth.post(url, data, page="/crates/B2I-C-000001", follow_redirects=True).get_data(as_text=True)
    assert message in html


def test_crates_are_only_opened_at_warehouses_and_found_by_code(client, auth, setup):
    auth.login(Role.WAREHOUSE)
    html = client.get("/crates/").get_data(as_text=True)
    assert "Birmingham" in html
    assert "Not a valid choice" not in html
    response = auth.post("/crates/", {"site": "999999"}, page="/crates/", follow_redirects=True)
    assert "Please correct: Warehouse" in response.get_data(as_text=True)
    missing = client.get("/crates/find?code=B2I-C-424242", follow_redirects=True).get_data(as_text=True)
    assert "There is no crate B2I-C-424242." in missing
    assert client.get("/crates/B2I-C-424242").status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_crates_are_for_the_warehouse_and_up(client, auth, setup, role):
    auth.login(role)
    allowed = role.includes(Role.WAREHOUSE)
    assert client.get("/crates/").status_code == (200 if allowed else 403)
    data = {"site": str(setup["warehouse"])}
    response = auth.post("/crates/", data) if allowed else auth.post_without_form("/crates/", data)
    assert response.status_code == (302 if allowed else 403)


def test_the_crates_list_pages_and_keeps_its_status_filter(app, client, auth):
    with app.app_context():
        packer, warehouse = UserFactory(role=Role.WAREHOUSE), WarehouseFactory()
        for _ in range(60):
            crating.open_crate(site=warehouse, actor=packer)
        db.session.commit()
    auth.login(Role.WAREHOUSE)
    page = client.get("/crates/?status=open").get_data(as_text=True)
    assert "1–50 of 60 crates" in page and 'href="/crates/?status=open&amp;page=2" rel="next"' in page
    assert "51–60 of 60 crates" in client.get("/crates/?status=open&page=2").get_data(as_text=True)
    assert "No crates" in client.get("/crates/?status=sealed").get_data(as_text=True)


def test_a_refused_seal_or_reject_shows_the_form_again_with_what_was_typed(app, client, auth):
    with app.app_context():
        packer = UserFactory(role=Role.WAREHOUSE)
        crate = crating.open_crate(site=WarehouseFactory(), actor=packer)
        crating.pack(sorting.accept(donation(3, actor=packer).lots[0], actor=packer), crate, actor=packer)
        lot_id = donation(5, actor=packer).lots[0].id
        db.session.commit()
        code = crate.code
    auth.login(Role.WAREHOUSE)
    page = f"/crates/{code}"
    too_heavy = auth.post(f"{page}/seal", {"gross_kg": "3000", "length_cm": "61", "width_cm": "41", "height_cm": "39"}, page=page)
    html = too_heavy.get_data(as_text=True)
    assert too_heavy.status_code == 400 and 'value="3000"' in html and 'value="61"' in html and 'value="39"' in html
    half_measured = auth.post(f"{page}/seal", {"gross_kg": "25.50", "length_cm": "61", "width_cm": "", "height_cm": "39"}, page=page)
    html = half_measured.get_data(as_text=True)
    assert half_measured.status_code == 422 and 'value="25.50"' in html and 'value="61"' in html
    lot_page = f"/sorting/lots/{lot_id}"
    refused = auth.post(f"{lot_page}/reject", {"quantity": "2", "reason": "other", "disposition": "recycle", "note": ""},
                        page=lot_page)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Say why the copies are rejected" in html
    assert 'value="2"' in html and '<option selected value="other">' in html
    with app.app_context():
        assert crating.get_by_code(code).status is CrateStatus.OPEN


def test_a_crate_page_groups_its_books_by_title_newest_scan_first_at_a_constant_cost(app, client, auth):
    import re

    from tests.queries import statements_for

    with app.app_context():
        packer = UserFactory(role=Role.WAREHOUSE)
        crate = crating.open_crate(site=WarehouseFactory(), actor=packer)
        physics, odyssey = TitleFactory(title="Physics"), TitleFactory(title="The Odyssey")
        for title, count in ((physics, 2), (odyssey, 3), (physics, 4)):  # physics packed again, last
            lot = donation(count, actor=packer).lots[0]
            lot.title = title
            crating.pack(sorting.accept(lot, actor=packer), crate, actor=packer)
        db.session.commit()
        code = crate.code
    auth.login(Role.WAREHOUSE)
    page = client.get(f"/crates/{code}").get_data(as_text=True)
    grouped = page.split("data-by-title")[1].split("</table>")[0]
    assert re.findall(r'data-label="Title">([^<]+)</td>.*?data-label="Copies" class="num">(\d+)', grouped, re.S) == [
        ("Physics", "6"), ("The Odyssey", "3")
    ]
    packed = page.split("data-packed")[1].split("</table>")[0]
    assert [int(n) for n in re.findall(r'<td [^>]*class="num">(\d+)</td>', packed)] == [4, 3, 2]  # newest first
    few = statements_for(app, client, f"/crates/{code}")
    with app.app_context():
        crate = crating.get_by_code(code)
        for _ in range(25):
            crating.pack(sorting.accept(donation(1, actor=packer).lots[0], actor=packer), crate, actor=packer)
        db.session.commit()
    assert statements_for(app, client, f"/crates/{code}") == few


def test_a_scan_of_a_book_still_to_be_sorted_says_so_rather_than_only_none_accepted(client, auth, app, setup):
    with app.app_context():
        volunteer = UserFactory(role=Role.VOLUNTEER)
        intake_services.record_donation(site=WarehouseFactory(), actor=volunteer, lines=intake_services.scanned_lines(
            "9780140449136 x3", [], intake_services.Condition.GOOD))
        db.session.commit()
    auth.login(Role.WAREHOUSE)
    auth.post("/crates/", {"site": str(setup["warehouse"])})
    html = auth.post("/crates/B2I-C-000001/pack", {"isbn": "9780140449136", "quantity": "1"},
                     page="/crates/B2I-C-000001").get_data(as_text=True)
    assert ("Only 0 accepted copies of ISBN 9780140449136 are waiting to be packed; you asked for 1. "
            "3 copies of it are still waiting to be sorted: accept them at sorting first.") in html


def test_a_quantity_key_after_a_scan_makes_that_scan_so_many_copies(client, auth, app, setup):
    auth.login(Role.WAREHOUSE)
    auth.post("/crates/", {"site": str(setup["warehouse"])})
    page = "/crates/B2I-C-000001"
    scanned = auth.post(f"{page}/pack", {"isbn": "9780306406157", "quantity": "1"}, page=page)
    assert scanned.headers["Location"] == f"{page}?last=9780306406157&copies=1"
    html = client.get(scanned.headers["Location"]).get_data(as_text=True)
    assert "1 × <bdi>Physics</bdi>" in html and 'name="last" type="hidden" value="9780306406157"' in html
    # "x5": the scan was five copies, so four more are packed.
    counted = auth.post(f"{page}/pack", {"isbn": "x5", "quantity": "1", "last": "9780306406157", "last_copies": "1"},
                        page=scanned.headers["Location"])
    assert counted.headers["Location"] == f"{page}?last=9780306406157&copies=5"
    html = client.get(counted.headers["Location"]).get_data(as_text=True)
    assert "Packed 4 × Physics into B2I-C-000001." in html and "5 × <bdi>Physics</bdi>" in html
    with app.app_context():
        assert crate("B2I-C-000001").copies == 5
    # Fewer than the scan packed, too many, or no scan before it: refused, and said under the field.
    for data, message in [
        ({"isbn": "x3", "quantity": "1", "last": "9780306406157", "last_copies": "5"}, "That scan packed 5 copies already"),
        ({"isbn": "×12", "quantity": "1", "last": "9780306406157", "last_copies": "5"}, "Only 5 accepted copies of Physics are waiting"),
        ({"isbn": "x2", "quantity": "1"}, "Scan a book first, then type its count (x2)."),
    ]:
        refused = auth.post(f"{page}/pack", data, page=page)
        assert refused.status_code == 422 and message in refused.get_data(as_text=True), data
    with app.app_context():
        assert crate("B2I-C-000001").copies == 5
