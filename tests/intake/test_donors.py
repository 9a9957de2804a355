"""Donors as records: a returning donor found again (by their page, by their e-mail) instead of made
twice, their details corrected, their page with every donation, and the list of those who agreed to
be contacted."""
from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa

from books2iraq.audit import describe, events_for
from books2iraq.auth.roles import Role
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.intake import corrections, donors
from books2iraq.intake import services as intake
from books2iraq.intake.models import Donation, Donor, DonorKind
from books2iraq.search import services as search
from tests.factories import SiteFactory, TitleFactory, UserFactory
from tests.queries import statements_for


def give(donor: intake.DonorInput | None = None, donor_id: int | None = None, copies: int = 2) -> Donation:
    staff = UserFactory(role=Role.VOLUNTEER)
    return intake.submit_donation(
        site=SiteFactory(), actor=staff, donor=donor, donor_id=donor_id,
        lines=[intake.LineInput(quantity=copies, title=TitleFactory())],
    )[0]


def test_a_donor_who_gives_again_with_the_same_e_mail_is_the_same_record(ctx):
    first = give(intake.DonorInput(name="Hillside Academy", kind=DonorKind.SCHOOL_DRIVE, email="Books@Hillside.sch.uk"))
    again = give(intake.DonorInput(name="Hillside Academy (spring drive)", email="books@hillside.sch.uk  ",
                                   consent_to_contact=True))
    db.session.commit()
    assert again.donor_id == first.donor_id and db.session.scalar(sa.select(sa.func.count()).select_from(Donor)) == 1
    donor = first.donor
    assert (donor.name, donor.consent_to_contact) == ("Hillside Academy", True)  # the consent given now is kept
    assert donor.consent_at is not None
    [edited] = [e for e in events_for(donor) if e.action == "donor.edited"]
    assert describe(edited) == "Details changed: consent to contact from no to yes."
    other = give(intake.DonorInput(name="Hillside Academy"))  # no e-mail: a name alone is not enough to tell
    assert other.donor_id != first.donor_id


def test_a_returning_donor_named_by_number_gives_again(ctx):
    first = give(intake.DonorInput(name="Dar Al-Saqi Books", kind=DonorKind.PUBLISHER))
    again = give(donor_id=first.donor_id, copies=5)
    assert again.donor_id == first.donor_id
    assert donors.given_by(Donor.id == first.donor_id) == {first.donor_id: (2, 7, first.received_on)}
    with pytest.raises(DomainError, match="There is no donor 999999."):
        give(donor_id=999_999)


def test_a_donors_details_are_corrected_with_a_record_of_what_changed(ctx):
    staff = UserFactory(role=Role.COORDINATOR)
    donor = give(intake.DonorInput(name="Mrs Khalil", email="k@example.org", consent_to_contact=True)).donor
    give(intake.DonorInput(name="Mr Aziz", email="aziz@example.org"))
    donors.edit_donor(donor, actor=staff, name="Mrs Layla Khalil", phone=" +44 7700 900123 ", consent_to_contact=False)
    db.session.commit()
    assert (donor.name, donor.phone, donor.consent_to_contact, donor.consent_at) == (
        "Mrs Layla Khalil", "+44 7700 900123", False, None)  # consent withdrawn is forgotten
    [event] = [e for e in events_for(donor) if e.action == "donor.edited"]
    assert event.detail["changes"] == {
        "name": ["Mrs Khalil", "Mrs Layla Khalil"], "phone": [None, "+44 7700 900123"], "consent_to_contact": [True, False],
    }
    assert [d.id for d in search.search("layla", Role.VOLUNTEER).groups["donor"]] == [donor.id]
    assert [d.id for d in search.search("7700", Role.VOLUNTEER).groups["donor"]] == [donor.id]
    with pytest.raises(DomainError, match=r"AZIZ@example.org is the e-mail of donor Mr Aziz \(no. \d+\)."):
        donors.edit_donor(donor, actor=staff, email="AZIZ@example.org")
    with pytest.raises(DomainError, match="A donor needs a name."):
        donors.edit_donor(donor, actor=staff, name="  ")


