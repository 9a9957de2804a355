"""Intake with no connection, the server's side: what the intake page's device sends when the connection
is back (/intake/sync), what it asks for first (/intake/offline, /intake/offline/titles), and the service
worker and manifest that make the page an app. The device's side is in tests/browser/test_offline.py."""
from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from books2iraq.audit import AuditEvent
from books2iraq.auth.roles import Role
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.intake.models import Donation, Lot, Title
from books2iraq.intake.offline import kept_offline, known_titles
from books2iraq.sites.models import Site
from tests.queries import statements_for, statements_of

JSON = {"Accept": "application/json"}
KEY = "0f" * 16


def kept(site_id: int, **overrides: str) -> dict[str, str]:
    """A donation as the device kept it: the intake form's fields, its key, its receipt number and time."""
    return {
        "submission_key": KEY, "site": str(site_id), "received_on": "2026-11-20", "condition": "good",
        "donor_kind": "individual", "scans": "9780306406157\n9780306406157\n0140449132 x3\n",
        "bags-0-description": "Kurdish poetry", "bags-0-count": "4", "donor_name": "Mr Barzani",
        "offline_receipt": "7K2Q-9XW3", "kept_offline_at": "2026-11-20T09:15:00.000Z", **overrides,
    }


def sync(client, data: dict[str, str]):
    """What offline.js does: ask who is signed in and for a fresh token, then send the donation."""
    state = client.get("/intake/offline", headers=JSON)
    assert state.status_code == 200, state.get_data(as_text=True)
    return client.post("/intake/sync", data={**data, "csrf_token": state.get_json()["csrf_token"]}, headers=JSON)


def donations() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Donation))


def test_a_donation_kept_offline_is_recorded_once_with_its_receipt_number(client, auth, app, site_id):
    auth.login(Role.VOLUNTEER)
    first = sync(client, kept(site_id))
    assert first.status_code == 201
    answer = first.get_json()
    assert answer["created"] is True and answer["ref"] == "D-2026-000001"
    assert answer["url"] == "/intake/donations/D-2026-000001"
    assert answer["receipt_url"] == "/documents/donations/D-2026-000001/receipt.pdf"
    assert answer["offline_receipt"] == "7K2Q-9XW3"
    assert answer["message"] == "Donation D-2026-000001 recorded from Mr Barzani: 9 copies."

    # The answer was lost on the way back: the device sends it again, and again at the same time elsewhere.
    again = sync(client, kept(site_id))
    assert again.status_code == 200
    assert again.get_json()["created"] is False and again.get_json()["ref"] == "D-2026-000001"
    with app.app_context():
        assert donations() == 1
        donation = db.session.scalar(sa.select(Donation))
        assert donation.offline_receipt == "7K2Q-9XW3"
        assert donation.kept_offline_at.replace(tzinfo=UTC) == datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
        lines = [(line.title.isbn13 if line.title else line.description, line.quantity) for line in donation.lines]
        assert lines == [("9780306406157", 2), ("9780140449136", 3), ("Kurdish poetry", 4)]
        assert db.session.scalar(sa.select(sa.func.sum(Lot.quantity))) == 9
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "donation.recorded"))
        assert event.detail["offline_receipt"] == "7K2Q-9XW3"
        assert event.detail["kept_offline_at"] == "2026-11-20T09:15:00+00:00"
    # Nothing is flashed for a donation sent in the background: the next page the volunteer opens is not about it.
    assert "recorded from Mr Barzani" not in client.get("/intake/new").get_data(as_text=True)


def test_the_form_on_screen_sent_through_the_device_says_what_it_recorded_on_the_next_page(client, auth, app, site_id):
    auth.login(Role.VOLUNTEER)
    data = kept(site_id, live="1")
    del data["offline_receipt"], data["kept_offline_at"]
    sent = sync(client, data)
    assert sent.status_code == 201 and sent.get_json()["offline_receipt"] is None
    page = client.get(sent.get_json()["url"]).get_data(as_text=True)
    assert "Donation D-2026-000001 recorded from Mr Barzani: 9 copies." in page
    assert "Receipt number given offline" not in page
    with app.app_context():
        donation = db.session.scalar(sa.select(Donation))
        assert donation.offline_receipt is None and donation.kept_offline_at is None


