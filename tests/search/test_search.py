"""Search over the database's own full-text index: each kind of term finds its record, on SQLite
and PostgreSQL, within what the role may see; the index follows every change; a scanned code names
its record."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake.models import DonorKind
from books2iraq.pallets import services as pallets
from books2iraq.search import index, services
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import Governorate, TransportMode
from books2iraq.sorting import services as sorting
from tests.factories import SiteFactory, TitleFactory, UserFactory, WarehouseFactory

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture
def operation(app):
    """A donor's donation of an English, an Arabic and a Kurdish book, packed in a crate on a
    shipment to Salahaddin University by sea."""
    app.config["GS1_COMPANY_PREFIX"] = "5061234"
    staff = UserFactory(role=Role.ADMIN)
    books = [
        TitleFactory(isbn13="9780140449136", title="The Odyssey", authors="Homer", publisher="Penguin Classics"),
        TitleFactory(isbn13="9789953000015", title="ألف ليلة وليلة", authors="مجهول", language="ar"),
        TitleFactory(isbn13="9789922000015", title="مێژووی کوردستان", authors="ئەحمەد", language="ckb"),
    ]
    donor = intake.create_donor(name="Harrow School Book Drive", kind=DonorKind.SCHOOL_DRIVE, actor=staff)
    donation = intake.record_donation(
        site=SiteFactory(name="Leeds drop-off"), actor=staff, donor=donor, note="Left by the back door",
        lines=[intake.LineInput(quantity=3, title=book) for book in books],
    )
    crate = crating.open_crate(site=WarehouseFactory(), actor=staff)
    for lot in donation.lots:
        crating.pack(sorting.accept(lot, actor=staff), crate, actor=staff)
    crating.seal(crate, gross_kg="12.00", actor=staff)
    recipient = shipping.create_recipient(
        name_en="Salahaddin University-Erbil", name_ar="جامعة صلاح الدين", address_en="Kirkuk Road",
        city="Erbil", governorate=Governorate.ERBIL, actor=staff,
    )
    shipment = shipping.create_shipment(
        recipient=recipient, actor=staff, mode=TransportMode.SEA, container_no="CSQU3054383",
        transport_doc_no="GCLU218E004471",
    )
    shipping.assign_crate(shipment, crate, actor=staff)
    shipment.invoice_no = "PI-2026-0042"
    db.session.commit()
    return {"donation": donation, "crate": crate, "shipment": shipment, "recipient": recipient, "books": books}


def found(query: str, role: Role = Role.ADMIN) -> dict[str, list[int]]:
    results = services.search(query, role)
    return {kind: [r.id for r in records] for kind, records in results.groups.items()}


def test_each_kind_of_term_finds_its_record(operation):
    donation, crate, shipment, recipient = (operation[k] for k in ("donation", "crate", "shipment", "recipient"))
    odyssey, nights, kurdish = (b.id for b in operation["books"])
    expected = {
        # donations: the ref whole or in part, the donor's name, the note
        donation.ref: {"donation": [donation.id]},
        donation.ref.rsplit("-", 1)[1]: {"donation": [donation.id], "crate": [crate.id]},  # both are number 000001
        "harrow book": {"donation": [donation.id], "donor": [donation.donor_id]},
        "back door": {"donation": [donation.id]},
        # titles: the ISBN-13, the ISBN-10, hyphenated, title words, the start of a word, the author
        "9780140449136": {"title": [odyssey]},
        "0140449132": {"title": [odyssey]},
        "978-0-14-044913-6": {"title": [odyssey]},
        "odyss": {"title": [odyssey]},
        "homer penguin": {"title": [odyssey]},
        # Arabic typed as people type it: no hamza, ta marbuta as ha, with harakat
        "الف ليله": {"title": [nights]},
        "أَلْف لَيْلَة": {"title": [nights]},
        "مجهول": {"title": [nights]},
        # Kurdish, and in the Arabic spelling of its letters
        "مێژووی": {"title": [kurdish]},
        "ميژووي كوردستان": {"title": [kurdish]},
        # crates by code and SSCC
        crate.code: {"crate": [crate.id]},
        crate.sscc: {"crate": [crate.id]},
        # shipments by ref, invoice, container, bill of lading; recipients in English or Arabic
        shipment.ref: {"shipment": [shipment.id]},
        "PI-2026-0042": {"shipment": [shipment.id]},
        "csqu3054383": {"shipment": [shipment.id]},
        "GCLU218E004471": {"shipment": [shipment.id]},
        "salahaddin": {"shipment": [shipment.id], "recipient": [recipient.id]},
        "جامعه صلاح": {"shipment": [shipment.id], "recipient": [recipient.id]},
    }
    assert {query: found(query) for query in expected} == expected
    assert found("nothing-like-this") == {} and found("   ") == {} and found("«»—") == {}


def test_a_role_finds_only_what_it_may_see(operation):
    assert services.search("salahaddin", Role.VOLUNTEER).counts == {"donation": 0, "donor": 0}
    assert set(services.search("odyssey", Role.VOLUNTEER).counts) == {"donation", "donor"}
    assert set(services.search("odyssey", Role.WAREHOUSE).counts) == {"donation", "donor", "title", "crate"}
    assert set(services.search("x", Role.COORDINATOR).counts) == {
        "donation", "donor", "title", "crate", "shipment", "recipient",
    }
    crate = operation["crate"]
    assert services.jump(crate.code, Role.VOLUNTEER) is None
    assert services.jump(crate.code, Role.WAREHOUSE) == ("crate", crate)
    assert services.jump(operation["shipment"].ref, Role.WAREHOUSE) is None


def test_a_scanned_code_names_its_record(operation):
    donation, crate, shipment = operation["donation"], operation["crate"], operation["shipment"]
    odyssey = operation["books"][0]
    assert services.jump(donation.ref.lower(), Role.VOLUNTEER) == ("donation", donation)
    assert services.jump(f" {crate.code} ", Role.WAREHOUSE) == ("crate", crate)
    assert services.jump("00" + crate.sscc, Role.WAREHOUSE) == ("crate", crate)  # GS1-128 with its AI
    assert services.jump(shipment.ref, Role.COORDINATOR) == ("shipment", shipment)
    assert services.jump("PI-2026-0042", Role.COORDINATOR) == ("shipment", shipment)
    assert services.jump("0-14-044913-2", Role.WAREHOUSE) == ("title", odyssey)  # ISBN-10, hyphenated
    assert services.jump("9780140449136", Role.WAREHOUSE) == ("title", odyssey)
    assert services.jump("9780140449137", Role.WAREHOUSE) is None  # a wrong check digit names nothing
    assert services.jump("D-2026-999999", Role.VOLUNTEER) is None
    assert services.jump("harrow school", Role.ADMIN) is None  # words, not a code


def test_a_scanned_pallet_label_names_its_pallet(app, client, auth, users):
    with app.app_context():
        app.config["GS1_COMPANY_PREFIX"] = "5060123"
        pallet = pallets.open_pallet(site=WarehouseFactory(), actor=UserFactory(role=Role.WAREHOUSE))
        db.session.commit()
        code, sscc = pallet.code, pallet.sscc
        assert services.jump(code.lower(), Role.WAREHOUSE) == ("pallet", pallet)
        assert services.jump("00" + sscc, Role.WAREHOUSE) == ("pallet", pallet)  # its SSCC, extension digit 1
        assert services.jump(code, Role.VOLUNTEER) is None
    auth.login(Role.WAREHOUSE)
    assert client.get(f"/search?q={code}").headers["Location"] == f"/pallets/{code}"


def test_the_index_follows_every_change(operation):
    staff = UserFactory(role=Role.ADMIN)
    donation, shipment, recipient = operation["donation"], operation["shipment"], operation["recipient"]
    odyssey = operation["books"][0]

    odyssey.title = "The Iliad"
    donation.donor.name = "Hackney Library Friends"  # the donor's name is in the donation's words
    shipping.update_recipient(recipient, actor=staff, name_en="Soran University")  # and the recipient's in the shipment's
    db.session.commit()
    assert found("odyssey") == {} and found("iliad") == {"title": [odyssey.id]}
    assert found("harrow") == {} and found("hackney") == {"donation": [donation.id], "donor": [donation.donor_id]}
    assert found("salahaddin") == {} and found("soran") == {"shipment": [shipment.id], "recipient": [recipient.id]}

    # Rolled back, a change leaves the index as it was.
    odyssey.title = "Ulysses"
    db.session.flush()
    assert found("ulysses") == {"title": [odyssey.id]}
    db.session.rollback()
    assert found("ulysses") == {} and found("iliad") == {"title": [odyssey.id]}

    # A record deleted takes its entry with it.
    stray = TitleFactory(title="Stray Record")
    db.session.commit()
    assert found("stray") == {"title": [stray.id]}
    db.session.delete(stray)
    db.session.commit()
    assert found("stray") == {}


def test_a_change_to_no_searched_word_rewrites_no_entry(operation):
    """Words are written again only for records whose words changed: sealing or weighing a crate,
    dating a donation or calling its donor a library clearance write nothing to the index; a note does."""
    donation, crate = operation["donation"], operation["crate"]
    statements: list[str] = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    crate.gross_kg = "13.50"
    donation.received_on = donation.received_on.replace(day=1)
    donation.donor.kind = DonorKind.LIBRARY_CLEARANCE
    db.session.flush()
    assert not [s for s in statements if index.TABLE in s]
    donation.note = "Brought by the caretaker"
    donation.donor.email = "drive@harrow.example"  # the donor's own entry; the donation's words hold no e-mail
    db.session.flush()
    written = [s for s in statements if index.TABLE in s]
    assert len(written) == 4  # for the donation and the donor: its entry out, the new one in
    db.session.commit()
    assert found("caretaker") == {"donation": [donation.id]} and found("drive harrow example") == {"donor": [donation.donor_id]}


def test_every_match_is_reachable_page_by_page(ctx):
    staff = UserFactory(role=Role.VOLUNTEER)
    site, title = SiteFactory(), TitleFactory()
    donor = intake.create_donor(name="Term Drive", actor=staff)
    made = {
        intake.record_donation(site=site, actor=staff, donor=donor, lines=[intake.LineInput(quantity=1, title=title)]).id
        for _ in range(130)
    }
    db.session.commit()
    first = services.search("term drive", Role.VOLUNTEER)
    assert first.counts == {"donation": 130, "donor": 1} and len(first.groups["donation"]) == services.PREVIEW
    pages = [services.search("term drive", Role.VOLUNTEER, "donation", n, 50).page for n in (1, 2, 3)]
    assert [(p.first, p.last, p.total) for p in pages] == [(1, 50, 130), (51, 100, 130), (101, 130, 130)]
    shown = [d.id for page in pages for d in page.items]
    assert len(shown) == 130 and set(shown) == made
    assert services.search("term drive", Role.VOLUNTEER, "donation", 99, 50).page.number == 3  # past the end: the last


def test_beyond_so_many_matches_the_newest_come_first(ctx, monkeypatch):
    staff = UserFactory(role=Role.VOLUNTEER)
    site, title = SiteFactory(), TitleFactory()
    donor = intake.create_donor(name="Term Drive", actor=staff)
    made = [  # each a longer note than the one before: SQLite's bm25 ranks the shorter, older ones first
        intake.record_donation(site=site, actor=staff, donor=donor, note=" ".join(f"w{i}" for i in range(n)),
                               lines=[intake.LineInput(quantity=1, title=title)]).id
        for n in range(12)
    ]
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        assert [d.id for d in services.search("term", Role.VOLUNTEER, "donation", 1, 25).page.items] == made
    monkeypatch.setattr(services, "RANKED", 10)  # ranking 12 matches would cost too much, as 100,000 would
    page = services.search("term", Role.VOLUNTEER, "donation", 1, 25).page
    assert [d.id for d in page.items] == sorted(made, reverse=True)
    assert [d.id for d in services.search("term", Role.VOLUNTEER).groups["donation"]] == sorted(made, reverse=True)[:10]
    assert [d.id for d in services.search("term", Role.VOLUNTEER, "donation", 2, 5).page.items] == sorted(made, reverse=True)[5:10]
    if db.engine.dialect.name == "postgresql":  # the walk's planner settings end with it, not with the transaction
        assert db.session.execute(sa.text("SHOW enable_seqscan")).scalar_one() == "on"
        assert db.session.execute(sa.text("SHOW enable_bitmapscan")).scalar_one() == "on"


def test_rebuilding_the_index_finds_the_same(operation):
    before = {query: found(query) for query in ("harrow", "odyssey", "الف", "salahaddin", operation["crate"].code)}
    db.session.execute(sa.text(f"DELETE FROM {index.TABLE}"))
    assert found("odyssey") == {}
    written = index.rebuild(db.session.connection())
    db.session.commit()
    entries = db.session.execute(sa.text(f"SELECT count(*) FROM {index.TABLE}")).scalar_one()
    assert written == entries == 1 + 1 + 3 + 1 + 1 + 1  # a donation, its donor, three titles, a crate, a shipment, a recipient
    assert {query: found(query) for query in before} == before
