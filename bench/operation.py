"""The operation `make bench` measures: a database of 1,000,000 lots, built quickly by bulk insert.

100,000 donations from 20,000 donors at 20 sites, 1,000,000 donation lines and lots in every state
(about 60 % packed, 20 % accepted and waiting for a crate, 10 % rejected, 10 % waiting to be sorted)
of 5,000 titles with ISBNs, 15,000 sealed crates of which 12,000 are on 12 shipments (1,000 crates
and about 50,000 lots each: a full 40-ft container), an open crate to pack into, then the search
index and the running totals (`flask rebuild`), and the customs papers issued for one shipment.
"""
from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

DONATIONS, LINES_PER_DONATION, CRATES, SHIPMENTS, DONORS, TITLES, SITES = 100_000, 10, 15_000, 12, 20_000, 5_000, 20
LOTS = DONATIONS * LINES_PER_DONATION
PASSWORD = "bench password 1"
USERS = {"coordinator": 1, "warehouse": 2, "volunteer": 3}  # e-mail <role>@example.org
OPEN_CRATE = CRATES + 1
ISSUED = 2  # S-YYYY-002 is ready and its customs papers are issued
CHUNK = 50_000


def isbn(n: int) -> str:
    from stdnum import ean

    body = f"9781915{n:05d}"
    return body + ean.calc_check_digit(body)


def build(url: str, lots: int = LOTS) -> float:
    """Build the operation at `url` (a migrated, empty database); returns the seconds it took."""
    import sqlalchemy as sa
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from books2iraq import create_app
    from books2iraq.admin.services import update_organisation
    from books2iraq.auth.models import User
    from books2iraq.documents import issuing
    from books2iraq.extensions import db
    from books2iraq.models import Crate, Donation, DonationLine, Donor, Lot, Recipient, Shipment, Site, Title
    from books2iraq.reports import tallies
    from books2iraq.search import index
    from books2iraq.shipping.services import get_by_ref

    start = time.perf_counter()
    donations = lots // LINES_PER_DONATION
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    rng = random.Random(1)
    now = datetime.now(UTC)
    year = date.today().year
    with app.app_context():
        upgrade()

        def insert(model: type, rows: list[dict]) -> None:
            for i in range(0, len(rows), CHUNK):
                db.session.execute(sa.insert(model), rows[i : i + CHUNK])

        password = generate_password_hash(PASSWORD)
        insert(User, [{"id": n, "email": f"{role}@example.org", "name": role.title(), "role": role,
                       "password_hash": password, "active": True, "created_at": now} for role, n in USERS.items()])
        insert(Site, [{"id": n, "name": f"Site {n}", "kind": "warehouse" if n == 1 else "drop_off", "city": "London",
                       "active": True, "created_at": now} for n in range(1, SITES + 1)])
        insert(Title, [{"id": n, "isbn13": isbn(n), "title": f"Title {n}", "level": "general", "kind": "book",
                        "created_at": now} for n in range(1, TITLES + 1)])
        insert(Recipient, [{"id": 1, "name_en": "University of Mosul", "name_ar": "جامعة الموصل", "kind": "university",
                            "address_en": "Al-Majmoaa Street", "city": "Mosul", "governorate": "nineveh", "active": True,
                            "created_at": now}])
        statuses = ["planned", "packing", "ready", "dispatched", "in_transit", "at_customs", "cleared", "delivered"]
        insert(Shipment, [{"id": n, "ref": f"S-{year}-{n:03d}", "recipient_id": 1, "status": statuses[n % 8],
                           "created_at": now} for n in range(1, SHIPMENTS + 1)])
        on_shipments = SHIPMENTS * 1_000
        insert(Crate, [{"id": n, "code": f"B2I-C-{n:06d}", "status": "sealed", "site_id": 1, "gross_kg": Decimal("20.50"),
                        "sealed_at": now, "shipment_id": (n - 1) // 1_000 + 1 if n <= on_shipments else None,
                        "created_at": now} for n in range(1, CRATES + 1)])
        insert(Crate, [{"id": OPEN_CRATE, "code": f"B2I-C-{OPEN_CRATE:06d}", "status": "open", "site_id": 1, "created_at": now}])
        db.session.execute(sa.text("INSERT INTO ref_counters (name, year, value) VALUES ('crate', 0, :n), "
                                   "('donation', :y, :d), ('shipment', :y, :s)"),
                           {"n": OPEN_CRATE, "y": year, "d": donations, "s": SHIPMENTS})
        today = date.today()
        insert(Donor, [{"id": n, "name": f"Donor {n} of site {n % SITES + 1}", "kind": "individual",
                        "consent_to_contact": False, "created_at": now} for n in range(1, DONORS + 1)])
        insert(Donation, [{"id": n, "ref": f"D-{year}-{n:06d}", "site_id": rng.randint(1, SITES),
                           "donor_id": rng.randint(1, DONORS), "note": None if n % 10 else "from the site",
                           "received_on": today - timedelta(days=rng.randint(0, 180)), "received_by_id": 3,
                           "created_at": now} for n in range(1, donations + 1)])
        lines, lot_rows = [], []
        for n in range(1, lots + 1):
            donation, quantity, title = (n - 1) // LINES_PER_DONATION + 1, rng.randint(1, 8), rng.randint(1, TITLES)
            lines.append({"id": n, "donation_id": donation, "position": (n - 1) % LINES_PER_DONATION + 1,
                          "title_id": title, "quantity": quantity, "condition": "good"})
            roll = rng.random()
            status = "packed" if roll < 0.6 else "accepted" if roll < 0.8 else "rejected" if roll < 0.9 else "received"
            lot_rows.append({"id": n, "donation_id": donation, "line_id": n, "title_id": title, "quantity": quantity,
                             "condition": "good", "status": status, "version": 1, "created_at": now,
                             "crate_id": rng.randint(1, CRATES) if status == "packed" else None,
                             "reject_reason": rng.choice(["water_damaged", "mould", "outdated"]) if status == "rejected" else None,
                             "disposition": "recycle" if status == "rejected" else None})
            if len(lines) == CHUNK:
                insert(DonationLine, lines)
                insert(Lot, lot_rows)
                lines, lot_rows = [], []
        insert(DonationLine, lines)
        insert(Lot, lot_rows)
        db.session.commit()
        index.rebuild(db.session.connection())  # bulk inserts pass both by: as `flask rebuild`
        tallies.rebuild(db.session.connection())
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            for table in ("users", "sites", "titles", "recipients", "shipments", "crates", "donors", "donations",
                          "donation_lines", "lots"):
                db.session.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                           f"(SELECT max(id) FROM {table}))"))
            db.session.commit()
            with db.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
        else:
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        # The customs papers of a full container, issued as a coordinator does once it is ready.
        update_organisation(actor=None, address="1 Example Street, London", phone="+44 20 7946 0000",
                            signatory_name="A. Coordinator")
        issuing.issue_papers(get_by_ref(f"S-{year}-{ISSUED:03d}"), actor=db.session.get(User, USERS["coordinator"]))
        db.session.commit()
        db.engine.dispose()
    return time.perf_counter() - start
