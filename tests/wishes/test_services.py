"""Wish-lists: the list kept, the figures that say how well it is filled, stock earmarked before
packing and kept for its recipient, and crate suggestions checked on generated data against a choice
worked out here."""
from __future__ import annotations

import random
from decimal import Decimal

import pytest
import sqlalchemy as sa

from books2iraq.audit import events_for
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake.models import Lot, LotStatus, ReadingLevel, TitleKind
from books2iraq.receiving import services as receiving
from books2iraq.receiving.models import CrateOutcome
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import ShipmentStatus as S
from books2iraq.sorting import services as sorting
from books2iraq.wishes import services as wishes
from books2iraq.wishes.models import Priority
from tests.factories import RecipientFactory, SiteFactory, TitleFactory, UserFactory, WarehouseFactory


@pytest.fixture
def people(ctx):
    return {"staff": UserFactory(role=Role.COORDINATOR), "librarian": UserFactory(role=Role.RECIPIENT)}


def accepted(title, copies: int, staff) -> Lot:
    donation = intake.record_donation(site=SiteFactory(), actor=staff, lines=[intake.LineInput(quantity=copies, title=title)])
    return sorting.accept(donation.lots[0], actor=staff)


def crate_of(staff, *contents, warehouse=None, sealed=True, for_recipient=None):
    crate = crating.open_crate(site=warehouse or WarehouseFactory(), actor=staff, for_recipient=for_recipient)
    for title, copies in contents:
        crating.pack(accepted(title, copies, staff), crate, actor=staff)
    if sealed:
        crating.seal(crate, gross_kg=Decimal("10"), actor=staff)
    return crate


def test_a_wish_is_checked_kept_changed_and_removed_with_its_history(people):
    librarian, recipient = people["librarian"], people["librarian"].recipient
    item = wishes.add_wish(recipient, actor=librarian, subject="  Medicine ", level="university", language="AR",
                           kind="", wanted=40, priority="high")
    assert (item.subject, item.level, item.language, item.kind, item.wanted, item.priority) == (
        "Medicine", ReadingLevel.UNIVERSITY, "ar", None, 40, Priority.HIGH)
    for bad, refusal in (({"wanted": 0}, "a whole number from 1 to"), ({"wanted": "9"}, "a whole number"),
                         ({"language": "klingonese", "wanted": 3}, "is not a language code"),
                         ({"level": "toddler", "wanted": 3}, "is not one of the choices")):
        with pytest.raises(DomainError, match=refusal):
            wishes.add_wish(recipient, actor=librarian, **bad)
    wishes.update_wish(item, actor=librarian, subject="Medicine", level="university", language="ar", wanted=60,
                       priority="normal")
    assert events_for(item)[-1].detail["changes"] == {"wanted": [40, 60], "priority": ["high", "normal"]}
    low = wishes.add_wish(recipient, actor=librarian, wanted=5, priority="low")
    top = wishes.add_wish(recipient, actor=librarian, subject="Physics", wanted=5, priority="high")
    assert wishes.wishes_of(recipient) == [top, item, low]
    wishes.remove_wish(low, actor=librarian)
    assert wishes.wishes_of(recipient) == [top, item]


def test_the_figures_of_a_wish_follow_its_copies_from_stock_to_the_shelf(people):
    staff, librarian = people["staff"], people["librarian"]
    library, other = librarian.recipient, RecipientFactory()
    physics = [TitleFactory(subject="Physics", level=ReadingLevel.UNIVERSITY, language="en") for _ in range(3)]
    novel = TitleFactory(subject="Fiction", level=ReadingLevel.GENERAL, language="ar")
    wishes.add_wish(library, actor=librarian, subject="physics", wanted=50)
    accepted(physics[0], 12, staff)  # in stock
    accepted(novel, 30, staff)  # in stock, but fills no wish
    theirs = accepted(physics[1], 9, staff)
    theirs.earmarked_for_id = other.id  # set aside for another recipient: not available here
    waiting = crate_of(staff, (physics[1], 4), for_recipient=library)  # packed for the library, on no shipment
    gone = crate_of(staff, (physics[2], 7))
    short = crate_of(staff, (physics[2], 5))
    trip = shipping.create_shipment(recipient=library, actor=staff, mode="road")
    for crate in (gone, short):
        shipping.assign_crate(trip, crate, actor=staff)
    for status in (S.PACKING, S.READY, S.DISPATCHED):
        shipping.change_status(trip, status, actor=staff)
    receiving.check_in(trip, gone, outcome=CrateOutcome.RECEIVED, actor=librarian)
    receiving.check_in(trip, short, outcome=CrateOutcome.DAMAGED, damaged=2, actor=librarian)  # not counted by title
    (f,) = wishes.fill(library)
    assert (f.available, f.earmarked, f.planned, f.sent, f.received, f.need) == (12, 0, 4, 12, 7, 50 - 4 - 12)
    assert waiting.for_recipient_id == library.id


