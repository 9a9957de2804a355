"""The shipments and recipients lists in pages: every row reachable, the status filter kept, the cost
the same however many there are."""
from __future__ import annotations

import re

from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import ShipmentStatus
from tests.factories import RecipientFactory, UserFactory
from tests.queries import statements_for


def plan(count: int) -> None:
    staff = UserFactory(role=Role.COORDINATOR)
    for n in range(count):
        shipment = shipping.create_shipment(recipient=RecipientFactory(), actor=staff, year=2026)
        if n % 4 == 0:
            shipping.change_status(shipment, ShipmentStatus.CANCELLED, actor=staff, note="not needed")


def test_the_shipments_and_recipients_lists_page_through_every_row(app, client, auth):
    with app.app_context():
        plan(10)
        db.session.commit()
    auth.login(Role.COORDINATOR)
    costs = [statements_for(app, client, url) for url in ("/shipping/", "/shipping/recipients")]
    with app.app_context():
        plan(60)
        db.session.commit()
    assert [statements_for(app, client, url) for url in ("/shipping/", "/shipping/recipients")] == costs

    first, second = (client.get(f"/shipping/?page={n}").get_data(as_text=True) for n in (1, 2))
    assert "1–50 of 70 shipments" in first and "51–70 of 70 shipments" in second
    refs = re.findall(r'data-shipment="(S-\d{4}-\d{3})"', first + second)
    assert len(refs) == 70 and len(set(refs)) == 70
    cancelled = client.get("/shipping/?status=cancelled").get_data(as_text=True)
    assert "1–18 of 18 shipments" in cancelled  # every fourth of 10 and of 60
    # 70 and the institution of the recipient's librarian among the users
    assert "1–50 of 71 recipients" in client.get("/shipping/recipients").get_data(as_text=True)
    assert "51–71 of 71 recipients" in client.get("/shipping/recipients?page=2").get_data(as_text=True)


def test_the_users_list_pages_too(app, client, auth):
    with app.app_context():
        for n in range(55):
            UserFactory(role=Role.VOLUNTEER, name=f"Volunteer {n:02d}")
        db.session.commit()
    auth.login(Role.ADMIN)
    first = client.get("/admin/users").get_data(as_text=True)
    assert re.search(r"1–50 of \d\d users", first)
    total = int(re.search(r"1–50 of (\d\d) users", first)[1])
    assert total >= 56 and f"51–{total} of {total} users" in client.get("/admin/users?page=2").get_data(as_text=True)
