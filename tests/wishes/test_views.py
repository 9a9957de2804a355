"""The wish-list pages: who may keep which list, the figures shown, earmarking from the page, the
shipment page's suggestions put on the shipment in one click, the pick list read back, a crate
packed for a recipient, and the dashboard's figures per recipient."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.crating.models import Crate
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake.models import Lot
from books2iraq.shipping import services as shipping
from books2iraq.sorting import services as sorting
from books2iraq.wishes import services as wishes
from books2iraq.wishes.models import WishItem
from tests import pdf
from tests.factories import RecipientFactory, SiteFactory, TitleFactory, UserFactory, WarehouseFactory
from tests.queries import statements_for


def html_of(response) -> str:
    return response.get_data(as_text=True)


def words(cell: str) -> str:
    """A cell's text as it reads: tags out, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


@pytest.fixture
def library(app, users):
    """The librarian's institution, with stock that fills a wish for physics, and two sealed crates."""
    with app.app_context():
        staff = UserFactory(role=Role.COORDINATOR)
        recipient = db.session.scalar(sa.select(User).where(User.email == users[Role.RECIPIENT])).recipient
        physics = TitleFactory(subject="Physics")
        art = TitleFactory(subject="Art")
        for title, copies in ((physics, 12), (art, 5)):
            donation = intake.record_donation(site=SiteFactory(), actor=staff, lines=[intake.LineInput(quantity=copies, title=title)])
            sorting.accept(donation.lots[0], actor=staff)
        codes = []
        for title, copies in ((physics, 8), (art, 6)):
            crate = crating.open_crate(site=WarehouseFactory(name=f"Store {title.subject}"), actor=staff)
            donation = intake.record_donation(site=SiteFactory(), actor=staff, lines=[intake.LineInput(quantity=copies, title=title)])
            crating.pack(sorting.accept(donation.lots[0], actor=staff), crate, actor=staff)
            crating.seal(crate, gross_kg=Decimal("9.5"), actor=staff)
            codes.append(crate.code)
        db.session.commit()
        return {"id": recipient.id, "name": recipient.name_en, "crates": codes}


def test_a_librarian_keeps_its_own_list_and_no_other(app, client, auth, library):
    other = None
    with app.app_context():
        other = RecipientFactory().id
        db.session.commit()
    auth.login(Role.RECIPIENT)
    assert client.get("/wishes/").headers["Location"] == f"/wishes/{library['id']}"
    page = f"/wishes/{library['id']}"
    response = auth.post(page, {"subject": "Physics", "level": "", "language": "en", "kind": "", "wanted": "30",
                                "priority": "high", "note": "first-year courses"})
    assert response.status_code == 302
    html = html_of(client.get(page))
    assert "Added to the wish-list." in html
    row = re.search(r'<tr data-wish="(\d+)">(.*?)</tr>', html, re.S)
    cells = [words(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(2), re.S)]
    assert cells[:9] == ["Physics · any level · English (en) · any kind first-year courses", "high", "30", "12", "0",
                         "0", "0", "0", "30"]
    assert "Earmark stock" not in html  # the coordinator's
    bad = auth.post(page, {"subject": "", "level": "", "language": "xx-nonsense", "kind": "", "wanted": "3", "priority": "low"})
    assert bad.status_code == 422 and "is not a language code such as ar, en or ckb" in html_of(bad)
    assert client.get(f"/wishes/{other}").status_code == 404
    assert auth.post_without_form(f"/wishes/{other}", {"wanted": "3", "priority": "low"}).status_code == 404
    wish_id = int(row.group(1))
    assert auth.post_without_form(f"/wishes/{library['id']}/{wish_id}/earmark").status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WishItem)) == 1


