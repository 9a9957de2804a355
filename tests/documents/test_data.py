"""The customs lines add up to exactly what the crates hold, whatever the crates hold."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from books2iraq.documents.data import (
    ContentLine,
    CrateData,
    Party,
    ShipmentData,
    Transport,
    customs_manifest,
)

HS = ["4901.99", "4901.91", "4903.00", "4902.90"]

lines = st.lists(
    st.builds(
        lambda hs, n: ContentLine("978", "t", "a", "en", "general", hs, n),
        st.sampled_from(HS),
        st.integers(min_value=1, max_value=500),
    ),
    min_size=1,
    max_size=8,
)
crates = st.lists(
    st.builds(
        lambda ls, gross: CrateData(
            code="C", copies=sum(ln.copies for ln in ls), gross_kg=gross, net_kg=max(gross - Decimal("1.5"), Decimal(0)),
            dimensions_cm=None, volume_m3=None, lines=tuple(ls),
        ),
        lines,
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("900"), places=2),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(crates)
def test_manifest_totals_equal_the_crates(crate_list):
    shipment = ShipmentData("S-1", Party("a"), Party("b"), Transport(), tuple(crate_list))
    manifest = customs_manifest(shipment, Decimal("0.50"), "USD")
    assert manifest.packages == len(crate_list)
    assert manifest.copies == shipment.copies == sum(c.copies for c in crate_list)
    assert manifest.gross_kg == shipment.gross_kg
    assert manifest.net_kg == shipment.net_kg
    assert manifest.value == Decimal("0.50") * manifest.copies
    for line in manifest.lines:
        assert line.copies == sum(ln.copies for c in crate_list for ln in c.lines if ln.hs_code == line.hs_code)


def test_a_crate_counts_once_under_its_main_hs_code():
    mixed = CrateData("C1", 10, Decimal("10.00"), Decimal("8.50"), None, None, (
        ContentLine("1", "Dict", "", "en", "general", "4901.91", 3),
        ContentLine("2", "Book", "", "en", "general", "4901.99", 7),
    ))
    manifest = customs_manifest(ShipmentData("S", Party("a"), Party("b"), Transport(), (mixed,)), Decimal("1"), "USD")
    by_code = {line.hs_code: line for line in manifest.lines}
    assert (by_code["4901.99"].packages, by_code["4901.91"].packages) == (1, 0)
    assert (by_code["4901.99"].gross_kg, by_code["4901.91"].gross_kg) == (Decimal("7.00"), Decimal("3.00"))
    assert by_code["4901.99"].net_kg + by_code["4901.91"].net_kg == Decimal("8.50")


def test_the_papers_read_in_one_query_agree_with_the_papers_read_crate_by_crate(app):
    """What the shipment page compares with issued papers (no crates' own figures, one grouped query)
    prints the same HS lines as the papers themselves."""
    from books2iraq.auth.roles import Role
    from books2iraq.crating import services as crating
    from books2iraq.documents import data
    from books2iraq.extensions import db
    from books2iraq.intake.models import TitleKind
    from tests.factories import TitleFactory, UserFactory, WarehouseFactory, accepted_lot, shipment_of

    with app.app_context():
        staff = UserFactory(role=Role.WAREHOUSE)
        crates = []
        for kinds in ([TitleKind.BOOK, TitleKind.DICTIONARY], [TitleKind.CHILDRENS_PICTURE], [TitleKind.PERIODICAL, TitleKind.BOOK]):
            crate = crating.open_crate(site=WarehouseFactory(), actor=staff)
            for n, kind in enumerate(kinds, start=2):
                lot = accepted_lot(n * 3, actor=staff)
                lot.title = TitleFactory(kind=kind)
                crating.pack(lot, crate, actor=staff)
            crates.append(crating.seal(crate, gross_kg=Decimal("12.35"), actor=staff))
        shipment = shipment_of(*crates)
        db.session.flush()
        full, lean = data.manifest_data(shipment), data.manifest_data(shipment, crates=False)
        assert lean.lines == full.lines and len(full.lines) == 4 and lean.shipment.crates == ()
        assert (lean.packages, lean.copies, lean.gross_kg) == (3, full.copies, Decimal("37.05"))
