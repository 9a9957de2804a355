"""Reports over a period, each figure against what the test works out by hand from the records it makes.

Q1 2026 (1 January to 31 March) at two drop-off points, Leeds and Ealing:
  D1 Leeds 10 Jan: 30 of title A (medicine, English) and 10 of B (Literature, Arabic), from Amal
  D2 Leeds 3 Feb: 12 of C (no subject, Sorani), no donor named; never sorted
  D3 Ealing 20 Feb: 8 of A and 5 of B, from Amal
  outside it: D4 Ealing 30 Dec 2025 (100 of A), D5 Leeds 15 Mar voided (50 of B), D6 Ealing 1 Apr (7 of A)
Sorting: D1's A 6 rejected (mould), 24 kept; D1's B kept; D3's A all 8 rejected (water damaged); D3's B 1 rejected
  (torn), 4 kept.
Shipments: S1 to an Erbil university, dispatched 1 Mar: crate K1 (24 A of D1, 4 B of D3), counted title by title
  on arrival (A: 20 received, 4 damaged; B: 4 received), and K2 (10 B of D1) received whole. S2 to a Basra
  library, dispatched 20 Jan: K3 (the 100 A of D4), damaged, 10 copies, not counted by title. S3, dispatched
  2 Apr (after the period), carries D6's 7 copies.
"""
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.extensions import db
from books2iraq.intake import corrections
from books2iraq.intake import services as intake
from books2iraq.intake.models import RejectReason
from books2iraq.receiving import services as receiving
from books2iraq.receiving.models import CrateOutcome
from books2iraq.reports import period as periods
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import Governorate, TransportMode
from books2iraq.shipping.models import ShipmentStatus as S
from books2iraq.sorting import services as sorting
from tests import pdf
from tests.factories import RecipientFactory, SiteFactory, TitleFactory, UserFactory, WarehouseFactory
from tests.queries import statements_for

Q1 = periods.Period(date(2026, 1, 1), date(2026, 3, 31))


def make_operation():
    staff = UserFactory(role=Role.ADMIN)
    leeds, ealing = SiteFactory(name="Leeds"), SiteFactory(name="Ealing")
    warehouse = WarehouseFactory()
    a = TitleFactory(subject="medicine", language="en")
    b = TitleFactory(subject="Literature", language="ar")
    c = TitleFactory(subject=None, language="ckb")
    amal = intake.create_donor(name="Amal", actor=staff)

    def given(site, day, *lines, donor=None):
        return intake.record_donation(site=site, received_on=day, donor=donor, actor=staff,
                                      lines=[intake.LineInput(quantity=n, title=t) for t, n in lines])

    d1 = given(leeds, date(2026, 1, 10), (a, 30), (b, 10), donor=amal)
    given(leeds, date(2026, 2, 3), (c, 12))
    d3 = given(ealing, date(2026, 2, 20), (a, 8), (b, 5), donor=amal)
    d4 = given(ealing, date(2025, 12, 30), (a, 100))
    d5 = given(leeds, date(2026, 3, 15), (b, 50))
    corrections.void_donation(d5, actor=staff, reason="recorded twice")
    d6 = given(ealing, date(2026, 4, 1), (a, 7))

    sorting.reject(d1.lots[0], quantity=6, reason=RejectReason.MOULD, actor=staff)
    d1_a = sorting.accept(d1.lots[0], actor=staff)
    d1_b = sorting.accept(d1.lots[1], actor=staff)
    sorting.reject(d3.lots[0], reason=RejectReason.WATER_DAMAGED, actor=staff)
    sorting.reject(d3.lots[1], quantity=1, reason=RejectReason.TORN_OR_INCOMPLETE, actor=staff)
    d3_b = sorting.accept(d3.lots[1], actor=staff)
    d4_a, d6_a = (sorting.accept(d.lots[0], actor=staff) for d in (d4, d6))

    def crate_of(*lots):
        crate = crating.open_crate(site=warehouse, actor=staff)
        for lot in lots:
            crating.pack(lot, crate, actor=staff)
        return crating.seal(crate, gross_kg="20", actor=staff)

    k1, k2, k3, k4 = crate_of(d1_a, d3_b), crate_of(d1_b), crate_of(d4_a), crate_of(d6_a)

    def dispatched(recipient, day, *crates):
        shipment = shipping.create_shipment(recipient=recipient, actor=staff, mode=TransportMode.ROAD)
        for crate in crates:
            shipping.assign_crate(shipment, crate, actor=staff)
        for status in (S.PACKING, S.READY, S.DISPATCHED):
            event = shipping.change_status(shipment, status, actor=staff)
        event.at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        return shipment

    erbil = RecipientFactory(name_en="Erbil University", governorate=Governorate.ERBIL)
    basra = RecipientFactory(name_en="Basra Library", governorate=Governorate.BASRA)
    s1 = dispatched(erbil, date(2026, 3, 1), k1, k2)
    s2 = dispatched(basra, date(2026, 1, 20), k3)
    dispatched(erbil, date(2026, 4, 2), k4)
    receiving.check_in(s1, k1, outcome=CrateOutcome.RECEIVED, counts={a.id: (20, 4), b.id: (4, 0)}, actor=staff)
    receiving.check_in(s1, k2, outcome=CrateOutcome.RECEIVED, actor=staff)
    receiving.check_in(s2, k3, outcome=CrateOutcome.DAMAGED, damaged=10, actor=staff)
    db.session.flush()
    return {"s1": s1.ref, "s2": s2.ref}


