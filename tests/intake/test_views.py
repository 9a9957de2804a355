from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake.models import Donation, Donor, Lot
from tests.conftest import csrf_from


def new_donation_data(client, site_id, **overrides):
    page = client.get("/intake/new").get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([0-9a-f]+)"', page).group(1)
    data = {
        "csrf_token": csrf_from(page),
        "submission_key": key,
        "site": str(site_id),
        "received_on": "2026-11-20",
        "condition": "good",
        "donor_kind": "individual",
        "scans": "",
    }
    data.update(overrides)
    return data


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_volunteer_scans_books_and_counts_a_bag(client, auth, app, site_id):
    auth.login(Role.VOLUNTEER)
    data = new_donation_data(
        client,
        site_id,
        scans="9780306406157\n9780306406157\n0140449132\n9780306406157 x2\n",
        **{"bags-0-description": "Arabic children's books", "bags-0-count": "15"},
        donor_name="Mrs Khalil",
        consent="y",
    )
    response = client.post("/intake/new", data=data, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Donation D-2026-000001 recorded from Mrs Khalil: 20 copies." in html
    assert "Arabic children&#39;s books" in html and "Mrs Khalil" in html
    with app.app_context():
        donation = db.session.scalar(sa.select(Donation))
        assert [(line.title.isbn13 if line.title else None, line.quantity) for line in donation.lines] == [
            ("9780306406157", 4),
            ("9780140449136", 1),
            (None, 15),
        ]
        assert donation.donor.consent_to_contact and donation.received_on.isoformat() == "2026-11-20"


def test_submitting_the_same_form_twice_records_one_donation(client, auth, app, site_id):
    auth.login(Role.VOLUNTEER)
    data = new_donation_data(client, site_id, scans="9780306406157", donor_name="Once Only")
    first = client.post("/intake/new", data=data)
    second = client.post("/intake/new", data=data)
    assert first.headers["Location"] == second.headers["Location"] == "/intake/donations/D-2026-000001"
    with app.app_context():
        assert count(Donation) == 1 and count(Donor) == 1 and count(Lot) == 1


def test_a_bad_scan_is_named_and_nothing_is_written(client, auth, app, site_id):
    auth.login(Role.VOLUNTEER)
    data = new_donation_data(client, site_id, scans="9780306406157\n9780306406158", donor_name="Kept")
    response = client.post("/intake/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Scan line 2: ISBN “9780306406158” has a wrong check digit" in html
    assert "9780306406157\n9780306406158</textarea>" in html  # the scans are kept to fix
    with app.app_context():
        assert count(Donation) == 0 and count(Donor) == 0


def test_an_empty_donation_is_refused_with_a_message(client, auth, site_id):
    auth.login(Role.VOLUNTEER)
    response = client.post("/intake/new", data=new_donation_data(client, site_id))
    assert response.status_code == 422
    assert "needs at least one line" in response.get_data(as_text=True)


def test_bad_form_values_are_shown_next_to_the_fields(client, auth, site_id):
    auth.login(Role.VOLUNTEER)
    data = new_donation_data(client, site_id, site="999", **{"bags-0-count": "-4"}, donor_email="nope", donor_name="A. Donor")
    response = client.post("/intake/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Not a valid choice" in html and "Invalid email address" in html and "between 1 and 10000" in html
    assert "Please correct: Drop-off point, Donor&#39;s e-mail, Counted bags." in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"donor_email": "donor@example.org"}, "Give the donor&#39;s name to keep their e-mail, or clear them."),
        ({"donor_phone": "+44 7700 900123", "consent": "y"},
         "Give the donor&#39;s name to keep their phone and consent, or clear them."),
        ({"bags-0-description": "Box of novels"}, "Count the copies in this bag, or clear what is in it."),
    ],
)
def test_what_would_be_dropped_unseen_is_refused_instead(client, auth, app, site_id, fields, message):
    auth.login(Role.VOLUNTEER)
    data = new_donation_data(client, site_id, scans="9780306406157", **fields)
    response = client.post("/intake/new", data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    if "donor" in message:  # the donor's part of the form is open, its error in sight
        assert "<details open>" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Donation) == 0 and count(Donor) == 0