def test_a_voided_donation_is_not_counted_as_given(ctx):
    first = give(intake.DonorInput(name="Term Drive"), copies=3)
    give(donor_id=first.donor_id, copies=4)
    corrections.void_donation(first, actor=UserFactory(role=Role.COORDINATOR), reason="Recorded twice")
    assert donors.given_by(Donor.id == first.donor_id)[first.donor_id][:2] == (1, 4)


def test_the_intake_form_records_a_donation_from_a_returning_donor(app, client, auth):
    with app.app_context():
        donor_id = give(intake.DonorInput(name="Hillside Academy", email="books@hillside.sch.uk")).donor_id
        site_id = SiteFactory(name="Leeds drop-off").id
        db.session.commit()
    auth.login(Role.VOLUNTEER)
    page = auth.open(f"/intake/new?donor={donor_id}")
    assert f'data-returning-donor="{donor_id}"' in page.html and "Donor's name" not in page.html
    response = page.post(f"/intake/new?donor={donor_id}", {
        "site": site_id, "received_on": "2026-11-20", "scans": "9780306406157", "condition": "good",
        "donor_id": str(donor_id), "submission_key": "k1", "confirm_date": "y",
    }, follow_redirects=True)
    assert "recorded from Hillside Academy: 1 copy." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Donation.donor_id == donor_id)) == 2
    assert client.get("/intake/new?donor=999999").status_code == 404


def test_the_donor_pages_list_search_and_cost_the_same_whatever_the_size(app, client, auth):
    with app.app_context():
        first = give(intake.DonorInput(name="Hillside Academy", email="books@hillside.sch.uk", consent_to_contact=True))
        for _ in range(3):
            give(donor_id=first.donor_id)
        give(intake.DonorInput(name="Mr Aziz"))
        db.session.commit()
        donor_id = first.donor_id
    auth.login(Role.VOLUNTEER)
    page = client.get(f"/intake/donors/{donor_id}").get_data(as_text=True)
    assert "8 copies in 4 donations" in page and "1–4 of 4 donations" in page
    assert 'data-form="donor"' not in page  # correcting a donor is a coordinator's
    listed = client.get("/intake/donors/").get_data(as_text=True)
    assert re.findall(r'data-donor="\d+">\s*<td data-label="Donor"><a [^>]+>([^<]+)</a>', listed) == ["Hillside Academy", "Mr Aziz"]
    assert "Hillside Academy" not in client.get("/intake/donors/?q=aziz").get_data(as_text=True)
    assert "Mr Aziz" not in client.get("/intake/donors/?consenting=y").get_data(as_text=True)
    costs = [statements_for(app, client, url) for url in (f"/intake/donors/{donor_id}", "/intake/donors/")]
    with app.app_context():
        for n in range(60):
            give(intake.DonorInput(name=f"Family {n}"))
            give(donor_id=donor_id)
        db.session.commit()
    assert [statements_for(app, client, url) for url in (f"/intake/donors/{donor_id}", "/intake/donors/")] == costs


def test_the_contacts_export_holds_only_those_who_agreed_and_no_formulas(app, client, auth):
    with app.app_context():
        give(intake.DonorInput(name="=HYPERLINK(\"http://x\")", email="a@example.org", consent_to_contact=True), copies=3)
        give(intake.DonorInput(name="Mr Aziz", email="aziz@example.org"))
        db.session.commit()
    auth.login(Role.COORDINATOR)
    response = client.get("/reports/export/donor-contacts.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["donor", "name", "kind", "e-mail", "phone", "agreed on", "donations", "copies", "last donation"]
    assert len(rows) == 2 and rows[1][1] == "'=HYPERLINK(\"http://x\")" and rows[1][6:8] == ["1", "3"]