def test_a_donation_whose_answer_was_lost_gets_the_receipt_number_the_device_then_gave(client, auth, app, site_id):
    """The form was sent and recorded, but its answer never reached the device, which then kept it offline and
    gave the donor a receipt number: sent again, it records nothing more, and the number leads to it."""
    auth.login(Role.VOLUNTEER)
    live = kept(site_id, live="1")
    del live["offline_receipt"], live["kept_offline_at"]
    assert sync(client, live).status_code == 201
    again = sync(client, kept(site_id))
    assert again.status_code == 200 and again.get_json()["ref"] == "D-2026-000001"
    with app.app_context():
        assert donations() == 1
        donation = db.session.scalar(sa.select(Donation))
        assert donation.offline_receipt == "7K2Q-9XW3"
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "donation.offline_receipt"))
        assert event.detail == {"offline_receipt": "7K2Q-9XW3"} and event.subject_id == donation.id


def test_the_donation_page_shows_the_receipt_number_the_device_gave(client, auth, site_id):
    auth.login(Role.VOLUNTEER)
    sync(client, kept(site_id))
    page = client.get("/intake/donations/D-2026-000001").get_data(as_text=True)
    assert "Receipt number given offline: <bdi>7K2Q-9XW3</bdi>" in page
    assert "kept on the device on 2026-11-20 and sent when the connection was back." in page


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"scans": "9780306406158\n"}, 422, "Scan line 1: ISBN “9780306406158” has a wrong check digit; scan or type it again."),
        ({"scans": "", "bags-0-count": "", "bags-0-description": ""}, 422,
         "A donation needs at least one line: scan a book or count a bag."),
        ({"offline_receipt": "7K2Q-9XWU"}, 422, "The receipt number the device gave is not one (it reads like 7K2Q-9XW3)."),
        ({"kept_offline_at": "yesterday"}, 422, "The time the device kept the donation is not a time."),
        ({"received_on": "2026-13-01"}, 400, "Some fields are not right."),
    ],
)
def test_a_refused_donation_gets_its_reason_as_json_and_writes_nothing(client, auth, app, site_id, change, status, message):
    auth.login(Role.VOLUNTEER)
    refused = sync(client, kept(site_id, **change))
    assert refused.status_code == status
    assert refused.get_json()["error"]["message"] == message
    with app.app_context():
        assert donations() == 0 and db.session.scalar(sa.select(sa.func.count()).select_from(Title)) == 0


def test_a_drop_off_point_closed_while_the_device_was_offline_is_named_in_the_refusal(client, auth, app, site_id):
    auth.login(Role.VOLUNTEER)
    with app.app_context():
        db.session.get(Site, site_id).active = False
        db.session.commit()
    refused = sync(client, kept(site_id))
    assert refused.status_code == 422
    assert refused.get_json()["error"]["message"] == "Leeds drop-off is closed; choose another site."
    with app.app_context():
        assert donations() == 0


def test_the_same_key_sent_with_other_books_is_a_conflict_not_a_second_donation(client, auth, app, site_id):
    auth.login(Role.VOLUNTEER)
    assert sync(client, kept(site_id)).status_code == 201
    conflict = sync(client, kept(site_id, scans="9780306406157\n"))
    assert conflict.status_code == 409
    assert "already sent and recorded as donation D-2026-000001" in conflict.get_json()["error"]["message"]
    with app.app_context():
        assert donations() == 1


