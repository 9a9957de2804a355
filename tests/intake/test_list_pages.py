"""The donations list in pages: which rows of how many, filters by site and dates kept in every link,
and every donation reachable, at a cost that does not grow with the list."""
from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake.models import Donation
from tests.factories import SiteFactory, TitleFactory, UserFactory
from tests.queries import statements_for

TODAY = date.today()


def record(count: int, site, first_day_back: int = 0) -> None:
    volunteer, title = UserFactory(role=Role.VOLUNTEER), TitleFactory()
    for n in range(count):
        intake.record_donation(
            site=site, actor=volunteer, received_on=TODAY - timedelta(days=first_day_back + n % 30),
            lines=[intake.LineInput(quantity=1 + n % 3, title=title)],
        )


def refs_on(client, url: str) -> list[str]:
    return re.findall(r'href="/intake/donations/(D-\d{4}-\d{6})"', client.get(url).get_data(as_text=True))


def test_the_donations_list_pages_through_every_donation(app, client, auth):
    with app.app_context():
        london, leeds = SiteFactory(name="London drop-off"), SiteFactory(name="Leeds drop-off")
        record(90, london)
        record(40, leeds, first_day_back=40)
        db.session.commit()
        london_id = london.id
        every = set(db.session.scalars(sa.select(Donation.ref)))
    auth.login(Role.VOLUNTEER)
    page = client.get("/intake/donations").get_data(as_text=True)
    assert "1–50 of 130 donations" in page and 'href="/intake/donations?page=2" rel="next"' in page
    assert "101–130 of 130 donations" in client.get("/intake/donations?page=3").get_data(as_text=True)
    assert "101–130 of 130 donations" in client.get("/intake/donations?page=99").get_data(as_text=True)  # the last
    assert "1–50 of 130 donations" in client.get("/intake/donations?page=nonsense").get_data(as_text=True)
    assert "1–100 of 130 donations" in client.get("/intake/donations?per_page=100").get_data(as_text=True)
    shown = [ref for number in (1, 2, 3) for ref in refs_on(client, f"/intake/donations?page={number}")]
    assert len(shown) == 130 and set(shown) == every  # each once, none out of reach

    # Filters show, narrow the list and stay in the links to the other pages.
    by_site = client.get(f"/intake/donations?site={london_id}").get_data(as_text=True)
    assert "1–50 of 90 donations" in by_site and f"site={london_id}" in by_site.split('rel="next"')[0].rsplit("href=", 1)[1]
    assert "Clear the filters" in by_site
    recent = client.get(f"/intake/donations?from={TODAY - timedelta(days=9)}&to={TODAY}").get_data(as_text=True)
    assert "1–30 of 30 donations" in recent  # 90 London donations over 30 days: 3 a day, the last 10 days
    none = client.get(f"/intake/donations?from={TODAY + timedelta(days=1)}").get_data(as_text=True)
    assert "No donations match the filters." in none


def test_a_page_of_donations_costs_the_same_statements_at_any_length(app, client, auth):
    with app.app_context():
        site = SiteFactory()
        record(60, site)
        db.session.commit()
    auth.login(Role.VOLUNTEER)
    few = statements_for(app, client, "/intake/donations")
    with app.app_context():
        record(150, db.session.merge(site))
        db.session.commit()
    assert statements_for(app, client, "/intake/donations") == few == statements_for(app, client, "/intake/donations?page=4")


def test_every_lot_in_every_state_is_reachable_from_its_donation(app, client, auth):
    from books2iraq.crating import services as crating
    from books2iraq.intake.models import Disposition, RejectReason
    from books2iraq.sorting import services as sorting
    from tests.factories import WarehouseFactory, shipment_of

    with app.app_context():
        staff = UserFactory(role=Role.ADMIN)
        gift = intake.record_donation(
            site=SiteFactory(), actor=staff, lines=[intake.LineInput(quantity=6, title=TitleFactory()) for _ in range(4)]
        )
        received, to_accept, to_reject, to_pack = gift.lots
        sorting.reject(to_reject, quantity=2, reason=RejectReason.MOULD, disposition=Disposition.RECYCLE, actor=staff)
        sorting.accept(to_accept, quantity=4, actor=staff)  # a split: a piece accepted, the rest received
        crate = crating.open_crate(site=WarehouseFactory(), actor=staff)
        crating.pack(sorting.accept(to_pack, actor=staff), crate, quantity=5, actor=staff)
        crating.seal(crate, gross_kg="4", actor=staff)
        shipment = shipment_of(crate, actor=staff)
        db.session.commit()
        ref, ids, code, shipment_ref = gift.ref, {lot.id for lot in intake.lots_of(gift)}, crate.code, shipment.ref
    assert len(ids) >= 7  # four lines, split by sorting and packing
    auth.login(Role.WAREHOUSE)
    page = client.get(f"/intake/donations/{ref}").get_data(as_text=True)
    assert {int(i) for i in re.findall(r'href="/sorting/lots/(\d+)"', page)} == ids
    assert f'href="/crates/{code}"' in page and shipment_ref in page
    for status in ("received", "accepted", "rejected", "packed"):
        assert f'data-label="Status">{status}' in page, status
    auth.logout()
    auth.login(Role.VOLUNTEER)
    seen = client.get(f"/intake/donations/{ref}").get_data(as_text=True)
    assert "/sorting/lots/" not in seen and all(f'data-lot="{i}"' in seen for i in ids)  # listed, not linked


def test_the_donation_page_costs_the_same_statements_however_many_lots(app, client, auth):
    with app.app_context():
        staff = UserFactory(role=Role.ADMIN)
        few = intake.record_donation(site=SiteFactory(), actor=staff, lines=[intake.LineInput(quantity=1, title=TitleFactory())])
        many = intake.record_donation(
            site=SiteFactory(), actor=staff, lines=[intake.LineInput(quantity=1, title=TitleFactory()) for _ in range(40)]
        )
        db.session.commit()
        refs = few.ref, many.ref
    auth.login(Role.WAREHOUSE)
    assert statements_for(app, client, f"/intake/donations/{refs[0]}") == statements_for(app, client, f"/intake/donations/{refs[1]}")
