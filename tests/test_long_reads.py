"""A long read (a coordinator printing a 50,000-line packing list) never holds up anyone else's work."""
from __future__ import annotations

import threading

import sqlalchemy as sa

from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake.models import Donation, Lot
from books2iraq.sites.models import Site
from tests.factories import SiteFactory, UserFactory, donation

WAIT_SECONDS = 20  # far longer than a write takes; SQLite's own busy wait is 15 s


def test_a_donation_is_recorded_while_a_page_is_still_reading(app):
    with app.app_context():
        donation(3, 4)
        ids = {"site": SiteFactory().id, "user": UserFactory(role=Role.VOLUNTEER).id}
        db.session.commit()

    reading, written = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def long_read() -> None:
        # A GET, like a document being rendered: its transaction stays open while it works.
        with app.test_request_context("/documents/shipments/S-2026-001/packing-list.pdf"):
            seen["lots before"] = db.session.scalar(sa.select(sa.func.count()).select_from(Lot))
            reading.set()
            seen["write finished while reading"] = written.wait(WAIT_SECONDS)
            seen["lots still seen"] = db.session.scalar(sa.select(sa.func.count()).select_from(Lot))
            db.session.rollback()

    def record() -> None:
        try:
            assert reading.wait(WAIT_SECONDS)
            with app.test_request_context("/intake/new", method="POST"):
                intake.submit_donation(
                    site=db.session.get(Site, ids["site"]),
                    actor=db.session.get(User, ids["user"]),
                    lines=[intake.LineInput(quantity=5, description="bag of novels")],
                )
                db.session.commit()
            with app.test_request_context("/intake/donations"):  # and another page loads meanwhile
                seen["donations"] = db.session.scalar(sa.select(sa.func.count()).select_from(Donation))
        except Exception as exc:
            seen["error"] = repr(exc)
        finally:
            written.set()

    threads = [threading.Thread(target=long_read), threading.Thread(target=record)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(2 * WAIT_SECONDS)

    assert "error" not in seen, seen["error"]
    assert seen["write finished while reading"] is True
    assert seen["donations"] == 2
    # The reader saw one consistent state all along: the new lot is not in the middle of its work.
    assert seen["lots before"] == 2 and seen["lots still seen"] in (2, 3)


def test_a_document_is_drawn_after_the_pages_transaction_has_ended(app, client, auth, monkeypatch):
    from books2iraq.documents.packing_list import ShipmentPackingList
    from tests.factories import sealed_crate, shipment_of

    with app.app_context():
        ref = shipment_of(sealed_crate(3)).ref
        db.session.commit()
    seen = []
    draw = ShipmentPackingList.render

    def render(document, progress=None):
        seen.append(db.session().in_transaction())
        return draw(document, progress)

    monkeypatch.setattr(ShipmentPackingList, "render", render)
    auth.login(Role.COORDINATOR)
    response = client.get(f"/documents/shipments/{ref}/packing-list.pdf", follow_redirects=True)  # drawn by the worker
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert seen == [False]