@pytest.fixture
def operation(app):
    with app.app_context():
        refs = make_operation()
        db.session.commit()
        return refs


def test_copies_received_per_site_and_month(ctx):
    make_operation()
    r = periods.received(Q1)
    assert r.months == [(2026, 1), (2026, 2), (2026, 3)]
    assert r.sites == [("Leeds", [40, 12, 0], 52), ("Ealing", [0, 13, 0], 13)]
    assert (r.per_month, r.total, r.donations, r.donors) == ([40, 25, 0], 65, 3, 1)


def test_a_period_that_begins_or_ends_within_a_month_counts_those_days_alone(ctx):
    make_operation()
    # From 15 January: D1 (10 January) is left out; to 10 February: D3 (20 February) is.
    r = periods.received(periods.Period(date(2026, 1, 15), date(2026, 2, 10)))
    assert r.sites == [("Leeds", [0, 12], 12)] and r.donations == 1
    # Within one month; and the whole months of 2026 and the December before (D4), read from the running totals.
    assert periods.received(periods.Period(date(2026, 2, 4), date(2026, 2, 28))).sites == [("Ealing", [13], 13)]
    whole = periods.received(periods.Period(date(2025, 12, 1), date(2026, 4, 30)))
    assert whole.sites == [("Ealing", [100, 0, 13, 0, 7], 120), ("Leeds", [0, 40, 12, 0, 0], 52)]


def test_sorting_per_site_kept_rejected_and_why(ctx):
    make_operation()
    ealing, leeds = periods.sorted_per_site(Q1)  # the highest rejection rate first
    assert (ealing.site, ealing.kept, ealing.rejected, ealing.unsorted) == ("Ealing", 4, 9, 0)
    assert ealing.reasons == {RejectReason.WATER_DAMAGED: 8, RejectReason.TORN_OR_INCOMPLETE: 1}
    assert round(ealing.rate, 4) == round(9 / 13, 4)
    assert (leeds.site, leeds.kept, leeds.rejected, leeds.unsorted, leeds.reasons) == ("Leeds", 34, 6, 12, {RejectReason.MOULD: 6})
    assert leeds.rate == 6 / 40


def test_shipped_and_received_per_recipient_governorate_subject_and_language(ctx):
    make_operation()
    s = periods.shipped(Q1)
    assert s.shipments == 2 and (s.copies, s.received) == (138, 124)
    assert s.recipients == [periods.Flow("Basra Library", 100, 90), periods.Flow("Erbil University", 38, 34)]
    assert s.governorates == [periods.Flow("basra", 100, 90), periods.Flow("erbil", 38, 34)]
    # K3 was damaged and not counted by title: by subject and language its 100 copies count as not received.
    assert s.subjects == [periods.Flow("medicine", 124, 20), periods.Flow("literature", 14, 14)]
    assert s.languages == [periods.Flow("en", 124, 20), periods.Flow("ar", 14, 14)]


