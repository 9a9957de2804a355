"""Correcting a donation: details, a forgotten line, a void. Each is a correction with its reason and an audit
event; a refusal writes nothing; the accounts balance after each; the receipt shows the donation as corrected."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from books2iraq.audit import AuditEvent, describe, events_for
from books2iraq.auth.roles import Role
from books2iraq.documents import services as documents
from books2iraq.errors import Conflict, DomainError
from books2iraq.extensions import db
from books2iraq.intake import corrections, services
from books2iraq.intake.models import (
    CorrectionKind,
    CountCorrection,
    Donation,
    DonationCorrection,
    DonationLine,
    Donor,
    Lot,
    LotStatus,
    Title,
)
from books2iraq.reports import accounting, dashboard
from books2iraq.sorting import services as sorting
from tests import pdf
from tests.factories import SiteFactory, TitleFactory, UserFactory

pytestmark = pytest.mark.usefixtures("ctx")

TABLES = (Donation, DonationLine, Lot, Donor, Title, DonationCorrection, CountCorrection, AuditEvent)


@pytest.fixture
def coordinator():
    return UserFactory(role=Role.COORDINATOR, name="Coord Inator")


@pytest.fixture
def donation(coordinator):
    """D-…-000001: 3 copies of "Book 0" and a counted bag of 12, from Mrs Kalil, received three days ago."""
    volunteer = UserFactory(role=Role.VOLUNTEER)
    donation, _ = services.submit_donation(
        site=SiteFactory(name="Leeds"),
        actor=volunteer,
        lines=[
            services.LineInput(quantity=3, title=TitleFactory(title="Book 0", isbn13="9780140449136")),
            services.LineInput(quantity=12, description="Children's books in Arabic"),
        ],
        donor=services.DonorInput(name="Mrs Kalil", consent_to_contact=True),
        received_on=date.today() - timedelta(days=3),
    )
    db.session.commit()
    return donation


def rows() -> dict[str, int]:
    return {model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in TABLES}


def assert_balanced(donation: Donation) -> accounting.DonationAccount:
    account = accounting.donation_account(donation)
    assert account.balanced, account
    assert accounting.unbalanced_donations() == []
    return account


def corrections_audited(donation: Donation) -> list[tuple[str, str]]:
    return [(e.action, e.detail["reason"]) for e in events_for(donation) if e.action != "donation.recorded"]


# --- details -------------------------------------------------------------------------------------------


def test_the_donor_the_date_and_the_note_are_corrected_with_the_reason(donation, coordinator):
    old_donor = donation.donor
    consented_at = old_donor.consent_at
    three_days_ago, four_days_ago = (date.today() - timedelta(days=n) for n in (3, 4))
    correction = corrections.correct_details(
        donation,
        actor=coordinator,
        reason=" The name was misspelt ",
        donor=services.DonorInput(name="Mrs Khalil", consent_to_contact=True),
        received_on=four_days_ago,
        note="Left at the front desk",
    )
    db.session.commit()

    assert correction.kind is CorrectionKind.DETAILS and correction.reason == "The name was misspelt"
    assert correction.actor is coordinator and correction.donation is donation
    assert correction.changes == {
        "received_on": {"before": three_days_ago.isoformat(), "after": four_days_ago.isoformat()},
        "donor": {
            "before": {"id": old_donor.id, "name": "Mrs Kalil", "kind": "individual", "consent_to_contact": True},
            "after": {"id": donation.donor.id, "name": "Mrs Khalil", "kind": "individual", "consent_to_contact": True},
        },
        "note": {"before": None, "after": "Left at the front desk"},
    }
    assert (donation.donor.name, donation.received_on, donation.note) == ("Mrs Khalil", four_days_ago, "Left at the front desk")
    # The old donor's record stays; the consent the donor gave keeps its date.
    assert db.session.get(Donor, old_donor.id).name == "Mrs Kalil"
    assert donation.donor.id != old_donor.id and donation.donor.consent_at == consented_at
    assert donation.ref == f"D-{date.today().year}-000001"
    assert corrections_audited(donation) == [("donation.corrected", "The name was misspelt")]
    assert corrections.describe(correction) == [
        f"Received on {three_days_ago.isoformat()} → {four_days_ago.isoformat()}.",
        "Donor: Mrs Kalil (individual) → Mrs Khalil (individual).",
        "Note: none → “Left at the front desk”.",
    ]
    assert assert_balanced(donation).received == 15


def test_only_what_changed_is_recorded_and_the_donor_can_be_taken_off(donation, coordinator):
    correction = corrections.correct_details(
        donation, actor=coordinator, reason="Anonymous after all", donor=None, received_on=donation.received_on, note=""
    )
    assert list(correction.changes) == ["donor"] and correction.changes["donor"]["after"] is None
    assert donation.donor is None
    with pytest.raises(DomainError, match=r"^Nothing to correct: donation D-\d{4}-000001 already has these details\.$"):
        corrections.correct_details(donation, actor=coordinator, reason="again", donor=None, note=None)


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (-1, "is in the future; tick “the date is right” to keep it."),
        (366, "is more than a year ago; tick “the date is right” to keep it."),
    ],
)
def test_an_unlikely_date_needs_a_confirmation(donation, coordinator, days, message):
    day = date.today() - timedelta(days=days)
    with pytest.raises(services.DateNeedsConfirmation) as refused:
        corrections.correct_details(donation, actor=coordinator, reason="Wrong date", received_on=day)
    assert str(refused.value) == f"{day:%d %B %Y} {message}" and refused.value.field == "received_on"
    db.session.rollback()
    corrections.correct_details(donation, actor=coordinator, reason="Wrong date", received_on=day, confirm_date=True)
    assert donation.received_on == day


@pytest.mark.parametrize("day", [date(1999, 12, 31), date.today() + timedelta(days=2)])
def test_a_date_outside_the_operation_is_refused_even_when_confirmed(donation, coordinator, day):
    with pytest.raises(DomainError, match="The date the books were received must be between 01 January 2000 and") as refused:
        corrections.correct_details(donation, actor=coordinator, reason="Wrong date", received_on=day, confirm_date=True)
    assert refused.value.field == "received_on"


# --- an added line -------------------------------------------------------------------------------------


def test_a_forgotten_line_becomes_a_received_lot_like_the_others(donation, coordinator):
    correction = corrections.add_line(
        donation, actor=coordinator, reason="A box left in the car", line=services.LineInput(quantity=4, isbn="0-306-40615-2")
    )
    db.session.commit()

    line = donation.lines[-1]
    assert (line.position, line.quantity, line.title.isbn13) == (3, 4, "9780306406157")
    [lot] = [lot for lot in donation.lots if lot.line_id == line.id]
    assert (lot.status, lot.quantity, lot.title_id) == (LotStatus.RECEIVED, 4, line.title_id)
    assert lot in db.session.scalars(sorting.waiting_lots()).all()
    assert correction.kind is CorrectionKind.LINE_ADDED and correction.changes == {
        "line": {
            "position": 3, "isbn13": "9780306406157", "title": None, "description": None, "quantity": 4,
            "condition": "good",
        },
        "copies": {"before": 15, "after": 19},
    }
    assert corrections.describe(correction) == ["Line 3 added: 4 copies of ISBN 9780306406157 (good).", "Copies: 15 → 19."]
    assert corrections_audited(donation) == [("donation.line_added", "A box left in the car")]
    account = assert_balanced(donation)
    assert (account.received, account.unsorted) == (19, 19)


def test_the_receipt_shows_the_corrected_donation(donation, coordinator):
    corrections.correct_details(donation, actor=coordinator, reason="Misspelt", donor=services.DonorInput(name="Mrs Khalil"))
    corrections.add_line(
        donation, actor=coordinator, reason="Forgotten", line=services.LineInput(quantity=4, description="Maths textbooks")
    )
    db.session.commit()
    text = pdf.text(documents.donor_receipt(donation)[1])
    assert "From: Mrs Khalil" in text and "Mrs Kalil" not in text
    assert "Copies received: 19" in text
    assert [line.split() for line in text.splitlines() if "Maths textbooks" in line or line.strip().startswith("Total")] == [
        ["Maths", "textbooks", "4"],
        ["Total", "19"],
    ]
    assert "VOIDED" not in text


# --- voiding -------------------------------------------------------------------------------------------


def test_a_donation_not_sorted_yet_is_voided_and_its_copies_counted_away(donation, coordinator):
    book, bag = donation.lots
    sorting.catalogue(bag, TitleFactory(title="Arabic stories"), actor=coordinator, quantity=5)  # still waiting
    db.session.commit()

    correction = corrections.void_donation(donation, actor=coordinator, reason="Entered twice; see D-2026-000002")
    db.session.commit()

    assert donation.voided and donation.void_reason == "Entered twice; see D-2026-000002"
    lots = db.session.scalars(sa.select(Lot).where(Lot.donation_id == donation.id).order_by(Lot.id)).all()
    assert [(lot.status, lot.quantity) for lot in lots] == [(LotStatus.VOID, 0)] * 3
    assert sorted(
        (c.delta, c.reason) for c in db.session.scalars(sa.select(CountCorrection).where(CountCorrection.donation_id == donation.id))
    ) == [(-7, "Donation voided: Entered twice; see D-2026-000002"), (-5, "Donation voided: Entered twice; see D-2026-000002"),
          (-3, "Donation voided: Entered twice; see D-2026-000002")]
    assert correction.kind is CorrectionKind.VOIDED
    assert correction.changes == {"voided": {"before": False, "after": True}, "copies": {"before": 15, "after": 0}}
    assert corrections_audited(donation) == [("donation.voided", "Entered twice; see D-2026-000002")]
    assert describe(events_for(book)[-1]) == f"Voided with donation {donation.ref}, 3 copies counted away: Entered twice; see D-2026-000002."

    account = assert_balanced(donation)
    assert (account.received, account.corrections, account.unsorted) == (15, -15, 0)
    assert accounting.copies_per_stage()["received"] == 0
    assert db.session.scalars(sorting.waiting_lots()).all() == []
    assert dashboard.received_per_site() == []


def test_a_lot_already_counted_away_does_not_stop_a_void(donation, coordinator):
    book, bag = donation.lots
    sorting.correct_count(book, counted=0, reason="The box was empty", actor=coordinator)
    corrections.void_donation(donation, actor=coordinator, reason="Recorded in error")
    assert [c.delta for c in db.session.scalars(sa.select(CountCorrection).order_by(CountCorrection.id))] == [-3, -12]
    assert assert_balanced(donation).corrections == -15


@pytest.mark.parametrize("sort", ["accept", "reject"])
def test_a_donation_with_sorted_copies_cannot_be_voided_and_nothing_is_written(donation, coordinator, sort):
    book = donation.lots[0]
    if sort == "accept":
        sorting.accept(book, actor=coordinator, quantity=1)
    else:
        from books2iraq.intake.models import Disposition, RejectReason

        sorting.reject(book, reason=RejectReason.MOULD, disposition=Disposition.RECYCLE, actor=coordinator, quantity=1)
    db.session.commit()
    before = rows()
    with pytest.raises(corrections.CannotVoid) as refused:
        corrections.void_donation(donation, actor=coordinator, reason="Recorded in error")
    assert str(refused.value) == (
        f"Donation {donation.ref} cannot be voided: 1 copy of it is sorted already. Only a donation none of "
        "whose copies has been sorted can be voided; correct the count of its lots instead."
    )
    db.session.rollback()
    assert rows() == before and not donation.voided
    assert {lot.status for lot in donation.lots} == {LotStatus.RECEIVED, LotStatus(sort + "ed")}
    assert_balanced(donation)


def test_a_voided_donation_cannot_be_corrected_any_more(donation, coordinator):
    corrections.void_donation(donation, actor=coordinator, reason="Recorded in error")
    db.session.commit()
    before = rows()
    message = (
        rf"^Donation {donation.ref} was voided on {date.today():%d %B %Y} \(Recorded in error\); "
        r"it cannot be corrected any more\.$"
    )
    for correct in (
        lambda: corrections.correct_details(donation, actor=coordinator, reason="r", note="a note"),
        lambda: corrections.add_line(donation, actor=coordinator, reason="r", line=services.LineInput(quantity=1, description="bag")),
        lambda: corrections.void_donation(donation, actor=coordinator, reason="again"),
    ):
        with pytest.raises(Conflict, match=message):
            correct()
        db.session.rollback()
    assert rows() == before


# --- refusals write nothing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("correct", "message", "field"),
    [
        (lambda d, u: corrections.correct_details(d, actor=u, reason="  ", note="x"), "Give the reason for the correction.", "reason"),
        (lambda d, u: corrections.add_line(d, actor=u, reason="", line=services.LineInput(quantity=1, description="bag")),
         "Give the reason for the correction.", "reason"),
        (lambda d, u: corrections.void_donation(d, actor=u, reason="\t"), "Give the reason for the correction.", "reason"),
        (lambda d, u: corrections.add_line(d, actor=u, reason="Forgotten", line=services.LineInput(quantity=2, isbn="9780306406158")),
         "Line 3: ISBN “9780306406158” has a wrong check digit; scan or type it again.", "isbn"),
        (lambda d, u: corrections.add_line(d, actor=u, reason="Forgotten", line=services.LineInput(quantity=2, description=" ")),
         "Line 3: scan an ISBN or describe what is in the bag.", "description"),
        (lambda d, u: corrections.correct_details(d, actor=u, reason="New donor", donor=services.DonorInput(name=" "), note="x"),
         "Give the donor's name, or leave the donor out.", "donor_name"),
    ],
    ids=["details without reason", "line without reason", "void without reason", "bad ISBN", "empty bag", "nameless donor"],
)
def test_a_refused_correction_writes_nothing(donation, coordinator, correct, message, field):
    before = rows()
    with pytest.raises(DomainError) as refused:
        correct(donation, coordinator)
    assert (str(refused.value), refused.value.field) == (message, field)
    db.session.rollback()  # as the page and the API do
    assert rows() == before
    assert (donation.note, len(donation.lines), donation.donor.name) == (None, 2, "Mrs Kalil")
    assert_balanced(donation)