def test_earmarked_stock_is_split_to_the_need_and_packed_only_for_its_recipient(people):
    staff, library = people["staff"], people["librarian"].recipient
    book = TitleFactory(subject="Chemistry", isbn13="9780306406157")
    older, newer = accepted(book, 6, staff), accepted(book, 10, staff)
    item = wishes.add_wish(library, actor=staff, subject="Chemistry", wanted=9)
    assert wishes.earmark(item, actor=staff) == 9
    held = db.session.scalars(sa.select(Lot).where(Lot.earmarked_for_id == library.id).order_by(Lot.id)).all()
    assert [(lot.quantity, lot.status) for lot in held] == [(6, LotStatus.ACCEPTED), (3, LotStatus.ACCEPTED)]
    assert newer.quantity == 7 and newer.earmarked_for_id is None  # the rest stays free
    assert older in held
    with pytest.raises(DomainError, match="needs no more copies"):
        wishes.earmark(item, actor=staff)
    (f,) = wishes.fill(library)
    assert (f.available, f.earmarked) == (16, 9)
    # A crate for nobody takes only the free copies; a crate for the library takes its own first.
    anyone = crating.open_crate(site=WarehouseFactory(), actor=staff)
    with pytest.raises(DomainError, match=f"is earmarked for {library.name_en}"):
        crating.pack(older, anyone, actor=staff)
    packed = crating.pack_isbn(anyone, "9780306406157", quantity=7, actor=staff)
    assert all(lot.earmarked_for_id is None for lot in packed)
    with pytest.raises(DomainError, match="Only 0 accepted copies"):
        crating.pack_isbn(anyone, "9780306406157", actor=staff)
    ours = crating.open_crate(site=WarehouseFactory(), actor=staff, for_recipient=library)
    packed = crating.pack_isbn(ours, "9780306406157", quantity=9, actor=staff)
    assert sum(lot.quantity for lot in packed) == 9 and {lot.earmarked_for_id for lot in packed} == {library.id}
    # A crate packed for the library goes on no other recipient's shipment.
    crating.seal(ours, gross_kg=Decimal("5"), actor=staff)
    elsewhere = shipping.create_shipment(recipient=RecipientFactory(), actor=staff)
    with pytest.raises(DomainError, match=f"is packed for {library.name_en}"):
        shipping.assign_crate(elsewhere, ours, actor=staff)
    assert wishes.release(library, actor=staff) == 0  # nothing earmarked is left unpacked


def worked_out(crates: dict[int, list[tuple[tuple, int]]], items: list, needs: dict[int, int], limit: int) -> list[int]:
    """The suggestion, worked out independently: repeatedly the crate whose copies fill the open needs
    with the most weight (a copy goes to the highest-priority wish it matches that still needs it)."""
    weight = {"high": 3, "normal": 2, "low": 1}

    def fits(item, kind):
        subject, level, language, _kind = kind
        return ((item["subject"] is None or item["subject"] == subject) and (item["level"] is None or item["level"] == level)
                and (item["language"] is None or item["language"] == language))

    order = sorted(items, key=lambda i: ({"high": 0, "normal": 1, "low": 2}[i["priority"]], i["id"]))
    chosen, left = [], dict(needs)
    pool = dict(crates)
    while pool and len(chosen) < limit:
        def value(contents, take=False):
            room, total = dict(left), 0
            for kind, copies in contents:
                for item in order:
                    if copies and room[item["id"]] and fits(item, kind):
                        used = min(copies, room[item["id"]])
                        room[item["id"]] -= used
                        copies -= used
                        total += used * weight[item["priority"]]
            if take:
                left.update(room)
            return total
        best = max(pool, key=lambda cid: (value(pool[cid]), -cid))
        if value(pool[best]) == 0:
            break
        value(pool.pop(best), take=True)
        chosen.append(best)
    return chosen


