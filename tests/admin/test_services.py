from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from books2iraq.admin import services
from books2iraq.admin.models import Organisation
from books2iraq.audit import events_for
from books2iraq.auth.roles import Role
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture
def admin():
    return UserFactory(role=Role.ADMIN)


def rows() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))


def test_until_saved_the_details_are_unsaved_defaults_named_from_the_config(ctx):
    ctx.config["ORGANISATION_NAME"] = "Books for Basra"
    organisation = services.get_organisation()
    assert organisation.name == "Books for Basra"
    assert organisation.receipt_thanks == services.DEFAULT_THANKS
    assert organisation not in db.session
    db.session.flush()
    assert rows() == 0


def test_the_first_update_saves_the_row_normalised_and_audited(admin):
    organisation = services.update_organisation(
        actor=admin,
        name=" Books2Iraq UK ",
        address="1 Paper Lane\r\nLondon\r\n",
        email=" Office@Books.Example ",
        eori_number="gb-1234 5678 9000",
        phone="",
    )
    assert rows() == 1 and services.get_organisation() is organisation
    assert organisation.name == "Books2Iraq UK"
    assert organisation.address == "1 Paper Lane\nLondon"
    assert organisation.email == "office@books.example"
    assert organisation.eori_number == "GB123456789000"
    assert organisation.phone is None
    [event] = events_for(organisation)
    assert event.action == "organisation.updated" and event.actor == admin
    assert event.detail["changes"]["eori_number"] == [None, "GB123456789000"]
    assert "phone" not in event.detail["changes"]


def test_an_update_that_changes_nothing_records_nothing(admin):
    services.update_organisation(actor=admin, name="Same", country="Iraq")
    services.update_organisation(actor=admin, name="Same", country="Iraq")
    assert len(events_for(services.get_organisation())) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "needs a name"),
        ({"eori_number": "12345"}, "“12345” is not an EORI number"),
        ({"eori_number": "GB12345678901234567"}, "is not an EORI number"),
        ({"email": "nobody"}, "not a valid e-mail address"),
    ],
)
def test_malformed_details_are_refused(admin, fields, message):
    with pytest.raises(DomainError, match=message):
        services.update_organisation(actor=admin, **fields)
    assert rows() == 0


def test_only_organisation_fields_can_be_set(admin):
    with pytest.raises(TypeError, match="Not organisation details: id"):
        services.update_organisation(actor=admin, id="2")


def test_the_database_holds_one_organisation_row_at_most():
    db.session.add(Organisation(id=2, name="A second one"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
