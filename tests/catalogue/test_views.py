"""The catalogue's pages: the list with its search, a title's page with its corrections, and a
merge that a coordinator confirms."""
from __future__ import annotations

import re

import sqlalchemy as sa

from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake.models import Lot, Title
from tests.factories import SiteFactory, TitleFactory, UserFactory
from tests.queries import statements_for


def test_the_list_pages_through_the_catalogue_and_searches_it(app, client, auth):
    with app.app_context():
        for n in range(70):
            TitleFactory(title=f"Physics volume {n:02d}", isbn13=None)
        TitleFactory(title=None, isbn13="9780140449136")  # scanned, not catalogued yet
        db.session.commit()
    auth.login(Role.WAREHOUSE)
    first = client.get("/titles/").get_data(as_text=True)
    assert "1–50 of 71 titles" in first
    assert re.findall(r'data-title="\d+">\s*<td data-label="No.">\d+</td>\s*<td data-label="Title"><a [^>]+>([^<]+)<', first)[0] == (
        "ISBN 9780140449136 (not catalogued yet)"  # the ones waiting for a name come first
    )
    assert "1–1 of 1 titles" in client.get("/titles/?uncatalogued=y").get_data(as_text=True)
    found = client.get("/titles/?q=physics+volume+07").get_data(as_text=True)
    assert "1–1 of 1 titles" in found and "Physics volume 07" in found and "Clear the filters" in found
    many = client.get("/titles/?q=physics&page=2").get_data(as_text=True)
    assert "51–70 of 70 titles" in many


def test_a_title_is_edited_and_given_its_isbn_from_its_page(app, client, auth):
    with app.app_context():
        title = TitleFactory(title="The Odysey", isbn13=None, authors="Homer")
        db.session.commit()
        title_id = title.id
    auth.login(Role.WAREHOUSE)
    page = auth.open(f"/titles/{title_id}")
    assert 'data-form="merge"' not in page.html  # merging is a coordinator's
    saved = page.post(f"/titles/{title_id}/edit", {"title": "The Odyssey", "authors": "Homer", "language": "en", "level": "general", "kind": "book"})
    assert saved.status_code == 302
    refused = auth.open(f"/titles/{title_id}").post(f"/titles/{title_id}/isbn", {"isbn": "9780140449137"})
    assert refused.status_code == 422 and "wrong check digit" in refused.get_data(as_text=True)
    assert 'value="9780140449137"' in refused.get_data(as_text=True)  # what was typed stays
    attached = auth.open(f"/titles/{title_id}").post(f"/titles/{title_id}/isbn", {"isbn": "0140449132"})
    assert attached.status_code == 302
    shown = client.get(f"/titles/{title_id}").get_data(as_text=True)
    assert "9780140449136" in shown and 'data-form="isbn"' not in shown
    assert "Details changed: title from “The Odysey” to “The Odyssey”." in shown and "ISBN 9780140449136 attached." in shown
    with app.app_context():
        assert (db.session.get(Title, title_id).title, db.session.get(Title, title_id).isbn13) == ("The Odyssey", "9780140449136")


def test_a_merge_needs_the_coordinators_check_and_moves_the_lots(app, client, auth):
    with app.app_context():
        staff = UserFactory(role=Role.VOLUNTEER)
        keep, duplicate = TitleFactory(title="The Odyssey", isbn13=None), TitleFactory(title=None, isbn13="9780140449136")
        intake.record_donation(site=SiteFactory(), actor=staff, lines=[intake.LineInput(quantity=3, title=duplicate)])
        db.session.commit()
        keep_id, duplicate_id = keep.id, duplicate.id
    auth.login(Role.COORDINATOR)
    unchecked = auth.open(f"/titles/{keep_id}").post(f"/titles/{keep_id}/merge", {"duplicate": "9780140449136"})
    assert unchecked.status_code == 400
    assert "Tick the box once you have checked that both records are the same book." in unchecked.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Title, duplicate_id) is not None
    merged = auth.open(f"/titles/{keep_id}").post(f"/titles/{keep_id}/merge", {"duplicate": "9780140449136", "same_book": "y"})
    assert merged.status_code == 302
    with app.app_context():
        assert db.session.get(Title, duplicate_id) is None
        assert set(db.session.scalars(sa.select(Lot.title_id))) == {keep_id}
    assert client.get(f"/titles/{duplicate_id}").status_code == 404


def test_the_title_page_costs_the_same_with_few_or_many_lots(app, client, auth):
    with app.app_context():
        staff = UserFactory(role=Role.VOLUNTEER)
        title = TitleFactory(title="The Odyssey")
        site = SiteFactory()
        intake.record_donation(site=site, actor=staff, lines=[intake.LineInput(quantity=1, title=title)])
        db.session.commit()
        title_id = title.id
    auth.login(Role.COORDINATOR)
    few = statements_for(app, client, f"/titles/{title_id}")
    with app.app_context():
        for _ in range(120):
            intake.record_donation(site=SiteFactory(), actor=staff, lines=[intake.LineInput(quantity=2, title=db.session.get(Title, title_id))])
        db.session.commit()
    assert statements_for(app, client, f"/titles/{title_id}") == few
    assert statements_for(app, client, "/titles/") == statements_for(app, client, "/titles/?page=2")


def test_every_lot_of_a_title_in_every_state_is_reached_from_its_page(app, client, auth):
    from books2iraq.intake.models import Disposition, LotStatus, RejectReason
    from books2iraq.sorting import services as sorting

    with app.app_context():
        staff = UserFactory(role=Role.WAREHOUSE)
        title = TitleFactory(title="The Odyssey")
        site = SiteFactory()
        for _ in range(12):
            intake.record_donation(site=site, actor=staff, lines=[intake.LineInput(quantity=2, title=title)] * 100)
        made = db.session.scalars(sa.select(Lot).where(Lot.title_id == title.id).order_by(Lot.id)).all()
        for n, lot in enumerate(made):
            if n % 3 == 1:
                sorting.accept(lot, actor=staff)
            elif n % 3 == 2:
                sorting.reject(lot, reason=RejectReason.MOULD, disposition=Disposition.RECYCLE, actor=staff)
        db.session.commit()
        title_id = title.id
        every = {str(lot_id) for lot_id in db.session.scalars(sa.select(Lot.id).where(Lot.title_id == title_id))}
        states = set(db.session.scalars(sa.select(Lot.status).where(Lot.title_id == title_id)))
    assert len(every) == 1_200 and states == {LotStatus.RECEIVED, LotStatus.ACCEPTED, LotStatus.REJECTED}
    auth.login(Role.WAREHOUSE)
    seen: list[str] = []
    for number in range(1, 7):
        page = client.get(f"/titles/{title_id}?per_page=200&page={number}").get_data(as_text=True)
        assert f"{(number - 1) * 200 + 1:,}–{number * 200:,} of 1,200 lots" in page
        seen += re.findall(r'data-lot="(\d+)"', page)
    assert len(seen) == 1_200 and set(seen) == every
