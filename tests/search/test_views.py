"""The search box on every page, its results page, a scan that opens its record, and the title's
page with every lot of it: at a cost in statements that does not grow with the operation."""
from __future__ import annotations

import re

from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake import titles
from books2iraq.intake.models import Disposition, RejectReason
from books2iraq.sorting import services as sorting
from tests.factories import SiteFactory, TitleFactory, UserFactory, WarehouseFactory
from tests.queries import statements_for


def drive(count: int, name: str = "Harrow School Book Drive") -> list[str]:
    """`count` donations from a school's families (a donor each), at three sites, each of two copies
    of The Odyssey; their refs."""
    staff = UserFactory(role=Role.VOLUNTEER)
    sites = [SiteFactory() for _ in range(3)]
    title = titles.find_by_isbn("9780140449136") or TitleFactory(title="The Odyssey", isbn13="9780140449136")
    return [
        intake.record_donation(
            site=sites[n % 3], actor=staff, donor=intake.create_donor(name=f"{name} {n}", actor=staff),
            lines=[intake.LineInput(quantity=2, title=title)],
        ).ref
        for n in range(count)
    ]


def test_every_page_has_the_search_box(app, client, auth):
    for role in (Role.VOLUNTEER, Role.ADMIN):
        auth.login(role)
        for page in ("/", "/intake/donations", "/auth/password"):
            html = client.get(page).get_data(as_text=True)
            assert re.search(r'<form method="get" action="/search" class="header-search" role="search">\s*<input type="search" name="q"', html), page
        client.post("/auth/logout", data={"csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)[1]})
    assert "header-search" not in client.get("/auth/login").get_data(as_text=True)  # not before sign-in


def test_words_find_records_and_a_scanned_code_opens_its_record(app, client, auth):
    with app.app_context():
        refs = drive(3)
        db.session.commit()
    auth.login(Role.WAREHOUSE)
    page = client.get("/search?q=harrow+drive").get_data(as_text=True)
    assert "6 found for “harrow drive”" in page and all(f'href="/intake/donations/{ref}"' in page for ref in refs)
    assert "Harrow School Book Drive" in page

    scanned = client.get(f"/search?q={refs[1]}")
    assert scanned.status_code == 302 and scanned.headers["Location"] == f"/intake/donations/{refs[1]}"
    isbn = client.get("/search?q=0-14-044913-2")
    assert isbn.status_code == 302 and re.fullmatch(r"/titles/\d+", isbn.headers["Location"])

    nothing = client.get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E").get_data(as_text=True)
    assert "Nothing matches “&lt;script&gt;alert(1)&lt;/script&gt;”" in nothing and "<script>alert" not in nothing


def test_a_code_the_role_may_not_open_is_not_opened(app, client, auth):
    with app.app_context():
        crate = crating.open_crate(site=WarehouseFactory(), actor=UserFactory(role=Role.WAREHOUSE))
        code = crate.code
        db.session.commit()
    auth.login(Role.VOLUNTEER)
    response = client.get(f"/search?q={code}")
    assert response.status_code == 200 and "Nothing matches" in response.get_data(as_text=True)
    assert "crate codes" not in response.get_data(as_text=True)  # the box says what this role can find


def test_all_matches_of_a_kind_page_with_the_query_kept(app, client, auth):
    with app.app_context():
        refs = drive(60)
        db.session.commit()
    auth.login(Role.VOLUNTEER)
    first = client.get("/search?q=harrow").get_data(as_text=True)
    assert 'href="/search?q=harrow&amp;kind=donation">All 60 donations →' in first
    one = client.get("/search?q=harrow&kind=donation").get_data(as_text=True)
    assert "1–50 of 60 donations" in one and 'href="/search?q=harrow&amp;kind=donation&amp;page=2" rel="next"' in one
    two = client.get("/search?q=harrow&kind=donation&page=2").get_data(as_text=True)
    shown = re.findall(r'href="/intake/donations/(D-\d{4}-\d{6})"', one + two)
    assert sorted(shown) == sorted(refs)


def test_the_title_page_shows_every_lot_in_every_state(app, client, auth):
    with app.app_context():
        staff = UserFactory(role=Role.WAREHOUSE)
        title = TitleFactory(title="The Odyssey", isbn13="9780140449136")
        donation = intake.record_donation(
            site=SiteFactory(), actor=staff, lines=[intake.LineInput(quantity=q, title=title) for q in (1, 2, 3, 4)]
        )
        waiting, accepted, rejected, packed = donation.lots
        sorting.accept(accepted, actor=staff)
        sorting.reject(rejected, reason=RejectReason.WATER_DAMAGED, disposition=Disposition.RECYCLE, actor=staff)
        crate = crating.open_crate(site=WarehouseFactory(), actor=staff)
        crating.pack(sorting.accept(packed, actor=staff), crate, actor=staff)
        db.session.commit()
        title_id, lot_ids, code = title.id, [lot.id for lot in donation.lots], crate.code
    auth.login(Role.WAREHOUSE)
    page = client.get(f"/titles/{title_id}").get_data(as_text=True)
    assert re.findall(r'data-lot="(\d+)"', page) == [str(i) for i in reversed(lot_ids)]  # newest first
    figures = re.findall(r"<div><dt>(\w+)</dt><dd>(\d+)</dd></div>", page)
    assert figures == [("Received", "1"), ("Accepted", "2"), ("Rejected", "3"), ("Packed", "4")]  # the flow's order
    assert f'href="/crates/{code}"' in page and "1–4 of 4 lots" in page
    assert client.get("/titles/999999").status_code == 404


def test_search_and_title_pages_cost_the_same_whatever_the_size(app, client, auth):
    with app.app_context():
        drive(5)
        db.session.commit()
    auth.login(Role.ADMIN)
    urls = ("/search?q=harrow", "/search?q=harrow&kind=donation", "/search?q=odyssey", "/titles/1")
    small = [statements_for(app, client, url) for url in urls]
    with app.app_context():
        drive(400, name="Harrow Upper School")
        db.session.commit()
    assert [statements_for(app, client, url) for url in urls] == small


def test_a_voided_donation_is_found_and_marked(app, client, auth):
    from books2iraq.intake import corrections

    with app.app_context():
        refs = drive(2)
        voided = intake.get_by_ref(refs[0])
        corrections.void_donation(voided, actor=UserFactory(role=Role.COORDINATOR), reason="Recorded twice")
        db.session.commit()
    auth.login(Role.VOLUNTEER)
    page = client.get("/search?q=harrow").get_data(as_text=True)
    rows = dict(re.findall(r'<tr data-result="donation:\d+">\s*<td data-label="Donation"><a [^>]+>(D-[\d-]+)</a>(.*?)</td>', page))
    assert rows == {refs[0]: ' <span class="badge badge-off">voided</span>', refs[1]: ""}
