from __future__ import annotations

import pytest

from books2iraq.audit import events_for
from books2iraq.auth import services
from books2iraq.auth.roles import Role
from books2iraq.errors import DomainError
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("ctx")


def test_create_user_hashes_the_password_and_audits():
    user = services.create_user(
        email=" Sara@Example.ORG ", name="Sara", password="long enough pw", role=Role.WAREHOUSE, actor=None
    )
    assert user.email == "sara@example.org"
    assert "long enough pw" not in user.password_hash
    assert user.check_password("long enough pw") and not user.check_password("wrong password")
    assert [e.action for e in events_for(user)] == ["user.created"]


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-email", "long enough pw", "not a valid e-mail address"),
        ("ok@example.org", "short", "at least 12 characters"),
        ("ok@example.org", "eleven char", "at least 12 characters"),
        ("ok@example.org", "password1234", "Choose another password: This is a very common password."),
        ("ok@example.org", "Password123!", "Choose another password: This is similar to a commonly used password."),
        ("ok@example.org", "qwertyuiopasdf", "Choose another password"),
        ("ok@example.org", "aaaaaaaaaaaaaaaa", "Choose another password: Repeats like"),
    ],
)
def test_create_user_refuses_bad_input(email, password, message):
    with pytest.raises(DomainError, match=message):
        services.create_user(email=email, name="X", password=password, role=Role.VOLUNTEER, actor=None)


def test_e_mail_addresses_are_unique_whatever_their_case():
    UserFactory(email="dup@example.org")
    with pytest.raises(DomainError, match="already exists"):
        services.create_user(email="DUP@example.org", name="X", password="long enough pw", role=Role.ADMIN, actor=None)


def test_authenticate_accepts_only_the_right_password_of_an_active_user():
    user = services.create_user(
        email="a@example.org", name="A", password="long enough pw", role=Role.VOLUNTEER, actor=None
    )
    assert services.authenticate("A@example.org", "long enough pw") is user
    assert user.last_login_at is not None
    assert services.authenticate("a@example.org", "long enough pX") is None
    assert services.authenticate("nobody@example.org", "long enough pw") is None
    user.active = False
    assert services.authenticate("a@example.org", "long enough pw") is None


STAFF = [Role.VOLUNTEER, Role.WAREHOUSE, Role.COORDINATOR, Role.ADMIN]


@pytest.mark.parametrize("role", STAFF)
@pytest.mark.parametrize("required", STAFF)
def test_the_staffs_roles_are_cumulative(role, required):
    assert role.includes(required) == (STAFF.index(role) >= STAFF.index(required))


# The recipient stands apart: it includes no staff role, and only coordinators and admins act for it.
RECIPIENTS_ROLE = {Role.VOLUNTEER: False, Role.WAREHOUSE: False, Role.COORDINATOR: True, Role.ADMIN: True,
                   Role.RECIPIENT: True}


@pytest.mark.parametrize("role", list(Role))
def test_the_recipient_stands_apart(role):
    assert role.includes(Role.RECIPIENT) is RECIPIENTS_ROLE[role]
    assert Role.RECIPIENT.includes(role) is (role is Role.RECIPIENT)
