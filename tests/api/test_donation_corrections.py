"""Correcting donations through the API: PATCH the details, POST a forgotten line, POST a void."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.sorting import services as sorting
from tests.api.conftest import error, row_counts
from tests.factories import SiteFactory, TitleFactory, UserFactory

LAST_WEEK = date.today() - timedelta(days=7)


@pytest.fixture
def ref(app) -> str:
    with app.app_context():
        donation = intake.record_donation(
            site=SiteFactory(), actor=UserFactory(role=Role.VOLUNTEER), received_on=LAST_WEEK,
            lines=[intake.LineInput(quantity=3, title=TitleFactory(title="Book 0")), intake.LineInput(quantity=12, description="bag")],
            donor=intake.create_donor(name="Mrs Kalil", actor=None), note="Two boxes",
        )
        db.session.commit()
        return donation.ref


def test_patch_corrects_only_what_is_sent(api, ref):
    response = api.call("PATCH", f"/donations/{ref}", role=Role.COORDINATOR, json={"reason": "Misspelt", "donor": {"name": "Mrs Khalil"}})
    assert response.status_code == 200, response.get_json()
    got = response.get_json()
    assert got["donor"] == {"name": "Mrs Khalil", "kind": "individual"}
    assert (got["note"], got["received_on"]) == ("Two boxes", LAST_WEEK.isoformat())  # left out: unchanged
    [correction] = got["corrections"]
    assert (correction["kind"], correction["reason"], list(correction["changes"])) == ("details", "Misspelt", ["donor"])

    got = api.call("PATCH", f"/donations/{ref}", json={"reason": "No note", "note": None}).get_json()
    assert got["note"] is None and got["donor"]["name"] == "Mrs Khalil" and len(got["corrections"]) == 2


def test_a_date_a_year_back_needs_confirm_date(api, ref):
    long_ago = (date.today() - timedelta(days=400)).isoformat()
    status, code, message = error(api.call("PATCH", f"/donations/{ref}", json={"reason": "Old form", "received_on": long_ago}))
    assert (status, code) == (422, "refused") and message.endswith("is more than a year ago; tick “the date is right” to keep it.")
    response = api.call("PATCH", f"/donations/{ref}", json={"reason": "Old form", "received_on": long_ago, "confirm_date": True})
    assert response.status_code == 200 and response.get_json()["received_on"] == long_ago


def test_post_a_forgotten_line(api, ref):
    response = api.post(f"/donations/{ref}/lines", {"reason": "Left in the car", "line": {"isbn": "0306406152", "quantity": 4}})
    assert response.status_code == 201
    got = response.get_json()
    assert got["copies"] == 19 and got["lines"][-1]["isbn13"] == "9780306406157"
    assert got["account"] == {"received": 19, "unsorted": 19, "accepted": 0, "packed": 0, "rejected": 0, "corrections": 0, "balanced": True}


def test_a_bad_isbn_writes_nothing(app, api, ref):
    before = row_counts(app)
    status, code, message = error(api.post(f"/donations/{ref}/lines", {"reason": "x", "line": {"isbn": "9780306406158", "quantity": 1}}))
    assert (status, code, message) == (422, "refused", "Line 3: ISBN “9780306406158” has a wrong check digit; scan or type it again.")
    assert row_counts(app) == before


def test_void_counts_the_copies_away_and_is_final(app, api, ref):
    response = api.post(f"/donations/{ref}/void", {"reason": "Entered twice"})
    assert response.status_code == 200
    got = response.get_json()
    assert got["void_reason"] == "Entered twice" and got["voided_at"] is not None
    assert {(lot["status"], lot["quantity"]) for lot in got["lots"]} == {("void", 0)}
    assert got["account"] == {"received": 15, "unsorted": 0, "accepted": 0, "packed": 0, "rejected": 0, "corrections": -15, "balanced": True}
    [listed] = api.get("/donations").get_json()["donations"]
    assert listed["voided"] is True
    status, code, message = error(api.call("PATCH", f"/donations/{ref}", json={"reason": "r", "note": "x"}))
    assert (status, code) == (409, "conflict") and message.endswith("it cannot be corrected any more.")


def test_a_sorted_donation_cannot_be_voided(app, api, ref):
    with app.app_context():
        sorting.accept(intake.get_by_ref(ref).lots[0], actor=UserFactory(role=Role.WAREHOUSE), quantity=2)
        db.session.commit()
    status, code, message = error(api.post(f"/donations/{ref}/void", {"reason": "Entered twice"}))
    assert (status, code) == (409, "conflict") and "2 copies of it are sorted already" in message


def test_a_reason_is_required(api, ref):
    status, code, _ = error(api.post(f"/donations/{ref}/void", {}))
    assert (status, code) == (400, "invalid_request")
    status, code, message = error(api.post(f"/donations/{ref}/void", {"reason": "   "}))
    assert (status, code, message) == (422, "refused", "Give the reason for the correction.")