def test_signed_out_or_without_a_token_the_device_is_told_so_in_json(client, auth, app, site_id):
    signed_out = client.get("/intake/offline", headers=JSON)
    assert signed_out.status_code == 401
    assert signed_out.get_json()["error"] == {"code": "unauthorized", "message": "You are signed out: sign in again."}
    refused = client.post("/intake/sync", data=kept(site_id), headers=JSON)  # no session, so no token
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "invalid_request"
    assert client.get("/intake/offline/titles", headers=JSON).status_code == 401
    # A page, not a script, is still sent to the sign-in page.
    assert client.get("/intake/offline").headers["Location"].startswith("/auth/login")

    auth.login(Role.VOLUNTEER)
    no_token = client.post("/intake/sync", data=kept(site_id), headers=JSON)
    assert no_token.status_code == 400 and no_token.get_json()["error"]["code"] == "invalid_request"
    with app.app_context():
        assert donations() == 0


def test_a_recipient_may_not_record_donations_from_a_device(client, auth, site_id):
    auth.login(Role.RECIPIENT)
    assert client.get("/intake/offline", headers=JSON).status_code == 403
    assert client.get("/intake/offline/titles", headers=JSON).status_code == 403


def test_the_device_is_told_who_is_signed_in_and_gets_a_token(client, auth, app):
    auth.login(Role.VOLUNTEER)
    state = client.get("/intake/offline", headers=JSON).get_json()
    with app.app_context():
        from books2iraq.auth.models import User

        volunteer = db.session.scalar(sa.select(User).where(User.role == Role.VOLUNTEER))
    assert state["user"] == volunteer.id and len(state["csrf_token"]) > 20


def test_the_device_fetches_the_named_titles_page_by_page_in_one_statement_each(app, client, auth):
    with app.app_context():
        named = [Title(isbn13=isbn13(n), title=f"Book {n}", authors=f"Author {n}") for n in range(1, 13)]
        db.session.add_all(named)
        db.session.add(Title(isbn13=isbn13(99), title=None))  # not catalogued yet: nothing to show
        db.session.add(Title(isbn13=None, title="A pamphlet with no ISBN"))  # nothing to find it by
        db.session.commit()
        first = known_titles(0, limit=5)
        assert [t[1] for t in first.titles] == ["Book 1", "Book 2", "Book 3", "Book 4", "Book 5"]
        assert first.titles[0] == (named[0].isbn13, "Book 1", "Author 1") and first.more is True
        second = known_titles(first.last, limit=5)
        third = known_titles(second.last, limit=5)
        assert [t[1] for t in second.titles + third.titles] == [f"Book {n}" for n in range(6, 13)]
        assert third.more is False and known_titles(third.last).titles == []
        named_ids = [title.id for title in named]
    auth.login(Role.VOLUNTEER)
    # One statement for the page of titles, however many titles it holds; and the same in all, 12 titles or 2.
    assert [len([s for s in statements_of(app, client, f"/intake/offline/titles?after={after}") if "FROM titles" in s])
            for after in (0, named_ids[-3])] == [1, 1]
    assert statements_for(app, client, "/intake/offline/titles?after=0") == statements_for(
        app, client, f"/intake/offline/titles?after={named_ids[-3]}")
    answer = client.get("/intake/offline/titles?after=-5", headers=JSON).get_json()
    assert len(answer["titles"]) == 12 and answer["more"] is False
    # Compressed for a browser that says it takes gzip, as every browser does.
    squeezed = client.get("/intake/offline/titles", headers={**JSON, "Accept-Encoding": "gzip, deflate, br"})
    assert squeezed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in squeezed.headers["Vary"]
    assert json.loads(gzip.decompress(squeezed.data)) == answer