def test_the_coordinator_earmarks_stock_and_plans_a_shipment_from_the_suggestions(app, client, auth, library):
    with app.app_context():
        recipient = shipping.get_recipient(library["id"])
        item = wishes.add_wish(recipient, actor=None, subject="physics", wanted=15, priority="high")
        db.session.commit()
        wish_id = item.id
    auth.login(Role.COORDINATOR)
    page = f"/wishes/{library['id']}"
    assert auth.post(f"{page}/{wish_id}/earmark", {}, page=page).status_code == 302
    html = html_of(client.get(page))
    assert "12 copies earmarked for" in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.sum(Lot.quantity)).where(Lot.earmarked_for_id == library["id"])) == 12

    response = auth.post("/shipping/new", {"recipient": library["id"], "mode": "road"}, page="/shipping/new")
    ref = response.headers["Location"].rsplit("/", 1)[-1]
    assert f"/wishes/{library['id']}/plan/{ref}" in html_of(client.get(f"/shipping/{ref}"))
    plan = f"/wishes/{library['id']}/plan/{ref}"
    html = html_of(client.get(plan))
    suggested = re.findall(r'data-suggested="(B2I-C-\d+)"', html)
    assert suggested == [library["crates"][0]]  # physics fills the wish; art fills none
    added = auth.post(plan, {"code": suggested[0]})
    assert added.status_code == 302 and added.headers["Location"] == plan
    html = html_of(client.get(plan))
    assert f"Crate {suggested[0]} is on {ref} now." in html and "data-suggested" not in html
    need = re.search(r'<tr data-wish="\d+">(.*?)</tr>', re.search(r"data-fill>(.*?)</table>", html, re.S).group(1), re.S)
    assert [words(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", need.group(1), re.S)][2:] == [
        "15", "12", "8", "0", "7"]
    picked = client.get(f"/documents/shipments/{ref}/pick-list.pdf")
    assert picked.status_code == 200
    text = re.sub(r"[ \t]+", " ", pdf.text(picked.data))
    assert re.search(rf"1 {library['crates'][0]} Store Physics — 8 9\.50 \[ \]", text)
    assert "Crates: 1 · copies: 8 · gross kg: 9.50" in text


def test_a_crate_packed_for_a_recipient_says_so_and_whose_wishes_it_fills(app, client, auth, library):
    with app.app_context():
        wishes.add_wish(shipping.get_recipient(library["id"]), actor=None, subject="Art", wanted=4)
        db.session.commit()
    auth.login(Role.WAREHOUSE)
    page = f"/crates/{library['crates'][1]}"
    response = auth.post(f"{page}/plan", {"for_recipient": str(library["id"]), "location": " bay 4,  shelf B "}, page=page)
    assert response.status_code == 302
    html = html_of(client.get(page))
    assert f"Packed for {library['name']}." in html and "Waits at bay 4, shelf B." in html
    assert "It fills their wishes:" in html and "Art · any level · any language" in html
    with app.app_context():
        crate = db.session.scalar(sa.select(Crate).where(Crate.code == library["crates"][1]))
        assert (crate.for_recipient_id, crate.location) == (library["id"], "bay 4, shelf B")


def test_the_dashboard_shows_wanted_sent_received_per_recipient_in_constant_statements(app, client, auth, library):
    auth.login(Role.COORDINATOR)
    before = statements_for(app, client, "/reports/")
    with app.app_context():
        for _ in range(5):
            RecipientFactory()
        db.session.commit()
    assert statements_for(app, client, "/reports/") == before
    html = html_of(client.get("/reports/"))
    assert re.search(rf'<tr data-recipient="{library["id"]}">', html)


def test_the_wish_list_and_planning_pages_cost_the_same_with_a_long_list_and_more_stock(app, client, auth, library):
    with app.app_context():
        recipient = shipping.get_recipient(library["id"])
        wishes.add_wish(recipient, actor=None, subject="physics", wanted=5)
        trip = shipping.create_shipment(recipient=recipient, actor=UserFactory(role=Role.COORDINATOR))
        db.session.commit()
        ref = trip.ref
    auth.login(Role.COORDINATOR)
    pages = (f"/wishes/{library['id']}", f"/wishes/{library['id']}/plan/{ref}")
    before = [statements_for(app, client, url) for url in pages]
    with app.app_context():
        staff = UserFactory(role=Role.COORDINATOR)
        recipient = shipping.get_recipient(library["id"])
        for n in range(8):
            wishes.add_wish(recipient, actor=staff, subject=f"Subject {n}", language="ar", wanted=10 + n)
            title = TitleFactory(subject=f"Subject {n}", language="ar")
            donation = intake.record_donation(site=SiteFactory(), actor=staff, lines=[intake.LineInput(quantity=3, title=title)])
            sorting.accept(donation.lots[0], actor=staff)
        db.session.commit()
    assert [statements_for(app, client, url) for url in pages] == before
