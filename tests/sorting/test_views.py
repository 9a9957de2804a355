from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake.models import Lot, LotStatus
from books2iraq.reports.accounting import donation_accounts
from tests.factories import SiteFactory, TitleFactory, UserFactory, donation
from tests.queries import statements_for, statements_of


@pytest.fixture
def lot_ids(app):
    """A received, catalogued lot of 12 and an uncatalogued bag of 30."""
    with app.app_context():
        volunteer = UserFactory(role=Role.VOLUNTEER)
        donation = intake.record_donation(
            site=SiteFactory(),
            actor=volunteer,
            lines=[
                intake.LineInput(quantity=12, title=TitleFactory(title="<b>Fish & Chips")),
                intake.LineInput(quantity=30, description="bag of Arabic books"),
            ],
        )
        db.session.commit()
        return [lot.id for lot in donation.lots]


def lot(lot_id: int) -> Lot:
    return db.session.get(Lot, lot_id)


def test_the_queue_lists_received_lots_with_user_text_escaped(client, auth, lot_ids):
    auth.login(Role.WAREHOUSE)
    html = client.get("/sorting/").get_data(as_text=True)
    assert "2 lots waiting" in html
    assert "&lt;b&gt;Fish &amp; Chips" in html and "<b>Fish" not in html
    assert "bag of Arabic books" in html and "Catalogue…" in html


def test_accept_part_from_the_queue_then_reject_the_rest(client, auth, app, lot_ids):
    auth.login(Role.WAREHOUSE)
    first = lot_ids[0]
    response = auth.post(f"/sorting/lots/{first}/accept", {"quantity": "10", "next": "queue"}, page="/sorting/")
    assert response.headers["Location"] == "/sorting/"
    assert "Accepted 10 copies of &lt;b&gt;Fish &amp; Chips." in client.get("/sorting/").get_data(as_text=True)
    auth.post(
        f"/sorting/lots/{first}/reject",
        {"reason": "water_damaged", "disposition": "recycle"},
        page=f"/sorting/lots/{first}",
    )
    with app.app_context():
        assert (lot(first).status, lot(first).quantity, lot(first).reject_reason.value) == (
            LotStatus.REJECTED,
            2,
            "water_damaged",
        )
        assert all(account.balanced for account in donation_accounts())
    page = client.get(f"/sorting/lots/{first}").get_data(as_text=True)
    assert "lot.rejected" in page and "lot.split" in page


def test_a_bag_is_catalogued_by_isbn_then_accepted(client, auth, app, lot_ids):
    auth.login(Role.WAREHOUSE)
    bag = lot_ids[1]
    auth.post(
        f"/sorting/lots/{bag}/catalogue",
        {"quantity": "5", "isbn": "0-306-40615-2", "title": "ألف ليلة وليلة", "language": "ar", "level": "general", "kind": "book"},
        page=f"/sorting/lots/{bag}",
    )
    with app.app_context():
        piece = db.session.scalar(sa.select(Lot).where(Lot.parent_id == bag))
        assert piece.quantity == 5 and piece.title.isbn13 == "9780306406157" and piece.title.title == "ألف ليلة وليلة"
        piece_id = piece.id
    auth.post(f"/sorting/lots/{piece_id}/accept", {}, page=f"/sorting/lots/{piece_id}")
    with app.app_context():
        assert lot(piece_id).status is LotStatus.ACCEPTED and lot(bag).quantity == 25


def test_refusals_are_explained_and_change_nothing(client, auth, app, lot_ids):
    auth.login(Role.WAREHOUSE)
    first, bag = lot_ids
    cases = [
        (f"/sorting/lots/{first}/accept", {"quantity": "13"}, "has only 12 copies"),
        (f"/sorting/lots/{bag}/accept", {}, "not catalogued yet"),
        (f"/sorting/lots/{first}/reject", {"reason": "other", "disposition": "discard"}, "Say why"),
        (f"/sorting/lots/{first}/correct", {"counted": "12", "reason": "recount"}, "nothing to correct"),
        (f"/sorting/lots/{bag}/catalogue", {"isbn": "9780306406158", "level": "general", "kind": "book"}, "wrong check digit"),
        (f"/sorting/lots/{first}/correct", {"counted": "-1", "reason": "x"}, "Please correct: Copies actually there"),
    ]
    for url, data, message in cases:
        lot_page = url.rsplit("/", 1)[0]
        if url == f"/sorting/lots/{bag}/accept":  # no page offers accepting an uncatalogued bag: a hand-made request
            response = auth.post_without_form(url, data, follow_redirects=True)
        else:
            response = auth.post(url, data, page=lot_page, follow_redirects=True)
        page = response.get_data(as_text=True)
        assert message in page, (url, message)
    with app.app_context():
        assert [(lot(i).quantity, lot(i).status) for i in lot_ids] == [(12, LotStatus.RECEIVED), (30, LotStatus.RECEIVED)]


def test_a_count_correction_is_recorded(client, auth, app, lot_ids):
    auth.login(Role.WAREHOUSE)
    auth.post(
        f"/sorting/lots/{lot_ids[1]}/correct", {"counted": "28", "reason": "two were magazines"}, page=f"/sorting/lots/{lot_ids[1]}"
    )
    with app.app_context():
        (account,) = donation_accounts()
        assert lot(lot_ids[1]).quantity == 28 and account.corrections == -2 and account.balanced


