"""Sorting with a scanner: a scan brings up a donation's or a book's lots, accepts the copy in hand,
a reason key rejects it; a whole donation is accepted at once; a counted bag is catalogued book by book."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from books2iraq.audit import AuditEvent
from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake.models import Lot, LotStatus
from books2iraq.reports.accounting import donation_accounts
from tests.factories import SiteFactory, TitleFactory, UserFactory
from tests.queries import statements_for

ISBN_A = "9780306406157"  # the same book in two donations
ISBN_B = "9780141439518"


@pytest.fixture
def scene(app):
    """Two donations: the first with 3 × A, 2 × B and a counted bag of 4; the second with 5 × A."""
    with app.app_context():
        volunteer = UserFactory(role=Role.VOLUNTEER)
        site = SiteFactory()
        a = TitleFactory(isbn13=ISBN_A, title="Book A")
        b = TitleFactory(isbn13=ISBN_B, title="Book B")
        first = intake.record_donation(site=site, actor=volunteer, lines=[
            intake.LineInput(quantity=3, title=a), intake.LineInput(quantity=2, title=b),
            intake.LineInput(quantity=4, description="bag of novels"),
        ])
        second = intake.record_donation(site=site, actor=volunteer, lines=[intake.LineInput(quantity=5, title=a)])
        db.session.commit()
        return {
            "first": first.ref, "second": second.ref, "site": site.id,
            "a1": first.lots[0].id, "b": first.lots[1].id, "bag": first.lots[2].id, "a2": second.lots[0].id,
        }


def query(response) -> dict[str, list[str]]:
    return parse_qs(urlsplit(response.headers["Location"]).query)


def lot(lot_id: int) -> Lot:
    return db.session.get(Lot, lot_id)


def test_a_donation_scanned_brings_up_its_lots_only(client, auth, scene):
    auth.login(Role.WAREHOUSE)
    response = auth.post("/sorting/scan", {"code": scene["first"].lower()}, page="/sorting/")
    assert query(response) == {"donation": [scene["first"]]}
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 lots waiting in donation" in html and scene["first"] in html
    assert f'data-lot="{scene["a2"]}"' not in html
    assert f"Accept all of {scene['first']}" in html


def test_an_isbn_scanned_without_accepting_brings_up_that_books_lots_oldest_first(client, auth, app, scene):
    auth.login(Role.WAREHOUSE)
    response = auth.post("/sorting/scan", {"code": "0-306-40615-2"}, page="/sorting/")
    assert query(response) == {"isbn": [ISBN_A]}
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 lots waiting of ISBN 9780306406157" in html
    assert html.index(f'data-lot="{scene["a1"]}"') < html.index(f'data-lot="{scene["a2"]}"')
    with app.app_context():
        assert lot(scene["a1"]).status is LotStatus.RECEIVED  # only looked


def test_accept_on_scan_takes_one_copy_from_the_donation_being_sorted(client, auth, app, scene):
    auth.login(Role.WAREHOUSE)
    page = f"/sorting/?donation={scene['second']}&accept=1"
    response = auth.post(
        "/sorting/scan", {"code": ISBN_A, "accept": "y", "donation": scene["second"]}, page=page
    )
    state = query(response)
    assert state["donation"] == [scene["second"]] and state["accept"] == ["1"]
    with app.app_context():
        piece = lot(int(state["last"][0]))
        # From the second donation's lot of 5, not the older lot of the first donation.
        assert (piece.parent_id, piece.quantity, piece.status) == (scene["a2"], 1, LotStatus.ACCEPTED)
        assert lot(scene["a2"]).quantity == 4 and lot(scene["a1"]).quantity == 3
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Accepted 1 copy of Book A" in html and "Reject it instead" in html
    assert '<input checked id="accept" name="accept" type="checkbox"' in html  # the next scan accepts too


def test_a_reason_key_rejects_the_copy_the_last_scan_accepted_with_the_usual_disposition(client, auth, app, scene):
    auth.login(Role.WAREHOUSE)
    accepted = auth.post("/sorting/scan", {"code": ISBN_B, "accept": "y"}, page="/sorting/?accept=1")
    last = query(accepted)["last"][0]
    queue = accepted.headers["Location"]
    response = auth.post(f"/sorting/lots/{last}/reject", {"reason": "mould", "next": "/sorting/?accept=1"}, page=queue)
    assert response.headers["Location"] == "/sorting/?accept=1"
    with app.app_context():
        rejected = lot(int(last))
        assert (rejected.status.value, rejected.reject_reason.value, rejected.disposition.value) == (
            "rejected", "mould", "discard")
        kinds = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.subject_type == "Lot", AuditEvent.subject_id == int(last)).order_by(AuditEvent.id)).all()
        assert kinds[-2:] == ["lot.accepted", "lot.rejected"]
        assert all(account.balanced for account in donation_accounts())


def test_a_bad_scan_changes_nothing_and_says_what_is_wrong(client, auth, app, scene):
    auth.login(Role.WAREHOUSE)
    for code, message in [
        ("9780306406158", "wrong check digit"),
        ("D-2026-999999", "There is no donation D-2026-999999."),
        ("B2I-C-000001", "is a crate&#39;s label"),
        ("9780000000002", "No copy of ISBN 9780000000002 is waiting to be sorted"),
    ]:
        response = auth.post("/sorting/scan", {"code": code, "accept": "y"}, page="/sorting/?accept=1")
        assert "last" not in query(response)
        assert message in client.get(response.headers["Location"]).get_data(as_text=True), code
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Lot.status != LotStatus.RECEIVED)) == 0


def test_accept_a_whole_donation_leaves_its_counted_bag_waiting(client, auth, app, scene):
    auth.login(Role.WAREHOUSE)
    page = f"/sorting/?donation={scene['first']}"
    response = auth.post(f"/sorting/donations/{scene['first']}/accept", {"next": page}, page=page)
    assert response.headers["Location"] == page
    html = client.get(page).get_data(as_text=True)
    assert f"Accepted 5 copies of donation {scene['first']}. 4 copies in counted bags still wait" in html
    with app.app_context():
        assert lot(scene["a1"]).status is LotStatus.ACCEPTED and lot(scene["b"]).status is LotStatus.ACCEPTED
        assert lot(scene["bag"]).status is LotStatus.RECEIVED and lot(scene["a2"]).status is LotStatus.RECEIVED


def test_the_queue_goes_back_only_to_itself(client, auth, scene):
    auth.login(Role.WAREHOUSE)
    lot_page = f"/sorting/lots/{scene['a2']}"
    for target, back in [("https://evil.example/sorting/?site=1", "/sorting/?site=1"), ("//evil.example/sorting/", "/sorting/"),
                         ("/crates/", lot_page), ("javascript:alert(1)", lot_page)]:
        response = auth.post(f"/sorting/lots/{scene['a2']}/accept", {"quantity": "1", "next": target}, page="/sorting/")
        assert response.headers["Location"] == back, target


def test_a_counted_bag_is_catalogued_by_scanning_its_books(client, auth, app, scene):
    auth.login(Role.WAREHOUSE)
    bag = scene["bag"]
    scans = [ISBN_B, "0-306-40615-2", ISBN_B, "9780747532699"]  # the last is not known yet
    for n, isbn in enumerate(scans, start=1):
        response = auth.post(f"/sorting/lots/{bag}/scan", {"isbn": isbn, "accept": "y"}, page=f"/sorting/lots/{bag}")
        assert response.status_code == 302, n
    assert "that was the bag&#39;s last copy" in client.get(f"/sorting/lots/{bag}").get_data(as_text=True)
    with app.app_context():
        pieces = db.session.scalars(sa.select(Lot).where(Lot.parent_id == bag).order_by(Lot.id)).all()
        assert [(p.title.isbn13, p.quantity, p.status.value) for p in pieces] == [
            (ISBN_B, 1, "accepted"), (ISBN_A, 1, "accepted"), (ISBN_B, 1, "accepted")]
        whole = lot(bag)
        assert (whole.title.isbn13, whole.quantity, whole.status.value) == ("9780747532699", 1, "accepted")
        assert all(account.balanced for account in donation_accounts())
    again = auth.post_without_form(f"/sorting/lots/{bag}/scan", {"isbn": ISBN_B})  # the page offers it no more
    assert again.status_code == 422
    assert f"Lot {bag} is already catalogued" in again.get_data(as_text=True)


def test_a_bag_scan_with_a_bad_isbn_keeps_it_in_the_field(client, auth, app, scene):
    auth.login(Role.WAREHOUSE)
    response = auth.post(f"/sorting/lots/{scene['bag']}/scan", {"isbn": "12345"}, page=f"/sorting/lots/{scene['bag']}")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "must have 10 or 13 digits" in html and 'value="12345"' in html
    with app.app_context():
        assert lot(scene["bag"]).quantity == 4


def test_the_scanned_queue_costs_the_same_statements_at_two_sizes(client, auth, app, scene):
    auth.login(Role.WAREHOUSE)
    url = f"/sorting/?donation={scene['first']}&accept=1&last={scene['b']}"
    small = statements_for(app, client, url)
    with app.app_context():
        volunteer = UserFactory(role=Role.VOLUNTEER)
        first = intake.get_by_ref(scene["first"])
        for _ in range(30):
            intake.record_donation(site=first.site, actor=volunteer,
                                   lines=[intake.LineInput(quantity=2, title=TitleFactory())])
        db.session.commit()
    assert statements_for(app, client, url) == small
    assert statements_for(app, client, f"/sorting/?isbn={ISBN_A}") == statements_for(app, client, f"/sorting/?isbn={ISBN_B}")