def test_user_text_is_shown_as_text_not_html(client, auth, site_id):
    auth.login(Role.VOLUNTEER)
    data = new_donation_data(client, site_id, **{"bags-0-description": "<b>Fish & Chips</b>", "bags-0-count": "2"})
    html = client.post("/intake/new", data=data, follow_redirects=True).get_data(as_text=True)
    assert "&lt;b&gt;Fish &amp; Chips&lt;/b&gt;" in html and "<b>Fish" not in html


def test_the_donation_list_and_page_show_copies(client, auth, site_id):
    auth.login(Role.VOLUNTEER)
    client.post("/intake/new", data=new_donation_data(client, site_id, scans="9780306406157 x7"))
    listing = client.get(f"/intake/donations?site={site_id}").get_data(as_text=True)
    assert "D-2026-000001" in listing and re.search(r'<td [^>]*class="num">7</td>', listing)
    assert client.get("/intake/donations/D-2026-999999").status_code == 404


@pytest.mark.parametrize("url", ["/intake/new", "/intake/donations"])
def test_intake_pages_need_a_signed_in_user(client, url):
    assert client.get(url).status_code == 302


def test_one_copy_is_one_copy_and_drop_off_points_come_first(client, auth, app, site_id):
    with app.app_context():
        from tests.factories import WarehouseFactory

        WarehouseFactory(name="Aardvark warehouse")
        db.session.commit()
    auth.login(Role.VOLUNTEER)
    page = client.get("/intake/new").get_data(as_text=True)
    assert page.index("Leeds drop-off") < page.index("Aardvark warehouse")
    html = client.post("/intake/new", data=new_donation_data(client, site_id, scans="9780306406157"), follow_redirects=True)
    assert "recorded: 1 copy." in html.get_data(as_text=True)


@pytest.mark.parametrize(
    ("days", "doubt"), [(1, "is in the future"), (-366, "is more than a year ago")], ids=["tomorrow", "a year back"]
)
def test_a_doubtful_received_on_date_is_asked_about_before_anything_is_recorded(client, auth, app, site_id, days, doubt):
    auth.login(Role.VOLUNTEER)
    when = date.today() + timedelta(days=days)
    data = new_donation_data(client, site_id, scans="9780306406157", received_on=when.isoformat())
    asked = client.post("/intake/new", data=data)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 422
    message = f"{when:%d %B %Y} {doubt}; tick “the date is right” to keep it."
    # The question sits under the date's own field, with the box to tick, and the scans are kept.
    field = html.split('name="received_on"')[1].split('name="scans"')[0]
    assert f'<p class="field-error">{message}</p>' in field
    assert 'name="confirm_date" type="checkbox"' in field and "The date is right" in field
    assert "9780306406157</textarea>" in html
    with app.app_context():
        assert count(Donation) == 0 and count(Lot) == 0

    confirmed = client.post("/intake/new", data={**data, "confirm_date": "y"}, follow_redirects=True)
    assert "Donation D-" in confirmed.get_data(as_text=True) and "recorded: 1 copy." in confirmed.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Donation.received_on)) == when


def test_a_date_within_the_last_year_needs_no_confirmation(client, auth, app, site_id):
    auth.login(Role.VOLUNTEER)
    when = date.today() - timedelta(days=365)
    response = client.post("/intake/new", data=new_donation_data(client, site_id, scans="9780306406157",
                                                                  received_on=when.isoformat()))
    assert response.status_code == 302
    page = client.get("/intake/new").get_data(as_text=True)
    assert 'name="confirm_date"' not in page  # the box shows only when the date is doubted
