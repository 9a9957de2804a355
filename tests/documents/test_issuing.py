"""Issuing the customs manifest: a number and a date, a frozen PDF, corrections as revisions."""
from __future__ import annotations

import copy
from datetime import date

import pytest
import sqlalchemy as sa

from books2iraq.admin.services import update_organisation
from books2iraq.audit import AuditEvent
from books2iraq.auth.roles import Role
from books2iraq.documents import issuing
from books2iraq.documents import services as documents
from books2iraq.documents.models import IssuedDocument, PaperKind
from books2iraq.errors import DomainError, InvalidTransition
from books2iraq.extensions import db
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import Shipment
from books2iraq.shipping.models import ShipmentStatus as S
from tests import pdf
from tests.factories import UserFactory, advance, sealed_crate, shipment_of
from tests.races import race

YEAR = date.today().year
SET_UP = {"name": "Books to Iraq", "address": "4 Tyseley Road, Birmingham", "phone": "+44 121 496 0000",
          "signatory_name": "Karim Coordinator"}


def ready_shipment(coordinator, *crate_copies: int, recipient_name: str | None = None) -> Shipment:
    crates = [sealed_crate(copies, gross_kg="21.50") for copies in crate_copies or (40, 30)]
    shipment = shipment_of(*crates, actor=coordinator, mode="road", carrier="Zagros Logistics")
    if recipient_name:
        shipment.recipient.name_en = recipient_name
    return advance(shipment, S.PACKING, S.READY, actor=coordinator)


@pytest.fixture
def coordinator(ctx):
    update_organisation(actor=None, **SET_UP)
    return UserFactory(role=Role.COORDINATOR)


def manifest_text(shipment: Shipment) -> str:
    _, data = documents.customs_manifest(shipment)
    return pdf.text(data)


def test_a_manifest_says_draft_until_it_is_issued(coordinator):
    shipment = ready_shipment(coordinator)
    draft = manifest_text(shipment)
    assert "DRAFT, not issued: not for customs" in draft and "Invoice no." not in draft
    issued = issuing.issue_papers(shipment, actor=coordinator)[0]
    assert (issued.number, issued.revision, issued.issued_on) == (f"PI-{YEAR}-0001", 1, date.today())
    text = manifest_text(shipment)
    heading = text.split("Consignor")[0]
    assert "Invoice no. / رقم الفاتورة" in heading and "Date / التاريخ" in heading
    assert f"PI-{YEAR}-0001" in heading and str(date.today()) in heading
    assert "DRAFT" not in text
    assert shipment.invoice_no == f"PI-{YEAR}-0001"


def test_an_issued_manifest_never_changes_when_the_records_do(coordinator):
    shipment = ready_shipment(coordinator, 40, 30, recipient_name="University of Zakho Library")
    issued = issuing.issue_papers(shipment, actor=coordinator)[0]
    db.session.commit()
    frozen = issued.pdf
    assert not issuing.changed_since(issued, shipment)
    # The organisation, the recipient, a crate's weight and the carrier all change after issue.
    update_organisation(actor=None, name="Books for Iraq Trust")
    shipment.recipient.name_en = "Zakho University Central Library"
    db.session.execute(sa.text("UPDATE crates SET gross_kg = 30.00 WHERE id = :id"), {"id": shipment.crates[0].id})
    shipping.update_transport(shipment, carrier="Anatolia Road Freight", actor=coordinator)
    db.session.commit()
    db.session.expire_all()
    filename, again = documents.customs_manifest(shipment)
    assert again == frozen and filename == f"PI-{YEAR}-0001-rev1-{shipment.ref}-manifest.pdf"
    text = pdf.text(again)
    assert "Books to Iraq" in text and "University of Zakho Library" in text and "Zagros Logistics" in text
    assert "43.00" in text  # two crates of 21.50 kg, as issued
    assert issuing.changed_since(issuing.latest(shipment), shipment)


def test_papers_issued_before_the_snapshot_grew_are_not_changed_by_it(coordinator):
    """A revision issued by an older version of the app recorded fewer figures: the ones it did not
    record are not changes, the ones it did still are."""
    shipment = ready_shipment(coordinator)
    issued = issuing.issue_papers(shipment, actor=coordinator)[0]
    older = copy.deepcopy(issued.content)
    del older["shipment"]["consignee"]["kurdish"]
    for crate in older["shipment"]["crates"]:
        del crate["consignee"]["kurdish"]
    issued.content = older
    assert not issuing.changed_since(issued, shipment)
    shipping.update_transport(shipment, carrier="Anatolia Road Freight", actor=coordinator)
    assert issuing.changed_since(issued, shipment)