def test_suggested_crates_fill_the_open_wishes_best_on_generated_data(people):
    rng = random.Random(7)
    staff, library = people["staff"], people["librarian"].recipient
    other = RecipientFactory()
    subjects = ["physics", "medicine", "fiction", "history", "law"]
    levels = [ReadingLevel.UNIVERSITY, ReadingLevel.SECONDARY, ReadingLevel.CHILDREN]
    languages = ["en", "ar", "ckb"]
    titles = [TitleFactory(subject=rng.choice(subjects).capitalize(), level=rng.choice(levels), language=rng.choice(languages),
                           kind=TitleKind.BOOK) for _ in range(40)]
    warehouse = WarehouseFactory()
    contents: dict[int, list[tuple[tuple, int]]] = {}
    for _ in range(60):
        picked = rng.sample(titles, rng.randint(1, 4))
        crate = crate_of(staff, *[(t, rng.randint(1, 15)) for t in picked], warehouse=warehouse)
        kinds: dict[tuple, int] = {}
        for t in picked:
            kind = (t.subject.lower(), t.level.value, t.language, "book")
            kinds[kind] = kinds.get(kind, 0) + sum(lot.quantity for lot in crate.lots if lot.title_id == t.id)
        contents[crate.id] = sorted(kinds.items())  # each kind of title once, in the order of its words
    reserved = crate_of(staff, (titles[0], 50), warehouse=warehouse, for_recipient=other)  # someone else's
    specs = [
        {"subject": "physics", "level": None, "language": None, "priority": "high", "wanted": 40},
        {"subject": "medicine", "level": "university", "language": None, "priority": "normal", "wanted": 30},
        {"subject": None, "level": None, "language": "ckb", "priority": "normal", "wanted": 60},
        {"subject": "fiction", "level": "children", "language": "ar", "priority": "low", "wanted": 25},
        {"subject": "history", "level": None, "language": "en", "priority": "high", "wanted": 20},
    ]
    for spec in specs:
        spec["id"] = wishes.add_wish(library, actor=staff, subject=spec["subject"], level=spec["level"] or "",
                                     language=spec["language"] or "", wanted=spec["wanted"], priority=spec["priority"]).id
    suggested = wishes.suggest(library, limit=12)
    expected = worked_out(contents, specs, {s["id"]: s["wanted"] for s in specs}, limit=12)
    assert [s.crate.id for s in suggested] == expected
    assert len(expected) >= 5 and reserved.id not in expected
    assert all(s.score > 0 and s.filling > 0 for s in suggested)
    assert [s.score for s in suggested][:3] == sorted([s.score for s in suggested], reverse=True)[:3]
    # Taken onto a shipment, the first crates count as planned, and the next suggestion starts after them.
    trip = shipping.create_shipment(recipient=library, actor=staff)
    for s in suggested[:3]:
        shipping.assign_crate(trip, s.crate, actor=staff)
    planned = {f.item.id: f.planned for f in wishes.fill(library)}
    needs = {s["id"]: max(0, s["wanted"] - planned[s["id"]]) for s in specs}
    rest = {cid: c for cid, c in contents.items() if cid not in {s.crate.id for s in suggested[:3]}}
    assert [s.crate.id for s in wishes.suggest(library, limit=12)] == worked_out(rest, specs, needs, limit=12)


def test_a_crate_packed_for_the_recipient_is_suggested_first(people):
    staff, library = people["staff"], people["librarian"].recipient
    wishes.add_wish(library, actor=staff, subject="Law", wanted=10)
    law = TitleFactory(subject="Law")
    plenty = crate_of(staff, (law, 10))
    ours = crate_of(staff, (TitleFactory(subject="Art"), 3), for_recipient=library)
    assert [s.crate for s in wishes.suggest(library)] == [ours, plenty]


def test_per_recipient_figures_for_the_dashboard(people):
    staff, librarian = people["staff"], people["librarian"]
    library = librarian.recipient
    wishes.add_wish(library, actor=staff, wanted=30)
    wishes.add_wish(library, actor=staff, subject="Law", wanted=12)
    trip = shipping.create_shipment(recipient=library, actor=staff, mode="road")
    a, b = crate_of(staff, (TitleFactory(), 8)), crate_of(staff, (TitleFactory(), 5))
    for crate in (a, b):
        shipping.assign_crate(trip, crate, actor=staff)
    for status in (S.PACKING, S.READY, S.DISPATCHED):
        shipping.change_status(trip, status, actor=staff)
    receiving.check_in(trip, a, outcome=CrateOutcome.DAMAGED, damaged=3, actor=librarian)
    figures = {f.recipient.id: (f.wanted, f.sent, f.received) for f in wishes.per_recipient()}
    assert figures[library.id] == (42, 13, 5)
