"""A donor's year as one receipt: every donation received from them that year, the voided ones listed and
not counted, nobody else's and no other year's."""
from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake import corrections
from books2iraq.intake import services as intake
from tests import pdf
from tests.factories import SiteFactory, TitleFactory, UserFactory
from tests.queries import statements_for


def gift(donor, day: date, *copies: int):
    return intake.record_donation(site=SiteFactory(), donor=donor, received_on=day, actor=UserFactory(),
                                  lines=[intake.LineInput(quantity=n, title=TitleFactory()) for n in copies])


def test_a_donors_year_is_one_receipt_of_their_donations_that_year(app, client, auth):
    with app.app_context():
        school = intake.create_donor(name="Hillside School", actor=None)
        other = intake.create_donor(name="Another donor", actor=None)
        spring, autumn = gift(school, date(2026, 3, 14), 12, 30), gift(school, date(2026, 10, 2), 7)
        wrong = gift(school, date(2026, 6, 1), 50)
        corrections.void_donation(wrong, actor=UserFactory(role=Role.COORDINATOR), reason="Entered twice")
        last_year = gift(school, date(2025, 11, 20), 4)
        theirs = gift(other, date(2026, 5, 5), 9)
        db.session.commit()
        donor_id = school.id
        refs = {name: d.ref for name, d in
                {"spring": spring, "autumn": autumn, "wrong": wrong, "last_year": last_year, "theirs": theirs}.items()}
    auth.login(Role.VOLUNTEER)
    page = client.get(f"/intake/donors/{donor_id}").get_data(as_text=True)
    years = re.search(r"<p data-years>(.*?)</p>", page, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', years) == [f"/documents/donors/{donor_id}/2026.pdf", f"/documents/donors/{donor_id}/2025.pdf"]

    response = client.get(f"/documents/donors/{donor_id}/2026.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = re.sub(r"[ \t]+", " ", pdf.text(response.data))
    assert "Donations of 2026" in text and "From: Hillside School" in text
    assert "Copies given in 2026: 49 in 2 donations" in text  # 12 + 30 + 7; the voided 50 not counted
    for name in ("spring", "autumn", "wrong"):
        assert refs[name] in text
    assert re.search(rf"2026-06-01 {refs['wrong']} .* voided", text)
    assert re.search(r"Total 49", text)
    assert refs["last_year"] not in text and refs["theirs"] not in text
    assert client.get(f"/documents/donors/{donor_id}/2024.pdf").status_code == 404
    assert client.get("/documents/donors/999999/2026.pdf").status_code == 404


def test_the_donor_page_costs_the_same_statements_with_more_years(app, client, auth):
    with app.app_context():
        few, many = (intake.create_donor(name=name, actor=None) for name in ("Few", "Many"))
        gift(few, date(2026, 1, 5), 1)
        for year in range(2019, 2027):
            gift(many, date(year, 1, 5), 1)
        db.session.commit()
        ids = few.id, many.id
    auth.login(Role.VOLUNTEER)
    assert statements_for(app, client, f"/intake/donors/{ids[0]}") == statements_for(app, client, f"/intake/donors/{ids[1]}")
    with app.app_context():
        from books2iraq.intake.models import Donation
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Donation)) == 9