def test_papers_that_recorded_each_title_of_each_crate_are_not_changed_by_recording_hs_lines(coordinator):
    """Older revisions recorded every title line of every crate; the papers print each crate's copies
    and the lines per HS code, which is all a revision records now (a full container's titles made
    the snapshot 50,000 lines long)."""
    shipment = ready_shipment(coordinator)
    issued = issuing.issue_papers(shipment, actor=coordinator)[0]
    older = copy.deepcopy(issued.content)
    for n, crate in enumerate(older["shipment"]["crates"]):
        assert [line["hs_code"] for line in crate["lines"]] == ["4901.99"] and crate["lines"][0]["title"] == ""
        crate["lines"] = [{"isbn": f"97800000000{n}", "title": "A title", "authors": "", "language": "en",
                           "level": "general", "hs_code": "4901.99", "copies": crate["copies"]}]
    issued.content = older
    assert not issuing.changed_since(issued, shipment)


def test_a_correction_is_a_new_revision_that_says_why_and_keeps_the_old_one(coordinator):
    shipment = ready_shipment(coordinator)
    first = issuing.issue_papers(shipment, actor=coordinator)[0]
    first_pdf = first.pdf
    shipping.update_transport(shipment, carrier="Anatolia Road Freight", actor=coordinator)
    with pytest.raises(DomainError, match=f"were issued as PI-{YEAR}-0001; say what a new revision corrects"):
        issuing.issue_papers(shipment, actor=coordinator, reason="   ")
    second = issuing.issue_papers(shipment, actor=coordinator, reason="Carrier changed to Anatolia Road Freight")[0]
    db.session.commit()
    assert (second.number, second.revision) == (f"PI-{YEAR}-0001", 2)
    text = manifest_text(shipment)
    assert "Revision 2, replacing revision 1: Carrier changed to Anatolia Road Freight" in text
    assert "Anatolia Road Freight" in text
    assert documents.issued_paper(shipment, PaperKind.MANIFEST, 1)[1] == first_pdf
    assert "Zagros Logistics" in pdf.text(first_pdf)
    assert [r.revision for r in issuing.revisions(shipment)] == [2, 1]
    trail = db.session.execute(
        sa.select(AuditEvent.detail).where(AuditEvent.action == "shipment.papers_issued").order_by(AuditEvent.id)
    ).scalars().all()
    assert [(t["invoice"], t["revision"], t["reason"]) for t in trail] == [
        (f"PI-{YEAR}-0001", 1, None), (f"PI-{YEAR}-0001", 2, "Carrier changed to Anatolia Road Freight"),
    ]
    with pytest.raises(DomainError, match="has no revision 3"):
        documents.issued_paper(shipment, PaperKind.MANIFEST, 3)


def test_each_shipment_takes_the_next_invoice_number_of_the_year(coordinator):
    numbers = [issuing.issue_papers(ready_shipment(coordinator), actor=coordinator)[0].number for _ in range(3)]
    assert numbers == [f"PI-{YEAR}-0001", f"PI-{YEAR}-0002", f"PI-{YEAR}-0003"]


def test_issuing_is_refused_while_the_crates_can_change(coordinator):
    shipment = advance(shipment_of(sealed_crate(5), actor=coordinator), S.PACKING, actor=coordinator)
    with pytest.raises(InvalidTransition, match="is packing; its customs papers are issued once it is ready"):
        issuing.issue_papers(shipment, actor=coordinator)[0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument)) == 0


def test_issuing_names_what_the_organisation_has_not_set_up(ctx):
    coordinator = UserFactory(role=Role.COORDINATOR)
    update_organisation(actor=None, name="Books to Iraq", address="4 Tyseley Road, Birmingham")
    shipment = ready_shipment(coordinator)
    with pytest.raises(DomainError) as refused:
        issuing.issue_papers(shipment, actor=coordinator)[0]
    assert str(refused.value) == (
        "Customs papers need the organisation's phone and signatory's name: an admin sets them under "
        "Admin → Organisation, then issue again."
    )
    assert shipment.invoice_no is None


