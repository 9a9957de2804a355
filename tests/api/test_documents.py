"""The PDFs through the API: the same documents as the pages, read back as text."""
from __future__ import annotations

from datetime import date

import pytest

from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from tests import pdf
from tests.api.conftest import error
from tests.factories import donation, sealed_crate, shipment_of

YEAR = date.today().year


@pytest.fixture
def refs(app) -> dict[str, str]:
    with app.app_context():
        crate = sealed_crate(10)
        shipment = shipment_of(crate)
        empty = shipment_of()
        gift = donation(3)
        db.session.commit()
        return {"crate": crate.code, "shipment": shipment.ref, "empty": empty.ref, "donation": gift.ref}


DOCUMENTS = [  # address, the least role, a text it prints, drawn by the worker (a job first)
    ("/crates/{crate}/label.pdf", Role.WAREHOUSE, "{crate}", False),
    ("/crates/{crate}/packing-list.pdf", Role.WAREHOUSE, "{crate}", False),
    ("/shipments/{shipment}/labels.pdf", Role.WAREHOUSE, "{shipment}", True),
    ("/shipments/{shipment}/packing-list.pdf", Role.WAREHOUSE, "Contents per crate", True),
    ("/shipments/{shipment}/manifest.pdf", Role.COORDINATOR, "Customs manifest", True),  # a draft: not issued
    ("/donations/{donation}/receipt.pdf", Role.VOLUNTEER, "{donation}", False),
]


@pytest.mark.parametrize(("path", "role", "expected", "drawn_by_the_worker"), DOCUMENTS)
def test_each_document_downloads_as_a_pdf(api, refs, path, role, expected, drawn_by_the_worker):
    response = api.get(path.format(**refs), role=role)
    if drawn_by_the_worker:  # the job (here the tests' queue has drawn it at once), then its PDF
        job = response.get_json()
        assert response.status_code == 202 and response.headers["Location"] == f"/api/v1/jobs/{job['id']}"
        assert (job["shipment"], job["status"], job["message"]) == (refs["shipment"], "done", None)
        assert api.get(f"/jobs/{job['id']}", role=role).get_json() == job
        response = api.get(job["pdf"].removeprefix("/api/v1"), role=role)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert expected.format(**refs) in pdf.text(response.data)


def test_a_job_is_for_the_roles_of_its_document_and_its_pdf_waits_for_it(api, app, refs):
    from books2iraq.documents.models import DocumentJob, JobStatus

    manifest = api.get(f"/shipments/{refs['shipment']}/manifest.pdf", role=Role.COORDINATOR).get_json()
    assert error(api.get(f"/jobs/{manifest['id']}", role=Role.WAREHOUSE))[:2] == (403, "forbidden")
    assert error(api.get(f"/jobs/{manifest['id']}/pdf", role=Role.WAREHOUSE))[:2] == (403, "forbidden")
    assert api.get(f"/jobs/{manifest['id']}", role=Role.VOLUNTEER).status_code == 403
    labels = api.get(f"/shipments/{refs['shipment']}/labels.pdf", role=Role.WAREHOUSE).get_json()
    with app.app_context():
        db.session.get(DocumentJob, labels["id"]).status = JobStatus.RUNNING
        db.session.commit()
    assert error(api.get(f"/jobs/{labels['id']}/pdf", role=Role.WAREHOUSE)) == (
        409, "conflict", "Not ready: the document is running."
    )
    assert error(api.get("/jobs/999999"))[:2] == (404, "not_found")


@pytest.mark.parametrize("kind", ["labels", "packing-list", "manifest"])
def test_a_shipment_without_crates_has_no_paperwork_yet(api, refs, kind):
    assert error(api.get(f"/shipments/{refs['empty']}/{kind}.pdf")) == (
        422, "refused", f"Shipment {refs['empty']} has no crates yet; assign sealed crates before printing."
    )


@pytest.mark.parametrize("path", ["/crates/B2I-C-999999/label.pdf", f"/donations/D-{YEAR}-999999/receipt.pdf", "/shipments/S-1-001/manifest.pdf"])
def test_documents_of_unknown_things_are_not_found(api, path):
    assert error(api.get(path))[:2] == (404, "not_found")


def test_a_coordinator_issues_and_corrects_the_manifest_through_the_api(api, app, refs):
    from books2iraq.admin.services import update_organisation
    from books2iraq.shipping import services as shipping
    from books2iraq.shipping.models import ShipmentStatus as S

    ref = refs["shipment"]
    assert error(api.post(f"/shipments/{ref}/papers/issue", {}, role=Role.COORDINATOR)) == (
        409, "conflict",
        f"Shipment {ref} is planned; its customs papers are issued once it is ready (its crates fixed), "
        "never after it is cancelled.",
    )
    with app.app_context():
        update_organisation(actor=None, address="4 Tyseley Road", phone="+44 121 496 0000", signatory_name="K. C.")
        shipment = shipping.get_by_ref(ref)
        for status in (S.PACKING, S.READY):
            shipping.change_status(shipment, status, actor=shipment.events[0].actor)
        db.session.commit()
    assert api.post(f"/shipments/{ref}/papers/issue", {}, role=Role.WAREHOUSE).status_code == 403
    first = api.post(f"/shipments/{ref}/papers/issue", {}, role=Role.COORDINATOR)
    assert first.status_code == 201
    body = first.get_json()
    assert (body["number"], body["revision"], body["issued_on"], body["reason"]) == (f"PI-{YEAR}-0001", 1, str(date.today()), None)
    assert [paper["kind"] for paper in body["papers"]] == ["manifest", "certificate_of_origin", "certificate_of_donation"]
    assert error(api.post(f"/shipments/{ref}/papers/issue", {}, role=Role.COORDINATOR))[:2] == (422, "refused")
    assert error(api.post(f"/shipments/{ref}/papers/issue", {"reason": 7}, role=Role.COORDINATOR))[:2] == (400, "invalid_request")
    second = api.post(f"/shipments/{ref}/papers/issue", {"reason": "Seal number added"}, role=Role.COORDINATOR)
    assert second.status_code == 201 and second.get_json()["revision"] == 2
    import hashlib

    revision_one = api.get(f"/shipments/{ref}/manifest/1.pdf", role=Role.COORDINATOR)
    assert hashlib.sha256(revision_one.data).hexdigest() == body["papers"][0]["sha256"]
    origin = api.get(f"/shipments/{ref}/certificate-of-origin/1.pdf", role=Role.COORDINATOR)
    assert hashlib.sha256(origin.data).hexdigest() == body["papers"][1]["sha256"]
    assert error(api.get(f"/shipments/{ref}/invoice/1.pdf", role=Role.COORDINATOR))[:2] == (404, "not_found")
    assert f"PI-{YEAR}-0001" in pdf.text(api.get(f"/shipments/{ref}/manifest.pdf", role=Role.COORDINATOR).data)
    assert error(api.get(f"/shipments/{ref}/manifest/3.pdf", role=Role.COORDINATOR))[:2] == (404, "not_found")


def test_labels_come_in_two_sizes(api, refs):
    assert b"/MediaBox [ 0 0 288 432 ]" in api.get(f"/crates/{refs['crate']}/label.pdf?size=4x6", role=Role.WAREHOUSE).data
    assert error(api.get(f"/shipments/{refs['shipment']}/labels.pdf?size=huge", role=Role.WAREHOUSE))[:2] == (
        400, "invalid_request"
    )