def isbn13(n: int) -> str:
    body = f"978{n:09d}"
    return body + str((10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10)


def test_a_device_clock_running_ahead_does_not_keep_a_donation_in_the_future():
    ahead = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    kept_at = kept_offline("7k2q-9xw3", ahead)
    assert kept_at is not None and kept_at.receipt == "7K2Q-9XW3"
    assert kept_at.at <= datetime.now(UTC)
    assert kept_offline("", "") is None
    with pytest.raises(DomainError, match="is not a time"):
        kept_offline("7K2Q-9XW3", "2026-11-20T09:15:00")  # no time zone: which 09:15?
    with pytest.raises(DomainError, match="receipt number"):
        kept_offline("", "2026-11-20T09:15:00Z")


def test_the_service_worker_caches_only_the_intake_page_and_static_files(client):
    worker = client.get("/intake/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Cache-Control"] == "no-cache"
    script = worker.get_data(as_text=True)
    assert 'importScripts("/static/vendor/workbox/workbox-sw.js")' in script
    assert 'modulePathPrefix: "/static/vendor/workbox/"' in script  # never Google's CDN, its default
    assert 'const PAGE = "/intake/new"' in script and 'const STATIC = "/static/"' in script
    assert script.count("registerRoute(") == 2
    assert "/api" not in script and "token" not in script.lower().replace("tokens,", "")


def test_the_manifest_makes_the_intake_page_an_app_in_the_language_of_the_browser(client):
    manifest = client.get("/intake/manifest.webmanifest", headers={"Accept-Language": "ar"})
    assert manifest.status_code == 200 and manifest.mimetype == "application/manifest+json"
    body = json.loads(manifest.get_data(as_text=True))
    assert body["start_url"] == "/intake/new" and body["scope"] == "/intake/" and body["display"] == "standalone"
    assert body["lang"] == "ar" and body["dir"] == "rtl" and body["short_name"] == "الاستلام"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in body["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in body["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200 and served.mimetype == "image/png"
        from io import BytesIO

        picture = Image.open(BytesIO(served.data))
        assert f"{picture.width}x{picture.height}" == icon["sizes"]
        served.close()


def test_the_intake_page_links_its_manifest_and_names_what_its_script_needs(client, auth):
    auth.login(Role.VOLUNTEER)
    page = client.get("/intake/new").get_data(as_text=True)
    assert '<link rel="manifest" href="/intake/manifest.webmanifest">' in page
    form = re.search(r"<form[^>]*data-intake[^>]*>", page, re.S).group(0)
    for attribute in ('data-worker="/intake/sw.js"', 'data-scope="/intake/"', 'data-sync-url="/intake/sync"',
                      'data-state-url="/intake/offline"', 'data-titles-url="/intake/offline/titles"',
                      'data-cache="b2i-intake-v1"', f'data-today="{datetime.now().date().isoformat()}"'):
        assert attribute in form
    # The sign-out form names whose device storage it clears.
    assert re.search(r'<form method="post" action="/auth/logout" class="inline" data-signout data-user="\d+">', page)


def test_a_recipients_pages_carry_no_intake_storage(client, auth):
    auth.login(Role.RECIPIENT)
    page = client.get("/receiving/").get_data(as_text=True)
    assert "offline.js" not in page and "data-signout>" in page


def test_the_donor_finds_the_donation_by_the_number_the_device_gave(client, auth, app, site_id):
    """The receipt PDF prints the device's number beside the ref, and the search box finds it."""
    from books2iraq.search import services as search
    from tests.pdf import text

    auth.login(Role.VOLUNTEER)
    sync(client, kept(site_id))
    receipt = client.get("/documents/donations/D-2026-000001/receipt.pdf")
    assert receipt.status_code == 200
    assert "Receipt number given at the drop-off point: 7K2Q-9XW3" in text(receipt.data, layout=False)
    found = client.get("/search?q=7k2q-9xw3")
    assert found.status_code == 302 and found.headers["Location"] == "/intake/donations/D-2026-000001"
    with app.app_context():
        assert search.jump("7K2Q-9XW4", Role.VOLUNTEER) is None
        assert search.jump("7K2Q-9XW3", Role.RECIPIENT) is None  # a recipient sees no donations
