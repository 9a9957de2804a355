"""The database itself refuses rows that break the rules, whatever code writes them."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError

from books2iraq.extensions import db
from tests.factories import TitleFactory, donation, sealed_crate

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE lots SET quantity = -1",
        "UPDATE lots SET quantity = 0",  # only void lots may be empty
        "UPDATE lots SET status = 'lost'",  # not a lot status
        "UPDATE lots SET status = 'packed'",  # packed, but in no crate
        "UPDATE lots SET status = 'rejected'",  # rejected without reason or disposition
        "UPDATE lots SET title_id = NULL, description = NULL",
        "UPDATE lots SET crate_id = 999999",  # no such crate
        "UPDATE donation_lines SET quantity = 0",
        "UPDATE donations SET site_id = 999999",
        "UPDATE titles SET isbn13 = '123'",
        "UPDATE crates SET gross_kg = NULL",  # a sealed crate must be weighed
        "UPDATE crates SET status = 'shipped'",
        "UPDATE users SET email = 'UPPER@EXAMPLE.ORG'",
        "UPDATE shipments SET container_no = 'ABC'",
        "UPDATE shipments SET status = 'lost'",
        "UPDATE shipments SET freight = -1",
        "UPDATE shipments SET insurance = -0.01",
    ],
)
def test_rule_breaking_rows_are_refused(statement):
    from books2iraq.shipping import services as shipping
    from tests.factories import RecipientFactory, UserFactory

    donation(3)
    coordinator = UserFactory()
    shipping.create_shipment(recipient=RecipientFactory(), actor=coordinator)
    sealed_crate(2)
    db.session.flush()
    with pytest.raises((IntegrityError, StatementError)):
        with db.session.begin_nested():
            db.session.execute(sa.text(statement))


def test_isbns_are_unique():
    TitleFactory(isbn13="9780306406157")
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            TitleFactory(isbn13="9780306406157")