def test_a_coordinator_issues_and_corrects_from_the_shipment_page(app, client, auth, users):
    with app.app_context():
        update_organisation(actor=None, **SET_UP)
        ref = ready_shipment(UserFactory(role=Role.COORDINATOR)).ref
        db.session.commit()
    auth.login(Role.COORDINATOR)
    page = f"/shipping/{ref}"
    assert "Not issued yet" in client.get(page).get_data(as_text=True)
    response = auth.post(f"/documents/shipments/{ref}/papers/issue", {}, page=page)
    assert response.status_code == 302
    shown = client.get(page).get_data(as_text=True)
    assert f"Customs papers PI-{YEAR}-0001 issued." in shown and f"/documents/shipments/{ref}/manifest/1.pdf" in shown
    again = auth.post(f"/documents/shipments/{ref}/papers/issue", {}, page=page)
    assert again.status_code == 302
    assert "say what a new revision corrects" in client.get(page).get_data(as_text=True)
    auth.post(f"/documents/shipments/{ref}/papers/issue", {"reason": "Seal number added"}, page=page)
    shown = client.get(page).get_data(as_text=True)
    assert f"Customs papers PI-{YEAR}-0001 issued (revision 2)." in shown and "Seal number added" in shown
    first = client.get(f"/documents/shipments/{ref}/manifest/1.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert f'filename="PI-{YEAR}-0001-rev1-{ref}-manifest.pdf"' in first.headers["Content-Disposition"]
    assert client.get(f"/documents/shipments/{ref}/manifest/3.pdf").status_code == 404


def test_the_command_issues_as_a_coordinator_only(app, runner, users, tmp_path):
    with app.app_context():
        update_organisation(actor=None, **SET_UP)
        ref = ready_shipment(UserFactory(role=Role.COORDINATOR)).ref
        db.session.commit()
    refused = runner.invoke(args=["issue-papers", ref, "--by", users[Role.WAREHOUSE]])
    assert refused.exit_code == 1 and "customs papers are issued by a coordinator" in refused.output
    out = tmp_path / "papers"
    result = runner.invoke(args=["issue-papers", ref, "--by", users[Role.COORDINATOR], "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Issued customs papers PI-{YEAR}-0001, revision 1, on {date.today()}." in result.output
    written = sorted(path.name for path in out.iterdir())
    assert written == [f"PI-{YEAR}-0001-rev1-{ref}-{kind}.pdf"
                       for kind in ("certificate-of-donation", "certificate-of-origin", "manifest")]
    assert all(f"PI-{YEAR}-0001" in pdf.text(path.read_bytes()) for path in out.iterdir())
    again = runner.invoke(args=["issue-papers", ref, "--by", users[Role.COORDINATOR]])
    assert again.exit_code == 1 and "say what a new revision corrects" in again.output


def test_two_coordinators_issuing_at_once_make_one_first_revision(app):
    with app.app_context():
        update_organisation(actor=None, **SET_UP)
        coordinator = UserFactory(role=Role.COORDINATOR)
        ids = {"shipment": ready_shipment(coordinator).id, "user": coordinator.id}
        db.session.commit()

    def issue():
        from books2iraq.auth.models import User

        shipment = db.session.get(Shipment, ids["shipment"])
        return issuing.issue_papers(shipment, actor=db.session.get(User, ids["user"]))[0].revision

    first, second = race(app, issue, issue)
    assert first.ok and first.value == 1 and not second.ok
    assert second.message.endswith(f"were issued as PI-{YEAR}-0001; say what a new revision corrects.")
    with app.app_context():
        issued = db.session.execute(sa.select(IssuedDocument.kind, IssuedDocument.revision)).all()
        assert sorted((kind.value, revision) for kind, revision in issued) == [
            ("certificate_of_donation", 1), ("certificate_of_origin", 1), ("manifest", 1)
        ]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "shipment.papers_issued")) == 1


def test_the_shipment_page_with_issued_papers_costs_the_same_queries_at_any_size(app, client, auth, users):
    from tests.queries import statements_for

    with app.app_context():
        update_organisation(actor=None, **SET_UP)
        coordinator = UserFactory(role=Role.COORDINATOR)
        small = ready_shipment(coordinator, 3, 4)
        issuing.issue_papers(small, actor=coordinator)
        large = ready_shipment(coordinator, *range(1, 13))
        for n in range(3):
            issuing.issue_papers(large, actor=coordinator, reason=f"correction {n}" if n else None)
        db.session.commit()
        refs = small.ref, large.ref
    auth.login(Role.COORDINATOR)
    few, many = (statements_for(app, client, f"/shipping/{ref}") for ref in refs)
    assert few == many


def test_the_manifest_prints_what_customs_asks_for(coordinator):
    from books2iraq.documents.data import shipping_mark

    update_organisation(actor=None, country="United Kingdom")
    crates = [sealed_crate(30, gross_kg="15.00"), sealed_crate(20, gross_kg="11.00")]
    shipment = shipment_of(*crates, actor=coordinator, mode="sea", container_no="CSQU3054383", incoterm="CIF",
                           port_of_discharge="Umm Qasr", transport_doc_no="GCLU218E004471",
                           notify_party="Al-Rafidain Clearing Agency\nPort of Umm Qasr, Basra",
                           exemption_ref="MoHE 4512")
    shipment.recipient.tax_number = "IQ-TX-77120"
    advance(shipment, S.PACKING, S.READY, actor=coordinator)
    with pytest.raises(DomainError, match="Under CIF the papers show the freight and insurance paid"):
        issuing.issue_papers(shipment, actor=coordinator)[0]
    shipping.update_transport(shipment, freight="2350", insurance="48.00", actor=coordinator)
    issuing.issue_papers(shipment, actor=coordinator)[0]
    text = manifest_text(shipment)
    for printed in (
        "Country of origin / بلد المنشأ", "United Kingdom", "Donation, free of charge", "No payment: a gift",
        "CIF Umm Qasr, Incoterms 2020", "USD 2,350.00", "USD 48.00", "MoHE 4512", "Bill of lading: GCLU218E004471",
        "Al-Rafidain Clearing Agency", "Tax/registration no.: IQ-TX-77120", "Chamber of commerce",
        "Legalisation (embassy of Iraq)",
    ):
        assert printed in text, printed
    mark = shipping_mark(shipment.recipient.name_en, shipment.ref, shipment.recipient.city, "1-2")
    assert mark[1:] == (shipment.ref, shipment.recipient.city.upper(), "1-2")
    assert all(line in text for line in mark)


def test_a_customs_line_without_a_package_of_its_own_says_which_packages_carry_it(coordinator):
    from decimal import Decimal

    from books2iraq.documents.data import ContentLine, CrateData, Party, ShipmentData, Transport, customs_manifest

    def line(hs: str, copies: int) -> ContentLine:
        return ContentLine(isbn="", title="t", authors="", language="en", level="general", hs_code=hs, copies=copies)

    crate = CrateData(code="C1", copies=12, gross_kg=Decimal("10.00"), net_kg=Decimal("8.50"), dimensions_cm=None,
                      volume_m3=None, lines=(line("4901.99", 10), line("4903.00", 2)))
    manifest = customs_manifest(ShipmentData("S-1", Party("a"), Party("b"), Transport(), (crate,)), Decimal("0.50"), "USD")
    by_code = {ln.hs_code: (ln.packages, ln.packed_with) for ln in manifest.lines}
    assert by_code == {"4901.99": (1, ()), "4903.00": (0, ("4901.99",))}
    from books2iraq.documents.manifest import packages

    assert [packages(ln) for ln in manifest.lines] == ["1", "with 4901.99"]


def test_the_certificates_match_the_invoice_they_are_issued_with(coordinator):
    update_organisation(actor=None, country="United Kingdom")
    shipment = ready_shipment(coordinator, 40, 30, 12, recipient_name="University of Zakho Library")
    shipment.recipient.name_ar = "مكتبة جامعة زاخو"
    drafts = [pdf.text(make(shipment)[1]) for make in (documents.certificate_of_origin, documents.certificate_of_donation)]
    assert all("DRAFT, not issued" in text for text in drafts)
    papers = issuing.issue_papers(shipment, actor=coordinator)
    assert [paper.kind for paper in papers] == [PaperKind.MANIFEST, PaperKind.ORIGIN, PaperKind.DONATION]
    origin = pdf.text(documents.certificate_of_origin(shipment)[1])
    donation = pdf.text(documents.certificate_of_donation(shipment)[1])
    manifest = manifest_text(shipment)
    # Three crates of 21.50 kg (1.50 kg of it packaging each): the same packages and weights everywhere.
    for text in (origin, donation, manifest):
        assert f"PI-{YEAR}-0001" in text and str(date.today()) in text and "DRAFT" not in text
        total = next(line for line in text.splitlines() if line.strip().startswith("Total"))
        assert "3" in total.split() and "82" in total.split() and "60.00" in total and "64.50" in total
    assert "Certificate of origin" in origin and "United Kingdom" in origin and "Chamber of commerce" in origin
    assert f"originate in United Kingdom, that they are shipped under pro-forma invoice PI-{YEAR}-0001" in " ".join(origin.split())
    assert "Certificate of donation" in donation and "no commercial value" in donation
    assert "University of Zakho Library" in donation and "مكتبة جامعة زاخو" in donation


def test_an_eighty_line_notify_party_flows_on_instead_of_breaking_the_papers(coordinator):
    shipment = ready_shipment(coordinator)
    notify = "\n".join(f"Clearing agent line {n}" for n in range(1, 81))
    shipping.update_transport(shipment, notify_party=notify, actor=coordinator)
    papers = issuing.issue_papers(shipment, actor=coordinator)
    text = pdf.text(papers[0].pdf)
    assert "Clearing agent line 1" in text and "Clearing agent line 80" in text
