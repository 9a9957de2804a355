"""Correcting a donation from its page: the coordinator's forms, what a refusal shows, the history, the VOIDED banner,
and what a voided donation looks like everywhere else (list, queue, receipt, accounts)."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake import services
from books2iraq.intake.models import Donation, DonationCorrection, DonationLine, Lot, LotStatus
from books2iraq.sorting import services as sorting
from tests import pdf
from tests.factories import SiteFactory, TitleFactory, UserFactory

THREE_DAYS_AGO = date.today() - timedelta(days=3)


@pytest.fixture
def ref(app) -> str:
    """A donation of 3 copies of "Book 0" and a bag of 12, from Mrs Kalil, received three days ago."""
    with app.app_context():
        donation = services.record_donation(
            site=SiteFactory(name="Leeds"),
            actor=UserFactory(role=Role.VOLUNTEER),
            lines=[
                services.LineInput(quantity=3, title=TitleFactory(title="Book 0")),
                services.LineInput(quantity=12, description="Children's books in Arabic"),
            ],
            donor=services.create_donor(name="Mrs Kalil", actor=None),
            received_on=THREE_DAYS_AGO,
        )
        db.session.commit()
        return donation.ref


def page(ref: str) -> str:
    return f"/intake/donations/{ref}"


def html(response) -> str:
    return response.get_data(as_text=True)


def details(**overrides: str) -> dict[str, str]:
    data = {"received_on": THREE_DAYS_AGO.isoformat(), "donor_name": "Mrs Kalil", "donor_kind": "individual", "note": ""}
    return data | overrides


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in (DonationLine, Lot, DonationCorrection)
    )


def the_donation(app, ref: str) -> Donation:
    return db.session.scalar(sa.select(Donation).where(Donation.ref == ref))


def error_under(text: str, field: str, message: str) -> None:
    """`message` is shown as the error of the input called `field`: after it, before the next input."""
    start = text.index(f'name="{field}"')
    end = text.find("<input", start + 1)
    assert f'<p class="field-error">{message}</p>' in text[start:end], text[start:end]


def test_a_coordinator_corrects_the_donor_and_the_note_and_the_page_tells_the_story(client, auth, app, ref):
    auth.login(Role.COORDINATOR)
    response = auth.post(
        f"{page(ref)}/details", details(donor_name="Mrs Khalil", note="Two boxes", reason="The name was misspelt"),
        page=page(ref), follow_redirects=True,
    )
    text = html(response)
    assert response.status_code == 200
    assert f"Donation {ref} corrected: the donor, the note." in text
    corrections = text[text.index("data-corrections"):]
    assert "The name was misspelt" in corrections and "Donor: Mrs Kalil (individual) → Mrs Khalil (individual).<br>" in corrections
    assert "Note: none → “Two boxes”." in corrections
    with app.app_context():
        donation = the_donation(app, ref)
        assert (donation.donor.name, donation.note, donation.received_on) == ("Mrs Khalil", "Two boxes", THREE_DAYS_AGO)
        [correction] = donation.corrections
        assert correction.actor.role is Role.COORDINATOR and correction.reason == "The name was misspelt"


def test_a_date_more_than_a_year_back_is_asked_again_under_its_field(client, auth, app, ref):
    auth.login(Role.ADMIN)
    long_ago = date.today() - timedelta(days=400)
    data = details(received_on=long_ago.isoformat(), reason="Found the old form")
    response = auth.post(f"{page(ref)}/details", data, page=page(ref))
    text = html(response)
    assert response.status_code == 422
    error_under(text, "received_on", f"{long_ago:%d %B %Y} is more than a year ago; tick “the date is right” to keep it.")
    assert 'name="confirm_date"' in text and 'value="Found the old form"' in text  # what was typed stays
    assert re.search(r"<details open>\s*<summary>Donor, date or note", text)
    with app.app_context():
        assert the_donation(app, ref).received_on == THREE_DAYS_AGO and counts()[2] == 0

    response = auth.post(f"{page(ref)}/details", data | {"confirm_date": "y"}, page=page(ref))
    assert response.status_code == 302
    with app.app_context():
        assert the_donation(app, ref).received_on == long_ago


def test_a_forgotten_line_is_added(client, auth, app, ref):
    auth.login(Role.COORDINATOR)
    response = auth.post(
        f"{page(ref)}/lines", {"isbn": "0-306-40615-2", "quantity": "4", "condition": "good", "reason": "Left in the car"},
        page=page(ref), follow_redirects=True,
    )
    text = html(response)
    assert f"Line 3 added to donation {ref}: 4 copies." in text
    assert '<th class="num" data-total>19</th>' in text
    assert "Line 3 added: 4 copies of ISBN 9780306406157 (good).<br>Copies: 15 → 19." in text
    with app.app_context():
        donation = the_donation(app, ref)
        assert [(lot.status, lot.quantity) for lot in donation.lots][-1] == (LotStatus.RECEIVED, 4)


def test_a_bad_isbn_is_shown_under_its_field_with_what_was_typed_and_nothing_is_written(client, auth, app, ref):
    auth.login(Role.COORDINATOR)
    with app.app_context():
        before = counts()
    response = auth.post(
        f"{page(ref)}/lines", {"isbn": "9780306406158", "quantity": "2", "condition": "fair", "reason": "Forgotten"},
        page=page(ref),
    )
    text = html(response)
    assert response.status_code == 422
    error_under(text, "isbn", "Line 3: ISBN “9780306406158” has a wrong check digit; scan or type it again.")
    assert 'value="9780306406158"' in text and 'value="Forgotten"' in text and '<option selected value="fair">' in text
    with app.app_context():
        assert counts() == before


def test_a_correction_without_a_reason_is_refused_by_the_form(client, auth, app, ref):
    auth.login(Role.COORDINATOR)
    response = auth.post(f"{page(ref)}/details", details(note="A note", reason=""), page=page(ref))
    assert response.status_code == 400
    error_under(html(response), "reason", "This field is required.")
    with app.app_context():
        assert the_donation(app, ref).note is None and counts()[2] == 0


def test_voiding_asks_for_the_box_to_be_ticked_then_the_donation_is_void_everywhere(client, auth, app, runner, ref):
    auth.login(Role.COORDINATOR)
    refused = auth.post(f"{page(ref)}/void", {"reason": "Entered twice"}, page=page(ref))
    assert refused.status_code == 400 and "Tick the box to confirm the void." in html(refused)
    with app.app_context():
        assert not the_donation(app, ref).voided

    response = auth.post(f"{page(ref)}/void", {"reason": "Entered twice", "confirm": "y"}, page=page(ref), follow_redirects=True)
    text = html(response)
    assert f"Donation {ref} voided: 15 copies counted away." in text
    assert "<strong>VOIDED</strong>" in text and "Entered twice" in text
    assert "Correct this donation" not in text  # a void is final
    listed = html(client.get("/intake/donations"))
    assert re.search(rf"{ref}</a> <span class=\"badge badge-off\">Voided</span>", listed)
    queue = html(client.get("/sorting/"))
    assert "Book 0" not in queue and "Children" not in queue
    receipt = pdf.text(client.get(f"/documents/donations/{ref}/receipt.pdf").data)
    assert f"This donation was voided on {date.today().isoformat()}: Entered twice" in receipt
    assert "Copies received: none (15 recorded in error)" in receipt
    result = runner.invoke(args=["check-accounts"])
    assert result.exit_code == 0 and "All 1 donations balance, every shipment's copies are received, damaged or missing as its crates were checked in, and the dashboard" in result.output

    again = auth.post_without_form(f"{page(ref)}/lines", {"description": "bag", "quantity": "1", "condition": "good", "reason": "x"})
    assert again.status_code == 422 and "it cannot be corrected any more." in html(again)
    with app.app_context():
        assert counts() == (2, 2, 1)


def test_a_donation_with_sorted_copies_offers_no_void_and_a_forced_one_is_refused(client, auth, app, ref):
    with app.app_context():
        sorting.accept(the_donation(app, ref).lots[0], actor=UserFactory(role=Role.WAREHOUSE))
        db.session.commit()
    auth.login(Role.COORDINATOR)
    text = html(client.get(page(ref)))
    assert "it cannot be voided; correct the count of its lots instead" in text
    assert f'action="{page(ref)}/void"' not in text
    response = auth.post_without_form(f"{page(ref)}/void", {"reason": "Entered twice", "confirm": "y"}, follow_redirects=True)
    assert f"Donation {ref} cannot be voided: 3 copies of it are sorted already." in html(response)
    with app.app_context():
        assert not the_donation(app, ref).voided


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.WAREHOUSE])
def test_only_coordinators_correct(client, auth, app, ref, role):
    auth.login(role)
    assert "Correct this donation" not in html(client.get(page(ref)))
    with app.app_context():
        before = counts()
    for action, data in (
        ("details", details(note="x", reason="r")),
        ("lines", {"description": "bag", "quantity": "1", "condition": "good", "reason": "r"}),
        ("void", {"reason": "r", "confirm": "y"}),
    ):
        assert auth.post_without_form(f"{page(ref)}/{action}", data).status_code == 403
    with app.app_context():
        assert counts() == before and not the_donation(app, ref).voided
