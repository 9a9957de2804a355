"""`make bench`: the coordinator dashboard over one million lots.

Builds a migrated SQLite database (or PostgreSQL at BENCH_POSTGRES_URL) holding 100,000 donations,
1,000,000 donation lines and lots in every state, 15,000 crates and 12 shipments, by bulk insert,
then times the dashboard's figures (reports.dashboard.build) and the whole page as a coordinator
sees it. Prints the figures and writes bench/results/dashboard.json.
"""
from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
DONATIONS, LINES_PER_DONATION, CRATES, SHIPMENTS = 100_000, 10, 15_000, 12
CHUNK = 50_000


def build_database(url: str) -> None:
    import sqlalchemy as sa
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from books2iraq import create_app
    from books2iraq.extensions import db
    from books2iraq.models import Crate, Donation, DonationLine, Lot, Recipient, Shipment, Site, Title, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    rng = random.Random(1)
    now = datetime.now(UTC)
    with app.app_context():
        upgrade()
        insert = lambda model, rows: [
            db.session.execute(sa.insert(model), rows[i : i + CHUNK]) for i in range(0, len(rows), CHUNK)
        ]
        insert(User, [{"id": 1, "email": "coordinator@example.org", "name": "C", "role": "coordinator",
                       "password_hash": generate_password_hash("bench password"), "active": True, "created_at": now}])
        insert(Site, [{"id": n, "name": f"Site {n}", "kind": "warehouse" if n == 1 else "drop_off", "city": "London",
                       "active": True, "created_at": now} for n in range(1, 21)])
        insert(Title, [{"id": n, "isbn13": None, "title": f"Title {n}", "level": "general", "kind": "book",
                        "created_at": now} for n in range(1, 5_001)])
        insert(Recipient, [{"id": 1, "name_en": "University", "name_ar": "جامعة", "kind": "university",
                            "address_en": "x", "city": "Erbil", "governorate": "erbil", "active": True,
                            "created_at": now}])
        statuses = ["planned", "packing", "ready", "dispatched", "in_transit", "at_customs", "cleared", "delivered"]
        insert(Shipment, [{"id": n, "ref": f"S-2026-{n:03d}", "recipient_id": 1, "status": statuses[n % 8],
                           "created_at": now} for n in range(1, SHIPMENTS + 1)])
        insert(Crate, [{"id": n, "code": f"B2I-C-{n:06d}", "status": "sealed", "site_id": 1, "gross_kg": Decimal("20.5"),
                        "sealed_at": now, "shipment_id": (n % SHIPMENTS) + 1 if n % 5 else None, "created_at": now}
                       for n in range(1, CRATES + 1)])
        today = date.today()
        insert(Donation, [{"id": n, "ref": f"D-2026-{n:06d}", "site_id": rng.randint(1, 20),
                           "received_on": today - timedelta(days=rng.randint(0, 180)), "received_by_id": 1,
                           "created_at": now} for n in range(1, DONATIONS + 1)])
        lines, lots = [], []
        for n in range(1, DONATIONS * LINES_PER_DONATION + 1):
            donation, quantity, title = (n - 1) // LINES_PER_DONATION + 1, rng.randint(1, 8), rng.randint(1, 5_000)
            lines.append({"id": n, "donation_id": donation, "position": (n - 1) % LINES_PER_DONATION + 1,
                          "title_id": title, "quantity": quantity, "condition": "good"})
            roll = rng.random()
            status = "packed" if roll < 0.6 else "accepted" if roll < 0.8 else "rejected" if roll < 0.9 else "received"
            lots.append({"id": n, "donation_id": donation, "line_id": n, "title_id": title, "quantity": quantity,
                         "condition": "good", "status": status, "version": 1, "created_at": now,
                         "crate_id": rng.randint(1, CRATES) if status == "packed" else None,
                         "reject_reason": rng.choice(["water_damaged", "mould", "outdated"]) if status == "rejected" else None,
                         "disposition": "recycle" if status == "rejected" else None})
            if len(lines) == CHUNK:
                insert(DonationLine, lines)
                insert(Lot, lots)
                lines, lots = [], []
        insert(DonationLine, lines)
        insert(Lot, lots)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
        else:
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        db.engine.dispose()


def time_dashboard(url: str) -> dict[str, float]:
    from books2iraq import create_app
    from books2iraq.reports import dashboard

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    figures, pages = [], []
    with app.app_context():
        for _ in range(3):
            start = time.perf_counter()
            result = dashboard.build()
            figures.append(time.perf_counter() - start)
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/auth/login", data={"email": "coordinator@example.org", "password": "bench password", "csrf_token": token})
    for _ in range(3):
        start = time.perf_counter()
        response = client.get("/reports/")
        pages.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return {"figures_s": round(statistics.median(figures), 3), "page_s": round(statistics.median(pages), 3),
            "copies_held": result.copies_held}


def main() -> None:
    url = os.environ.get("BENCH_POSTGRES_URL")
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{tmp}/bench.sqlite"
        start = time.perf_counter()
        build_database(url)
        built = time.perf_counter() - start
        timing = time_dashboard(url)
    backend = url.split(":")[0].split("+")[0]
    report = {"bench": "dashboard", "at": datetime.now(UTC).isoformat(timespec="seconds"), "database": backend,
              "lots": DONATIONS * LINES_PER_DONATION, "crates": CRATES, "shipments": SHIPMENTS,
              "build_s": round(built, 1), **timing}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"dashboard-{backend}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"dashboard bench ({backend}): {report['lots']:,} lots, {CRATES:,} crates, {SHIPMENTS} shipments "
          f"(built in {built:.0f} s)")
    print(f"  figures {timing['figures_s']:.2f} s, whole page {timing['page_s']:.2f} s (median of 3)"
          f" -> bench/results/dashboard-{backend}.json")


if __name__ == "__main__":
    main()
