"""The recipient's pages: who may open them, the check-in by scan with its messages, a crate counted
title by title, the signed note's upload (type and size checked, kept outside the web root), the goods
received note read back, and pages whose statements do not grow with the crates."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.receiving.models import CrateReceipt, ReceivedNote
from books2iraq.shipping.models import ShipmentStatus as S
from tests import pdf
from tests.factories import RecipientFactory, UserFactory, advance, sealed_crate, shipment_of
from tests.queries import statements_for

ANONYMOUS = None


def html_of(response) -> str:
    return response.get_data(as_text=True)


def flashed(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", m).strip() for m in re.findall(r'<(?:p|div) class="flash[^"]*"[^>]*>(.*?)</(?:p|div)>', html, re.S)]


def dispatched(app, email: str | None, *crates: tuple[int, ...]) -> dict:
    """A shipment of `crates` dispatched to the institution of the recipient user `email` (a new one when None)."""
    with app.app_context():
        recipient = (db.session.scalar(sa.select(User).where(User.email == email)).recipient if email
                     else RecipientFactory())
        coordinator = UserFactory(role=Role.COORDINATOR)
        shipment = shipment_of(*[sealed_crate(*q) for q in crates], actor=coordinator, recipient=recipient, mode="road")
        advance(shipment, S.PACKING, S.READY, S.DISPATCHED, actor=coordinator)
        db.session.commit()
        return {"ref": shipment.ref, "codes": [c.code for c in shipment.crates], "id": shipment.id}


@pytest.fixture
def ours(app, users):
    return dispatched(app, users[Role.RECIPIENT], (6, 4), (5,), (7,))


@pytest.mark.parametrize("role", [ANONYMOUS, *Role])
def test_the_receiving_pages_are_for_recipients_coordinators_and_admins(app, client, auth, ours, role):
    if role is not ANONYMOUS:
        auth.login(role)
    allowed = {Role.RECIPIENT, Role.COORDINATOR, Role.ADMIN}
    for url in ("/receiving/", f"/receiving/{ours['ref']}", f"/receiving/{ours['ref']}/reconciliation",
                f"/receiving/{ours['ref']}/crates/{ours['codes'][0]}"):
        response = client.get(url)
        if role is ANONYMOUS:
            assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login"), url
        else:
            assert response.status_code == (200 if role in allowed else 403), (role, url)


def test_a_recipient_sees_nothing_of_the_staff_nor_of_other_institutions(app, client, auth, users, ours):
    theirs = dispatched(app, None, (3,))
    auth.login(Role.RECIPIENT)
    assert client.get("/").headers["Location"] == "/receiving/"
    listing = html_of(client.get("/receiving/"))
    assert ours["ref"] in listing and theirs["ref"] not in listing
    assert 'class="header-search"' not in listing and "/shipping/" not in listing
    for url in ("/shipping/", f"/shipping/{ours['ref']}", "/intake/donations", "/search?q=crate", "/crates/",
                f"/documents/shipments/{ours['ref']}/packing-list.pdf", "/reports/"):
        assert client.get(url).status_code in (403, 404), url
    for url in (f"/receiving/{theirs['ref']}", f"/receiving/{theirs['ref']}/received-note.pdf",
                f"/receiving/{theirs['ref']}/reconciliation"):
        assert client.get(url).status_code == 404, url
    refused = auth.post_without_form(f"/receiving/{theirs['ref']}", {"code": theirs["codes"][0], "outcome": "received"})
    assert refused.status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CrateReceipt)) == 0


def test_scanning_each_crate_checks_it_in_and_the_last_one_delivers(app, client, auth, ours):
    auth.login(Role.RECIPIENT)
    page = f"/receiving/{ours['ref']}"
    first, second, third = ours["codes"]
    response = auth.post(page, {"code": f" {first.lower()} ", "outcome": "received"})
    assert response.status_code == 302 and response.headers["Location"] == page
    html = html_of(client.get(page))
    assert f"Crate {first} received: 10 copies. 2 crates still to check in." in flashed(html)
    assert 'data-progress="1/3"' in html
    wrong = auth.post(page, {"code": "B2I-C-999999", "outcome": "received"})
    assert wrong.status_code == 422 and "There is no crate B2I-C-999999." in html_of(wrong)
    no_count = auth.post(page, {"code": second, "outcome": "damaged"})
    assert no_count.status_code == 422
    assert f"Crate {second} holds 5 copies: say how many of them are damaged (1 to 5)." in html_of(no_count)
    assert auth.post(page, {"code": second, "outcome": "damaged", "damaged": "2", "note": "wet"}).status_code == 302
    assert auth.post(page, {"code": third, "outcome": "missing"}).status_code == 302
    html = html_of(client.get(page))
    assert f"Crate {third} recorded as missing (7 copies). Every crate is checked in: shipment {ours['ref']} is delivered." in flashed(html)
    assert 'data-status="delivered"' in html
    recon = html_of(client.get(f"{page}/reconciliation"))
    assert "Sent 22 = received 13 + damaged 2 + missing 7 + not checked in 0" in re.sub(r"\s+", " ", recon)
    assert "Delivered with discrepancies: 2 crates." in recon
    with app.app_context():
        receipts = db.session.scalars(sa.select(CrateReceipt).order_by(CrateReceipt.id)).all()
        assert [(r.outcome.value, r.copies_received, r.copies_damaged, r.copies_missing, r.note) for r in receipts] == [
            ("received", 10, 0, 0, None), ("damaged", 3, 2, 0, "wet"), ("missing", 0, 0, 7, None)]
        assert receipts[0].address == "127.0.0.1" and receipts[0].device is not None


def test_a_crate_counted_title_by_title(app, client, auth, ours):
    auth.login(Role.RECIPIENT)
    url = f"/receiving/{ours['ref']}/crates/{ours['codes'][0]}"
    html = html_of(client.get(url))
    ids = re.findall(r'name="received-(\d+)"[^>]*max="(\d+)"', html)
    assert sorted(int(most) for _id, most in ids) == [4, 6]
    (big, _), (small, _) = sorted(ids, key=lambda pair: -int(pair[1]))
    bad = auth.post(url, {f"received-{big}": "five", f"damaged-{big}": "0", f"received-{small}": "4"})
    assert bad.status_code == 422 and "give the copies as a whole number, not “five”" in html_of(bad)
    done = auth.post(url, {f"received-{big}": "5", f"damaged-{big}": "1", f"received-{small}": "2", f"damaged-{small}": ""})
    assert done.status_code == 302
    with app.app_context():
        receipt = db.session.scalars(sa.select(CrateReceipt)).one()
        assert (receipt.copies_received, receipt.copies_damaged, receipt.copies_missing, receipt.counted) == (7, 1, 2, True)


def png(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def upload(auth, ref: str, content: bytes, name: str):
    return auth.post(f"/receiving/{ref}/signed", {"file": (io.BytesIO(content), name)}, page=f"/receiving/{ref}",
                     content_type="multipart/form-data")


def test_the_signed_note_is_type_checked_kept_outside_the_web_root_and_served_as_a_download(app, client, auth, ours):
    app.config["RECEIVED_NOTE_MAX_BYTES"] = 50_000
    auth.login(Role.RECIPIENT)
    ref = ours["ref"]
    for content, name, refusal in (
        (b"<html><script>alert(1)</script>", "note.pdf", "Send the signed note as a PDF, or a photo in JPEG or PNG"),
        (png()[:60], "note.png", "This picture cannot be read; take the photo again."),
        (b"%PDF-1.4\n" + b"0" * 60_000, "big.pdf", "The file is larger than 0 MB"),
        (b"", "empty.pdf", "The file is empty."),
    ):
        response = upload(auth, ref, content, name)
        assert response.status_code in (400, 422) and refusal in html_of(response), name
    assert upload(auth, ref, png(), "../../static/stamped note.png").status_code == 302
    with app.app_context():
        note = db.session.scalars(sa.select(ReceivedNote)).one()
        assert (note.filename, note.media_type) == ("stamped note.png", "image/png")
    kept = list((Path(app.instance_path) / "uploads" / "received-notes").iterdir())
    assert [p.name for p in kept] == [f"{note.sha256}.png"]
    assert not (Path(app.root_path) / "static" / "stamped note.png").exists()
    auth.logout()
    auth.login(Role.COORDINATOR)
    response = client.get(f"/receiving/{ref}/signed/{note.id}")
    assert response.status_code == 200 and response.data == png()
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/receiving/{ref}/signed/{note.id + 1}").status_code == 404


def test_a_scanned_note_of_several_megabytes_is_taken(app, auth, ours):
    """A phone's photo or a scanner's PDF is often 2-8 MB: more than a form's 1 MB, within the note's 10 MB."""
    auth.login(Role.RECIPIENT)
    scan = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024) + b"\n%%EOF\n"
    assert upload(auth, ours["ref"], scan, "scan.pdf").status_code == 302
    with app.app_context():
        assert db.session.scalars(sa.select(ReceivedNote.size)).one() == len(scan)


def test_the_goods_received_note_reads_back(app, client, auth, ours):
    auth.login(Role.RECIPIENT)
    page = f"/receiving/{ours['ref']}"
    auth.post(page, {"code": ours["codes"][0], "outcome": "received"})
    auth.post(page, {"code": ours["codes"][1], "outcome": "damaged", "damaged": "2"})
    response = client.get(f"{page}/received-note.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = re.sub(r"[ \t]+", " ", pdf.text(response.data))
    assert "Goods received note" in text and "مذكرة استلام البضائع" in text
    assert "Crates: 3 · copies sent: 22 · received: 13 · damaged: 2 · missing: 0 · not checked in yet: 7" in text
    for code in ours["codes"]:
        assert code in text
    assert re.search(rf"3 {ours['codes'][2]} 7 — 0 0 not checked in", text)
    assert ("Code128", ours["ref"]) in pdf.barcodes(response.data)


def test_the_pages_statements_do_not_grow_with_the_crates(app, client, auth, users):
    small = dispatched(app, users[Role.RECIPIENT], *[(3, 2)] * 3)
    large = dispatched(app, users[Role.RECIPIENT], *[(3, 2)] * 40)
    auth.login(Role.RECIPIENT)
    for crates in (small, large):
        for code in crates["codes"][:2]:
            auth.post(f"/receiving/{crates['ref']}", {"code": code, "outcome": "received"})
    for suffix in ("", "/reconciliation"):
        assert statements_for(app, client, f"/receiving/{small['ref']}{suffix}") == statements_for(
            app, client, f"/receiving/{large['ref']}{suffix}")
    assert statements_for(app, client, "/receiving/") <= 12


def test_a_container_is_shown_a_page_of_crates_at_a_time_the_short_ones_first(app, client, auth, users):
    many = dispatched(app, users[Role.RECIPIENT], *[(2,)] * 55)
    auth.login(Role.RECIPIENT)
    page = f"/receiving/{many['ref']}"
    for code, outcome in ((many["codes"][0], "received"), (many["codes"][40], "missing"), (many["codes"][54], "received")):
        auth.post(page, {"code": code, "outcome": outcome})
    html = html_of(client.get(page))
    assert 'data-progress="3/55"' in html and "1–50 of 55 crates" in html
    shown = re.findall(r'<tr data-crate="(B2I-C-\d+)" data-outcome="(\w+)"', html)
    assert shown[:2] == [(many["codes"][1], "waiting"), (many["codes"][2], "waiting")]  # those still to come first
    recon = html_of(client.get(f"{page}/reconciliation"))
    rows = re.findall(r'<tr data-crate="(B2I-C-\d+)"', recon)
    assert rows[0] == many["codes"][40] and len(rows) == 50  # the one that arrived short first
    titles = re.findall(r'<tr data-title="\d+">', recon)
    assert len(titles) == 1  # only the title of the missing crate is short; the others are not checked in yet
    assert "arrived whole" not in recon  # said once every crate is checked in
