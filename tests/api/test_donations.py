"""Donations through the API: recorded by the intake service, once per submission key, refused whole."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from books2iraq import audit
from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake.models import Donation, Donor, LotStatus
from books2iraq.sites.models import Site
from tests.api.conftest import error, row_counts
from tests.factories import SiteFactory, TitleFactory, donation

YEAR = date.today().year


def test_record_a_donation_of_scanned_books_and_a_counted_bag(app, api, users, site_id):
    body = {
        "site_id": site_id,
        "received_on": "2026-03-01",
        "lines": [
            {"isbn": "0-306-40615-2", "quantity": 3, "condition": "fair"},
            {"description": "Arabic picture books", "quantity": 12},
        ],
        "donor": {"name": "Al-Noor School", "kind": "school_drive", "email": "office@alnoor.example", "consent_to_contact": True},
        "note": "dropped off by the head teacher",
    }
    response = api.post("/donations", body, role=Role.VOLUNTEER)
    assert response.status_code == 201, response.get_json()
    got = response.get_json()
    assert got["ref"] == "D-2026-000001" and got["copies"] == 15 and got["received_on"] == "2026-03-01"
    assert got["site"]["name"] == "Leeds drop-off" and got["donor"] == {"name": "Al-Noor School", "kind": "school_drive"}
    assert [(ln["isbn13"], ln["description"], ln["quantity"], ln["condition"]) for ln in got["lines"]] == [
        ("9780306406157", None, 3, "fair"),
        (None, "Arabic picture books", 12, "good"),
    ]
    assert [(lot["status"], lot["quantity"], lot["donation_ref"]) for lot in got["lots"]] == [
        ("received", 3, "D-2026-000001"),
        ("received", 12, "D-2026-000001"),
    ]
    assert got["account"] == {"received": 15, "unsorted": 15, "accepted": 0, "packed": 0, "rejected": 0, "corrections": 0, "balanced": True}
    with app.app_context():
        recorded = intake.get_by_ref("D-2026-000001")
        assert recorded.received_by.email == users[Role.VOLUNTEER] and recorded.note == "dropped off by the head teacher"
        assert recorded.donor.consent_to_contact and recorded.donor.consent_at is not None
        assert [lot.status for lot in recorded.lots] == [LotStatus.RECEIVED] * 2
        [event] = audit.events_for(recorded)
        assert (event.action, event.actor.email, event.detail["copies"]) == ("donation.recorded", users[Role.VOLUNTEER], 15)
        assert [e.action for e in audit.events_for(recorded.donor)] == ["donor.created"]


def test_the_same_submission_key_records_the_donation_once(app, api, site_id):
    body = {"site_id": site_id, "lines": [{"isbn": "9780306406157", "quantity": 1}], "donor": {"name": "Sam"}, "submission_key": "scan-42"}
    first = api.post("/donations", body, role=Role.VOLUNTEER)
    again = api.post("/donations", body, role=Role.VOLUNTEER)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json() == again.get_json()
    assert first.get_json()["received_on"] == date.today().isoformat()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Donation)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Donor)) == 1
    other = api.post("/donations", body | {"lines": [{"isbn": "9780306406157", "quantity": 4}]}, role=Role.VOLUNTEER)
    assert error(other)[:2] == (409, "conflict") and "already sent and recorded as donation" in error(other)[2]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Donation)) == 1


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([{"isbn": "9780306406157", "quantity": 1}, {"isbn": "9780306406158", "quantity": 2}], "Line 2: ISBN “9780306406158” has a wrong check digit; scan or type it again."),
        ([{"description": "box", "quantity": 10_001}], "Line 1: 10001 copies is more than 10000; split it into several lines."),
        ([{"description": "   ", "quantity": 1}], "Line 1: scan an ISBN or describe what is in the bag."),
    ],
)
def test_a_refused_donation_writes_nothing(app, api, site_id, lines, message):
    before = row_counts(app)
    response = api.post("/donations", {"site_id": site_id, "lines": lines, "donor": {"name": "Sam"}}, role=Role.VOLUNTEER)
    assert error(response) == (422, "refused", message)
    assert row_counts(app) == before


def test_closed_and_unknown_sites_are_refused(app, api, site_id):
    line = [{"description": "bag", "quantity": 1}]
    assert error(api.post("/donations", {"site_id": 999, "lines": line})) == (422, "refused", "There is no site number 999.")
    with app.app_context():
        db.session.get(Site, site_id).active = False
        db.session.commit()
    assert error(api.post("/donations", {"site_id": site_id, "lines": line})) == (422, "refused", "Leeds drop-off is closed; choose another site.")


def test_a_donation_needs_lines(api, site_id):
    response = api.post("/donations", {"site_id": site_id, "lines": []})
    assert error(response)[:2] == (400, "invalid_request")
    assert response.get_json()["error"]["details"][0]["field"] == "lines"


def test_list_and_show_donations(app, api):
    with app.app_context():
        leeds, york = SiteFactory(name="Leeds"), SiteFactory(name="York")
        for site, copies in ((leeds, 3), (york, 5), (leeds, 7)):
            donation(copies, site=site)
        db.session.commit()
        leeds_id = leeds.id
    got = api.get("/donations", role=Role.VOLUNTEER).get_json()["donations"]
    assert [(d["ref"], d["site"], d["copies"]) for d in got] == [
        (f"D-{YEAR}-000003", "Leeds", 7),
        (f"D-{YEAR}-000002", "York", 5),
        (f"D-{YEAR}-000001", "Leeds", 3),
    ]
    got = api.get(f"/donations?site_id={leeds_id}&limit=1", role=Role.VOLUNTEER).get_json()
    assert [d["ref"] for d in got["donations"]] == [f"D-{YEAR}-000003"] and (got["total"], got["pages"]) == (2, 2)
    got = api.get(f"/donations?site_id={leeds_id}&limit=1&page=2", role=Role.VOLUNTEER).get_json()
    assert [d["ref"] for d in got["donations"]] == [f"D-{YEAR}-000001"] and got["page"] == 2
    assert error(api.get("/donations?limit=0"))[:2] == (400, "invalid_request")
    assert error(api.get("/donations?limit=501"))[:2] == (400, "invalid_request")

    shown = api.get(f"/donations/d-{YEAR}-000002", role=Role.VOLUNTEER).get_json()
    assert shown["ref"] == f"D-{YEAR}-000002" and shown["copies"] == 5 and shown["lines"][0]["title"].startswith("Book")
    assert error(api.get("/donations/D-1999-000001")) == (404, "not_found", "There is no donation D-1999-000001.")


def test_a_known_title_is_reused(app, api, site_id):
    with app.app_context():
        TitleFactory(isbn13="9780306406157", title="Physics")
        db.session.commit()
    got = api.post("/donations", {"site_id": site_id, "lines": [{"isbn": "9780306406157", "quantity": 2}]}).get_json()
    assert got["lots"][0]["title"]["title"] == "Physics" and got["lots"][0]["label"] == "Physics"
