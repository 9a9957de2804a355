"""The dashboard's running totals: kept in the transaction of each change, folded when they grow,
never waiting for each other, and always equal to a recount from the records."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.reports import tallies
from books2iraq.sites.models import Site
from tests.factories import SiteFactory, TitleFactory, UserFactory, donation
from tests.queries import statements_for
from tests.races import race


def rows() -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(tallies.TABLE)))


def test_many_rows_are_folded_into_one_a_total(ctx, monkeypatch):
    site = SiteFactory()
    for n in range(5):
        donation(n + 1, site=site)
    db.session.commit()
    assert rows() == 25  # each donation: its stage, its site, its day, its site's month and its lots
    monkeypatch.setattr(tallies, "FOLD_AFTER", 20)
    donation(6, site=site)  # takes the rows to 30: folded into one a total
    db.session.commit()
    assert rows() == 5
    assert tallies.read() == tallies.recount() == {
        ("stage", "received"): 21, ("site", str(site.id)): 21, ("day", date.today().isoformat()): 21, ("lots", "received"): 6,
        ("site_month", f"{site.id}:{date.today():%Y-%m}"): 21,
    }


def test_two_folds_at_the_same_moment_lose_nothing(app, monkeypatch):
    monkeypatch.setattr(tallies, "FOLD_AFTER", 0)  # every change folds
    with app.app_context():
        site = SiteFactory()
        for _ in range(3):
            donation(2, site=site)
        volunteer, title = UserFactory(role=Role.VOLUNTEER), TitleFactory()
        db.session.commit()
        ids = (site.id, volunteer.id, title.id)

    def give():
        return intake.record_donation(
            site=db.session.get(Site, ids[0]), actor=db.session.get(type(volunteer), ids[1]),
            lines=[intake.LineInput(quantity=5, title=db.session.get(type(title), ids[2]))],
        )

    for _ in range(2):
        one, two = race(app, give, give)
        assert one.ok and two.ok
    with app.app_context():
        assert tallies.read() == tallies.recount() == {
            ("stage", "received"): 26, ("site", str(ids[0])): 26, ("day", date.today().isoformat()): 26, ("lots", "received"): 7,
            ("site_month", f"{ids[0]}:{date.today():%Y-%m}"): 26,
        }
        assert rows() == 5


def test_the_dashboard_and_home_cost_the_same_whatever_the_size(app, client, auth):
    with app.app_context():
        donation(3)
        db.session.commit()
    auth.login(Role.COORDINATOR)
    few = [statements_for(app, client, url) for url in ("/reports/", "/")]
    with app.app_context():
        for n in range(150):
            donation(1 + n % 5)
        db.session.commit()
    assert [statements_for(app, client, url) for url in ("/reports/", "/")] == few


def test_a_change_that_counts_for_no_total_reads_and_writes_no_total(ctx, monkeypatch):
    """A flush reads what its records count for only when it changes what they count by: a new
    donation's copies are counted from what it holds; a note, a weight, a title's name count for nothing."""
    monkeypatch.setattr(tallies, "_added", [0])  # whatever tests ran before in this process, no count of the rows is due
    statements: list[str] = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    given = donation(4, 2)
    db.session.flush()
    counting = [s for s in statements if "tallies" in s or "sum(" in s]
    assert len(counting) == 1 and counting[0].startswith("INSERT INTO tallies")  # no reading
    statements.clear()
    given.note = "Left at the door"
    given.lots[0].title.title = "Renamed"
    db.session.flush()
    assert not [s for s in statements if "tallies" in s or "sum(" in s]
    given.received_on = date(2026, 1, 5)  # moves its copies to another day: read before and after
    db.session.flush()
    assert len([s for s in statements if "sum(" in s]) == 2
    assert tallies.read() == tallies.recount()
