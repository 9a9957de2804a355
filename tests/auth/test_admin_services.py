"""The admin's user rules: roles, home sites, deactivation, password resets."""
from __future__ import annotations

import pytest

from books2iraq.audit import events_for
from books2iraq.auth import services
from books2iraq.auth.roles import Role
from books2iraq.errors import DomainError, NotFound
from books2iraq.extensions import db
from tests.conftest import PASSWORD
from tests.factories import SiteFactory, UserFactory

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture
def admin():
    return UserFactory(role=Role.ADMIN, email="boss@test.example", name="Old Admin")


def details(user) -> list[tuple[str, str | None, dict]]:
    return [(e.action, e.actor.email if e.actor else None, e.detail) for e in events_for(user)]


def test_update_user_changes_name_site_and_role_and_audits_each(admin):
    site = SiteFactory()
    user = UserFactory(name="Old Name")
    services.update_user(user, name="  New Name ", role=Role.WAREHOUSE, site_id=site.id, actor=admin)
    assert (user.name, user.role, user.site) == ("New Name", Role.WAREHOUSE, site)
    assert details(user) == [
        ("user.role_changed", admin.email, {"old": "volunteer", "new": "warehouse"}),
        ("user.updated", admin.email, {"changes": {"name": ["Old Name", "New Name"], "site_id": [None, site.id]}}),
    ]


def test_update_user_without_changes_records_nothing(admin):
    user = UserFactory(name="Same")
    services.update_user(user, name="Same", role=Role.VOLUNTEER, site_id=None, actor=admin)
    assert events_for(user) == []


def test_an_admin_cannot_change_their_own_role_and_nothing_changes(admin):
    with pytest.raises(DomainError, match="You cannot change your own role; ask another admin"):
        services.update_user(admin, name="Renamed", role=Role.COORDINATOR, site_id=None, actor=admin)
    assert (admin.name, admin.role) == ("Old Admin", Role.ADMIN)
    assert events_for(admin) == []


def test_another_admin_may_change_an_admins_role(admin):
    other = UserFactory(role=Role.ADMIN)
    services.change_role(other, Role.COORDINATOR, actor=admin)
    assert other.role == Role.COORDINATOR


@pytest.mark.parametrize(
    ("site_id", "message"), [(-1, "There is no site number -1"), ("closed", "is closed; reactivate the site")]
)
def test_users_are_only_assigned_to_open_sites(admin, site_id, message):
    if site_id == "closed":
        site_id = SiteFactory(name="Shut", active=False).id
    user = UserFactory()
    with pytest.raises(DomainError, match=message):
        services.update_user(user, name=user.name, role=user.role, site_id=site_id, actor=admin)
    with pytest.raises(DomainError, match=message):
        services.create_user(email="n@example.org", name="N", password=PASSWORD, role=Role.VOLUNTEER, actor=admin,
                             site_id=site_id)


def test_a_user_keeps_a_home_site_that_has_closed_since(admin):
    site = SiteFactory()
    user = UserFactory(site=site)
    site.active = False
    services.update_user(user, name="Still Here", role=user.role, site_id=site.id, actor=admin)
    assert user.site == site and user.name == "Still Here"


def test_a_user_needs_a_name(admin):
    with pytest.raises(DomainError, match="Give the user's name"):
        services.update_user(UserFactory(), name="  ", role=Role.VOLUNTEER, site_id=None, actor=admin)


def test_deactivate_and_reactivate_are_audited_and_idempotent(admin):
    user = UserFactory(email="vol@test.example")
    services.set_active(user, False, actor=admin)
    services.set_active(user, False, actor=admin)
    assert user.active is False
    assert services.authenticate("vol@test.example", PASSWORD) is None
    services.set_active(user, True, actor=admin)
    assert services.authenticate("vol@test.example", PASSWORD) is user
    assert [e.action for e in events_for(user)] == ["user.deactivated", "user.sign_in_failed", "user.reactivated", "user.logged_in"]


def test_an_admin_cannot_deactivate_themself(admin):
    with pytest.raises(DomainError, match="You cannot deactivate your own account"):
        services.set_active(admin, False, actor=admin)
    assert admin.active and events_for(admin) == []


def test_reset_password_replaces_the_old_one(admin):
    user = UserFactory()
    services.reset_password(user, "a whole new password", actor=admin)
    assert user.check_password("a whole new password") and not user.check_password(PASSWORD)
    assert details(user) == [("user.password_reset", admin.email, {"sign_ins_ended": 0})]


def test_reset_password_refuses_a_short_one(admin):
    user = UserFactory()
    with pytest.raises(DomainError, match="at least 12 characters"):
        services.reset_password(user, "short", actor=admin)
    assert user.check_password(PASSWORD) and events_for(user) == []


def test_get_user_and_all_users(admin):
    gone = UserFactory(name="Aaron Gone", active=False)
    here = UserFactory(name="Zed Here")
    assert services.get_user(here.id) is here
    with pytest.raises(NotFound, match="no user number 999"):
        services.get_user(999)
    everyone = db.session.scalars(services.all_users()).all()
    assert everyone.index(here) < everyone.index(gone)  # active ones first, whatever their name
