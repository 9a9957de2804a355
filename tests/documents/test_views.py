from __future__ import annotations

import pytest

from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from tests import pdf
from tests.conftest import PASSWORD, AuthActions


@pytest.fixture
def demo_auth(client, runner):
    """The demo operation (2 crates on one shipment), and sign-in as its users."""
    result = runner.invoke(args=["seed-demo"], env={"B2I_DEMO_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    return AuthActions(client, {role: f"{role.value}@example.org" for role in Role})


DOCUMENTS = [
    ("/documents/crates/B2I-C-000001/label.pdf", Role.WAREHOUSE, "Crate 1 of 2"),
    ("/documents/crates/B2I-C-000001/packing-list.pdf", Role.WAREHOUSE, "Introduction to Physics"),
    ("/documents/shipments/S-2026-001/labels.pdf", Role.WAREHOUSE, "Crate 2 of 2"),
    ("/documents/shipments/S-2026-001/packing-list.pdf", Role.WAREHOUSE, "Contents per crate"),
    ("/documents/shipments/S-2026-001/manifest.pdf", Role.COORDINATOR, "Customs manifest"),
    ("/documents/donations/D-{year}-000001/receipt.pdf", Role.VOLUNTEER, "Donation receipt"),
]


@pytest.mark.parametrize(("url", "needed", "expected"), DOCUMENTS)
def test_each_document_downloads_for_the_roles_that_need_it(client, demo_auth, url, needed, expected):
    from datetime import date

    url = url.format(year=date.today().year).replace("S-2026", f"S-{date.today().year}")
    for role in Role:
        demo_auth.login(role)
        response = client.get(url)
        if role.includes(needed):
            assert response.status_code == 200 and response.mimetype == "application/pdf", role
            assert expected in pdf.text(response.data)
        else:
            assert response.status_code == 403, role
        demo_auth.logout()
    assert client.get(url).status_code == 302  # signed out: to the login page


def test_unknown_refs_are_404(client, demo_auth):
    demo_auth.login(Role.ADMIN)
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


def test_the_document_command_writes_a_pdf(runner, demo_auth, tmp_path):
    from datetime import date

    out = tmp_path / "manifest.pdf"
    result = runner.invoke(args=["document", "manifest", f"S-{date.today().year}-001", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Customs manifest" in pdf.text(out.read_bytes())
    bad = runner.invoke(args=["document", "labels", "S-1999-001"])
    assert bad.exit_code == 1 and "There is no shipment S-1999-001" in bad.output


def test_pages_link_to_their_documents(client, demo_auth):
    from datetime import date

    year = date.today().year
    demo_auth.login(Role.COORDINATOR)
    shipment = client.get(f"/shipping/S-{year}-001").get_data(as_text=True)
    for url in ("labels.pdf", "packing-list.pdf", "manifest.pdf"):
        assert f"/documents/shipments/S-{year}-001/{url}" in shipment
    assert "/documents/crates/B2I-C-000001/label.pdf" in client.get("/crates/B2I-C-000001").get_data(as_text=True)
    donation = client.get(f"/intake/donations/D-{year}-000001").get_data(as_text=True)
    assert f"/documents/donations/D-{year}-000001/receipt.pdf" in donation