def test_days_from_donation_to_dispatch(ctx):
    refs = make_operation()
    w = periods.waited(Q1)
    # 4 copies waited 9 days (D3 to S1), 100 waited 21 (D4 to S2), 34 waited 50 (D1 to S1).
    assert (w.copies, w.median, w.p90, w.longest) == (138, 21, 50, 50)
    assert round(w.mean, 2) == round((4 * 9 + 100 * 21 + 34 * 50) / 138, 2)
    assert w.shipments == [(refs["s2"], date(2026, 1, 20), 100, 21), (refs["s1"], date(2026, 3, 1), 38, 50)]


def test_the_page_the_downloads_and_the_pdf_say_the_same(app, client, auth, operation):
    auth.login(Role.COORDINATOR)
    page = client.get("/reports/period?start=2026-01-01&end=2026-03-31")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for name, value in (("donations", "3"), ("received", "65"), ("kept", "38"), ("rejected", "15"), ("shipments", "2"),
                        ("shipped", "138"), ("checked_in", "124"), ("median_days", "21")):
        assert f'data-total="{name}">{value}<' in html, name
    assert 'data-key="2026-01" data-value="40"' in html and 'data-key="mould" data-value="6"' in html
    received = list(csv.reader(io.StringIO(client.get("/reports/period/received.csv?start=2026-01-01&end=2026-03-31")
                                           .data.decode("utf-8-sig"))))
    assert received == [["site", "2026-01", "2026-02", "2026-03", "copies"], ["Leeds", "40", "12", "0", "52"],
                        ["Ealing", "0", "13", "0", "13"]]
    sorting_rows = list(csv.reader(io.StringIO(client.get("/reports/period/sorting.csv?start=2026-01-01&end=2026-03-31")
                                               .data.decode("utf-8-sig"))))
    assert sorting_rows[1][:5] == ["Ealing", "4", "9", "0.6923", "0"] and sorting_rows[2][:5] == ["Leeds", "34", "6", "0.15", "12"]
    report = client.get("/documents/reports/period.pdf?start=2026-01-01&end=2026-03-31")
    text = pdf.text(report.data)
    assert "Report for 1 Jan 2026 – 31 Mar 2026" in text
    assert "English (en)" in text and "Arabic (ar)" in text  # the document's words, whatever the page's language
    for words in ("Copies received 65", "Copies rejected at sorting 15 (28.3% of those sorted)", "Copies shipped 138",
                  "Copies the recipients checked in 124", "Governorates reached 2"):
        assert " ".join(words.split()) in " ".join(text.split()), words
    annual = pdf.text(client.get("/documents/reports/period.pdf?start=2026-01-01&end=2026-12-31").data)
    assert "Annual report 2026" in annual and "Copies received 72" in " ".join(annual.split())  # and D6's 7 in April


def test_a_wrong_period_is_refused_with_what_to_do(client, auth, users):
    auth.login(Role.COORDINATOR)
    backwards = client.get("/reports/period?start=2026-03-01&end=2026-01-01")
    assert backwards.status_code == 422 and "The first day must be on or before the last day." in backwards.get_data(as_text=True)
    wrong = client.get("/reports/period?start=2026-13-01")
    assert wrong.status_code == 422 and "The first day must be a date, such as 2026-01-31." in wrong.get_data(as_text=True)
    assert client.get("/reports/period/received.csv?start=x").status_code == 422
    auth.logout()
    auth.login(Role.WAREHOUSE)
    assert client.get("/reports/period").status_code == 403


def test_the_report_costs_the_same_statements_for_a_quarter_and_a_year(app, client, auth, operation):
    auth.login(Role.COORDINATOR)
    quarter = statements_for(app, client, "/reports/period?start=2026-01-01&end=2026-03-31")
    year = statements_for(app, client, "/reports/period?start=2025-01-01&end=2026-12-31")
    assert quarter == year
