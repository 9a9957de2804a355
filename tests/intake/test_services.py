from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from books2iraq.audit import AuditEvent, events_for
from books2iraq.auth.roles import Role
from books2iraq.errors import Conflict, DomainError
from books2iraq.extensions import db
from books2iraq.intake import services
from books2iraq.intake.models import Donation, Lot, LotStatus, Title
from books2iraq.reports.accounting import donation_account
from tests.factories import SiteFactory, TitleFactory, UserFactory

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture
def volunteer():
    return UserFactory(role=Role.VOLUNTEER)


@pytest.fixture
def site():
    return SiteFactory()


def test_each_line_becomes_a_received_lot(volunteer, site):
    known = TitleFactory()
    donation = services.record_donation(
        site=site,
        actor=volunteer,
        received_on=date(2026, 11, 2),
        lines=[
            services.LineInput(quantity=3, isbn="0-306-40615-2"),
            services.LineInput(quantity=2, title=known),
            services.LineInput(quantity=40, description="Bag of children's books"),
        ],
    )
    assert donation.ref == "D-2026-000001"
    assert donation_account(donation).received == 45
    assert [(lot.quantity, lot.status) for lot in donation.lots] == [
        (3, LotStatus.RECEIVED),
        (2, LotStatus.RECEIVED),
        (40, LotStatus.RECEIVED),
    ]
    assert donation.lots[0].title.isbn13 == "9780306406157"
    assert donation.lots[2].title is None and donation.lots[2].description == "Bag of children's books"
    assert donation_account(donation).balanced
    assert [e.action for e in events_for(donation)] == ["donation.recorded"]


def test_references_count_up_per_year(volunteer, site):
    refs = [
        services.record_donation(
            site=site, actor=volunteer, received_on=date(year, 1, 1), lines=[services.LineInput(quantity=1, description="bag")]
        ).ref
        for year in (2024, 2024, 2025)
    ]
    assert refs == ["D-2024-000001", "D-2024-000002", "D-2025-000001"]


def test_a_repeated_submission_records_the_donation_once(volunteer, site):
    lines = [services.LineInput(quantity=5, description="bag")]
    first, created = services.submit_donation(site=site, actor=volunteer, lines=lines, submission_key="form-123")
    second, again = services.submit_donation(site=site, actor=volunteer, lines=lines, submission_key="form-123")
    assert first is second and (created, again) == (True, False)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Donation)) == 1


@pytest.mark.parametrize(
    ("line", "error", "message"),
    [
        (services.LineInput(quantity=0, description="bag"), DomainError, "Line 2: the number of copies"),
        (services.LineInput(quantity=-3, description="bag"), DomainError, "at least 1"),
        (services.LineInput(quantity=10_001, description="bag"), DomainError, "split it into several lines"),
        (services.LineInput(quantity=1, isbn="9780306406158"), DomainError, "Line 2: ISBN .* wrong check digit"),
        (services.LineInput(quantity=1, description="   "), DomainError, "Line 2: scan an ISBN or describe"),
    ],
)
def test_a_bad_line_refuses_the_whole_donation(volunteer, site, line, error, message):
    good = services.LineInput(quantity=2, isbn="9780140449136")
    with pytest.raises(error, match=message):
        services.record_donation(site=site, actor=volunteer, lines=[good, line])
    db.session.rollback()
    for model in (Donation, Lot, AuditEvent):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Title)) == 0


def test_no_lines_and_closed_sites_are_refused(volunteer, site):
    with pytest.raises(DomainError, match="at least one line"):
        services.record_donation(site=site, actor=volunteer, lines=[])
    site.active = False
    with pytest.raises(DomainError, match="is closed"):
        services.record_donation(site=site, actor=volunteer, lines=[services.LineInput(quantity=1, description="bag")])


def test_a_donor_who_consents_gets_a_dated_consent(volunteer):
    donor = services.create_donor(name="Ms Reader", consent_to_contact=True, actor=volunteer)
    assert donor.consent_at is not None
    assert services.create_donor(name="Anon", actor=volunteer).consent_at is None
    with pytest.raises(DomainError, match="donor's name"):
        services.create_donor(name=" ", actor=volunteer)


def test_a_submission_key_sent_again_with_other_books_is_refused_not_dropped(volunteer, site):
    key = "form-456"
    first, _ = services.submit_donation(
        site=site, actor=volunteer, submission_key=key,
        lines=[services.LineInput(quantity=2, isbn="0306406152"), services.LineInput(quantity=5, description="bag")],
    )
    same, created = services.submit_donation(  # the same books, the ISBN as the ISBN-13 this time
        site=site, actor=volunteer, submission_key=key,
        lines=[services.LineInput(quantity=2, isbn="9780306406157"), services.LineInput(quantity=5, description=" bag ")],
    )
    assert same is first and not created
    for other in (
        [services.LineInput(quantity=3, isbn="0306406152"), services.LineInput(quantity=5, description="bag")],
        [services.LineInput(quantity=5, description="bag")],
    ):
        with pytest.raises(Conflict, match=f"already sent and recorded as donation {first.ref}, with other books"):
            services.submit_donation(site=site, actor=volunteer, submission_key=key, lines=other)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Donation)) == 1


@pytest.mark.parametrize("received_on", [date(9999, 12, 31), date(1999, 12, 31), date.today() + timedelta(days=2)])
def test_a_date_received_outside_the_operation_is_refused(volunteer, site, received_on):
    with pytest.raises(DomainError, match="The date the books were received must be between 01 January 2000 and"):
        services.record_donation(
            site=site, actor=volunteer, received_on=received_on, lines=[services.LineInput(quantity=1, description="bag")]
        )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Donation)) == 0
