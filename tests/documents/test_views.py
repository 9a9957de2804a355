from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from books2iraq import create_app, demo
from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from tests import pdf
from tests.conftest import AuthActions

FIRST_DONATION_YEAR = (date.today() - timedelta(days=demo.DAYS)).year  # the demo's first donation came then


@pytest.fixture
def demo_app(demo_url):
    """The demo operation (its first shipment has 16 crates)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": demo_url})
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()


@pytest.fixture
def demo_auth(demo_client):
    """Sign-in as the demo's users."""
    return AuthActions(demo_client, {role: f"{role.value}@example.org" for role in Role})


# A shipment's long documents are drawn by the worker: their address leads to the page of the job
# that draws them, then to the file (here the worker runs at once, as the tests' queue does). An issued
# manifest is the very PDF that was issued, at once.
DOCUMENTS = [  # address, the least role, a text it prints, drawn by the worker
    ("/documents/crates/B2I-C-000001/label.pdf", Role.WAREHOUSE, "Crate 1 of 16", False),
    ("/documents/crates/B2I-C-000001/packing-list.pdf", Role.WAREHOUSE, "Introduction to Physics", False),
    ("/documents/shipments/S-2026-001/labels.pdf", Role.WAREHOUSE, "Crate 2 of 16", True),
    ("/documents/shipments/S-2026-001/packing-list.pdf", Role.WAREHOUSE, "Contents per crate", True),
    ("/documents/shipments/S-2026-001/manifest.pdf", Role.COORDINATOR, "Customs manifest", False),
    ("/documents/shipments/S-2026-004/manifest.pdf", Role.COORDINATOR, "Customs manifest", True),
    ("/documents/donations/D-{year}-000001/receipt.pdf", Role.VOLUNTEER, "Donation receipt", False),
]


@pytest.mark.parametrize(("url", "needed", "expected", "drawn_by_the_worker"), DOCUMENTS)
def test_each_document_downloads_for_the_roles_that_need_it(demo_client, demo_auth, url, needed, expected, drawn_by_the_worker):
    client = demo_client
    url = url.format(year=FIRST_DONATION_YEAR).replace("S-2026", f"S-{date.today().year}")
    for role in Role:
        demo_auth.login(role)
        response = client.get(url, follow_redirects=True)
        if role.includes(needed):
            assert response.status_code == 200 and response.mimetype == "application/pdf", role
            assert expected in pdf.text(response.data)
            went = [r.headers["Location"] for r in response.history]
            assert len(went) == (2 if drawn_by_the_worker else 0), went
            if drawn_by_the_worker:
                assert re.fullmatch(r"/documents/jobs/\d+", went[0]) and went[1].endswith(".pdf"), went
        else:
            assert response.status_code == 403, role
        demo_auth.logout()
    assert client.get(url).status_code == 302  # signed out: to the login page


def test_unknown_refs_are_404(client, auth):
    auth.login(Role.ADMIN)
    assert client.get("/documents/crates/B2I-C-999999/label.pdf").status_code == 404
    assert client.get("/documents/shipments/S-1999-001/manifest.pdf").status_code == 404


def test_a_shipment_without_crates_explains_instead_of_printing(client, auth, app, users):
    from books2iraq.shipping import services as shipping
    from tests.factories import RecipientFactory, UserFactory

    with app.app_context():
        ref = shipping.create_shipment(recipient=RecipientFactory(), actor=UserFactory(), year=2026).ref
        db.session.commit()
    auth.login(Role.COORDINATOR)
    response = client.get(f"/documents/shipments/{ref}/manifest.pdf", headers={"Referer": "http://evil.example/x?y=1"})
    assert response.status_code == 302 and response.headers["Location"] == "/x?y=1"
    assert "has no crates yet" in client.get("/").get_data(as_text=True)
    # Only this site's pages: a Referer that a browser reads as another site sends the user home.
    for referrer in ("http://localhost//evil.example/x", "http://localhost/\\evil.example", "//evil.example", "javascript:alert(1)"):
        response = client.get(f"/documents/shipments/{ref}/manifest.pdf", headers={"Referer": referrer})
        assert response.status_code == 302 and response.headers["Location"] == "/", referrer


def test_the_document_command_writes_a_pdf(demo_app, tmp_path):
    runner = demo_app.test_cli_runner()
    out = tmp_path / "manifest.pdf"
    result = runner.invoke(args=["document", "manifest", f"S-{date.today().year}-001", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Customs manifest" in pdf.text(out.read_bytes())
    bad = runner.invoke(args=["document", "labels", "S-1999-001"])
    assert bad.exit_code == 1 and "There is no shipment S-1999-001" in bad.output


def test_pages_link_to_their_documents(demo_client, demo_auth):
    client, year = demo_client, date.today().year
    demo_auth.login(Role.COORDINATOR)
    shipment = client.get(f"/shipping/S-{year}-001").get_data(as_text=True)
    for url in ("labels.pdf", "packing-list.pdf", "manifest.pdf"):
        assert f"/documents/shipments/S-{year}-001/{url}" in shipment
    assert "/documents/crates/B2I-C-000001/label.pdf" in client.get("/crates/B2I-C-000001").get_data(as_text=True)
    donation = client.get(f"/intake/donations/D-{FIRST_DONATION_YEAR}-000001").get_data(as_text=True)
    assert f"/documents/donations/D-{FIRST_DONATION_YEAR}-000001/receipt.pdf" in donation
