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

DONATIONS, LINES_PER_DONATION, CRATES, SHIPMENTS, DONORS, TITLES, SITES = 100_000, 10, 15_000, 12, 20_000, 5_000, 20
LOTS = DONATIONS * LINES_PER_DONATION
PASSWORD = "bench password 1"
USERS = {"coordinator": 1, "warehouse": 2, "volunteer": 3}  # e-mail <role>@example.org
OPEN_CRATE = CRATES + 1
ISSUED = 2  # S-YYYY-002 is ready and its customs papers are issued


def isbn(n: int) -> str:
    from stdnum import ean

    body = f"9781915{n:05d}"
    return body + ean.calc_check_digit(body)


class _bulk:
    """Rows into a table as fast as the database takes them: PostgreSQL's COPY, SQLite's executemany."""

    def __init__(self, connection: object) -> None:
        self.connection = connection
        self.raw = connection.connection.driver_connection  # type: ignore[attr-defined]
        self.postgres = connection.dialect.name == "postgresql"  # type: ignore[attr-defined]

    def __call__(self, table: str, columns: str, rows: list[tuple]) -> None:
        import sqlalchemy as sa

        from books2iraq.db import bulk_insert

        names = columns.split()
        if self.postgres:
            bulk_insert(self.connection, sa.table(table, *map(sa.column, names)), names, rows)  # type: ignore[arg-type]
        else:  # the driver's own executemany: SQLAlchemy's would convert a million rows first
            marks = ", ".join("?" for _ in names)
            self.raw.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", rows)


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

        bulk = _bulk(db.session.connection())
        now_text = now if bulk.postgres else now.strftime("%Y-%m-%d %H:%M:%S.%f")

        def day(d: date) -> object:
            return d if bulk.postgres else d.isoformat()

        password = generate_password_hash(PASSWORD)
        bulk("users", "id email name role password_hash active created_at",
             [(n, f"{role}@example.org", role.title(), role, password, True, now_text) for role, n in USERS.items()])
        bulk("sites", "id name kind city active created_at",
             [(n, f"Site {n}", "warehouse" if n == 1 else "drop_off", "London", True, now_text) for n in range(1, SITES + 1)])
        bulk("titles", "id isbn13 title level kind created_at",
             [(n, isbn(n), f"Title {n}", "general", "book", now_text) for n in range(1, TITLES + 1)])
        bulk("recipients", "id name_en name_ar kind address_en city governorate active created_at",
             [(1, "University of Mosul", "جامعة الموصل", "university", "Al-Majmoaa Street", "Mosul", "nineveh", True, now_text)])
        statuses = ["planned", "packing", "ready", "dispatched", "in_transit", "at_customs", "cleared", "delivered"]
        bulk("shipments", "id ref recipient_id status created_at",
             [(n, f"S-{year}-{n:03d}", 1, statuses[n % 8], now_text) for n in range(1, SHIPMENTS + 1)])
        on_shipments = SHIPMENTS * 1_000
        bulk("crates", "id code status site_id gross_kg sealed_at shipment_id created_at",
             [(n, f"B2I-C-{n:06d}", "sealed", 1, "20.50", now_text, (n - 1) // 1_000 + 1 if n <= on_shipments else None, now_text)
              for n in range(1, CRATES + 1)] + [(OPEN_CRATE, f"B2I-C-{OPEN_CRATE:06d}", "open", 1, None, None, None, now_text)])
        bulk("ref_counters", "name year value", [("crate", 0, OPEN_CRATE), ("donation", year, donations), ("shipment", year, SHIPMENTS)])
        today = date.today()
        bulk("donors", "id name kind consent_to_contact created_at",
             [(n, f"Donor {n} of site {n % SITES + 1}", "individual", False, now_text) for n in range(1, DONORS + 1)])
        bulk("donations", "id ref site_id donor_id note received_on received_by_id created_at",
             [(n, f"D-{year}-{n:06d}", rng.randint(1, SITES), rng.randint(1, DONORS), None if n % 10 else "from the site",
               day(today - timedelta(days=rng.randint(0, 180))), 3, now_text) for n in range(1, donations + 1)])
        lines, lot_rows = [], []
        for n in range(1, lots + 1):
            donation, quantity, title = (n - 1) // LINES_PER_DONATION + 1, rng.randint(1, 8), rng.randint(1, TITLES)
            lines.append((n, donation, (n - 1) % LINES_PER_DONATION + 1, title, quantity, "good"))
            roll = rng.random()
            status = "packed" if roll < 0.6 else "accepted" if roll < 0.8 else "rejected" if roll < 0.9 else "received"
            rejected = status == "rejected"
            lot_rows.append((n, donation, n, title, quantity, "good", status, 1, now_text,
                             rng.randint(1, CRATES) if status == "packed" else None,
                             rng.choice(["water_damaged", "mould", "outdated"]) if rejected else None,
                             "recycle" if rejected else None))
        bulk("donation_lines", "id donation_id position title_id quantity condition", lines)
        bulk("lots", "id donation_id line_id title_id quantity condition status version created_at crate_id reject_reason "
             "disposition", lot_rows)
        db.session.commit()
        phases = {"rows": time.perf_counter() - start}
        index.rebuild(db.session.connection())  # bulk inserts pass both by: as `flask rebuild`
        phases["search index"] = time.perf_counter() - start
        tallies.rebuild(db.session.connection())
        db.session.commit()
        phases["running totals"] = time.perf_counter() - start
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
        phases["statistics"] = time.perf_counter() - start
        # The customs papers of a full container, issued as a coordinator does once it is ready.
        update_organisation(actor=None, address="1 Example Street, London", phone="+44 20 7946 0000",
                            signatory_name="A. Coordinator")
        issuing.issue_papers(get_by_ref(f"S-{year}-{ISSUED:03d}"), actor=db.session.get(User, USERS["coordinator"]))
        db.session.commit()
        db.engine.dispose()
    phases["customs papers"] = time.perf_counter() - start
    print("  built: " + ", ".join(f"{name} at {at:.0f} s" for name, at in phases.items()), flush=True)
    return time.perf_counter() - start
