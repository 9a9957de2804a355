from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import url_for

from books2iraq.audit import AuditEvent, events_for
from books2iraq.auth.roles import Role
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.pallets import services as pallets
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import Governorate, Recipient, RecipientKind, Shipment
from books2iraq.shipping.models import ShipmentStatus as S
from tests.conftest import answer_yes
from tests.factories import (
    RecipientFactory,
    UserFactory,
    advance,
    sealed_crate,
    shipment_of,
)
from tests.queries import statements_for

ANONYMOUS = None
BASRAH = {
    "name_en": "University of Basrah",
    "name_ar": "جامعة البصرة",
    "kind": "university",
    "address_en": "Garmat Ali campus",
    "address_ar": "كرمة علي",
    "city": "Basra",
    "governorate": "basra",
    "contact_name": "Dr. Huda",
    "contact_email": "library@uobasrah.example",
    "wants_languages": "en, ar",
}


def html_of(response) -> str:
    return response.get_data(as_text=True)


def options(html: str, select_name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{select_name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {select_name}"
    return re.findall(r'<option[^>]*value="([^"]*)"', select.group(1))


@pytest.fixture
def planned(app):
    """A recipient, and a planned shipment to it carrying one sealed crate (5 + 7 copies)."""
    with app.app_context():
        crate = sealed_crate(5, 7)
        shipment = shipment_of(crate, recipient=RecipientFactory(name_en="Salahaddin University", name_ar="جامعة صلاح الدين"))
        pallet = pallets.open_pallet(site=crate.site, actor=UserFactory(role=Role.WAREHOUSE))
        db.session.commit()
        return {"ref": shipment.ref, "recipient_id": shipment.recipient_id, "code": crate.code, "name": "donations", "fmt": "csv",
                "pallet_code": pallet.code, "table": "received"}


def coordinator_urls(app, values: dict) -> list[tuple[str, str]]:
    """Every URL of the shipping and reports blueprints, with the method it answers."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint.split(".")[0] in {"shipping", "reports"}:
                args = {a: values[a] for a in rule.arguments if a not in (rule.defaults or {})}
                urls.append(("GET" if "GET" in rule.methods else "POST", url_for(rule.endpoint, **args)))
    return urls


@pytest.mark.parametrize("role", [ANONYMOUS, *Role])
def test_every_coordinator_page_is_for_coordinators_and_admins(app, client, auth, planned, role):
    urls = coordinator_urls(app, planned)
    assert len(urls) >= 14 and ("GET", "/reports/export/donations.csv") in urls
    if role is not ANONYMOUS:
        auth.login(role)
    allowed = role is not ANONYMOUS and role.includes(Role.COORDINATOR)
    for method, url in urls:
        if method == "GET":
            response = client.get(url)
        else:  # a hand-made request: this matrix comes from the URL map, not from the pages' forms
            response = auth.post_without_form(url, {})
        if role is ANONYMOUS:
            assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login"), url
        elif not allowed:
            assert response.status_code == 403, (role, url)
        elif method == "GET":
            assert response.status_code == 200, (role, url)
        else:
            assert response.status_code in (302, 400, 422), (role, url)
            assert not response.headers.get("Location", "").startswith("/auth/login")


def test_posts_without_a_csrf_token_are_refused_and_write_nothing(app, client, auth, planned):
    auth.login(Role.COORDINATOR)
    assert client.post("/shipping/recipients/new", data=BASRAH).status_code == 400
    assert client.post(f"/shipping/{planned['ref']}/status", data={"to_status": "cancelled"}).status_code == 400
    assert client.post(f"/shipping/{planned['ref']}/crates/{planned['code']}/remove").status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Recipient.id)).where(Recipient.name_en == BASRAH["name_en"])) == 0
        shipment = shipping.get_by_ref(planned["ref"])
        assert shipment.status is S.PLANNED and [c.code for c in shipment.crates] == [planned["code"]]


def test_coordinator_journey_from_recipient_to_dispatch(app, client, auth, users):
    with app.app_context():
        codes = [sealed_crate(5, 7).code, sealed_crate(3, gross_kg="9.25").code]
        db.session.commit()
    auth.login(Role.COORDINATOR)

    response = auth.post("/shipping/recipients/new", BASRAH)
    assert response.status_code == 302 and response.headers["Location"] == "/shipping/recipients"
    listing = html_of(client.get("/shipping/recipients"))
    assert "Recipient University of Basrah added." in listing
    assert re.search(r'<td [^>]*class="ar" dir="rtl" lang="ar">جامعة البصرة</td>', listing)
    with app.app_context():
        recipient_id = db.session.scalar(sa.select(Recipient.id).where(Recipient.name_en == "University of Basrah"))

    assert str(recipient_id) in options(html_of(client.get("/shipping/new")), "recipient")
    response = auth.post("/shipping/new", {"recipient": recipient_id, "mode": "sea", "port_of_loading": "Felixstowe"})
    ref = response.headers["Location"].rsplit("/", 1)[-1]
    assert re.fullmatch(r"S-\d{4}-001", ref)
    page = f"/shipping/{ref}"

    bad = auth.post(f"{page}/transport", {"mode": "sea", "container_no": "CSQU3054384", "carrier": "Maersk"}, page=page)
    assert bad.status_code == 422
    assert "ISO 6346" in html_of(bad) and 'value="CSQU3054384"' in html_of(bad)
    with app.app_context():
        shipment = shipping.get_by_ref(ref)
        assert (shipment.container_no, shipment.carrier, shipment.port_of_loading) == (None, None, "Felixstowe")
    good = {"mode": "sea", "container_no": "csqu 305438 3", "carrier": "Maersk", "incoterm": "DAP", "planned_departure": "2026-09-01"}
    assert auth.post(f"{page}/transport", good, page=page).headers["Location"] == page

    for code in (codes[0].lower(), codes[1]):
        assert auth.post(f"{page}/crates", {"code": code}, page=page).headers["Location"] == page
    missing = auth.post(f"{page}/crates", {"code": "B2I-C-999999"}, page=page)
    assert missing.status_code == 422 and "There is no crate B2I-C-999999." in html_of(missing)

    html = html_of(client.get(page))
    assert all(f'data-crate="{code}"' in html for code in codes)
    assert 'data-total="crates">2<' in html and 'data-total="copies">15<' in html and 'data-total="gross_kg">29.75<' in html
    assert 'value="CSQU3054383"' in html and "Maersk" in html
    assert options(html, "to_status") == ["packing", "cancelled"]

    planned_page = auth.open(page)  # left open in a tab while the shipment moves on
    refused = auth.post(f"{page}/status", {"to_status": "ready"}, page=page)
    assert refused.status_code == 422 and "is planned; it cannot become ready" in html_of(refused)
    for status in ("packing", "ready"):
        assert auth.post(f"{page}/status", {"to_status": status}, page=page).status_code == 302
    response = auth.post(
        f"{page}/status", {"to_status": "dispatched", "location": "Felixstowe", "note": "on board"}, page=page,
        follow_redirects=True,
    )
    html = html_of(response)
    assert f"Shipment {ref} is dispatched now." in html
    history = re.search(r'<tr data-event="dispatched">(.*?)</tr>', html, re.S).group(1)
    assert all(text in history for text in ("ready", "dispatched", "Felixstowe", "on board"))
    assert html.count("<tr data-event=") == 4  # created, packing, ready, dispatched
    assert options(html, "to_status") == ["in_transit", "at_customs", "delivered"]
    assert "Remove</button>" not in html and 'name="code"' not in html

    late = planned_page.post(f"{page}/crates/{codes[0]}/remove", {}, follow_redirects=True)
    assert "its crates can no longer change" in html_of(late)
    with app.app_context():
        shipment = shipping.get_by_ref(ref)
        assert shipment.status is S.DISPATCHED and len(shipment.crates) == 2 and shipping.shipment_totals(shipment).copies == 15
        assert shipment.events[-1].actor.email == users[Role.COORDINATOR]
        assert [e.action for e in events_for(shipment)].count("shipment.crate_assigned") == 2


def test_invalid_recipient_forms_rerender_and_write_nothing(app, client, auth, users):
    auth.login(Role.COORDINATOR)
    response = auth.post("/shipping/recipients/new", {**BASRAH, "name_ar": "", "contact_email": "not-an-address"})
    html = html_of(response)
    assert response.status_code == 400
    assert "Please correct: Name (Arabic), Contact e-mail." in html and "This field is required." in html
    assert 'value="University of Basrah"' in html  # what was typed is kept
    auth.post("/shipping/recipients/new", BASRAH)
    again = auth.post("/shipping/recipients/new", {**BASRAH, "name_ar": "ب"})
    assert again.status_code == 422 and "A recipient called “University of Basrah” already exists." in html_of(again)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Recipient.id)).where(Recipient.name_en == BASRAH["name_en"])) == 1


def test_edit_deactivate_and_reactivate_a_recipient(app, client, auth, users):
    with app.app_context():
        recipient = RecipientFactory(name_en="Duhok Public Library", governorate=Governorate.DUHOK, city="Duhok")
        RecipientFactory(name_en="Taken Name")
        db.session.commit()
        rid = recipient.id
    auth.login(Role.COORDINATOR)
    edit = f"/shipping/recipients/{rid}/edit"
    assert 'value="Duhok Public Library"' in html_of(client.get(edit))
    changed = {**BASRAH, "name_en": "Duhok Public Library", "kind": "library", "governorate": "duhok", "city": " Duhok ", "address_ar": "دهوك"}
    assert auth.post(edit, changed).headers["Location"] == "/shipping/recipients"
    clash = auth.post(edit, {**changed, "name_en": "Taken Name"})
    assert clash.status_code == 422 and "already exists" in html_of(clash)
    with app.app_context():
        recipient = shipping.get_recipient(rid)
        assert (recipient.kind, recipient.city, recipient.address_ar, recipient.name_en) == (
            RecipientKind.LIBRARY, "Duhok", "دهوك", "Duhok Public Library",
        )
        updated = [e for e in events_for(recipient) if e.action == "recipient.updated"]
        assert len(updated) == 1 and updated[0].detail["changes"]["kind"] == ["university", "library"]

    html = html_of(auth.post(f"/shipping/recipients/{rid}/deactivate", {}, page="/shipping/recipients", follow_redirects=True))
    assert "Duhok Public Library is deactivated" in html and "Reactivate" in html
    assert str(rid) not in options(html_of(client.get("/shipping/new")), "recipient")
    refused = auth.post("/shipping/new", {"recipient": rid}, page="/shipping/new")
    assert refused.status_code == 400 and "Please correct: Recipient" in html_of(refused)
    auth.post(f"/shipping/recipients/{rid}/reactivate", {}, page="/shipping/recipients")
    assert str(rid) in options(html_of(client.get("/shipping/new")), "recipient")
    with app.app_context():
        assert [e.action for e in events_for(shipping.get_recipient(rid))][-2:] == [
            "recipient.deactivated", "recipient.reactivated",
        ]


def test_shipments_list_filters_by_status_and_shows_totals(app, client, auth, users):
    with app.app_context():
        first = shipment_of(sealed_crate(4), sealed_crate(6))
        second = advance(shipment_of(), S.PACKING)
        db.session.commit()
        refs = first.ref, second.ref
    auth.login(Role.COORDINATOR)
    html = html_of(client.get("/shipping/"))
    row = re.search(rf'<tr data-shipment="{refs[0]}">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td [^>]*class="num">(\d+)</td>', row) == ["2", "10"]
    assert refs[1] in html
    packing = html_of(client.get("/shipping/?status=packing"))
    assert refs[1] in packing and refs[0] not in packing
    assert "No shipments delivered." in html_of(client.get("/shipping/?status=delivered"))
    assert refs[0] in html_of(client.get("/shipping/?status=nonsense"))


def test_a_refused_new_shipment_keeps_the_form_and_creates_nothing(app, client, auth, planned):
    auth.login(Role.COORDINATOR)
    form = {"recipient": planned["recipient_id"], "mode": "sea", "container_no": "ABCD1234567", "vessel": "MSC Aurora"}
    response = auth.post("/shipping/new", form)
    assert response.status_code == 422
    assert "ISO 6346" in html_of(response) and 'value="MSC Aurora"' in html_of(response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Shipment.id))) == 1


def audit_actions(app, action_prefix: str) -> list[tuple[str, dict]]:
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action.startswith(action_prefix)).order_by(AuditEvent.id)
        )
        return [(e.action, e.detail) for e in events]


def test_a_crate_is_taken_off_a_planned_shipment_only_once_confirmed(app, client, auth, planned):
    auth.login(Role.COORDINATOR)
    page = f"/shipping/{planned['ref']}"
    assert f'<option value="{planned["code"]}">' not in html_of(client.get(page))  # already assigned
    question = auth.post(f"{page}/crates/{planned['code']}/remove", {}, page=page)
    assert question.status_code == 422
    assert f"Take crate {planned['code']} off shipment {planned['ref']}?" in html_of(question)
    assert "The crate (12 copies) will wait at the warehouse, sealed, for a shipment" in html_of(question)
    assert f'<a href="{page}">No, go back</a>' in html_of(question)
    with app.app_context():
        assert [c.code for c in shipping.get_by_ref(planned["ref"]).crates] == [planned["code"]]
    assert audit_actions(app, "shipment.crate_removed") == []

    html = html_of(answer_yes(client, question, follow_redirects=True))
    assert f"Crate {planned['code']} taken off {planned['ref']}." in html
    assert f'<option value="{planned["code"]}">12 copies, 20.50 kg</option>' in html  # offered again
    with app.app_context():
        assert shipping.get_by_ref(planned["ref"]).crates == []
    assert audit_actions(app, "shipment.crate_removed") == [("shipment.crate_removed", {"crate": planned["code"]})]


def test_a_script_removing_a_crate_without_confirming_gets_the_question_as_json(app, client, auth, planned):
    auth.login(Role.COORDINATOR)
    url = f"/shipping/{planned['ref']}/crates/{planned['code']}/remove"
    asked = auth.post_without_form(url, {}, headers={"Accept": "application/json"})
    assert asked.status_code == 422
    error = asked.get_json()["error"]
    assert error["code"] == "refused" and error["details"] == [{"field": "confirm", "message": "Send confirm=1 to confirm."}]
    assert error["message"].startswith(f"Take crate {planned['code']} off shipment {planned['ref']}?")
    assert error["message"].endswith("Nothing was done: send confirm=1 to go ahead.")
    with app.app_context():
        assert len(shipping.get_by_ref(planned["ref"]).crates) == 1
    done = auth.post_without_form(url, {"confirm": "1"}, headers={"Accept": "application/json"})
    assert done.status_code == 302
    with app.app_context():
        assert shipping.get_by_ref(planned["ref"]).crates == []


def test_cancelling_a_shipment_asks_first_and_keeps_what_was_typed(app, client, auth, planned):
    auth.login(Role.COORDINATOR)
    page = f"/shipping/{planned['ref']}"
    typed = {"to_status": "cancelled", "location": "Leeds", "note": "Recipient closed for the summer"}
    question = auth.post(f"{page}/status", typed, page=page)
    html = html_of(question)
    assert question.status_code == 422
    assert f"Cancel shipment {planned['ref']}?" in html
    assert "Its 1 crate will go back to the warehouse, sealed, to wait for another shipment." in html
    assert f"Yes, cancel {planned['ref']}" in html
    assert '<input type="hidden" name="note" value="Recipient closed for the summer">' in html
    with app.app_context():
        shipment = shipping.get_by_ref(planned["ref"])
        assert shipment.status is S.PLANNED and len(shipment.crates) == 1 and len(shipment.events) == 1

    html = html_of(answer_yes(client, question, follow_redirects=True))
    assert f"Shipment {planned['ref']} is cancelled now." in html
    with app.app_context():
        shipment = shipping.get_by_ref(planned["ref"])
        assert shipment.status is S.CANCELLED and shipment.crates == []
        last = shipment.events[-1]
        assert (last.to_status, last.location, last.note) == (S.CANCELLED, "Leeds", "Recipient closed for the summer")


def test_a_step_forward_is_not_asked_about(app, client, auth, planned):
    auth.login(Role.COORDINATOR)
    page = f"/shipping/{planned['ref']}"
    response = auth.post(f"{page}/status", {"to_status": "packing", "location": "", "note": ""}, page=page)
    assert response.status_code == 302
    with app.app_context():
        assert shipping.get_by_ref(planned["ref"]).status is S.PACKING


def test_unknown_records_are_404(client, auth, planned):
    auth.login(Role.COORDINATOR)
    assert client.get("/shipping/S-1999-999").status_code == 404
    assert client.get("/shipping/recipients/999999/edit").status_code == 404
    page = f"/shipping/{planned['ref']}"
    # no page offers these (the records do not exist): hand-made requests
    assert auth.post_without_form(f"{page}/crates/B2I-C-999999/remove", {}).status_code == 404
    assert auth.post_without_form("/shipping/S-1999-999/status", {"to_status": "packing"}).status_code == 404


def test_invalid_status_and_transport_forms_rerender_with_errors(app, client, auth, planned):
    auth.login(Role.COORDINATOR)
    page = f"/shipping/{planned['ref']}"
    response = auth.post(f"{page}/status", {"to_status": "teleported"}, page=page)
    assert response.status_code == 400 and "Please correct: New status" in html_of(response)
    response = auth.post(f"{page}/transport", {"planned_departure": "next tuesday", "carrier": "DHL"}, page=page)
    assert response.status_code == 400 and "Please correct: Planned departure" in html_of(response)
    assert 'value="DHL"' in html_of(response)
    with app.app_context():
        assert shipping.get_by_ref(planned["ref"]).carrier is None


def test_the_shipment_page_queries_do_not_grow_with_its_crates(app, client, auth, planned):
    auth.login(Role.COORDINATOR)
    page = f"/shipping/{planned['ref']}"
    few = statements_for(app, client, page)
    with app.app_context():
        shipment = shipping.get_by_ref(planned["ref"])
        for _ in range(5):
            shipping.assign_crate(shipment, sealed_crate(2, 3), actor=UserFactory(role=Role.COORDINATOR))
        sealed_crate(1)  # waiting to be assigned
        db.session.commit()
    assert statements_for(app, client, page) == few


def test_a_full_container_shows_its_crates_a_page_at_a_time(app, client, auth, planned, monkeypatch):
    from books2iraq.shipping import views

    monkeypatch.setattr(views, "SUGGESTED", 2)
    with app.app_context():
        shipment = shipping.get_by_ref(planned["ref"])
        codes = [c.code for c in shipment.crates]
        for _ in range(29 - len(codes)):
            crate = sealed_crate(1)
            shipping.assign_crate(shipment, crate, actor=UserFactory(role=Role.COORDINATOR))
            codes.append(crate.code)
        waiting = [sealed_crate(1).code for _ in range(3)]
        db.session.commit()
    auth.login(Role.COORDINATOR)
    first = html_of(client.get(f"/shipping/{planned['ref']}?per_page=25"))
    second = html_of(client.get(f"/shipping/{planned['ref']}?per_page=25&page=2"))
    rows = [re.findall(r'<tr data-crate="([^"]+)">\s*<td[^>]*>(\d+)</td>', page) for page in (first, second)]
    assert [code for code, _ in rows[0] + rows[1]] == codes  # every crate once, in packing order
    assert [int(n) for _, n in rows[0] + rows[1]] == list(range(1, 30))  # numbered on across the pages
    assert "1–25 of 29 crates" in first and "26–29 of 29 crates" in second
    suggested = re.findall(r'<option value="(B2I-C-\d+)">', first)
    assert suggested == waiting[1:] and "3 sealed crates waiting for a shipment (the 2 sealed last are suggested" in first


# Service rules behind the recipient pages (the form checks shape only, so these need calling directly).


def test_update_recipient_refuses_blanks_unknown_fields_and_bad_choices(ctx):
    recipient = RecipientFactory()
    with pytest.raises(DomainError, match="English and Arabic, an address and a city"):
        shipping.update_recipient(recipient, name_ar="  ", actor=None)
    with pytest.raises(DomainError, match="Unknown recipient detail"):
        shipping.update_recipient(recipient, colour="blue", actor=None)
    with pytest.raises(DomainError, match="not a governorate"):
        shipping.update_recipient(recipient, governorate="atlantis", actor=None)
    shipping.update_recipient(recipient, contact_phone="  ", wants_subjects=" medicine\r\nengineering ", actor=None)
    assert recipient.contact_phone is None and recipient.wants_subjects == "medicine\nengineering"
    shipping.set_recipient_active(recipient, True, actor=None)  # already active: nothing to record
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.subject_id == recipient.id)) == 1


def test_totals_are_summed_in_sql(ctx):
    big, small = sealed_crate(2, 3, gross_kg="10.5"), sealed_crate(4, gross_kg="7.25")
    big.length_cm, big.width_cm, big.height_cm = 1500, 1500, 1000  # 2.25e9 cm³: more than a 32-bit integer
    shipment = shipment_of(big, small)
    totals = shipping.shipment_totals(shipment)
    assert (totals.crates, totals.copies, str(totals.gross_kg), str(totals.volume_m3)) == (2, 9, "17.75", "2250.000")
    assert shipping.shipment_totals(shipment_of()) == shipping.ShipmentTotals()
    assert dict(shipping.list_shipments())[shipment].copies == 9
    assert shipping.list_shipments(S.DELIVERED) == []


def test_the_customs_details_are_saved_with_the_transport(app, client, auth, planned):
    from decimal import Decimal

    auth.login(Role.COORDINATOR)
    page = f"/shipping/{planned['ref']}"
    details = {
        "mode": "road", "incoterm": "CPT", "incoterm_place": "Erbil", "transport_doc_no": "CMR 0421907",
        "truck_plate": "06 KRD 118", "trailer_plate": "06 TR 4471", "tir_ref": "TIR XC 71208810", "freight": "1,200.50",
        "origin_country": "various, see certificate of origin", "notify_party": "Zagros Customs Brokerage\nZakho",
        "exemption_ref": "KRG MoHE 1187",
    }
    refused = auth.post(f"{page}/transport", {**details, "freight": "-5"}, page=page)
    assert refused.status_code == 400 and "Please correct: Freight" in html_of(refused)
    assert auth.post(f"{page}/transport", {**details, "freight": "1200.50"}, page=page).status_code == 302
    with app.app_context():
        saved = shipping.get_by_ref(planned["ref"])
        assert (saved.freight, saved.incoterm_place, saved.truck_plate, saved.notify_party) == (
            Decimal("1200.50"), "Erbil", "06 KRD 118", "Zagros Customs Brokerage\nZakho"
        )
        assert saved.insurance is None and saved.origin_country == "various, see certificate of origin"


def test_the_status_form_offers_the_next_step_forward_first_and_never_a_step_back(app, client, auth, planned):
    auth.login(Role.COORDINATOR)
    page = f"/shipping/{planned['ref']}"
    with app.app_context():
        shipment = shipping.get_by_ref(planned["ref"])
        shipping.assign_crate(shipment, sealed_crate(3), actor=UserFactory(role=Role.COORDINATOR))
        shipping.change_status(shipment, S.PACKING, actor=UserFactory(role=Role.COORDINATOR))
        db.session.commit()
    form = html_of(client.get(page)).split('name="to_status"')[1].split("</select>")[0]
    options = re.findall(r'<option (selected )?value="(\w+)"', form)
    # Packing may go on to ready, back to planned, or be cancelled: in that order, ready chosen.
    assert options == [("selected ", "ready"), ("", "planned"), ("", "cancelled")]
