"""The catalogue kept right: details edited, an ISBN attached, two records of one book merged with
their lots following; each audited, each refusal leaving everything as it was."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from books2iraq.audit import AuditEvent, describe, events_for
from books2iraq.auth.roles import Role
from books2iraq.catalogue import services as catalogue
from books2iraq.crating import services as crating
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake.models import DonationLine, Lot, ReadingLevel, Title, TitleKind
from books2iraq.reports import accounting
from books2iraq.search import services as search
from books2iraq.sorting import services as sorting
from tests.factories import SiteFactory, TitleFactory, UserFactory, WarehouseFactory
from tests.races import race

pytestmark = pytest.mark.usefixtures("ctx")


def copies_of(title_id: int) -> int:
    return int(db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Lot.quantity), 0)).where(Lot.title_id == title_id)))


def test_editing_a_title_changes_it_for_every_lot_and_says_what_changed():
    staff = UserFactory(role=Role.WAREHOUSE)
    title = TitleFactory(title="Gray's Anatomy", authors="Gray", year=None, isbn13="9780443066849")
    intake.record_donation(site=SiteFactory(), actor=staff, lines=[intake.LineInput(quantity=4, title=title)])
    catalogue.edit_title(title, actor=staff, title="Gray's Anatomy for Students", year="2019",
                         level="university", kind="book", authors="Gray")
    db.session.commit()
    assert (title.title, title.year, title.level) == ("Gray's Anatomy for Students", 2019, ReadingLevel.UNIVERSITY)
    [event] = [e for e in events_for(title) if e.action == "title.edited"]
    assert event.detail["changes"] == {
        "title": ["Gray's Anatomy", "Gray's Anatomy for Students"], "year": [None, 2019], "level": ["general", "university"],
    }
    assert describe(event) == (
        "Details changed: title from “Gray's Anatomy” to “Gray's Anatomy for Students”; year from — to “2019”; "
        "level from “general” to “university”."
    )
    assert [t.id for t in search.search("students", Role.WAREHOUSE).groups["title"]] == [title.id]

    catalogue.edit_title(title, actor=staff, title="Gray's Anatomy for Students")  # nothing new: nothing recorded
    assert [e.action for e in events_for(title)].count("title.edited") == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"year": "1200"}, "1200 is not a plausible publication year."),
        ({"kind": "toaster"}, "“toaster” is not a kind the catalogue knows."),
        ({"title": "  "}, "A title without an ISBN needs its title; attach an ISBN first to leave it blank."),
        ({"isbn13": "9780000000002"}, "A title has no isbn13 to change."),
    ],
)
def test_a_refused_edit_changes_nothing(values, message):
    title = TitleFactory(title="Animal Farm", isbn13=None)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        catalogue.edit_title(title, actor=UserFactory(role=Role.WAREHOUSE), **values)
    db.session.rollback()
    assert str(refused.value) == message
    assert (title.title, title.year, title.kind) == ("Animal Farm", None, TitleKind.BOOK)


def test_an_isbn_is_attached_once_and_never_taken_from_another_title():
    staff = UserFactory(role=Role.WAREHOUSE)
    by_name = TitleFactory(title="The Odyssey", isbn13=None)
    other = TitleFactory(title="The Iliad", isbn13="9780140275360")
    db.session.commit()
    catalogue.attach_isbn(by_name, "0-14-044913-2", actor=staff)  # an ISBN-10, hyphenated
    db.session.commit()
    assert by_name.isbn13 == "9780140449136"
    assert search.jump("9780140449136", Role.WAREHOUSE) == ("title", by_name)
    with pytest.raises(DomainError, match="already has ISBN 9780140449136; a book has one ISBN"):
        catalogue.attach_isbn(by_name, "9780140275360", actor=staff)
    plain = TitleFactory(title="Iliad (copy typed by hand)", isbn13=None)
    with pytest.raises(DomainError, match=rf"ISBN 9780140275360 belongs to “The Iliad” \(title {other.id}\)"):
        catalogue.attach_isbn(plain, "9780140275360", actor=staff)
    with pytest.raises(DomainError, match="wrong check digit"):
        catalogue.attach_isbn(plain, "9780140275361", actor=staff)
    assert plain.isbn13 is None


def test_merging_two_records_of_one_book_moves_every_lot_and_line_and_keeps_the_isbn():
    staff = UserFactory(role=Role.COORDINATOR)
    scanned = TitleFactory(isbn13="9780140449136", title=None, authors=None)  # a scan nobody catalogued
    typed = TitleFactory(isbn13=None, title="The Odyssey", authors="Homer", publisher="Penguin")
    site = SiteFactory()
    first = intake.record_donation(site=site, actor=staff, lines=[intake.LineInput(quantity=3, title=scanned)])
    second = intake.record_donation(site=site, actor=staff, lines=[intake.LineInput(quantity=5, title=typed)])
    crate = crating.open_crate(site=WarehouseFactory(), actor=staff)
    crating.pack(sorting.accept(second.lots[0], actor=staff), crate, actor=staff)  # packed lots follow too
    db.session.commit()
    typed_id = typed.id

    kept = catalogue.merge_titles(typed, scanned, actor=staff)
    db.session.commit()
    assert kept.id == typed_id and (kept.isbn13, kept.title, kept.authors) == ("9780140449136", "The Odyssey", "Homer")
    assert db.session.get(Title, scanned.id) is None
    assert copies_of(typed_id) == 8
    assert set(db.session.scalars(sa.select(DonationLine.title_id).where(
        DonationLine.donation_id.in_((first.id, second.id))))) == {typed_id}
    assert accounting.unbalanced_donations() == []
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "title.merged")).all()
    assert (event.detail["lots"], event.detail["donation_lines"], event.detail["merged"]["isbn13"]) == (1, 1, "9780140449136")
    assert describe(event) == f"Title no. {scanned.id} merged into this one: 1 lot and 1 donation line moved."
    assert search.jump("9780140449136", Role.WAREHOUSE) == ("title", kept)  # the ISBN now scans to the kept record
    assert [t.id for t in search.search("odyssey", Role.WAREHOUSE).groups["title"]] == [typed_id]


def test_two_editions_are_not_merged():
    staff = UserFactory(role=Role.COORDINATOR)
    one, two = TitleFactory(isbn13="9780140449136"), TitleFactory(isbn13="9780140268867")
    with pytest.raises(DomainError, match=r"Both records have an ISBN \(9780140449136 and 9780140268867\)"):
        catalogue.merge_titles(one, two, actor=staff)
    with pytest.raises(DomainError, match="Choose two different titles"):
        catalogue.merge_titles(one, one, actor=staff)


def test_a_title_is_found_by_its_number_or_its_isbn():
    title = TitleFactory(isbn13="9780140449136")
    db.session.commit()
    assert catalogue.find_title(str(title.id)) is title
    assert catalogue.find_title(f"#{title.id}") is title
    assert catalogue.find_title("0140449132") is title
    with pytest.raises(DomainError, match="There is no title “999999” in the catalogue"):
        catalogue.find_title("999999")


def test_recataloguing_by_title_alone_keeps_the_isbn_unless_the_sorter_says_otherwise():
    staff = UserFactory(role=Role.WAREHOUSE)
    scanned = TitleFactory(isbn13="9780140449136", title=None)
    donation = intake.record_donation(site=SiteFactory(), actor=staff, lines=[intake.LineInput(quantity=6, title=scanned)])
    lot = donation.lots[0]
    # The scan had no title: the sorter types it, and the copies keep their ISBN.
    piece = sorting.catalogue_as(lot, title="The Odyssey", quantity=2, actor=staff)
    assert (piece.title.isbn13, piece.title.title) == ("9780140449136", "The Odyssey")
    # Typing another title for copies that carry this ISBN is refused, not silently made a new record.
    with pytest.raises(DomainError, match="These copies carry ISBN 9780140449136, catalogued as “The Odyssey”"):
        sorting.catalogue_as(lot, title="The Iliad", actor=staff)
    assert lot.title.isbn13 == "9780140449136" and lot.quantity == 4
    # Said outright, the copies become a title without an ISBN.
    other = sorting.catalogue_as(lot, title="The Iliad", quantity=1, not_this_isbn=True, actor=staff)
    assert (other.title.isbn13, other.title.title) == (None, "The Iliad")


def test_two_merges_of_the_same_records_at_once_merge_them_once(app):
    with app.app_context():
        staff = UserFactory(role=Role.COORDINATOR)
        keep, duplicate = TitleFactory(isbn13=None, title="The Odyssey"), TitleFactory(isbn13="9780140449136", title=None)
        intake.record_donation(site=SiteFactory(), actor=staff, lines=[intake.LineInput(quantity=2, title=duplicate)])
        db.session.commit()
        ids = (staff.id, keep.id, duplicate.id)

    def merge(a: int, b: int):  # as the page does: the title of the page, the other by its number
        return lambda: catalogue.merge_titles(catalogue.get_title(a), catalogue.find_title(str(b)),
                                              actor=db.session.get(type(staff), ids[0]))

    first, second = race(app, merge(ids[1], ids[2]), merge(ids[2], ids[1]))
    assert first.ok and not second.ok
    assert second.message in (
        "One of the two titles was merged into another just now; reload the page.",  # read before, locked after
        f"There is no title {ids[2]} in the catalogue; it may have been merged into another.",  # read after
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):  # reads do not wait there: the lock decides
        assert second.message.startswith("One of the two titles was merged")
    with app.app_context():
        assert db.session.get(Title, ids[2]) is None and copies_of(ids[1]) == 2
        assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "title.merged")) == 1