@pytest.mark.parametrize("role", list(Role))
def test_sorting_is_for_the_warehouse_and_up(client, auth, lot_ids, role):
    auth.login(role)
    allowed = role.includes(Role.WAREHOUSE)
    assert client.get("/sorting/").status_code == (200 if allowed else 403)
    assert client.get(f"/sorting/lots/{lot_ids[0]}").status_code == (200 if allowed else 403)
    url = f"/sorting/lots/{lot_ids[0]}/accept"
    response = auth.post(url, {}, page="/sorting/") if allowed else auth.post_without_form(url, {})
    assert response.status_code == (302 if allowed else 403)


def test_unknown_lots_are_404_and_posts_need_csrf(client, auth, lot_ids):
    auth.login(Role.WAREHOUSE)
    assert client.get("/sorting/lots/999999").status_code == 404
    assert client.post(f"/sorting/lots/{lot_ids[0]}/accept", data={}).status_code == 400


def test_the_queue_pages_through_every_waiting_lot_at_a_cost_that_does_not_grow(client, auth, app):
    auth.login(Role.WAREHOUSE)
    with app.app_context():
        donation(2, 3)
        db.session.commit()
    few = statements_for(app, client, "/sorting/")
    with app.app_context():
        for _ in range(30):  # 300 more lots, each with its own title, from 30 donations
            donation(*[1] * 10)
        db.session.commit()
    assert statements_for(app, client, "/sorting/") == few == statements_for(app, client, "/sorting/?page=3")
    first = client.get("/sorting/").get_data(as_text=True)
    assert "302 lots waiting, oldest first." in first and "1–100 of 302 lots" in first
    last = client.get("/sorting/?page=4").get_data(as_text=True)
    assert "301–302 of 302 lots" in last and 'rel="next"' not in last
    shown = set()
    for number in range(1, 5):
        shown |= set(re.findall(r'href="/sorting/lots/(\d+)"', client.get(f"/sorting/?page={number}").get_data(as_text=True)))
    with app.app_context():
        waiting = {str(i) for i in db.session.scalars(sa.select(Lot.id).where(Lot.status == LotStatus.RECEIVED))}
    assert shown == waiting and len(waiting) == 302  # none out of reach


def test_a_lots_history_reads_as_sentences_not_data(client, auth, app):
    from books2iraq.crating import services as crating
    from books2iraq.intake.models import Disposition, RejectReason
    from books2iraq.sorting import services as sorting
    from tests.factories import WarehouseFactory

    with app.app_context():
        sorter = UserFactory(role=Role.WAREHOUSE)
        lot = donation(9, actor=sorter).lots[0]
        sorting.reject(lot, quantity=2, reason=RejectReason.WATER_DAMAGED, disposition=Disposition.DONATE_LOCALLY,
                       actor=sorter)
        crate = crating.open_crate(site=WarehouseFactory(), actor=sorter)
        crating.pack(sorting.accept(lot, actor=sorter), crate, quantity=3, actor=sorter)
        db.session.commit()
        lot_id, code = lot.id, crate.code
    auth.login(Role.WAREHOUSE)
    page = client.get(f"/sorting/lots/{lot_id}").get_data(as_text=True)
    history = page.split("<h2>History</h2>")[1]
    assert "Accepted 7 copies as fit to send." in history
    assert "copies went on as lot" in history and "{" not in history  # no JSON
    crate_page = client.get(f"/crates/{code}").get_data(as_text=True).split("<h2>History</h2>")[1]
    assert "Opened at " in crate_page and "{" not in crate_page


def test_an_event_without_a_sentence_still_reads_as_words():
    from books2iraq.audit import AuditEvent, describe

    event = AuditEvent(action="shipment.transport_updated", detail={"carrier": "Gulf Line", "seal_no": None})
    assert describe(event) == "Shipment transport updated: carrier: Gulf Line."
    rejected = AuditEvent(action="lot.rejected", detail={"quantity": 2, "reason": "water_damaged", "disposition": "donate_locally"})
    assert describe(rejected) == "Rejected 2 copies (water damaged); donate locally."


def test_the_queue_says_how_many_lots_wait_from_the_running_totals(client, auth, app):
    """The whole queue's length is a running total (no count of 100,000 lots on every view); a site's
    queue is counted. Both follow accepting, splitting and rejecting."""
    auth.login(Role.WAREHOUSE)
    with app.app_context():
        site = SiteFactory()
        ids = [lot.id for lot in donation(5, 1, 1, site=site).lots] + [lot.id for lot in donation(2).lots]
        db.session.commit()
        site_id = site.id
    auth.post(f"/sorting/lots/{ids[0]}/accept", {"quantity": "3", "next": "queue"}, page="/sorting/")  # 2 copies stay
    auth.post(f"/sorting/lots/{ids[1]}/accept", {"next": "queue"}, page="/sorting/")
    auth.post(f"/sorting/lots/{ids[2]}/reject", {"reason": "water_damaged", "disposition": "recycle"},
              page=f"/sorting/lots/{ids[2]}")
    statements = statements_of(app, client, "/sorting/")
    assert not [s for s in statements if "count(" in s.lower() and "lots" in s.lower()]
    whole = client.get("/sorting/").get_data(as_text=True)
    assert "2 lots waiting" in whole and "1–2 of 2 lots" in whole  # the rest of the first, and the other donation's
    of_site = client.get(f"/sorting/?site={site_id}").get_data(as_text=True)
    assert "1–1 of 1 lot" in of_site
