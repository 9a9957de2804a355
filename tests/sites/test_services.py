from __future__ import annotations

import pytest

from books2iraq.audit import events_for
from books2iraq.auth.roles import Role
from books2iraq.errors import DomainError, NotFound
from books2iraq.sites import services
from books2iraq.sites.models import SiteKind
from tests.factories import SiteFactory, UserFactory

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture
def admin():
    return UserFactory(role=Role.ADMIN)


def test_create_site_trims_and_audits(admin):
    site = services.create_site(
        name=" Basra Books ", kind=SiteKind.WAREHOUSE, city=" Leeds ", address=" 1 Road\r\nLeeds ", actor=admin
    )
    assert (site.name, site.city, site.address, site.active) == ("Basra Books", "Leeds", "1 Road\nLeeds", True)
    assert [(e.action, e.actor, e.detail) for e in events_for(site)] == [("site.created", admin, {"kind": "warehouse"})]


@pytest.mark.parametrize(
    ("name", "city", "message"),
    [
        ("  ", "Leeds", "needs a name and a city"),
        ("Hub", " ", "needs a name and a city"),
        ("Taken", "Leeds", "already exists"),
    ],
)
def test_create_site_refuses_blanks_and_taken_names(admin, name, city, message):
    SiteFactory(name="Taken")
    with pytest.raises(DomainError, match=message):
        services.create_site(name=name, kind=SiteKind.DROP_OFF, city=city, actor=admin)


def test_update_site_records_what_changed(admin):
    site = SiteFactory(name="Old", city="London")
    services.update_site(site, name="Old", kind=SiteKind.WAREHOUSE, city="Leeds", address="", actor=admin)
    assert (site.kind, site.city, site.address) == (SiteKind.WAREHOUSE, "Leeds", None)
    [event] = events_for(site)
    assert event.action == "site.updated" and event.actor == admin
    assert event.detail == {"changes": {"kind": ["drop_off", "warehouse"], "city": ["London", "Leeds"]}}

    services.update_site(site, name="Old", kind=SiteKind.WAREHOUSE, city="Leeds", actor=admin)
    assert len(events_for(site)) == 1  # nothing changed, nothing recorded


def test_update_site_refuses_another_sites_name(admin):
    SiteFactory(name="Taken")
    site = SiteFactory(name="Mine")
    with pytest.raises(DomainError, match="“Taken” already exists"):
        services.update_site(site, name="Taken", kind=site.kind, city=site.city, actor=admin)
    assert site.name == "Mine"


def test_a_closed_site_leaves_the_pick_lists_and_can_reopen(admin):
    site = SiteFactory()
    services.set_site_active(site, False, actor=admin)
    services.set_site_active(site, False, actor=admin)
    assert site not in services.active_sites() and site in services.all_sites()
    services.set_site_active(site, True, actor=admin)
    assert site in services.active_sites()
    assert [e.action for e in events_for(site)] == ["site.deactivated", "site.reactivated"]


def test_get_site_and_all_sites(admin):
    closed = SiteFactory(name="Aardvark", active=False)
    open_ = SiteFactory(name="Zebra")
    assert services.get_site(open_.id) is open_
    with pytest.raises(NotFound, match="no site number 999"):
        services.get_site(999)
    everything = services.all_sites()
    assert everything.index(open_) < everything.index(closed)
